// App Store Connect provisioning types, from ../shared/asc/openapi.oas.json (4.4.1).
// Clients must tolerate unknown keys and unknown enum values in responses (Apple adds them).

export const PROFILE_TYPES = [
  "IOS_APP_DEVELOPMENT",
  "IOS_APP_STORE",
  "IOS_APP_ADHOC",
  "IOS_APP_INHOUSE",
  "MAC_APP_DEVELOPMENT",
  "MAC_APP_STORE",
  "MAC_APP_DIRECT",
  "TVOS_APP_DEVELOPMENT",
  "TVOS_APP_STORE",
  "TVOS_APP_ADHOC",
  "TVOS_APP_INHOUSE",
  "MAC_CATALYST_APP_DEVELOPMENT",
  "MAC_CATALYST_APP_STORE",
  "MAC_CATALYST_APP_DIRECT",
] as const;
export type ProfileType = (typeof PROFILE_TYPES)[number];

export const CERTIFICATE_TYPES = [
  "APPLE_PAY",
  "APPLE_PAY_MERCHANT_IDENTITY",
  "APPLE_PAY_PSP_IDENTITY",
  "APPLE_PAY_RSA",
  "DEVELOPER_ID_KEXT",
  "DEVELOPER_ID_KEXT_G2",
  "DEVELOPER_ID_APPLICATION",
  "DEVELOPER_ID_APPLICATION_G2",
  "DEVELOPMENT",
  "DISTRIBUTION",
  "IDENTITY_ACCESS",
  "IOS_DEVELOPMENT",
  "IOS_DISTRIBUTION",
  "MAC_APP_DISTRIBUTION",
  "MAC_INSTALLER_DISTRIBUTION",
  "MAC_APP_DEVELOPMENT",
  "PASS_TYPE_ID",
  "PASS_TYPE_ID_WITH_NFC",
] as const;
export type CertificateType = (typeof CERTIFICATE_TYPES)[number];

/** `SERVICES` is in the SDK-patched spec copy only; Apple's enum has the first three. */
export const BUNDLE_ID_PLATFORMS = ["IOS", "MAC_OS", "UNIVERSAL"] as const;
export type BundleIdPlatform = (typeof BUNDLE_ID_PLATFORMS)[number];

export const CAPABILITY_TYPES = [
  "ICLOUD",
  "IN_APP_PURCHASE",
  "GAME_CENTER",
  "PUSH_NOTIFICATIONS",
  "WALLET",
  "INTER_APP_AUDIO",
  "MAPS",
  "ASSOCIATED_DOMAINS",
  "PERSONAL_VPN",
  "APP_GROUPS",
  "HEALTHKIT",
  "HOMEKIT",
  "WIRELESS_ACCESSORY_CONFIGURATION",
  "APPLE_PAY",
  "DATA_PROTECTION",
  "SIRIKIT",
  "NETWORK_EXTENSIONS",
  "MULTIPATH",
  "HOT_SPOT",
  "NFC_TAG_READING",
  "CLASSKIT",
  "AUTOFILL_CREDENTIAL_PROVIDER",
  "ACCESS_WIFI_INFORMATION",
  "NETWORK_CUSTOM_PROTOCOL",
  "COREMEDIA_HLS_LOW_LATENCY",
  "SYSTEM_EXTENSION_INSTALL",
  "USER_MANAGEMENT",
  "APPLE_ID_AUTH",
] as const;
export type CapabilityType = (typeof CAPABILITY_TYPES)[number];

export const CAPABILITY_SETTING_KEYS = [
  "ICLOUD_VERSION",
  "DATA_PROTECTION_PERMISSION_LEVEL",
  "APPLE_ID_AUTH_APP_CONSENT",
] as const;
export type CapabilitySettingKey = (typeof CAPABILITY_SETTING_KEYS)[number];

export const CAPABILITY_OPTION_KEYS = [
  "XCODE_5",
  "XCODE_6",
  "COMPLETE_PROTECTION",
  "PROTECTED_UNLESS_OPEN",
  "PROTECTED_UNTIL_FIRST_USER_AUTH",
  "PRIMARY_APP_CONSENT",
] as const;
export type CapabilityOptionKey = (typeof CAPABILITY_OPTION_KEYS)[number];

