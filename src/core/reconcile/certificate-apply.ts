// The signing certificate's writes: create one from a CSR of our key, settle a write whose outcome is
// unknown or that hit the limit while other jobs raced, and converge racing jobs on one certificate.

import { createCertificate, listCertificates } from "../asc/certificates.ts";
import type { AscClient } from "../asc/http.ts";
import type { CertificateType } from "../asc/types.ts";
import { AscApiError, AscProvisionError, isConflict, isUnknownOutcome } from "../errors.ts";
import { createCsr } from "../signing/csr.ts";
import type { ApplyContext } from "./apply-context.ts";
import {
  type CandidateCertificate,
  candidateCertificates,
  oldestFirst,
  RACE_WINDOW_MS,
} from "./certificate-decision.ts";
import { certificateLimitError, typesSharingLimit } from "./certificate-limit.ts";
import type { Plan } from "./plan.ts";

export async function createOurCertificate(
  ctx: ApplyContext,
  plan: Plan,
  resent = false,
): Promise<CandidateCertificate> {
  const { client, desired, logger } = ctx;
  const decision = plan.certificate;
  if (decision.kind !== "create") throw new Error("unreachable");
  const type = decision.certificateType;
  const csr = await createCsr(desired.config.certificate.privateKey, { commonName: "asc-provision" });
  try {
    const resource = await createCertificate(client, { csrContent: csr, certificateType: type });
    const candidate = candidateCertificates([resource], desired.keyFingerprint)[0];
    if (!candidate?.matchesKey)
      throw new AscProvisionError(
        `App Store Connect returned certificate ${resource.id} that does not carry our public key.`,
      );
    logger.info(`Certificate ${type}: created ${candidate.info.serialNumber} (${decision.reason})`);
    return candidate;
  } catch (error) {
    if (isUnknownOutcome(error)) {
      const listed = candidateCertificates(await listCertificates(client, [type]), desired.keyFingerprint);
      const adopted = raceCandidates(listed, plan, ctx.now)[0];
      if (adopted) {
        logger.info(`Certificate ${type}: the create went through, adopted ${adopted.info.serialNumber}`);
        return adopted;
      }
      // The re-read shows the create did not take effect: send it once more (settleCertificateRace
      // still removes a duplicate should the first one surface later).
      if (!resent) return createOurCertificate(ctx, plan, true);
    }
    if (
      isConflict(error) &&
      /already have a current|pending certificate request|maximum/i.test(`${error.detail} ${error.title}`)
    ) {
      // Jobs racing with the same key can take the last slots between our read and our create: adopt
      // what they created for this key (settleCertificateRace then converges on the oldest). The read
      // covers every type sharing the limit, for the error's list of what blocks.
      const listed = candidateCertificates(
        await listCertificates(client, typesSharingLimit(type)),
        desired.keyFingerprint,
      );
      const raced = raceCandidates(
        listed.filter((certificate) => certificate.resource.attributes?.certificateType === type),
        plan,
        ctx.now,
      )[0];
      if (raced) {
        logger.info(
          `Certificate ${type}: the limit was reached by another job creating ${raced.info.serialNumber} for the same key; adopted it`,
        );
        return raced;
      }
      throw certificateLimitError(type, listed, error, ctx.now);
    }
    throw error;
  }
}

/**
 * Current certificates for our key that did not exist when the state was read (so created by jobs
 * running now, ours included), oldest first (notBefore, then serial): the order every job converges on.
 */
function raceCandidates(listed: CandidateCertificate[], plan: Plan, now: number): CandidateCertificate[] {
  const known = new Set(plan.candidates.map((certificate) => certificate.resource.id));
  return listed
    .filter(
      (certificate) =>
        certificate.matchesKey &&
        !known.has(certificate.resource.id) &&
        certificate.info.notAfter.getTime() > now &&
        certificate.resource.attributes?.activated !== false,
    )
    .sort(oldestFirst);
}

/**
 * Waits until every certificate issued in the same second as ours (notBefore has whole seconds) is
 * visible: up to 1.25 s, paid only by a run that creates a certificate.
 */
export async function certificateRaceGuard(ctx: ApplyContext, ours: CandidateCertificate): Promise<void> {
  const wait = Math.min(1500, raceGuardEnd(ours) - ctx.clock.now());
  if (wait > 0) await ctx.sleep(wait);
}

