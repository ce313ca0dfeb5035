// What a provisioning run produces: the resources the runner signs with and the steps taken.
import type { KeyObject } from "node:crypto";
import type { CertificateType, ProfileType } from "./asc/types.ts";
import { profileTypeRule } from "./profile-types.ts";

export type StepKind =
  | "create-bundle-id"
  | "enable-capability"
  | "update-capability"
  | "disable-capability"
  | "create-certificate"
  | "register-device"
  | "enable-device"
  | "delete-profile"
  | "create-profile";

export interface PlanStep {
  kind: StepKind;
  /** What it acts on: a bundle identifier, a UDID, a certificate type, a profile name. */
  target: string;
  /** Why, in one line: "profile X: missing device 00008030-…". */
  reason: string;
}

export type Outcome = "reused" | "created" | "repaired" | "updated" | "planned";

export interface CertificateResult {
  id: string;
  certificateType: CertificateType | string;
  serialNumber: string;
  /** SHA-1 of the DER, upper-case hex: what `codesign` and Xcode accept as the identity. */
  sha1: string;
  /** The certificate's common name, e.g. "Apple Distribution: Example Ltd (ABCDE12345)". */
  commonName: string;
  /** App Store Connect's `name`/`displayName`. */
  name: string;
  expirationDate: string;
  der: Uint8Array;
  /** The certificate's private key (the run's certificate key). A secret. */
  privateKey: KeyObject;
  outcome: Outcome;
  reason: string;
}

export interface ProfileResult {
  bundleId: string;
  bundleIdResourceId: string;
  /** App Store Connect app id for this bundle ID, when an app record exists. */
  appId: string | undefined;
  id: string;
  uuid: string;
  name: string;
  profileType: ProfileType;
  expirationDate: string;
  /** The signed .mobileprovision / .provisionprofile bytes. */
  content: Uint8Array;
  extension: ".mobileprovision" | ".provisionprofile";
  outcome: Outcome;
  reason: string;
}

export interface BundleIdResult {
  identifier: string;
  id: string;
  outcome: Outcome;
  capabilities: Array<{ type: string; outcome: Outcome | "disabled"; reason: string }>;
}

export interface ProvisionResult {
  mode: "apply" | "plan" | "readonly";
  /** Empty only in plan mode when nothing exists yet. */
  teamId: string;
  /** Always set in apply and readonly modes; in plan mode only when a usable certificate already exists. */
  certificate: CertificateResult | undefined;
  bundleIds: BundleIdResult[];
  /** One per bundle ID, in the order given (the first is the main target). In plan mode only those that
   * can be reused as they are. */
  profiles: ProfileResult[];
  /** Every write the run made (apply) or would make (plan, readonly). */
  plan: PlanStep[];
  changed: boolean;
}

/** The one builder of a ProfileResult: from a profile resource (its base64 content) or a saved copy. */
export function profileResult(profile: {
  bundleId: string;
  bundleIdResourceId: string;
  appId: string | undefined;
  id: string;
  profileType: ProfileType;
  uuid: string;
  name: string;
  expirationDate: Date | string;
  /** The profile's bytes, or their base64 as in `profileContent`. */
  content: Uint8Array | string | undefined;
  outcome: Outcome;
  reason: string;
}): ProfileResult {
  const { content, expirationDate } = profile;
  return {
    bundleId: profile.bundleId,
    bundleIdResourceId: profile.bundleIdResourceId,
    appId: profile.appId,
    id: profile.id,
    uuid: profile.uuid,
    name: profile.name,
    profileType: profile.profileType,
    expirationDate: typeof expirationDate === "string" ? expirationDate : expirationDate.toISOString(),
    content:
      typeof content === "string" || content === undefined ? Buffer.from(content ?? "", "base64") : content,
    extension: profileTypeRule(profile.profileType).extension,
    outcome: profile.outcome,
    reason: profile.reason,
  };
}
