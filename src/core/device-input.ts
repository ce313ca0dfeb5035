// The `devices` input: one per line, `name, udid[, platform]`. UDIDs are checked for the shapes Apple's
// device list holds: 40 hex digits (older iPhones, iPads, Apple TVs), 8 hex, a hyphen and 16 hex (iPhone XS
// and later, Apple Watch, Apple TV 4K, Vision Pro, Apple silicon Macs), or a UUID (Intel Macs' provisioning
// UDID, which makes the device MAC_OS). Either case is accepted; UDIDs compare case-insensitively.
import { BUNDLE_ID_PLATFORMS, type BundleIdPlatform } from "./asc/types.ts";
import type { DeviceRequest } from "./config.ts";
import { splitLines } from "./list-input.ts";

/** Only Intel Macs have this shape (their hardware UUID): a device given so is a Mac. */
const MAC_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const UDID_SHAPES = [/^[0-9a-f]{40}$/i, /^[0-9a-f]{8}-[0-9a-f]{16}$/i, MAC_UUID];

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
    const parts = line.split(",").map((part) => part.trim());
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
    // A Mac's UUID registers as a MAC_OS device whatever the profile type's platform.
    let platform: BundleIdPlatform = MAC_UUID.test(udid) ? "MAC_OS" : defaultPlatform;
    if (platformText) {
      const upper = platformText.toUpperCase();
      if (upper === "UNIVERSAL" || !(BUNDLE_ID_PLATFORMS as readonly string[]).includes(upper)) {
        problem("devices", `"${name}": platform "${platformText}" must be IOS or MAC_OS.`);
        continue;
      }
      if (upper === "IOS" && MAC_UUID.test(udid)) {
        problem(
          "devices",
          `"${name}": ${udid} is a Mac's UUID (8-4-4-4-12), which registers as MAC_OS, not IOS; an iPhone, iPad, Apple Watch, Apple TV or Vision Pro UDID has 40 hex digits or the 00008030-001A2B3C4D5E6F70 form.`,
        );
        continue;
      }
      platform = upper as BundleIdPlatform;
    }
    if (devices.some((device) => device.udid.toLowerCase() === udid.toLowerCase())) {
      problem("devices", `"${name}": UDID ${udid} is listed twice.`);
      continue;
    }
    devices.push({ name, udid, platform });
  }
  return devices;
}