/** When every certificate issued in the same second as `certificate` (or before) is visible. */
function raceGuardEnd(certificate: CandidateCertificate): number {
  return Math.floor(certificate.info.notBefore.getTime() / 1000) * 1000 + 1000 + 250;
}

/**
 * An adopted certificate that may still be racing: issued so recently (the run started before its
 * guard ended) that an older certificate for the same key, created by a job racing with the one that made
 * it, may not have been visible yet, and the jobs that created them will keep only the oldest.
 */
export function mayStillBeRacing(ctx: ApplyContext, adopted: CandidateCertificate): boolean {
  // ctx.now is when the run started, before its reads: a run that started after the guard's end read a
  // state in which every certificate of that race was visible, and the plan adopted the oldest.
  return ctx.now < raceGuardEnd(adopted);
}

/**
 * A job that adopted a certificate while the jobs that created it may still be settling their race joins
 * the settling without revoking anything: once every certificate issued with it is visible, it adopts the
 * oldest of the race (the one the creators keep; they revoke the others, the adopted one perhaps).
 */
export async function joinCertificateRace(
  ctx: ApplyContext,
  adopted: CandidateCertificate,
): Promise<CandidateCertificate> {
  await certificateRaceGuard(ctx, adopted);
  const { client, desired, logger } = ctx;
  const type = adopted.resource.attributes?.certificateType as CertificateType;
  const listed = candidateCertificates(await listCertificates(client, [type]), desired.keyFingerprint);
  const issued = adopted.info.notBefore.getTime();
  const [oldest] = listed
    .filter(
      (certificate) =>
        certificate.matchesKey &&
        certificate.info.notAfter.getTime() > ctx.now &&
        certificate.resource.attributes?.activated !== false &&
        Math.abs(certificate.info.notBefore.getTime() - issued) <= RACE_WINDOW_MS,
    )
    .sort(oldestFirst);
  if (!oldest || oldest.resource.id === adopted.resource.id) return adopted;
  logger.info(
    `Certificate ${type}: ${adopted.info.serialNumber} was created by jobs racing each other; adopted the one they keep, ${oldest.info.serialNumber}`,
  );
  return oldest;
}

/**
 * Jobs that start together on an account without a certificate for the key each create one. They
 * converge on the oldest (notBefore, then serial) of the certificates created for the key since the
 * state was read (one being renewed is not part of the race): once every certificate issued in the same
 * second as ours is visible, each job revokes every other one of those fresh duplicates and adopts the
 * oldest. Revoking all of them, not only its own, also removes the duplicate of a job whose create went
 * through with its answer lost (it cannot tell which one is its own). These same-key duplicates are the
 * only certificates this action ever revokes.
 */
export async function settleCertificateRace(
  ctx: ApplyContext,
  ours: CandidateCertificate,
  plan: Plan,
): Promise<CandidateCertificate> {
  const { client, desired, logger } = ctx;
  const type = ours.resource.attributes?.certificateType as CertificateType;
  const listed = candidateCertificates(await listCertificates(client, [type]), desired.keyFingerprint);
  const [oldest, ...others] = raceCandidates(listed, plan, ctx.now);
  if (!oldest) return ours;
  const duplicates = new Map(others.map((certificate) => [certificate.resource.id, certificate]));
  if (ours.resource.id !== oldest.resource.id) duplicates.set(ours.resource.id, ours);
  if (duplicates.size === 0) return ours;
  await Promise.all([...duplicates.keys()].map((id) => revokeDuplicate(client, id)));
  logger.info(
    `Certificate ${type}: other jobs created certificates for the same key at the same time; adopted the oldest, ${oldest.info.serialNumber}, and revoked the duplicates ${[...duplicates.values()].map((certificate) => certificate.info.serialNumber).join(", ")}`,
  );
  return oldest;
}

/** Revokes a race duplicate; 404: another job settling the same race revoked it first. */
async function revokeDuplicate(client: AscClient, id: string, resent = false): Promise<void> {
  try {
    await client.delete(`/v1/certificates/${encodeURIComponent(id)}`);
  } catch (error) {
    if (error instanceof AscApiError && error.status === 404) return;
    if (isUnknownOutcome(error) && !resent) return revokeDuplicate(client, id, true);
    throw error;
  }
}
