// The fake's stored resources. Plain data: the state hands out copies for assertions.

export interface BundleIdRecord {
  id: string;
  identifier: string;
  name: string;
  platform: string;
  seedId: string;
}

export interface CapabilityOptionValue {
  key?: string;
  enabled?: boolean;
  [other: string]: unknown;
}

export interface CapabilitySettingValue {
  key?: string;
  options?: CapabilityOptionValue[];
  [other: string]: unknown;
}

export interface CapabilityRecord {
  /** `<bundleIdId>_<TYPE>`. */
  id: string;
  bundleIdId: string;
  capabilityType: string;
  settings: CapabilitySettingValue[] | null;
}

export interface AppRecord {
  id: string;
  name: string;
  /** The bundle identifier (not the bundle ID resource id). */
  bundleId: string;
  sku: string;
  primaryLocale: string;
}

export interface DeviceRecord {
  id: string;
  name: string;
  udid: string;
  platform: string;
  deviceClass: string;
  status: "ENABLED" | "DISABLED";
  model: string;
  addedAt: number;
}

export interface CertificateRecord {
  id: string;
  certificateType: string;
  /** ASC `name`, e.g. "Apple Distribution: Fake Team Ltd". */
  name: string;
  displayName: string;
  /** Upper-case hex. */
  serialNumber: string;
  /** IOS / MAC_OS; absent for the unified DEVELOPMENT and DISTRIBUTION types. */
  platform: string | undefined;
  /** The X.509 common name, e.g. "Apple Distribution: Fake Team Ltd (FAKE7EAM42)". */
  commonName: string;
  der: Uint8Array;
  notBefore: number;
  expiresAt: number;
  activated: boolean;
  /** Revoked (DELETE /v1/certificates/{id}): gone from the API, kept here for profiles that contain it. */
  revoked: boolean;
}

export interface CapabilitySnapshot {
  type: string;
  settings: CapabilitySettingValue[] | null;
}

export interface ProfileRecord {
  id: string;
  name: string;
  profileType: string;
  bundleIdId: string;
  certificateIds: string[];
  deviceIds: string[];
  /** Lower-case v4. */
  uuid: string;
  createdAt: number;
  expiresAt: number;
  /** Made INVALID by a revoked certificate, a disabled device or a capability change (or seeded so). */
  invalid: boolean;
  deleted: boolean;
  /** Listed in its bundle ID's `profiles` relationship, absent from /v1/profiles, 404 on its own URL. */
  zombie: boolean;
  /** The bundle ID's capabilities when the profile was made: its entitlements. */
  capabilities: CapabilitySnapshot[];
  /** The bundle ID's identifier and name when the profile was made (the plist's app id and AppIDName). */
  bundleIdentifier: string;
  appIdName: string;
}

export type ProfileStateValue = "ACTIVE" | "INVALID" | "EXPIRED";
