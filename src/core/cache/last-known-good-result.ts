// A restored last-known-good entry as the ProvisionResult the install steps and outputs already take,
// so a degraded run (App Store Connect unreachable) installs exactly as a normal one.
import { type KeyObject, X509Certificate } from "node:crypto";
import { SigningError } from "../errors.ts";
import { type ProvisionResult, profileResult } from "../result.ts";
import type { LastKnownGoodManifest, LastKnownGoodProfile } from "./last-known-good.ts";

/** A last-known-good entry read back from the cache and checked (configuration, expiry, file hashes). */
export interface LastKnownGood {
  manifest: LastKnownGoodManifest;
  /** The cache key it was restored from. */
  cacheKey: string;
  certificateDer: Uint8Array;
  /** In the manifest's order (main target first). */
  profiles: Array<{ facts: LastKnownGoodProfile; content: Uint8Array }>;
}

/**
 * The result to install and report for a run that fell back to the cache. `privateKey` is the run's
 * certificate key (from `certificate-private-key` or the `.p12`); it must be the key of the saved certificate, which the
 * configuration hash guarantees (it covers the key's fingerprint) and this checks again.
 */
export function lastKnownGoodResult(
  entry: LastKnownGood,
  privateKey: KeyObject,
  mode: "apply" | "readonly",
): ProvisionResult {
  const { manifest } = entry;
  const certificate = new X509Certificate(entry.certificateDer);
  if (!certificate.checkPrivateKey(privateKey))
    throw new SigningError(
      `the cached certificate ${manifest.certificate.sha1} does not belong to this run's certificate key: the last-known-good entry cannot be used`,
    );
  const reason = `App Store Connect unreachable: last-known-good saved ${manifest.savedAt}`;
  return {
    mode,
    teamId: manifest.teamId,
    certificate: {
      id: manifest.certificate.id,
      certificateType: manifest.certificate.certificateType,
      serialNumber: manifest.certificate.serialNumber,
      sha1: manifest.certificate.sha1,
      commonName: manifest.certificate.commonName,
      name: manifest.certificate.name,
      expirationDate: manifest.certificate.expirationDate,
      der: entry.certificateDer,
      privateKey,
      outcome: "reused",
      reason,
    },
    bundleIds: entry.profiles.map(({ facts }) => ({
      identifier: facts.bundleId,
      id: facts.bundleIdResourceId,
      outcome: "reused",
      capabilities: [],
    })),
    profiles: entry.profiles.map(({ facts, content }) =>
      profileResult({ ...facts, appId: facts.appId ?? undefined, content, outcome: "reused", reason }),
    ),
    plan: [],
    changed: false,
  };
}
