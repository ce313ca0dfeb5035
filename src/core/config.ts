// The typed configuration of one run. Built from raw input strings by `parseConfig` (config-parse.ts),
// which validates everything and reports every problem together, before any request.
import type { KeyObject } from "node:crypto";
import type {
  BundleIdPlatform,
  CapabilityOptionKey,
  CapabilitySettingKey,
  CapabilityType,
  CertificateType,
  ProfileType,
} from "./asc/types.ts";
import type { ProjectConfig } from "./xcode/project-desired-state.ts";

export type Mode = "apply" | "plan" | "readonly";

export interface ApiKeyConfig {
  issuerId: string;
  keyId: string;
  /** The `.p8` (EC P-256) key, already normalised and parsed. */
  privateKey: KeyObject;
  /** e.g. https://api.appstoreconnect.apple.com (no trailing slash). */
  baseUrl: string;
}

export interface BundleIdRequest {
  identifier: string;
  /** Name for a new bundle ID (letters, digits and spaces). */
  name: string;
}

export interface CapabilityRequest {
  /** The bundle identifier this applies to. */
  bundleId: string;
  type: CapabilityType;
  settings: Partial<Record<CapabilitySettingKey, CapabilityOptionKey>>;
}

export interface DeviceRequest {
  name: string;
  udid: string;
  platform: BundleIdPlatform;
}

export type DeviceSelection = { kind: "all" } | { kind: "list"; values: string[] };

export interface CertificateKeyConfig {
  /** The RSA 2048 private key the runner signs with. */
  privateKey: KeyObject;
  /** The certificate that came with it in a .p12, when one was given. */
  certificateDer?: Uint8Array;
}

export interface Config {
  apiKey: ApiKeyConfig;
  /** The first is the main target. */
  bundleIds: BundleIdRequest[];
  platform: BundleIdPlatform;
  profileType: ProfileType;
  /** Template with `{bundleId}`, `{type}` and `{matchType}`. */
  profileNameTemplate: string;
  minDaysValid: number;
  capabilities: CapabilityRequest[];
  /** Disable capabilities that are not listed. */
  capabilitiesExclusive: boolean;
  certificate: CertificateKeyConfig;
  /** Overrides the certificate type to adopt or create. */
  certificateType: CertificateType | undefined;
  /** Create a new certificate from the same key when ours expires within this many days (0: never). */
  certificateRenewDays: number;
  devices: DeviceRequest[];
  deviceSelection: DeviceSelection;
  /** Re-enable listed devices found DISABLED. */
  reenableDevices: boolean;
  mode: Mode;
  /** With `project`: the Xcode project the bundle IDs and capabilities were read from. */
  project?: ProjectConfig;
}
