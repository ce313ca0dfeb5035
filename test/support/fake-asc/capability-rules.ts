// Capability types and the settings some of them require (CapabilitySetting / CapabilityOption in the spec).
import { CAPABILITY_TYPES as SPEC_CAPABILITY_TYPES } from "../../../src/core/asc/types.ts";
import { attributeInvalid } from "./errors.ts";
import type { CapabilitySettingValue } from "./records.ts";

/** CapabilityType from the spec: an enumeration, shared with the client (the rules below are the fake's own). */
export const CAPABILITY_TYPES: readonly string[] = SPEC_CAPABILITY_TYPES;

/** Setting key → the option keys it accepts. */
const SETTING_OPTIONS: Readonly<Record<string, readonly string[]>> = {
  ICLOUD_VERSION: ["XCODE_5", "XCODE_6"],
  DATA_PROTECTION_PERMISSION_LEVEL: [
    "COMPLETE_PROTECTION",
    "PROTECTED_UNLESS_OPEN",
    "PROTECTED_UNTIL_FIRST_USER_AUTH",
  ],
  APPLE_ID_AUTH_APP_CONSENT: ["PRIMARY_APP_CONSENT"],
};

/** Capability type → the setting it requires (and the only one it takes). */
const REQUIRED_SETTING: Readonly<Record<string, string>> = {
  ICLOUD: "ICLOUD_VERSION",
  DATA_PROTECTION: "DATA_PROTECTION_PERMISSION_LEVEL",
  APPLE_ID_AUTH: "APPLE_ID_AUTH_APP_CONSENT",
};

/**
 * Checks `settings` for `capabilityType`; throws 409 naming the rule. Required settings must be present
 * with exactly one enabled option of the setting's option keys; capabilities without settings take none.
 */
export function checkCapabilitySettings(
  capabilityType: string,
  settings: unknown,
): CapabilitySettingValue[] | null {
  const required = REQUIRED_SETTING[capabilityType];
  if (settings !== undefined && settings !== null && !Array.isArray(settings)) {
    throw attributeInvalid("settings must be an array of { key, options: [{ key }] }", "settings");
  }
  const list = (settings ?? []) as CapabilitySettingValue[];
  if (!required) {
    if (list.length > 0) {
      throw attributeInvalid(`The capability ${capabilityType} does not take settings.`, "settings");
    }
    return settings === null || settings === undefined ? null : [];
  }
  const setting = list.find((s) => s && typeof s === "object" && s.key === required);
  for (const s of list) {
    if (!s || typeof s !== "object" || s.key !== required) {
      throw attributeInvalid(
        `The setting '${String(s?.key)}' is not valid for the capability ${capabilityType}; it takes ${required}.`,
        "settings",
      );
    }
  }
  if (!setting) {
    throw attributeInvalid(
      `The capability ${capabilityType} requires the setting ${required} with one of the options ${SETTING_OPTIONS[required]!.join(", ")}.`,
      "settings",
    );
  }
  const enabled = (Array.isArray(setting.options) ? setting.options : []).filter((o) => o?.enabled !== false);
  const allowed = SETTING_OPTIONS[required]!;
  for (const option of enabled) {
    if (typeof option?.key !== "string" || !allowed.includes(option.key)) {
      throw attributeInvalid(
        `The option '${String(option?.key)}' is not valid for the setting ${required}; use one of ${allowed.join(", ")}.`,
        "settings",
      );
    }
  }
  if (enabled.length !== 1) {
    throw attributeInvalid(
      `The setting ${required} takes exactly one enabled option (${allowed.join(", ")}); ${enabled.length} given.`,
      "settings",
    );
  }
  return [{ key: required, options: [{ key: enabled[0]!.key, enabled: true }] }];
}
