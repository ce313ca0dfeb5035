// The last-known-good entry: what a successful run leaves in the cache so that a later run can still
// install when App Store Connect cannot be reached. Per bundle ID the profile bytes and non-secret facts,
// the certificate (public DER and facts), in a versioned JSON manifest. Nothing secret: the certificate's
// private key is never part of it (the run always has it from its secret input).
import { createHash } from "node:crypto";
import type { ProfileType } from "../asc/types.ts";
import type { ProvisionResult } from "../result.ts";

export const LAST_KNOWN_GOOD_VERSION = 1;
export const MANIFEST_FILE = "manifest.json";
export const CERTIFICATE_FILE = "certificate.cer";

const DAY_MS = 86_400_000;
const SAFE_FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export interface LastKnownGoodCertificate {
  id: string;
  certificateType: string;
  serialNumber: string;
  /** Upper-case hex SHA-1 of the DER: the signing identity. */
  sha1: string;
  commonName: string;
  name: string;
  expirationDate: string;
  /** File holding the DER, next to the manifest. */
  file: string;
}

export interface LastKnownGoodProfile {
  bundleId: string;
  bundleIdResourceId: string;
  appId: string | null;
  id: string;
  uuid: string;
  name: string;
  profileType: ProfileType;
  expirationDate: string;
  extension: ".mobileprovision" | ".provisionprofile";
  /** File holding the signed profile, next to the manifest. */
  file: string;
  /** SHA-256 (hex) of the file, checked on restore. */
  sha256: string;
}

export interface LastKnownGoodManifest {
  version: typeof LAST_KNOWN_GOOD_VERSION;
  /** ISO 8601. */
  savedAt: string;
  teamId: string;
  /** configHash() of the configuration that produced it. */
  configHash: string;
  certificate: LastKnownGoodCertificate;
  /** One per bundle ID, main target first. */
  profiles: LastKnownGoodProfile[];
}

export interface LastKnownGoodFile {
  name: string;
  content: Uint8Array;
}

export type LastKnownGoodBuild =
  | { ok: true; manifest: LastKnownGoodManifest; files: LastKnownGoodFile[] }
  | { ok: false; reason: string };

/** The entry for a run's result, or why there is nothing worth saving. */
export function buildLastKnownGood(
  result: ProvisionResult,
  context: { configHash: string; now: number },
): LastKnownGoodBuild {
  if (result.mode === "plan") return { ok: false, reason: "plan mode installs nothing" };
  const certificate = result.certificate;
  if (!certificate) return { ok: false, reason: "the run has no certificate" };
  if (result.profiles.length === 0) return { ok: false, reason: "the run has no profiles" };
  if (!result.teamId) return { ok: false, reason: "the run has no team ID" };

  const files: LastKnownGoodFile[] = [{ name: CERTIFICATE_FILE, content: certificate.der }];
  const profiles: LastKnownGoodProfile[] = [];
  for (const profile of result.profiles) {
    const file = `${profile.uuid}${profile.extension}`;
    if (!SAFE_FILE_NAME.test(file))
      return { ok: false, reason: `profile UUID ${JSON.stringify(profile.uuid)}` };
    files.push({ name: file, content: profile.content });
    profiles.push({
      bundleId: profile.bundleId,
      bundleIdResourceId: profile.bundleIdResourceId,
      appId: profile.appId ?? null,
      id: profile.id,
      uuid: profile.uuid,
      name: profile.name,
      profileType: profile.profileType,
      expirationDate: profile.expirationDate,
      extension: profile.extension,
      file,
      sha256: sha256Hex(profile.content),
    });
  }
  const manifest: LastKnownGoodManifest = {
    version: LAST_KNOWN_GOOD_VERSION,
    savedAt: new Date(context.now).toISOString(),
    teamId: result.teamId,
    configHash: context.configHash,
    certificate: {
      id: certificate.id,
      certificateType: String(certificate.certificateType),
      serialNumber: certificate.serialNumber,
      sha1: certificate.sha1,
      commonName: certificate.commonName,
      name: certificate.name,
      expirationDate: certificate.expirationDate,
      file: CERTIFICATE_FILE,
    },
    profiles,
  };
  return { ok: true, manifest, files };
}

