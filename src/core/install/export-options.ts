// ExportOptions.plist for `xcodebuild -exportArchive`: manual signing with our certificate and profiles.
import { build } from "plist";
import type { StateRecorder } from "../ports.ts";
import { profileTypeRule } from "../profile-types.ts";
import type { CertificateResult, ProfileResult } from "../result.ts";
import { writeRecordedFile } from "./recorded-files.ts";

export interface ExportOptions {
  method: string;
  teamID: string;
  signingStyle: "manual";
  /** SHA-1 of the certificate: unambiguous even when several certificates share a name. */
  signingCertificate: string;
  /** Bundle identifier → profile UUID. */
  provisioningProfiles: Record<string, string>;
}

/** `uploadSymbols` and `manageAppVersionAndBuildNumber` are left out on purpose: Xcode's defaults apply. */
export function exportOptionsFor(
  teamId: string,
  certificate: CertificateResult,
  profiles: ProfileResult[],
): ExportOptions {
  const main = profiles[0];
  if (!main) throw new Error("exportOptionsFor: no profile");
  const provisioningProfiles: Record<string, string> = {};
  for (const profile of profiles) provisioningProfiles[profile.bundleId] = profile.uuid;
  return {
    method: profileTypeRule(main.profileType).exportMethod,
    teamID: teamId,
    signingStyle: "manual",
    signingCertificate: certificate.sha1,
    provisioningProfiles,
  };
}

export function exportOptionsPlist(options: ExportOptions): string {
  return build({ ...options });
}

export function writeExportOptions(path: string, options: ExportOptions, recorder: StateRecorder): void {
  writeRecordedFile(path, exportOptionsPlist(options), recorder);
}
