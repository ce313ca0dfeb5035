// A target's entitlements → the capabilities its bundle ID needs (in the project's CapabilityRequest
// model: a type and its settings) and what the public API cannot do, reported item by item: identifiers
// only the developer portal can associate (app groups, iCloud containers, merchant IDs), capabilities
// only the portal or Apple can grant, keys the table does not know.
import type { CapabilityOptionKey, CapabilitySettingKey, CapabilityType } from "../asc/types.ts";
import type { CapabilityRequest } from "../config.ts";
import { DATA_PROTECTION_OPTION, entitlementRule, type IdentifierKind } from "./entitlement-table.ts";
import type { Entitlements, EntitlementValue } from "./entitlements-file.ts";
import type { SignableTarget, SigningPlatform } from "./signable-targets.ts";

export interface DerivedCapability {
  type: CapabilityType;
  settings: Partial<Record<CapabilitySettingKey, CapabilityOptionKey>>;
  /** The entitlement keys that imply it. */
  entitlements: string[];
}

export type ReportedKind = "identifiers" | "portal-only" | "request-only" | "unknown" | "no-api-option";

export interface ReportedEntitlement {
  entitlement: string;
  kind: ReportedKind;
  /** For `identifiers`: the values to associate in the portal. */
  identifiers?: string[];
  identifierKind?: IdentifierKind;
  message: string;
}

export interface EntitlementCapabilities {
  capabilities: DerivedCapability[];
  reported: ReportedEntitlement[];
}

const IDENTIFIER_NAMES: Record<IdentifierKind, string> = {
  "app-groups": "App Groups",
  "icloud-containers": "iCloud Containers",
  "merchant-ids": "Merchant IDs",
};

export function capabilitiesFromEntitlements(
  entitlements: Entitlements,
  platform: SigningPlatform,
): EntitlementCapabilities {
  const capabilities: DerivedCapability[] = [];
  const reported: ReportedEntitlement[] = [];
  const mac = platform === "macos" || platform === "catalyst";
  const add = (type: CapabilityType, settings: DerivedCapability["settings"], key: string) => {
    const existing = capabilities.find((capability) => capability.type === type);
    if (existing) {
      existing.settings = { ...existing.settings, ...settings };
      existing.entitlements.push(key);
    } else capabilities.push({ type, settings: { ...settings }, entitlements: [key] });
  };
  for (const [key, value] of Object.entries(entitlements)) {
    const rule = entitlementRule(key);
    if (!rule) {
      reported.push({
        entitlement: key,
        kind: "unknown",
        message: `${key}: not a key this action maps to a capability; if it needs one, enable it for the App ID in the developer portal`,
      });
      continue;
    }
    switch (rule.kind) {
      case "capability": {
        if (isOff(value)) break;
        let settings = rule.settings ?? {};
        if (rule.capability === "DATA_PROTECTION") {
          const option = typeof value === "string" ? DATA_PROTECTION_OPTION[value] : undefined;
          if (!option) {
            reported.push({
              entitlement: key,
              kind: "no-api-option",
              message: `${key} = ${String(value)}: DATA_PROTECTION has no API option for it; set the level in the developer portal`,
            });
            break;
          }
          settings = { DATA_PROTECTION_PERMISSION_LEVEL: option };
        }
        if (rule.identifiers) {
          const values = stringValues(value);
          // macOS app groups named `<TEAMID>.<name>` need no registration (TN3125): no capability for them.
          const needPortal =
            rule.identifiers === "app-groups" && mac
              ? values.filter((identifier) => identifier.startsWith("group."))
              : values;
          if (rule.identifiers === "app-groups" && mac && needPortal.length === 0) break;
          if (needPortal.length) {
            reported.push({
              entitlement: key,
              kind: "identifiers",
              identifierKind: rule.identifiers,
              identifiers: needPortal,
              message: `${IDENTIFIER_NAMES[rule.identifiers]} ${needPortal.join(", ")}: the App Store Connect API cannot associate them with an App ID; associate them once in the developer portal`,
            });
          }
        }
        add(rule.capability, settings, key);
        break;
      }
      case "portal-only":
        if (isOff(value)) break;
        reported.push({
          entitlement: key,
          kind: "portal-only",
          message: `${key}: ${rule.portalCapability} cannot be enabled with the App Store Connect API; enable it for the App ID in the developer portal`,
        });
        break;
      case "request-only":
        if (isOff(value)) break;
        reported.push({
          entitlement: key,
          kind: "request-only",
          message: `${key}: granted by Apple on request (a managed capability); the profile must include it before xcodebuild can sign`,
        });
        break;
      default:
        break;
    }
  }
  return { capabilities, reported };
}

/** Capability requests for every signable target, in the model the `capabilities` input produces. */
export function capabilityRequests(targets: readonly SignableTarget[]): CapabilityRequest[] {
  const requests: CapabilityRequest[] = [];
  for (const target of targets) {
    for (const capability of capabilitiesFromEntitlements(target.entitlements, target.platform)
      .capabilities) {
      const existing = requests.find(
        (request) => request.bundleId === target.bundleId && request.type === capability.type,
      );
      if (existing) existing.settings = { ...existing.settings, ...capability.settings };
      else
        requests.push({
          bundleId: target.bundleId,
          type: capability.type,
          settings: { ...capability.settings },
        });
    }
  }
  return requests;
}

/** `<false/>` turns a boolean entitlement off: nothing to enable. */
function isOff(value: EntitlementValue): boolean {
  return value === false;
}

function stringValues(value: EntitlementValue): string[] {
  if (typeof value === "string") return value ? [value] : [];
  if (Array.isArray(value))
    return value.filter((item): item is string => typeof item === "string" && item !== "");
  return [];
}
