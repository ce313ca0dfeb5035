// Capabilities to enable, update or disable on one bundle ID.
import { capabilityTypeOf, fromAppleSettings } from "../asc/capabilities.ts";
import type {
  BundleIdCapabilityResource,
  BundleIdPlatform,
  CapabilityOptionKey,
  CapabilitySettingKey,
  CapabilityType,
} from "../asc/types.ts";
import type { CapabilityRequest } from "../config.ts";

export type CapabilityChange =
  | {
      kind: "enable";
      type: CapabilityType;
      settings: Partial<Record<CapabilitySettingKey, CapabilityOptionKey>>;
      reason: string;
    }
  | {
      kind: "update";
      type: CapabilityType;
      capabilityId: string;
      settings: Partial<Record<CapabilitySettingKey, CapabilityOptionKey>>;
      reason: string;
    }
  | { kind: "disable"; type: CapabilityType; capabilityId: string; reason: string };

/** Capabilities Apple enables on every bundle ID by itself; never disabled by `capabilities-exclusive`. */
const IMPLICIT: string[] = ["IN_APP_PURCHASE", "GAME_CENTER"];

/**
 * What a bundle ID we are about to create will have enabled: Apple enables In-App Purchase and Game Center
 * on every new iOS App ID (fastlane/fastlane#12853, #21488), so asking for them plans no write. (Their ids
 * are not known yet; neither is ever updated or disabled by a plan.)
 */
export function capabilitiesOfNewBundleId(platform: BundleIdPlatform): BundleIdCapabilityResource[] {
  if (platform !== "IOS") return [];
  return IMPLICIT.map((capabilityType) => ({
    type: "bundleIdCapabilities",
    id: "",
    attributes: { capabilityType },
  }));
}

export function diffCapabilities(
  current: BundleIdCapabilityResource[],
  wanted: CapabilityRequest[],
  exclusive: boolean,
): CapabilityChange[] {
  const changes: CapabilityChange[] = [];
  const byType = new Map(current.map((capability) => [capabilityTypeOf(capability), capability]));
  for (const want of wanted) {
    const existing = byType.get(want.type);
    if (!existing) {
      changes.push({
        kind: "enable",
        type: want.type,
        settings: want.settings,
        reason: "it was not enabled",
      });
      continue;
    }
    const have = fromAppleSettings(existing.attributes?.settings);
    const differing = Object.entries(want.settings).filter(([key, option]) => have[key] !== option);
    if (differing.length > 0) {
      changes.push({
        kind: "update",
        type: want.type,
        capabilityId: existing.id,
        settings: want.settings,
        reason: differing
          .map(([key, option]) => `its ${key} was ${have[key] ?? "unset"}, not ${option}`)
          .join("; "),
      });
    }
  }
  if (exclusive) {
    const wantedTypes = new Set<string>(wanted.map((want) => want.type));
    for (const [type, existing] of byType) {
      if (!type || wantedTypes.has(type) || IMPLICIT.includes(type)) continue;
      changes.push({
        kind: "disable",
        type: type as CapabilityType,
        capabilityId: existing.id,
        reason: "it is not listed and capabilities-exclusive is true",
      });
    }
  }
  return changes;
}
