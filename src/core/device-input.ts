// The `devices` input: one per line, `name, udid[, platform]`. UDIDs are checked for the shapes Apple
// issues: 40 hex digits (older iPhones and iPads), 8-16 hex with a hyphen (iPhone XS and later, Apple
// silicon Macs), or a UUID (Intel Macs' provisioning UDID).
import { BUNDLE_ID_PLATFORMS, type BundleIdPlatform } from "./asc/types.ts";
import type { DeviceRequest } from "./config.ts";
import { splitLines } from "./list-input.ts";

const UDID_SHAPES = [
  /^[0-9a-f]{40}$/i,
  /^[0-9a-f]{8}-[0-9a-f]{16}$/i,
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
];

export function isValidUdid(udid: string): boolean {
  return UDID_SHAPES.some((shape) => shape.test(udid));
}

type Problem = (input: string, message: string) => void;

export function parseDeviceLines(
  value: string,
  defaultPlatform: BundleIdPlatform,
  problem: Problem,
): DeviceRequest[] {
  const devices: DeviceRequest[] = [];
  for (const line of splitLines(value)) {
    const parts = line.split(",").map((p) => p.trim());
    const [name = "", udid = "", platformText = ""] = parts;
    if (parts.length < 2 || parts.length > 3 || !name || !udid) {
      problem("devices", `"${line}": expected "name, udid" or "name, udid, platform" on each line.`);
      continue;
    }
    if (!isValidUdid(udid)) {
      problem(
        "devices",
        `"${name}": "${udid}" is not a device UDID (40 hex digits, or 8-16 hex digits with a hyphen like 00008030-001A2B3C4D5E6F70, or a Mac's UUID). Copy it from Finder, Xcode's Devices window or Apple Configurator.`,
      );
      continue;
    }
    let platform = defaultPlatform;
    if (platformText) {
      const upper = platformText.toUpperCase();
      if (upper === "UNIVERSAL" || !(BUNDLE_ID_PLATFORMS as readonly string[]).includes(upper)) {
        problem("devices", `"${name}": platform "${platformText}" must be IOS or MAC_OS.`);
        continue;
      }
      platform = upper as BundleIdPlatform;
    }
    if (devices.some((d) => d.udid.toLowerCase() === udid.toLowerCase())) {
      problem("devices", `"${name}": UDID ${udid} is listed twice.`);
      continue;
    }
    devices.push({ name, udid, platform });
  }
  return devices;
}
