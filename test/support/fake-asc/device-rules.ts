// Device UDIDs and models.

/** Pre-2018 devices: 40 hex digits. */
import { DEVICE_CLASSES as SPEC_DEVICE_CLASSES } from "../../../src/core/asc/types.ts";

const LEGACY_UDID = /^[0-9a-f]{40}$/i;
/** iPhone XS and later, Apple silicon Macs, Apple TV 4K...: 8 hex, a dash, 16 hex (00008030-001A2B3C4D5E6F70). */
const MODERN_UDID = /^[0-9a-f]{8}-[0-9a-f]{16}$/i;
/** Intel Macs: the provisioning UDID is the hardware UUID. */
const MAC_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function validUdid(udid: string, platform: string): boolean {
  return LEGACY_UDID.test(udid) || MODERN_UDID.test(udid) || (platform === "MAC_OS" && MAC_UUID.test(udid));
}

/** From the spec: an enumeration, shared with the client (the rules here are the fake's own). */
export const DEVICE_CLASSES: readonly string[] = SPEC_DEVICE_CLASSES;

const MODELS: Readonly<Record<string, string>> = {
  APPLE_VISION_PRO: "Apple Vision Pro",
  APPLE_WATCH: "Apple Watch Series 9",
  IPAD: "iPad Pro (11-inch) (4th generation)",
  IPHONE: "iPhone 15",
  IPOD: "iPod touch (7th generation)",
  APPLE_TV: "Apple TV 4K (3rd generation)",
  MAC: "MacBook Pro (14-inch, 2023)",
};

export function modelFor(deviceClass: string): string {
  return MODELS[deviceClass] ?? deviceClass;
}

/** The class Apple reports for a device registered through the API, before it is first seen. */
export function defaultDeviceClass(platform: string): string {
  return platform === "MAC_OS" ? "MAC" : "IPHONE";
}
