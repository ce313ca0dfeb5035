// Devices: which listed devices to register or re-enable, and which devices the profile provisions
// (ENABLED devices of a class the profile type supports; all of them, or the ones `device-selection`
// names). A disabled device is never selected, so it cannot cause endless regeneration.
import type { DeviceResource } from "../asc/types.ts";
import type { Config, DeviceRequest } from "../config.ts";
import type { InputProblem } from "../errors.ts";
import type { ProfileTypeRule } from "../profile-types.ts";

export interface DevicePlan {
  register: DeviceRequest[];
  enable: DeviceResource[];
  /** Existing devices the profile must contain (after enabling). */
  selected: DeviceResource[];
  /** Devices to be registered that the profile must contain too (matched by UDID after registration). */
  selectedNew: DeviceRequest[];
  /** Listed devices that stay disabled (reenable-devices is false). */
  disabledListed: DeviceResource[];
  problems: InputProblem[];
}

const sameUdid = (udid: string | undefined, wanted: string): boolean =>
  (udid ?? "").toLowerCase() === wanted.toLowerCase();

/** The device class decides: an Apple TV has platform IOS but only tvOS profiles take it. */
export function isCompatibleDevice(device: DeviceResource, rule: ProfileTypeRule): boolean {
  return (rule.deviceClasses as string[]).includes(device.attributes?.deviceClass ?? "");
}

export function planDevices(config: Config, rule: ProfileTypeRule, devices: DeviceResource[]): DevicePlan {
  const plan: DevicePlan = {
    register: [],
    enable: [],
    selected: [],
    selectedNew: [],
    disabledListed: [],
    problems: [],
  };
  for (const wanted of config.devices) {
    const existing = devices.find((device) => sameUdid(device.attributes?.udid, wanted.udid));
    if (!existing) plan.register.push(wanted);
    else if (existing.attributes?.status === "DISABLED") {
      if (config.reenableDevices) plan.enable.push(existing);
      else plan.disabledListed.push(existing);
    }
  }
  if (rule.deviceClasses.length === 0) return plan;

  const enabledAfter = (device: DeviceResource): boolean =>
    device.attributes?.status === "ENABLED" || plan.enable.some((enabled) => enabled.id === device.id);
  const compatible = devices.filter((device) => enabledAfter(device) && isCompatibleDevice(device, rule));
  const newCompatible = plan.register.filter((request) => request.platform === rule.devicePlatform);

  if (config.deviceSelection.kind === "all") {
    plan.selected = compatible;
    plan.selectedNew = newCompatible;
  } else {
    for (const value of config.deviceSelection.values) {
      const match = (candidate: { udid?: string; name?: string }): boolean =>
        sameUdid(candidate.udid, value) || (candidate.name ?? "").toLowerCase() === value.toLowerCase();
      const found = compatible.filter((device) => match(device.attributes ?? {}));
      const foundNew = newCompatible.filter((request) => match(request));
      if (found.length === 0 && foundNew.length === 0) {
        const any = devices.find((device) => match(device.attributes ?? {}));
        plan.problems.push({
          input: "device-selection",
          message: any
            ? `"${value}" is ${any.attributes?.status === "DISABLED" ? "DISABLED (set reenable-devices and list it in devices, or enable it in the portal)" : `a ${any.attributes?.deviceClass ?? "device"} that ${rule.type} profiles cannot provision`}.`
            : `"${value}" matches no registered device by UDID or name: register it with \`devices\` ("name, udid").`,
        });
      }
      for (const device of found) if (!plan.selected.includes(device)) plan.selected.push(device);
      for (const request of foundNew) if (!plan.selectedNew.includes(request)) plan.selectedNew.push(request);
    }
  }
  if (plan.selected.length === 0 && plan.selectedNew.length === 0 && plan.problems.length === 0) {
    plan.problems.push({
      input: config.deviceSelection.kind === "all" ? "devices" : "device-selection",
      message: `${rule.type} profiles need at least one ENABLED ${rule.deviceClasses.join("/")} device, and the team has none: register one with \`devices\` ("name, udid").`,
    });
  }
  return plan;
}
