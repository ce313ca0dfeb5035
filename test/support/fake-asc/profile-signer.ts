// Provisioning profiles as Apple makes them: the XML plist (keys in Apple's order) with Apple-like
// entitlements, CMS-signed by the fake Apple CA. The capability → entitlement table here is the fake's own,
// written independently of the engine's table so that tests compare two sources.
import { build, type PlistValue } from "plist";
import type { FakeAppleCa, SignProfileOptions } from "./apple-ca.ts";

export interface ProfilePlistInput {
  appIdName: string;
  teamId: string;
  teamName: string;
  /** Checked against the entitlements' application identifier; Apple's plist has no key of its own for it. */
  bundleIdentifier: string;
  /** e.g. ["iOS", "xrOS", "visionOS"], ["tvOS"], ["OSX"]. */
  platforms: string[];
  name: string;
  /** Lower-case 8-4-4-4-12. */
  uuid: string;
  creationDate: Date;
  expirationDate: Date;
  developerCertificatesDer: Uint8Array[];
  provisionedDevices?: string[];
  provisionsAllDevices?: boolean;
  entitlements: Record<string, unknown>;
  /** Days. */
  timeToLive: number;
  derEncodedProfile?: Uint8Array;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The profile's XML plist, keys in the order Apple writes them. */
export function buildProfilePlist(p: ProfilePlistInput): string {
  if (!UUID.test(p.uuid))
    throw new Error(`profile UUID ${JSON.stringify(p.uuid)} is not lower-case 8-4-4-4-12`);
  const appId =
    p.entitlements["application-identifier"] ?? p.entitlements["com.apple.application-identifier"];
  const expectedAppId = `${p.teamId}.${p.bundleIdentifier}`;
  if (appId !== undefined && appId !== expectedAppId) {
    throw new Error(`entitlements name application identifier ${String(appId)}, expected ${expectedAppId}`);
  }
  const dict: Record<string, PlistValue> = {
    AppIDName: p.appIdName,
    ApplicationIdentifierPrefix: [p.teamId],
    CreationDate: p.creationDate,
    Platform: p.platforms,
    IsXcodeManaged: false,
    DeveloperCertificates: p.developerCertificatesDer.map((der) => Buffer.from(der)),
  };
  if (p.derEncodedProfile) dict["DER-Encoded-Profile"] = Buffer.from(p.derEncodedProfile);
  dict.Entitlements = p.entitlements as Record<string, PlistValue>;
  dict.ExpirationDate = p.expirationDate;
  dict.Name = p.name;
  if (p.provisionedDevices) dict.ProvisionedDevices = p.provisionedDevices;
  if (p.provisionsAllDevices) dict.ProvisionsAllDevices = true;
  dict.TeamIdentifier = [p.teamId];
  dict.TeamName = p.teamName;
  dict.TimeToLive = p.timeToLive;
  dict.UUID = p.uuid;
  dict.Version = 1;
  return build(dict);
}

/** The signed profile file (`.mobileprovision` / `.provisionprofile` bytes). */
export async function signedProfile(
  ca: Pick<FakeAppleCa, "signProfile">,
  p: ProfilePlistInput,
  options?: SignProfileOptions,
): Promise<Uint8Array> {
  return ca.signProfile(new TextEncoder().encode(buildProfilePlist(p)), options);
}

export interface EntitlementContext {
  teamId: string;
  bundleIdentifier: string;
  /** macOS and Mac Catalyst profiles use the `com.apple.`-prefixed keys. */
  mac: boolean;
  development: boolean;
  /** The capability's settings as the API returns them (`settings[].options[].key`). */
  settings: CapabilitySettingInput[];
}

export interface CapabilitySettingInput {
  key?: string;
  options?: Array<{ key?: string; enabled?: boolean }>;
}

type EntitlementRule = (ctx: EntitlementContext) => Record<string, PlistValue>;

const DATA_PROTECTION_CLASSES: Record<string, string> = {
  COMPLETE_PROTECTION: "NSFileProtectionComplete",
  PROTECTED_UNLESS_OPEN: "NSFileProtectionCompleteUnlessOpen",
  PROTECTED_UNTIL_FIRST_USER_AUTH: "NSFileProtectionCompleteUntilFirstUserAuthentication",
};

/**
 * The entitlements each bundle ID capability adds to a profile. IN_APP_PURCHASE adds none (it is implicit).
 * Keys marked "plausible" were not checked against a real profile.
 */
export const CAPABILITY_ENTITLEMENTS: Readonly<Record<string, EntitlementRule>> = {
  PUSH_NOTIFICATIONS: ({ mac, development }) => ({
    [mac ? "com.apple.developer.aps-environment" : "aps-environment"]: development
      ? "development"
      : "production",
  }),
  ICLOUD: ({ teamId }) => ({
    "com.apple.developer.icloud-container-identifiers": [],
    "com.apple.developer.icloud-services": "*",
    "com.apple.developer.ubiquity-container-identifiers": [],
    "com.apple.developer.ubiquity-kvstore-identifier": `${teamId}.*`,
  }),
  APP_GROUPS: () => ({ "com.apple.security.application-groups": [] }),
  ASSOCIATED_DOMAINS: () => ({ "com.apple.developer.associated-domains": "*" }),
  HEALTHKIT: () => ({ "com.apple.developer.healthkit": true, "com.apple.developer.healthkit.access": [] }),
  HOMEKIT: () => ({ "com.apple.developer.homekit": true }),
  APPLE_PAY: () => ({ "com.apple.developer.in-app-payments": [] }),
  NETWORK_EXTENSIONS: () => ({
    "com.apple.developer.networking.networkextension": [
      "app-proxy-provider",
      "content-filter-provider",
      "packet-tunnel-provider",
      "dns-proxy",
      "dns-settings",
      "relay",
    ],
  }),
  PERSONAL_VPN: () => ({ "com.apple.developer.networking.vpn.api": ["allow-vpn"] }),
  SIRIKIT: () => ({ "com.apple.developer.siri": true }),
  APPLE_ID_AUTH: () => ({ "com.apple.developer.applesignin": ["Default"] }),
  DATA_PROTECTION: ({ settings }) => ({
    "com.apple.developer.default-data-protection": dataProtectionClass(settings),
  }),
  GAME_CENTER: () => ({ "com.apple.developer.game-center": true }),
  IN_APP_PURCHASE: () => ({}),
  WALLET: ({ teamId }) => ({ "com.apple.developer.pass-type-identifiers": [`${teamId}.*`] }),
  INTER_APP_AUDIO: () => ({ "inter-app-audio": true }),
  MAPS: () => ({ "com.apple.developer.maps": true }), // plausible
  WIRELESS_ACCESSORY_CONFIGURATION: () => ({ "com.apple.external-accessory.wireless-configuration": true }),
  MULTIPATH: () => ({ "com.apple.developer.networking.multipath": true }),
  HOT_SPOT: () => ({ "com.apple.developer.networking.HotspotConfiguration": true }),
  NFC_TAG_READING: () => ({ "com.apple.developer.nfc.readersession.formats": ["NDEF", "TAG"] }),
  CLASSKIT: ({ development }) => ({
    "com.apple.developer.ClassKit-environment": development ? "development" : "production",
  }),
  AUTOFILL_CREDENTIAL_PROVIDER: () => ({
    "com.apple.developer.authentication-services.autofill-credential-provider": true,
  }),
  ACCESS_WIFI_INFORMATION: () => ({ "com.apple.developer.networking.wifi-info": true }),
  NETWORK_CUSTOM_PROTOCOL: () => ({ "com.apple.developer.networking.custom-protocol": true }), // plausible
  COREMEDIA_HLS_LOW_LATENCY: () => ({ "com.apple.developer.coremedia.hls.low-latency": true }),
  SYSTEM_EXTENSION_INSTALL: () => ({ "com.apple.developer.system-extension.install": true }),
  USER_MANAGEMENT: () => ({ "com.apple.developer.user-management": ["runs-as-current-user"] }), // plausible
};

function dataProtectionClass(settings: CapabilitySettingInput[]): string {
  const setting = settings.find((s) => s.key === "DATA_PROTECTION_PERMISSION_LEVEL");
  const option = setting?.options?.find((o) => o.enabled !== false && o.key !== undefined);
  return DATA_PROTECTION_CLASSES[option?.key ?? ""] ?? "NSFileProtectionComplete";
}

export interface EntitlementsInput {
  /** An ASC profile type, e.g. `IOS_APP_STORE`, `MAC_CATALYST_APP_DEVELOPMENT`. */
  profileType: string;
  teamId: string;
  bundleIdentifier: string;
  capabilities: Array<{ type: string; settings?: CapabilitySettingInput[] | null }>;
}

/** Apple-like profile entitlements for a bundle ID with these capabilities. */
export function entitlementsFor(input: EntitlementsInput): Record<string, PlistValue> {
  const { profileType, teamId, bundleIdentifier } = input;
  const mac = profileType.startsWith("MAC_");
  const development = profileType.endsWith("_DEVELOPMENT");
  const appId = `${teamId}.${bundleIdentifier}`;
  const entitlements: Record<string, PlistValue> = mac
    ? {
        "com.apple.application-identifier": appId,
        "keychain-access-groups": [`${teamId}.*`],
        "com.apple.developer.team-identifier": teamId,
      }
    : {
        "application-identifier": appId,
        "keychain-access-groups": [`${teamId}.*`, "com.apple.token"],
        "get-task-allow": development,
        "com.apple.developer.team-identifier": teamId,
      };
  if (mac && development) entitlements["com.apple.security.get-task-allow"] = true;
  for (const capability of input.capabilities) {
    const rule = CAPABILITY_ENTITLEMENTS[capability.type];
    const ctx = { teamId, bundleIdentifier, mac, development, settings: capability.settings ?? [] };
    Object.assign(entitlements, rule ? rule(ctx) : { [plausibleKey(capability.type)]: true });
  }
  return entitlements;
}

/** For a capability type Apple adds later: `NEW_THING` → `com.apple.developer.new-thing`. */
function plausibleKey(capabilityType: string): string {
  return `com.apple.developer.${capabilityType.toLowerCase().replace(/_/g, "-")}`;
}
