// The team ID as the read wave shows it, before anything is planned: the seed ID of a bundle ID that
// exists, else the organisational unit of a certificate read (every certificate listed is the team's).
// Undefined on a cold account with neither.
import { candidateCertificates } from "./certificate-decision.ts";
import type { DesiredState } from "./desired-state.ts";
import type { CurrentState } from "./read-state.ts";

export function teamIdFromState(current: CurrentState, desired: DesiredState): string | undefined {
  for (const found of current.bundleIds.values()) {
    const seed = found.resource.attributes?.seedId;
    if (seed) return seed;
  }
  const candidates = candidateCertificates(current.certificates, desired.keyFingerprint);
  const ours = candidates.find((certificate) => certificate.matchesKey) ?? candidates[0];
  return ours?.info.organizationalUnit || undefined;
}
