// THE table: entitlement key → what App Store Connect needs for it (a capability type through the public
// API, an identifier only the developer portal can associate, a capability only the portal or Apple can
// grant, or nothing) and how the key appears in a provisioning profile. Facts from the project's
// reference notes on entitlements (compiled from Apple's entitlement pages, TN3125, the OpenAPI 4.4.1
// CapabilityType enum, eas-cli capabilityList.ts, Bitrise go-xcode, fastlane spaceship/produce/sigh,
// dotnet/macios CompileEntitlements.cs); each row's `source` names where its fact comes from.
import type { CapabilityOptionKey, CapabilitySettingKey, CapabilityType } from "../asc/types.ts";

export type IdentifierKind = "app-groups" | "icloud-containers" | "merchant-ids";

export type EntitlementRule =
  /** Enable this capability type through the API. */
  | {
      kind: "capability";
      capability: CapabilityType;
      settings?: Partial<Record<CapabilitySettingKey, CapabilityOptionKey>>;
      /** Values are identifiers that must be associated with the App ID — portal only. */
      identifiers?: IdentifierKind;
      /** How the profile carries it: compare values, or presence only (wildcard `*` profiles). */
      profile: "values" | "presence";
      source: string;
    }
  /** The portal has a capability for it, outside the public API's CapabilityType enum. */
  | { kind: "portal-only"; portalCapability: string; profile: "values" | "presence"; source: string }
  /** Apple grants it on request (managed capability); a plain capability toggle cannot. */
  | { kind: "request-only"; profile: "values" | "presence"; source: string }
  /** Needs no capability; the profile still allowlists it (keychain groups as `TEAMID.*`). */
  | { kind: "no-capability"; profile: "values" | "presence"; source: string }
  /** Needs no profile at all (macOS App Sandbox and Hardened Runtime keys). */
  | { kind: "no-profile"; source: string }
  /** Comes from the profile, not the file: never compared. */
  | { kind: "profile-supplied"; source: string };

const ICLOUD_SETTINGS = { ICLOUD_VERSION: "XCODE_6" } as const;

