// The entitlement key each capability puts into a profile, for the capabilities where Apple's key is
// certain. A profile whose entitlements disagree with the bundle ID's capabilities is stale. Capabilities
// not listed here are not compared (Apple also marks such profiles INVALID when capabilities change).
import type { CapabilityType } from "../asc/types.ts";

export const CAPABILITY_ENTITLEMENT_KEYS: Partial<Record<CapabilityType, string[]>> = {
  PUSH_NOTIFICATIONS: ["aps-environment", "com.apple.developer.aps-environment"],
  ICLOUD: ["com.apple.developer.icloud-services", "com.apple.developer.icloud-container-identifiers"],
  APP_GROUPS: ["com.apple.security.application-groups"],
  ASSOCIATED_DOMAINS: ["com.apple.developer.associated-domains"],
  HEALTHKIT: ["com.apple.developer.healthkit"],
  HOMEKIT: ["com.apple.developer.homekit"],
  APPLE_PAY: ["com.apple.developer.in-app-payments"],
  SIRIKIT: ["com.apple.developer.siri"],
  APPLE_ID_AUTH: ["com.apple.developer.applesignin"],
  PERSONAL_VPN: ["com.apple.developer.networking.vpn.api"],
  NETWORK_EXTENSIONS: ["com.apple.developer.networking.networkextension"],
  DATA_PROTECTION: ["com.apple.developer.default-data-protection"],
};

/** Why the entitlements disagree with the enabled capabilities, or undefined when they agree. */
export function entitlementMismatch(
  entitlements: Record<string, unknown>,
  enabledCapabilities: readonly string[],
): string | undefined {
  const enabled = new Set(enabledCapabilities);
  for (const [capability, keys] of Object.entries(CAPABILITY_ENTITLEMENT_KEYS)) {
    const present = keys.some((key) => key in entitlements);
    if (enabled.has(capability) && !present) return `its entitlements lacked ${capability} (${keys[0]})`;
    if (!enabled.has(capability) && present)
      return `its entitlements carried ${capability} (${keys[0]}), which the bundle ID no longer has`;
  }
  return undefined;
}
