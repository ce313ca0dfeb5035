// What each of Apple's 14 profile types needs: platform, certificate types, devices, file extension,
// export method. The one table every decision about a profile type reads.
import type { BundleIdPlatform, CertificateType, DeviceClass, ProfileType } from "./asc/types.ts";

export type OsFamily = "ios" | "tvos" | "macos" | "catalyst";
export type Distribution = "development" | "adhoc" | "appstore" | "inhouse" | "direct";

export interface ProfileTypeRule {
  type: ProfileType;
  os: OsFamily;
  distribution: Distribution;
  /** The bundle ID platform a new bundle ID gets for this profile type. */
  bundlePlatform: BundleIdPlatform;
  /** Bundle ID platforms a profile of this type can be made for. */
  compatibleBundlePlatforms: BundleIdPlatform[];
  /** Certificate types the profile accepts, the one we create first. */
  certificateTypes: CertificateType[];
  /** Device classes it provisions; empty when the profile takes no devices. */
  deviceClasses: DeviceClass[];
  /** Device `platform` attribute of compatible devices. */
  devicePlatform: BundleIdPlatform;
  extension: ".mobileprovision" | ".provisionprofile";
  /** `method` in ExportOptions.plist (Xcode 15.3+ names). */
  exportMethod: "app-store-connect" | "release-testing" | "enterprise" | "debugging" | "developer-id";
  /** Apple Enterprise Program only. */
  enterpriseOnly: boolean;
  /** fastlane match's name for the type, for the match-compatible profile name preset. */
  matchType: "AppStore" | "AdHoc" | "Development" | "InHouse" | "Direct";
}

const IOS_DEVICES: DeviceClass[] = ["IPHONE", "IPAD", "IPOD", "APPLE_WATCH", "APPLE_VISION_PRO"];
const TV_DEVICES: DeviceClass[] = ["APPLE_TV"];
const MAC_DEVICES: DeviceClass[] = ["MAC"];
const DEV: CertificateType[] = ["DEVELOPMENT", "IOS_DEVELOPMENT"];
const MAC_DEV: CertificateType[] = ["DEVELOPMENT", "MAC_APP_DEVELOPMENT"];
const DIST: CertificateType[] = ["DISTRIBUTION", "IOS_DISTRIBUTION"];
const MAC_DIST: CertificateType[] = ["DISTRIBUTION", "MAC_APP_DISTRIBUTION"];
const DEVELOPER_ID: CertificateType[] = ["DEVELOPER_ID_APPLICATION_G2", "DEVELOPER_ID_APPLICATION"];
const INHOUSE: CertificateType[] = ["IOS_DISTRIBUTION"];

function rule(
  type: ProfileType,
  os: OsFamily,
  distribution: Distribution,
  certificateTypes: CertificateType[],
): ProfileTypeRule {
  const mac = os === "macos" || os === "catalyst";
  const needsDevices = distribution === "development" || distribution === "adhoc";
  const deviceClasses = !needsDevices ? [] : mac ? MAC_DEVICES : os === "tvos" ? TV_DEVICES : IOS_DEVICES;
  const bundlePlatform: BundleIdPlatform = os === "macos" ? "MAC_OS" : "IOS";
  return {
    type,
    os,
    distribution,
    bundlePlatform,
    compatibleBundlePlatforms: [bundlePlatform, "UNIVERSAL"],
    certificateTypes,
    deviceClasses,
    devicePlatform: mac ? "MAC_OS" : "IOS",
    extension: mac ? ".provisionprofile" : ".mobileprovision",
    exportMethod: {
      development: "debugging",
      adhoc: "release-testing",
      appstore: "app-store-connect",
      inhouse: "enterprise",
      direct: "developer-id",
    }[distribution] as ProfileTypeRule["exportMethod"],
    enterpriseOnly: distribution === "inhouse",
    matchType: (
      {
        development: "Development",
        adhoc: "AdHoc",
        appstore: "AppStore",
        inhouse: "InHouse",
        direct: "Direct",
      } as const
    )[distribution],
  };
}

export const PROFILE_TYPE_RULES: Record<ProfileType, ProfileTypeRule> = {
  IOS_APP_DEVELOPMENT: rule("IOS_APP_DEVELOPMENT", "ios", "development", DEV),
  IOS_APP_ADHOC: rule("IOS_APP_ADHOC", "ios", "adhoc", DIST),
  IOS_APP_STORE: rule("IOS_APP_STORE", "ios", "appstore", DIST),
  IOS_APP_INHOUSE: rule("IOS_APP_INHOUSE", "ios", "inhouse", INHOUSE),
  TVOS_APP_DEVELOPMENT: rule("TVOS_APP_DEVELOPMENT", "tvos", "development", DEV),
  TVOS_APP_ADHOC: rule("TVOS_APP_ADHOC", "tvos", "adhoc", DIST),
  TVOS_APP_STORE: rule("TVOS_APP_STORE", "tvos", "appstore", DIST),
  TVOS_APP_INHOUSE: rule("TVOS_APP_INHOUSE", "tvos", "inhouse", INHOUSE),
  MAC_APP_DEVELOPMENT: rule("MAC_APP_DEVELOPMENT", "macos", "development", MAC_DEV),
  MAC_APP_STORE: rule("MAC_APP_STORE", "macos", "appstore", MAC_DIST),
  MAC_APP_DIRECT: rule("MAC_APP_DIRECT", "macos", "direct", DEVELOPER_ID),
  MAC_CATALYST_APP_DEVELOPMENT: rule("MAC_CATALYST_APP_DEVELOPMENT", "catalyst", "development", MAC_DEV),
  MAC_CATALYST_APP_STORE: rule("MAC_CATALYST_APP_STORE", "catalyst", "appstore", MAC_DIST),
  MAC_CATALYST_APP_DIRECT: rule("MAC_CATALYST_APP_DIRECT", "catalyst", "direct", DEVELOPER_ID),
};

export function profileTypeRule(type: ProfileType): ProfileTypeRule {
  return PROFILE_TYPE_RULES[type];
}

export function needsDevices(type: ProfileType): boolean {
  return PROFILE_TYPE_RULES[type].deviceClasses.length > 0;
}
