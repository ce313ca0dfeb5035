// A ProvisionResult as the engine would return it, for running the adapter without App Store Connect.
import { createPrivateKey } from "node:crypto";
import type { PlanStep, ProfileResult, ProvisionResult } from "../../../src/core/result.ts";
import type { CannedIdentity } from "./canned-identity.ts";

export const TEAM_ID = "ABCDE12345";
export const MAIN_BUNDLE_ID = "com.example.app";
export const WIDGET_BUNDLE_ID = "com.example.app.widget";
export const MAIN_UUID = "0f8fad5b-d9cb-469f-a165-70867728950e";
export const WIDGET_UUID = "7c9e6679-7425-40de-944b-e07fc1f90ae7";

const inDays = (days: number): string => new Date(Date.now() + days * 86_400_000).toISOString();

export function profileContent(uuid: string): Uint8Array {
  return new TextEncoder().encode(`<signed profile ${uuid}>`);
}

export interface CannedOptions {
  mode?: ProvisionResult["mode"];
  profileType?: ProfileResult["profileType"];
  profileDays?: number;
  certificateDays?: number;
  plan?: PlanStep[];
}

export function cannedResult(identity: CannedIdentity, options: CannedOptions = {}): ProvisionResult {
  const profileType = options.profileType ?? "IOS_APP_STORE";
  const extension = profileType.startsWith("MAC_") ? ".provisionprofile" : ".mobileprovision";
  const profile = (bundleId: string, uuid: string, id: string, appId: string | undefined): ProfileResult => ({
    bundleId,
    bundleIdResourceId: `BID-${id}`,
    appId,
    id,
    uuid,
    name: `${bundleId} ${profileType}`,
    profileType,
    expirationDate: inDays(options.profileDays ?? 300),
    content: profileContent(uuid),
    extension,
    outcome: "created",
    reason: "no profile of this name",
  });
  const plan = options.plan ?? [
    { kind: "create-certificate", target: "DISTRIBUTION", reason: "no certificate matches the key" },
    { kind: "create-profile", target: `${MAIN_BUNDLE_ID} ${profileType}`, reason: "no profile of this name" },
  ];
  return {
    mode: options.mode ?? "apply",
    teamId: TEAM_ID,
    certificate: {
      id: "CERT123",
      certificateType: "DISTRIBUTION",
      serialNumber: identity.serialNumber,
      sha1: identity.sha1,
      commonName: identity.commonName,
      name: "Apple Distribution: Example Ltd",
      expirationDate: inDays(options.certificateDays ?? 360),
      der: identity.leafDer,
      privateKey: createPrivateKey(identity.keyPem),
      outcome: "created",
      reason: "no certificate matches the key",
    },
    bundleIds: [
      {
        identifier: MAIN_BUNDLE_ID,
        id: "BID-1",
        outcome: "reused",
        capabilities: [{ type: "PUSH_NOTIFICATIONS", outcome: "reused", reason: "already enabled" }],
      },
      { identifier: WIDGET_BUNDLE_ID, id: "BID-2", outcome: "created", capabilities: [] },
    ],
    profiles: [
      profile(MAIN_BUNDLE_ID, MAIN_UUID, "PROF1", "1234567890"),
      profile(WIDGET_BUNDLE_ID, WIDGET_UUID, "PROF2", undefined),
    ],
    plan,
    changed: plan.length > 0,
  };
}