export const DEVICE_CLASSES = [
  "APPLE_VISION_PRO",
  "APPLE_WATCH",
  "IPAD",
  "IPHONE",
  "IPOD",
  "APPLE_TV",
  "MAC",
] as const;
export type DeviceClass = (typeof DEVICE_CLASSES)[number];

export type DeviceStatus = "ENABLED" | "DISABLED";
export type ProfileState = "ACTIVE" | "INVALID" | "EXPIRED";

export interface CapabilityOption {
  key?: CapabilityOptionKey | string;
  name?: string;
  description?: string;
  enabledByDefault?: boolean;
  enabled?: boolean;
  supportsWildcard?: boolean;
}

export interface CapabilitySetting {
  key?: CapabilitySettingKey | string;
  name?: string;
  description?: string;
  enabledByDefault?: boolean;
  visible?: boolean;
  allowedInstances?: "ENTRY" | "SINGLE" | "MULTIPLE";
  minInstances?: number;
  options?: CapabilityOption[];
}

export interface ResourceIdentifier<T extends string = string> {
  type: T;
  id: string;
}

export interface Relationship {
  data?: ResourceIdentifier | ResourceIdentifier[] | null;
  links?: { self?: string; related?: string };
  meta?: { paging?: { total?: number; limit: number } };
}

export interface Resource<T extends string, A> {
  type: T;
  id: string;
  attributes?: A;
  relationships?: Record<string, Relationship>;
  links?: { self?: string };
}

export interface BundleIdAttributes {
  name?: string;
  platform?: BundleIdPlatform | string;
  identifier?: string;
  seedId?: string;
}
export type BundleIdResource = Resource<"bundleIds", BundleIdAttributes>;

export interface BundleIdCapabilityAttributes {
  capabilityType?: CapabilityType | string;
  settings?: CapabilitySetting[] | null;
}
export type BundleIdCapabilityResource = Resource<"bundleIdCapabilities", BundleIdCapabilityAttributes>;

export interface CertificateAttributes {
  name?: string;
  certificateType?: CertificateType | string;
  displayName?: string;
  serialNumber?: string;
  platform?: BundleIdPlatform | string;
  expirationDate?: string;
  certificateContent?: string;
  activated?: boolean;
}
export type CertificateResource = Resource<"certificates", CertificateAttributes>;

export interface DeviceAttributes {
  name?: string;
  platform?: BundleIdPlatform | string;
  udid?: string;
  deviceClass?: DeviceClass | string;
  status?: DeviceStatus | string;
  model?: string;
  addedDate?: string;
}
export type DeviceResource = Resource<"devices", DeviceAttributes>;

export interface ProfileAttributes {
  name?: string;
  platform?: BundleIdPlatform | string;
  profileType?: ProfileType | string;
  profileState?: ProfileState | string;
  profileContent?: string;
  uuid?: string;
  createdDate?: string;
  expirationDate?: string;
}
export type ProfileResource = Resource<"profiles", ProfileAttributes>;

export interface AppAttributes {
  name?: string;
  bundleId?: string;
  sku?: string;
  primaryLocale?: string;
}
export type AppResource = Resource<"apps", AppAttributes>;

export type AnyResource =
  | BundleIdResource
  | BundleIdCapabilityResource
  | CertificateResource
  | DeviceResource
  | ProfileResource
  | AppResource
  | Resource<string, Record<string, unknown>>;

/** A JSON:API document as Apple returns it. */
export interface Document<D> {
  data: D;
  included?: AnyResource[];
  links?: { self?: string; first?: string; next?: string };
  meta?: { paging?: { total?: number; limit: number; nextCursor?: string } };
}

export interface ErrorDocument {
  errors: Array<{
    id?: string;
    status: string;
    code: string;
    title: string;
    detail?: string;
    source?: { pointer?: string; parameter?: string };
    links?: Record<string, unknown>;
    meta?: Record<string, unknown>;
  }>;
}
