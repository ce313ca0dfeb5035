// The configurations the fault suite provisions, chosen from a seed so that a failing pair can be replayed
// alone: profile types (App Store, ad hoc with devices, development registering a device, macOS),
// multi-target apps with capabilities, and what changes between the cold and the warm run.
import type { RawInputs } from "../../../src/core/config-parse.ts";
import { mulberry32 } from "../../support/fake-asc/faults.ts";
import type { FakeAsc } from "../../support/fake-asc/index.ts";

export type Perturbation = "none" | "add-device" | "expire-profile" | "revoke-certificate" | "add-capability";

export interface FaultScenario {
  label: string;
  /** Identifiers this scenario provisions (all fresh for the seed). */
  bundleIds: string[];
  inputs: RawInputs;
  /** Devices registered on the account before the cold run. */
  devices: Array<{ name: string; udid: string; deviceClass: string }>;
  /** Applied to the account (or the inputs) between the cold and the warm run. */
  perturbation: Perturbation;
  takesDevices: boolean;
}

const udid = (seed: number, n: number): string =>
  `00008030-${(seed >>> 0).toString(16).toUpperCase().padStart(8, "0")}${n.toString(16).toUpperCase().padStart(8, "0")}`;

/** The scenario of a pair, from its seed. */
export function faultScenario(seed: number): FaultScenario {
  const random = mulberry32(seed ^ 0x5eed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const base = `com.fault.s${seed >>> 0}`;
  const devices = [
    { name: "Phone", udid: udid(seed, 1), deviceClass: "IPHONE" },
    { name: "Pad", udid: udid(seed, 2), deviceClass: "IPAD" },
  ];
  const kind = pick(["appstore", "appstore-multi", "adhoc", "adhoc-multi", "development", "macos"] as const);
  const common = { perturbation: "none" as Perturbation };
  switch (kind) {
    case "appstore":
      return {
        ...common,
        label: "IOS_APP_STORE",
        bundleIds: [`${base}.app`],
        inputs: { "bundle-ids": `${base}.app`, "profile-type": "IOS_APP_STORE" },
        devices: [],
        takesDevices: false,
        perturbation: pick(["none", "expire-profile", "revoke-certificate", "add-capability"]),
      };
    case "appstore-multi": {
      const ids = [`${base}.app`, `${base}.app.widget`, `${base}.app.intents`];
      return {
        ...common,
        label: "IOS_APP_STORE x3 + capabilities",
        bundleIds: ids,
        inputs: {
          "bundle-ids": ids.join("\n"),
          "profile-type": "IOS_APP_STORE",
          capabilities: `APP_GROUPS\n${ids[0]}: PUSH_NOTIFICATIONS`,
        },
        devices: [],
        takesDevices: false,
        perturbation: pick(["none", "expire-profile", "add-capability"]),
      };
    }
    case "adhoc":
      return {
        ...common,
        label: "IOS_APP_ADHOC with devices",
        bundleIds: [`${base}.adhoc`],
        inputs: {
          "bundle-ids": `${base}.adhoc`,
          "profile-type": "IOS_APP_ADHOC",
          devices: `Tester, ${udid(seed, 3)}`,
        },
        devices,
        takesDevices: true,
        perturbation: pick(["none", "add-device", "revoke-certificate"]),
      };
    case "adhoc-multi": {
      const ids = [`${base}.adhoc`, `${base}.adhoc.widget`];
      return {
        ...common,
        label: "IOS_APP_ADHOC x2 with devices",
        bundleIds: ids,
        inputs: { "bundle-ids": ids.join(","), "profile-type": "IOS_APP_ADHOC" },
        devices,
        takesDevices: true,
        perturbation: pick(["none", "add-device", "expire-profile"]),
      };
    }
    case "development":
      return {
        ...common,
        label: "IOS_APP_DEVELOPMENT registering a device",
        bundleIds: [`${base}.dev`],
        inputs: {
          "bundle-ids": `${base}.dev`,
          "profile-type": "IOS_APP_DEVELOPMENT",
          devices: `Dev Phone, ${udid(seed, 4)}`,
        },
        devices: [],
        takesDevices: true,
        perturbation: pick(["none", "add-device"]),
      };
    case "macos":
      return {
        ...common,
        label: "MAC_APP_STORE",
        bundleIds: [`${base}.mac`],
        inputs: { "bundle-ids": `${base}.mac`, "profile-type": "MAC_APP_STORE" },
        devices: [],
        takesDevices: false,
        perturbation: pick(["none", "expire-profile", "revoke-certificate"]),
      };
  }
}

/** Registers the scenario's devices on a fresh account. */
export function seedDevices(fake: FakeAsc, scenario: FaultScenario): void {
  for (const d of scenario.devices) fake.state.addDevice({ ...d, platform: "IOS" });
}

/**
 * Changes the account between the cold and the warm run; returns the inputs of the warm run (changed
 * only by add-capability). `main` is the main target's profile id and `certificateId` ours, from the
 * clean run.
 */
export function perturb(
  fake: FakeAsc,
  scenario: FaultScenario,
  seed: number,
  ids: { mainProfileId: string; certificateId: string },
): RawInputs {
  switch (scenario.perturbation) {
    case "none":
      return scenario.inputs;
    case "add-device":
      fake.state.addDevice({ name: "Late Pad", udid: udid(seed, 5), platform: "IOS", deviceClass: "IPAD" });
      return scenario.inputs;
    case "expire-profile":
      fake.state.expireProfile(ids.mainProfileId);
      return scenario.inputs;
    case "revoke-certificate":
      fake.state.revokeCertificate(ids.certificateId);
      return scenario.inputs;
    case "add-capability": {
      const main = scenario.bundleIds[0]!;
      const existing = scenario.inputs.capabilities ? `${scenario.inputs.capabilities}\n` : "";
      return { ...scenario.inputs, capabilities: `${existing}${main}: ICLOUD ICLOUD_VERSION=XCODE_6` };
    }
  }
}
