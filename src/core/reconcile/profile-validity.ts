// Whether an existing profile can be reused as it is. Everything is read from the signed profile
// content, not from capped relationship includes.
import type { FoundProfile } from "../asc/profiles.ts";
import type { ProvisioningProfileInfo } from "../signing/provisioning-profile.ts";
import { entitlementMismatch } from "./capability-entitlements.ts";

export interface ProfileExpectation {
  profileType: string;
  bundleIdId: string | undefined;
  bundleIdentifier: string;
  /** SHA-1 of the certificate the runner signs with; undefined when a new one will be created. */
  certificateSha1: string | undefined;
  /** UDIDs the profile must contain (development and ad hoc). */
  deviceUdids: string[];
  minDaysValid: number;
  now: number;
  /** Capabilities enabled on the bundle ID after this run; undefined when they change in this run. */
  capabilities: string[] | undefined;
}

export type ProfileVerdict = { reusable: true } | { reusable: false; reason: string };

const DAY = 86_400_000;

export function evaluateProfile(
  found: FoundProfile,
  info: ProvisioningProfileInfo | undefined,
  expect: ProfileExpectation,
): ProfileVerdict {
  const attributes = found.resource.attributes ?? {};
  const stale = (reason: string): ProfileVerdict => ({ reusable: false, reason });
  if (attributes.profileState !== "ACTIVE")
    return stale(`its state was ${attributes.profileState ?? "unknown"}`);
  if (attributes.profileType !== expect.profileType)
    return stale(`its type was ${attributes.profileType}, not ${expect.profileType}`);
  if (expect.bundleIdId === undefined) return stale("its bundle ID is being created");
  if (found.bundleIdId !== undefined && found.bundleIdId !== expect.bundleIdId)
    return stale("it belongs to another bundle ID");
  if (!info) return stale("its content could not be read");
  if (info.bundleIdentifier !== undefined && info.bundleIdentifier !== expect.bundleIdentifier)
    return stale(`it was for ${info.bundleIdentifier}`);
  const expiry = info.expirationDate.getTime();
  if (expiry <= expect.now) return stale(`it expired on ${info.expirationDate.toISOString().slice(0, 10)}`);
  const daysLeft = Math.floor((expiry - expect.now) / DAY);
  if (daysLeft < expect.minDaysValid)
    return stale(`it expires in ${daysLeft} days, sooner than min-days-valid (${expect.minDaysValid})`);
  if (expect.certificateSha1 === undefined) return stale("a new certificate is being created");
  if (!info.developerCertificates.some((certificate) => certificate.sha1 === expect.certificateSha1))
    return stale(`it did not contain certificate ${expect.certificateSha1.slice(0, 12)}…`);
  const have = new Set(info.provisionedDevices.map((udid) => udid.toLowerCase()));
  const missing = expect.deviceUdids.filter((udid) => !have.has(udid.toLowerCase()));
  if (missing.length > 0)
    return stale(
      `it lacked device ${missing[0]}${missing.length > 1 ? ` (+${missing.length - 1} more)` : ""}`,
    );
  if (expect.capabilities === undefined) return stale("the bundle ID's capabilities change in this run");
  const mismatch = entitlementMismatch(info.entitlements, expect.capabilities);
  if (mismatch) return stale(mismatch);
  return { reusable: true };
}
