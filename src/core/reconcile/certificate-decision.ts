// Which certificate the runner signs with: the one App Store Connect holds for our private key (latest
// expiry, not expired), or a new one from a CSR of that key. Never revokes anything.
import type { CertificateResource, CertificateType } from "../asc/types.ts";
import { type CertificateInfo, parseCertificate } from "../signing/certificate.ts";

export interface CandidateCertificate {
  resource: CertificateResource;
  info: CertificateInfo;
  matchesKey: boolean;
}

export type CertificateDecision =
  | { kind: "adopt"; candidate: CandidateCertificate; reason: string }
  | { kind: "create"; certificateType: CertificateType; reason: string; renewing?: CandidateCertificate };

const DAY = 86_400_000;

/**
 * Certificates for the same key and type issued this close together were created by jobs racing each
 * other; the race settling keeps the oldest of them and revokes the others.
 */
export const RACE_WINDOW_MS = 10 * 60_000;

/** Oldest first (notBefore, then serial): the order racing jobs converge on. */
export const oldestFirst = (left: CandidateCertificate, right: CandidateCertificate): number =>
  left.info.notBefore.getTime() - right.info.notBefore.getTime() ||
  left.info.serialNumber.localeCompare(right.info.serialNumber);

/**
 * The latest-expiring usable certificate, except that among race duplicates of it (same type, issued
 * within RACE_WINDOW_MS) the oldest is the one to adopt: the others are being revoked by the jobs that
 * created them.
 */
function raceWinner(usable: CandidateCertificate[]): CandidateCertificate | undefined {
  const latest = usable[0];
  if (!latest) return undefined;
  const type = latest.resource.attributes?.certificateType;
  const issued = latest.info.notBefore.getTime();
  return usable
    .filter(
      (certificate) =>
        certificate.resource.attributes?.certificateType === type &&
        Math.abs(certificate.info.notBefore.getTime() - issued) <= RACE_WINDOW_MS,
    )
    .sort(oldestFirst)[0];
}

/** Parses what App Store Connect returned; a certificate without readable content is skipped. */
export function candidateCertificates(
  certificates: CertificateResource[],
  keyFingerprint: string,
): CandidateCertificate[] {
  const result: CandidateCertificate[] = [];
  for (const resource of certificates) {
    const content = resource.attributes?.certificateContent;
    if (!content) continue;
    let info: CertificateInfo;
    try {
      info = parseCertificate(content);
    } catch {
      continue;
    }
    result.push({ resource, info, matchesKey: info.spkiSha256 === keyFingerprint });
  }
  return result;
}

export function decideCertificate(
  candidates: CandidateCertificate[],
  options: { now: number; renewDays: number; types: CertificateType[]; createType: CertificateType },
): CertificateDecision {
  const usable = candidates
    .filter(
      (certificate) =>
        certificate.matchesKey &&
        options.types.includes(certificate.resource.attributes?.certificateType as CertificateType),
    )
    .filter(
      (certificate) =>
        certificate.info.notAfter.getTime() > options.now &&
        certificate.resource.attributes?.activated !== false,
    )
    .sort((left, right) => right.info.notAfter.getTime() - left.info.notAfter.getTime());
  const best = raceWinner(usable);
  if (!best) {
    const expired = candidates.some(
      (certificate) => certificate.matchesKey && certificate.info.notAfter.getTime() <= options.now,
    );
    return {
      kind: "create",
      certificateType: options.createType,
      reason: expired
        ? "the certificate for this key has expired"
        : "no certificate of an accepted type exists for this private key",
    };
  }
  const daysLeft = Math.floor((best.info.notAfter.getTime() - options.now) / DAY);
  if (options.renewDays > 0 && daysLeft < options.renewDays) {
    return {
      kind: "create",
      certificateType: (best.resource.attributes?.certificateType as CertificateType) ?? options.createType,
      reason: `certificate ${best.info.serialNumber} expires in ${daysLeft} days, within certificate-renew-days (${options.renewDays})`,
      renewing: best,
    };
  }
  return {
    kind: "adopt",
    candidate: best,
    reason: `it matches the private key and expires ${best.info.notAfter.toISOString().slice(0, 10)}`,
  };
}