export function serializeManifest(manifest: LastKnownGoodManifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/** The parsed JSON, or undefined when it is not JSON (selectUsableEntry checks the shape). */
export function parseManifest(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export interface UsabilityCriteria {
  /** configHash() of this run's configuration. */
  configHash: string;
  /** A profile or certificate expiring within this many days is not used. */
  minDaysValid: number;
  /** Milliseconds since the epoch. */
  now: number;
}

export type UsableEntry =
  | { usable: true; manifest: LastKnownGoodManifest }
  | { usable: false; reason: string };

/** Whether a restored manifest may be installed by this run; when not, the reason in one line. */
export function selectUsableEntry(manifest: unknown, criteria: UsabilityCriteria): UsableEntry {
  const reject = (reason: string): UsableEntry => ({ usable: false, reason });
  if (!isRecord(manifest)) return reject("the manifest is not a JSON object");
  if (manifest.version !== LAST_KNOWN_GOOD_VERSION)
    return reject(
      `manifest version ${JSON.stringify(manifest.version)} is not supported (this release reads version ${LAST_KNOWN_GOOD_VERSION})`,
    );
  const problem = shapeProblem(manifest);
  if (problem) return reject(`the manifest is malformed: ${problem}`);
  const entry = manifest as unknown as LastKnownGoodManifest;
  if (entry.configHash !== criteria.configHash)
    return reject(
      "it was saved for a different configuration (bundle IDs, profile type, key or devices changed)",
    );

  const threshold = criteria.now + criteria.minDaysValid * DAY_MS;
  const tooSoon = (label: string, date: string): string | undefined => {
    const expires = Date.parse(date);
    if (Number.isNaN(expires)) return `${label} has no valid expiration date`;
    if (expires > threshold) return undefined;
    const days = Math.floor((expires - criteria.now) / DAY_MS);
    return expires <= criteria.now
      ? `${label} expired on ${date}`
      : `${label} expires in ${days} day(s) (${date}), within min-days-valid ${criteria.minDaysValid}`;
  };
  const certificateProblem = tooSoon(
    `certificate ${entry.certificate.sha1}`,
    entry.certificate.expirationDate,
  );
  if (certificateProblem) return reject(certificateProblem);
  for (const profile of entry.profiles) {
    const profileProblem = tooSoon(`profile "${profile.name}" (${profile.uuid})`, profile.expirationDate);
    if (profileProblem) return reject(profileProblem);
  }
  return { usable: true, manifest: entry };
}

/** The first file whose content does not match the manifest (missing, another SHA-256 or SHA-1), if any. */
export function fileProblem(
  manifest: LastKnownGoodManifest,
  readFile: (name: string) => Uint8Array | undefined,
): string | undefined {
  const certificate = readFile(manifest.certificate.file);
  if (!certificate) return `${manifest.certificate.file} is missing`;
  if (
    createHash("sha1").update(certificate).digest("hex").toUpperCase() !==
    manifest.certificate.sha1.toUpperCase()
  )
    return `${manifest.certificate.file} is not the certificate ${manifest.certificate.sha1}`;
  for (const profile of manifest.profiles) {
    const content = readFile(profile.file);
    if (!content) return `${profile.file} is missing`;
    if (sha256Hex(content) !== profile.sha256) return `${profile.file} does not match its SHA-256`;
  }
  return undefined;
}

export function sha256Hex(data: Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const CERTIFICATE_FIELDS = [
  "id",
  "certificateType",
  "serialNumber",
  "sha1",
  "commonName",
  "name",
  "expirationDate",
];
const PROFILE_FIELDS = [
  "bundleId",
  "bundleIdResourceId",
  "id",
  "uuid",
  "name",
  "profileType",
  "expirationDate",
];

function shapeProblem(manifest: Record<string, unknown>): string | undefined {
  for (const field of ["savedAt", "teamId", "configHash"])
    if (typeof manifest[field] !== "string") return `${field} is not a string`;
  const certificate = manifest.certificate;
  if (!isRecord(certificate)) return "certificate is missing";
  for (const field of CERTIFICATE_FIELDS)
    if (typeof certificate[field] !== "string") return `certificate.${field} is not a string`;
  if (!isSafeFile(certificate.file)) return "certificate.file is not a plain file name";
  const profiles = manifest.profiles;
  if (!Array.isArray(profiles) || profiles.length === 0) return "profiles is empty";
  for (const [index, profile] of profiles.entries()) {
    if (!isRecord(profile)) return `profiles[${index}] is not an object`;
    for (const field of PROFILE_FIELDS)
      if (typeof profile[field] !== "string") return `profiles[${index}].${field} is not a string`;
    if (profile.extension !== ".mobileprovision" && profile.extension !== ".provisionprofile")
      return `profiles[${index}].extension is not a profile extension`;
    if (!isSafeFile(profile.file)) return `profiles[${index}].file is not a plain file name`;
    if (typeof profile.sha256 !== "string" || !/^[0-9a-f]{64}$/.test(profile.sha256))
      return `profiles[${index}].sha256 is not a SHA-256`;
    if (profile.appId !== null && typeof profile.appId !== "string")
      return `profiles[${index}].appId is not a string`;
  }
  return undefined;
}

function isSafeFile(value: unknown): value is string {
  return typeof value === "string" && SAFE_FILE_NAME.test(value) && value !== MANIFEST_FILE;
}