/** Exact keys. */
export const ENTITLEMENT_RULES: Record<string, EntitlementRule> = {
  "aps-environment": {
    kind: "capability",
    capability: "PUSH_NOTIFICATIONS",
    profile: "presence",
    source: "Apple aps-environment; eas-cli; Bitrise",
  },
  "com.apple.developer.aps-environment": {
    kind: "capability",
    capability: "PUSH_NOTIFICATIONS",
    profile: "presence",
    source: "Apple com.apple.developer.aps-environment (macOS); dotnet/macios",
  },
  "com.apple.security.application-groups": {
    kind: "capability",
    capability: "APP_GROUPS",
    identifiers: "app-groups",
    profile: "values",
    source: "Apple application-groups; OpenAPI has no App Group endpoint; eas-cli capabilityIdentifiers",
  },
  "com.apple.developer.icloud-container-identifiers": {
    kind: "capability",
    capability: "ICLOUD",
    settings: ICLOUD_SETTINGS,
    identifiers: "icloud-containers",
    profile: "values",
    source: "eas-cli; Bitrise; fastlane produce (XCODE_6)",
  },
  "com.apple.developer.icloud-services": {
    kind: "capability",
    capability: "ICLOUD",
    settings: ICLOUD_SETTINGS,
    profile: "values",
    source: "Apple icloud-services; fastlane resign.sh (`*` in profiles)",
  },
  "com.apple.developer.ubiquity-container-identifiers": {
    kind: "capability",
    capability: "ICLOUD",
    settings: ICLOUD_SETTINGS,
    identifiers: "icloud-containers",
    profile: "values",
    source: "Bitrise; fastlane fixture profile",
  },
  "com.apple.developer.ubiquity-kvstore-identifier": {
    kind: "capability",
    capability: "ICLOUD",
    settings: ICLOUD_SETTINGS,
    profile: "values",
    source: "Apple ubiquity-kvstore-identifier; profiles carry TEAMID.*",
  },
  "com.apple.developer.icloud-container-environment": {
    kind: "profile-supplied",
    source: "set at export (iCloudContainerEnvironment); codemagic cli-tools#49",
  },
  "com.apple.developer.icloud-container-development-container-identifiers": {
    kind: "profile-supplied",
    source: "profile-side key; fastlane resign.sh",
  },
  "com.apple.developer.associated-domains": {
    kind: "capability",
    capability: "ASSOCIATED_DOMAINS",
    profile: "values",
    source: "Apple associated-domains; profiles carry `*`",
  },
  "keychain-access-groups": {
    kind: "no-capability",
    profile: "values",
    source: "TN3125; every profile carries TEAMID.*",
  },
  "com.apple.developer.healthkit": {
    kind: "capability",
    capability: "HEALTHKIT",
    profile: "values",
    source: "Apple healthkit; eas-cli; Bitrise",
  },
  "com.apple.developer.healthkit.access": {
    kind: "capability",
    capability: "HEALTHKIT",
    profile: "presence",
    source: "Apple healthkit.access (no own type)",
  },
  "com.apple.developer.healthkit.background-delivery": {
    kind: "capability",
    capability: "HEALTHKIT",
    profile: "presence",
    source: "Apple healthkit background delivery (no own type)",
  },
  "com.apple.developer.homekit": {
    kind: "capability",
    capability: "HOMEKIT",
    profile: "values",
    source: "eas-cli; Apple-signed dev profile",
  },
  "com.apple.developer.siri": {
    kind: "capability",
    capability: "SIRIKIT",
    profile: "values",
    source: "eas-cli; Bitrise",
  },
  "com.apple.developer.in-app-payments": {
    kind: "capability",
    capability: "APPLE_PAY",
    identifiers: "merchant-ids",
    profile: "values",
    source: "Apple in-app-payments; OpenAPI merchantIds has no App ID relationship",
  },
  "com.apple.developer.pass-type-identifiers": {
    kind: "capability",
    capability: "WALLET",
    profile: "values",
    source: "Apple pass-type-identifiers; profiles carry TEAMID.*",
  },
  "com.apple.developer.networking.networkextension": {
    kind: "capability",
    capability: "NETWORK_EXTENSIONS",
    profile: "values",
    source: "eas-cli; fastlane fixture profile",
  },
  "com.apple.developer.networking.vpn.api": {
    kind: "capability",
    capability: "PERSONAL_VPN",
    profile: "values",
    source: "eas-cli",
  },
  "com.apple.developer.networking.wifi-info": {
    kind: "capability",
    capability: "ACCESS_WIFI_INFORMATION",
    profile: "values",
    source: "eas-cli; Apple-signed dev profile",
  },
  "com.apple.developer.networking.HotspotConfiguration": {
    kind: "capability",
    capability: "HOT_SPOT",
    profile: "values",
    source: "eas-cli; Bitrise",
  },
  "com.apple.developer.networking.multipath": {
    kind: "capability",
    capability: "MULTIPATH",
    profile: "values",
    source: "eas-cli; Bitrise",
  },
  "com.apple.developer.networking.custom-protocol": {
    kind: "capability",
    capability: "NETWORK_CUSTOM_PROTOCOL",
    profile: "presence",
    source: "eas-cli",
  },
  "com.apple.developer.nfc.readersession.formats": {
    kind: "capability",
    capability: "NFC_TAG_READING",
    profile: "values",
    source: "eas-cli; Bitrise",
  },
  "com.apple.developer.applesignin": {
    kind: "capability",
    capability: "APPLE_ID_AUTH",
    settings: { APPLE_ID_AUTH_APP_CONSENT: "PRIMARY_APP_CONSENT" },
    profile: "presence",
    source: "Apple applesignin; fastlane produce; Bitrise",
  },
  "com.apple.developer.game-center": {
    kind: "capability",
    capability: "GAME_CENTER",
    profile: "presence",
    source: "Apple game-center; on by default on new App IDs (fastlane#21488)",
  },
  "com.apple.developer.ClassKit-environment": {
    kind: "capability",
    capability: "CLASSKIT",
    profile: "presence",
    source: "Apple ClassKit-environment (switched to production on upload)",
  },
  "com.apple.developer.default-data-protection": {
    kind: "capability",
    capability: "DATA_PROTECTION",
    profile: "values",
    source: "eas-cli; Bitrise; fastlane produce",
  },
  "com.apple.external-accessory.wireless-configuration": {
    kind: "capability",
    capability: "WIRELESS_ACCESSORY_CONFIGURATION",
    profile: "values",
    source: "eas-cli; Bitrise",
  },
  "inter-app-audio": {
    kind: "capability",
    capability: "INTER_APP_AUDIO",
    profile: "values",
    source: "Apple entitlements index; eas-cli",
  },
  "com.apple.developer.authentication-services.autofill-credential-provider": {
    kind: "capability",
    capability: "AUTOFILL_CREDENTIAL_PROVIDER",
    profile: "presence",
    source: "eas-cli; Bitrise",
  },
  "com.apple.developer.coremedia.hls.low-latency": {
    kind: "capability",
    capability: "COREMEDIA_HLS_LOW_LATENCY",
    profile: "presence",
    source: "eas-cli; Bitrise",
  },
  "com.apple.developer.system-extension.install": {
    kind: "capability",
    capability: "SYSTEM_EXTENSION_INSTALL",
    profile: "presence",
    source: "eas-cli; dotnet/macios",
  },
  "com.apple.developer.user-management": {
    kind: "capability",
    capability: "USER_MANAGEMENT",
    profile: "presence",
    source: "eas-cli; dotnet/macios",
  },
  "com.apple.developer.maps": {
    kind: "capability",
    capability: "MAPS",
    profile: "presence",
    source: "Apple entitlements index; eas-cli",
  },
  "com.apple.developer.usernotifications.time-sensitive": {
    kind: "portal-only",
    portalCapability: "Time Sensitive Notifications (USERNOTIFICATIONS_TIMESENSITIVE)",
    profile: "presence",
    source: "eas-cli; fastlane spaceship",
  },
  "com.apple.developer.usernotifications.communication": {
    kind: "portal-only",
    portalCapability: "Communication Notifications (USERNOTIFICATIONS_COMMUNICATION)",
    profile: "presence",
    source: "eas-cli; fastlane spaceship",
  },
  "com.apple.developer.usernotifications.critical-alerts": {
    kind: "request-only",
    profile: "presence",
    source: "fastlane spaceship (CRITICAL_ALERTS); Apple approval",
  },
  "com.apple.developer.family-controls": {
    kind: "portal-only",
    portalCapability: "Family Controls (FAMILY_CONTROLS)",
    profile: "presence",
    source: "Apple family-controls; eas-cli",
  },
  "com.apple.developer.associated-appclip-app-identifiers": {
    kind: "no-capability",
    profile: "presence",
    source: "Apple: Xcode adds it when archiving an app with an App Clip",
  },
  "com.apple.developer.parent-application-identifiers": {
    kind: "portal-only",
    portalCapability:
      "App Clip parent App ID (parentBundleId; the API's BundleIdCreateRequest has no such field)",
    profile: "presence",
    source: "OpenAPI 4.4.1; Bitrise; rorkai/App-Store-Connect-CLI#1597",
  },
  "com.apple.developer.on-demand-install-capable": {
    kind: "portal-only",
    portalCapability: "On Demand Install Capable (ON_DEMAND_INSTALL_CAPABLE)",
    profile: "presence",
    source: "Apple on-demand-install-capable; Bitrise",
  },
  "com.apple.developer.kernel.increased-memory-limit": {
    kind: "portal-only",
    portalCapability: "Increased Memory Limit (INCREASED_MEMORY_LIMIT)",
    profile: "presence",
    source: "Apple increased-memory-limit; eas-cli",
  },
  "com.apple.developer.kernel.extended-virtual-addressing": {
    kind: "portal-only",
    portalCapability: "Extended Virtual Addressing (EXTENDED_VIRTUAL_ADDRESSING)",
    profile: "presence",
    source: "eas-cli; fastlane spaceship",
  },
  "com.apple.developer.weatherkit": {
    kind: "portal-only",
    portalCapability: "WeatherKit (WEATHERKIT)",
    profile: "presence",
    source: "Apple weatherkit; eas-cli",
  },
  "com.apple.developer.shared-with-you": {
    kind: "portal-only",
    portalCapability: "Shared with You (SHARED_WITH_YOU)",
    profile: "presence",
    source: "eas-cli",
  },
  "com.apple.developer.shared-with-you.collaboration": {
    kind: "portal-only",
    portalCapability: "Messages Collaboration (MESSAGES_COLLABORATION)",
    profile: "presence",
    source: "eas-cli",
  },
  "com.apple.developer.group-session": {
    kind: "portal-only",
    portalCapability: "Group Activities (GROUP_ACTIVITIES)",
    profile: "presence",
    source: "eas-cli; fastlane spaceship",
  },
  "com.apple.developer.push-to-talk": {
    kind: "portal-only",
    portalCapability: "Push to Talk (PUSH_TO_TALK)",
    profile: "presence",
    source: "Apple push-to-talk; eas-cli",
  },
  "com.apple.developer.fileprovider.testing-mode": {
    kind: "portal-only",
    portalCapability: "File Provider Testing Mode (FILEPROVIDER_TESTINGMODE)",
    profile: "presence",
    source: "Apple fileprovider.testing-mode",
  },
  "com.apple.developer.devicecheck.appattest-environment": {
    kind: "portal-only",
    portalCapability: "App Attest (APP_ATTEST)",
    profile: "presence",
    source: "eas-cli; fastlane spaceship",
  },
  "com.apple.developer.user-fonts": {
    kind: "portal-only",
    portalCapability: "Fonts (FONT_INSTALLATION)",
    profile: "presence",
    source: "eas-cli",
  },
  "com.apple.developer.associated-domains.mdm-managed": {
    kind: "portal-only",
    portalCapability: "MDM Managed Associated Domains (MDM_MANAGED_ASSOCIATED_DOMAINS)",
    profile: "presence",
    source: "eas-cli",
  },
  "com.apple.developer.networking.slicing.appcategory": {
    kind: "portal-only",
    portalCapability: "5G Network Slicing (NETWORK_SLICING)",
    profile: "presence",
    source: "eas-cli; codemagic cli-tools#388",
  },
  "com.apple.developer.networking.slicing.trafficcategory": {
    kind: "portal-only",
    portalCapability: "5G Network Slicing (NETWORK_SLICING)",
    profile: "presence",
    source: "eas-cli",
  },
  "com.apple.developer.passkit.pass-presentation-suppression": {
    kind: "request-only",
    profile: "presence",
    source: "Bitrise; woocommerce-ios#5198",
  },
  "com.apple.developer.contacts.notes": {
    kind: "request-only",
    profile: "presence",
    source: "Apple entitlements index",
  },
  "com.apple.developer.exposure-notification": {
    kind: "request-only",
    profile: "presence",
    source: "Apple entitlements index",
  },
  "com.apple.developer.web-browser": {
    kind: "request-only",
    profile: "presence",
    source: "Apple entitlements index",
  },
  "com.apple.developer.mail-client": {
    kind: "request-only",
    profile: "presence",
    source: "tutao/tutanota#9415",
  },
  "com.apple.vm.networking": {
    kind: "request-only",
    profile: "presence",
    source: "Apple entitlements index; utm",
  },
  "com.apple.vm.device-access": {
    kind: "request-only",
    profile: "presence",
    source: "Apple entitlements index; utm",
  },
  "com.apple.security.hypervisor": {
    kind: "no-profile",
    source: "TN3125 does not list it as profile-checked (dotnet/macios does: an open question)",
  },
  "com.apple.security.virtualization": { kind: "no-profile", source: "as com.apple.security.hypervisor" },
  "application-identifier": {
    kind: "profile-supplied",
    source: "TN3125; Apple: defined by the provisioning profile",
  },
  "com.apple.application-identifier": { kind: "profile-supplied", source: "TN3125" },
  "com.apple.developer.team-identifier": { kind: "profile-supplied", source: "TN3125" },
  "get-task-allow": {
    kind: "profile-supplied",
    source: "Apple: defined by the provisioning profile; true only in development profiles",
  },
  "beta-reports-active": { kind: "profile-supplied", source: "App Store profiles" },
};

/** Key prefixes, for families of keys. */
const PREFIX_RULES: [string, EntitlementRule][] = [
  [
    "com.apple.developer.carplay-",
    {
      kind: "request-only",
      profile: "presence",
      source: "Apple entitlements index; CARPLAY_* rejected by POST (Redth/MAUI.Sherpa#45)",
    },
  ],
  [
    "com.apple.security.",
    {
      kind: "no-profile",
      source: "TN3125: App Sandbox, Hardened Runtime (cs.*), get-task-allow need no profile",
    },
  ],
];

export function entitlementRule(key: string): EntitlementRule | undefined {
  return ENTITLEMENT_RULES[key] ?? PREFIX_RULES.find(([prefix]) => key.startsWith(prefix))?.[1];
}

/** DATA_PROTECTION's option for each file protection class (NSFileProtectionNone has none). */
export const DATA_PROTECTION_OPTION: Record<string, CapabilityOptionKey> = {
  NSFileProtectionComplete: "COMPLETE_PROTECTION",
  NSFileProtectionCompleteUnlessOpen: "PROTECTED_UNLESS_OPEN",
  NSFileProtectionCompleteUntilFirstUserAuthentication: "PROTECTED_UNTIL_FIRST_USER_AUTH",
};
