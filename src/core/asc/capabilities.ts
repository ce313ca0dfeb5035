// Bundle ID capabilities: enable, update, disable; and the translation between the config's settings
// ({ ICLOUD_VERSION: "XCODE_6" }) and Apple's ([{ key, options: [{ key, enabled: true }] }]).
import type { AscClient } from "./http.ts";
import { linkage } from "./json-api.ts";
import {
  type BundleIdCapabilityResource,
  CAPABILITY_TYPES,
  type CapabilityOptionKey,
  type CapabilitySetting,
  type CapabilitySettingKey,
  type CapabilityType,
} from "./types.ts";

export type CapabilitySettings = Partial<Record<CapabilitySettingKey, CapabilityOptionKey>>;

/**
 * The capability's type: `capabilityType`, or, when a response leaves it out, the type in its id. Apple
 * writes ids `<bundleIdId>_<TYPE>`, sometimes with the platform after it (`NLRN94JD59_GAME_CENTER_IOS` in
 * codemagic's recorded resource); bundle ID ids have no `_`. The longest known type the rest starts with
 * wins; an unknown one is returned as it stands. "" when neither says.
 */
export function capabilityTypeOf(capability: BundleIdCapabilityResource): string {
  const stated = capability.attributes?.capabilityType;
  if (stated) return stated;
  const separator = capability.id.indexOf("_");
  if (separator <= 0) return "";
  const rest = capability.id.slice(separator + 1);
  const known = CAPABILITY_TYPES.filter((type) => rest === type || rest.startsWith(`${type}_`));
  return known.sort((first, second) => second.length - first.length)[0] ?? rest;
}

export function toAppleSettings(settings: CapabilitySettings): CapabilitySetting[] {
  return Object.entries(settings)
    .filter((entry): entry is [string, CapabilityOptionKey] => entry[1] !== undefined)
    .map(([key, option]) => ({ key, options: [{ key: option, enabled: true }] }));
}

/**
 * Apple's settings as `{ settingKey: optionKey }`: the option marked enabled, or the only option when
 * none carries the flag. Settings without a key or without a chosen option are left out.
 */
export function fromAppleSettings(
  settings: CapabilitySetting[] | null | undefined,
): Partial<Record<string, string>> {
  const result: Partial<Record<string, string>> = {};
  for (const setting of settings ?? []) {
    if (!setting.key) continue;
    const options = setting.options ?? [];
    const chosen =
      options.find((option) => option.enabled === true) ??
      (options.length === 1 && options[0]?.enabled === undefined ? options[0] : undefined);
    if (chosen?.key) result[setting.key] = chosen.key;
  }
  return result;
}

export async function enableCapability(
  client: AscClient,
  bundleIdId: string,
  type: CapabilityType,
  settings: CapabilitySettings,
): Promise<BundleIdCapabilityResource> {
  const appleSettings = toAppleSettings(settings);
  const doc = await client.post<BundleIdCapabilityResource>("/v1/bundleIdCapabilities", {
    data: {
      type: "bundleIdCapabilities",
      attributes: { capabilityType: type, ...(appleSettings.length > 0 ? { settings: appleSettings } : {}) },
      relationships: { bundleId: { data: linkage("bundleIds", bundleIdId) } },
    },
  });
  return doc.data;
}

export async function updateCapability(
  client: AscClient,
  capabilityId: string,
  type: CapabilityType,
  settings: CapabilitySettings,
): Promise<BundleIdCapabilityResource> {
  const doc = await client.patch<BundleIdCapabilityResource>(
    `/v1/bundleIdCapabilities/${encodeURIComponent(capabilityId)}`,
    {
      data: {
        type: "bundleIdCapabilities",
        id: capabilityId,
        attributes: { capabilityType: type, settings: toAppleSettings(settings) },
      },
    },
  );
  return doc.data;
}

export async function disableCapability(client: AscClient, capabilityId: string): Promise<void> {
  await client.delete(`/v1/bundleIdCapabilities/${encodeURIComponent(capabilityId)}`);
}
