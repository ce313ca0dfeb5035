// The fake's own table of what each profile type accepts. Written independently of
// src/core/profile-types.ts on purpose: if the engine's table is wrong, the fake answers 409 as Apple would.

export type ProfileOs = "ios" | "tvos" | "macos" | "catalyst";
export type ProfileDistribution = "development" | "adhoc" | "appstore" | "inhouse" | "direct";

export interface FakeProfileRule {
  os: ProfileOs;
  distribution: ProfileDistribution;
  certificateTypes: readonly string[];
  /** Device classes it provisions; undefined when the type takes no devices. */
  deviceClasses: readonly string[] | undefined;
  /** Bundle ID platforms a profile of this type can be made for. */
  bundlePlatforms: readonly string[];
  /** The profile resource's `platform` attribute. */
  platform: "IOS" | "MAC_OS";
  /** The plist's `Platform` array. */
  plistPlatforms: readonly string[];
}

const IOS_CLASSES = ["IPHONE", "IPAD", "IPOD", "APPLE_WATCH", "APPLE_VISION_PRO"];
const TV_CLASSES = ["APPLE_TV"];
const MAC_CLASSES = ["MAC"];

const DEVELOPMENT_IOS = ["DEVELOPMENT", "IOS_DEVELOPMENT"];
const DEVELOPMENT_MAC = ["DEVELOPMENT", "MAC_APP_DEVELOPMENT"];
const DISTRIBUTION_IOS = ["DISTRIBUTION", "IOS_DISTRIBUTION"];
const DISTRIBUTION_MAC = ["DISTRIBUTION", "MAC_APP_DISTRIBUTION"];
const DEVELOPER_ID = ["DEVELOPER_ID_APPLICATION", "DEVELOPER_ID_APPLICATION_G2"];
const IN_HOUSE = ["IOS_DISTRIBUTION"];

function rule(os: ProfileOs, distribution: ProfileDistribution, certificateTypes: string[]): FakeProfileRule {
  const takesDevices = distribution === "development" || distribution === "adhoc";
  const classes = os === "ios" ? IOS_CLASSES : os === "tvos" ? TV_CLASSES : MAC_CLASSES;
  return {
    os,
    distribution,
    certificateTypes,
    deviceClasses: takesDevices ? classes : undefined,
    // Mac Catalyst apps use their iOS app's bundle ID; tvOS apps use IOS bundle IDs too.
    bundlePlatforms: os === "macos" ? ["MAC_OS", "UNIVERSAL"] : ["IOS", "UNIVERSAL"],
    platform: os === "ios" || os === "tvos" ? "IOS" : "MAC_OS",
    plistPlatforms: os === "ios" ? ["iOS", "xrOS", "visionOS"] : os === "tvos" ? ["tvOS"] : ["OSX"],
  };
}

export const FAKE_PROFILE_RULES: Readonly<Record<string, FakeProfileRule>> = {
  IOS_APP_DEVELOPMENT: rule("ios", "development", DEVELOPMENT_IOS),
  IOS_APP_ADHOC: rule("ios", "adhoc", DISTRIBUTION_IOS),
  IOS_APP_STORE: rule("ios", "appstore", DISTRIBUTION_IOS),
  IOS_APP_INHOUSE: rule("ios", "inhouse", IN_HOUSE),
  TVOS_APP_DEVELOPMENT: rule("tvos", "development", DEVELOPMENT_IOS),
  TVOS_APP_ADHOC: rule("tvos", "adhoc", DISTRIBUTION_IOS),
  TVOS_APP_STORE: rule("tvos", "appstore", DISTRIBUTION_IOS),
  TVOS_APP_INHOUSE: rule("tvos", "inhouse", IN_HOUSE),
  MAC_APP_DEVELOPMENT: rule("macos", "development", DEVELOPMENT_MAC),
  MAC_APP_STORE: rule("macos", "appstore", DISTRIBUTION_MAC),
  MAC_APP_DIRECT: rule("macos", "direct", DEVELOPER_ID),
  MAC_CATALYST_APP_DEVELOPMENT: rule("catalyst", "development", DEVELOPMENT_MAC),
  MAC_CATALYST_APP_STORE: rule("catalyst", "appstore", DISTRIBUTION_MAC),
  MAC_CATALYST_APP_DIRECT: rule("catalyst", "direct", DEVELOPER_ID),
};

export const PROFILE_TYPE_NAMES: readonly string[] = Object.keys(FAKE_PROFILE_RULES);

export function profileRule(profileType: string): FakeProfileRule | undefined {
  return FAKE_PROFILE_RULES[profileType];
}

/** In-house types exist only in the Enterprise Program, App Store types only outside it. */
export function allowedForProgram(profileType: string, enterprise: boolean): boolean {
  const distribution = FAKE_PROFILE_RULES[profileType]?.distribution;
  if (distribution === "inhouse") return enterprise;
  if (distribution === "appstore") return !enterprise;
  return true;
}
