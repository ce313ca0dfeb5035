// Carries out a plan in dependency order, each wave as concurrent as dependencies allow:
//   1. bundle IDs, certificate, devices, capabilities of existing bundle IDs, deletion of stale profiles
//   2. capabilities of the bundle IDs created in wave 1
//   3. profiles
// A write whose outcome is unknown, or that lost a race to another job, is settled by re-reading.
import { createBundleId, findBundleIds } from "../asc/bundle-ids.ts";
import { disableCapability, enableCapability, updateCapability } from "../asc/capabilities.ts";
import { createCertificate, listCertificates } from "../asc/certificates.ts";
import { listDevices, registerDevice, setDeviceStatus } from "../asc/devices.ts";
import type { AscClient } from "../asc/http.ts";
import { createProfile, deleteProfile, findProfilesByName } from "../asc/profiles.ts";
import type { BundleIdResource, CertificateType, DeviceResource, ProfileResource } from "../asc/types.ts";
import type { DeviceRequest } from "../config.ts";
import { AscApiError, AscProvisionError } from "../errors.ts";
import type { Clock, Logger, Sleep } from "../ports.ts";
import { createCsr } from "../signing/csr.ts";
import { type ProvisioningProfileInfo, readProvisioningProfile } from "../signing/provisioning-profile.ts";
import { type CandidateCertificate, candidateCertificates } from "./certificate-decision.ts";
import { certificateLimitError } from "./certificate-limit.ts";
import type { DesiredState } from "./desired-state.ts";
import { isCompatibleDevice } from "./device-plan.ts";
import type { BundlePlan, Plan } from "./plan.ts";
import { evaluateProfile } from "./profile-validity.ts";

export interface AppliedProfile {
  resource: ProfileResource;
  info: ProvisioningProfileInfo;
  outcome: "reused" | "created" | "repaired";
  reason: string;
}

export interface Applied {
  bundleIds: Map<string, BundleIdResource>;
  certificate: CandidateCertificate;
  profiles: Map<string, AppliedProfile>;
}

export interface ApplyContext {
  client: AscClient;
  desired: DesiredState;
  logger: Logger;
  now: number;
  clock: Clock;
  sleep: Sleep;
  /** Roots a profile's CMS signature must chain to (see PlanOptions). */
  trustedProfileRoots?: Uint8Array[];
}

/** Runs tasks together; waits for all before failing with the first error, so nothing is left in flight. */
async function wave(tasks: Array<() => Promise<unknown>>): Promise<void> {
  const results = await Promise.allSettled(tasks.map((t) => t()));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) throw failed.reason;
}

const isConflict = (e: unknown): e is AscApiError => e instanceof AscApiError && e.status === 409;
const isUnknownOutcome = (e: unknown): e is AscApiError => e instanceof AscApiError && e.outcomeUnknown;

export async function applyPlan(plan: Plan, ctx: ApplyContext): Promise<Applied> {
  const { logger } = ctx;
  const bundleIds = new Map<string, BundleIdResource>();
  for (const b of plan.bundles) if (b.existing) bundleIds.set(b.request.identifier, b.existing.resource);
  let certificate = plan.certificate.kind === "adopt" ? plan.certificate.candidate : undefined;
  const registered: DeviceResource[] = [];

  await wave([
    ...plan.bundles
      .filter((b) => !b.existing)
      .map((b) => async () => {
        bundleIds.set(b.request.identifier, await ensureBundleId(ctx, b));
      }),
    ...(plan.certificate.kind === "create"
      ? [
          async () => {
            certificate = await createOurCertificate(ctx, plan);
          },
        ]
      : []),
    ...(plan.devices?.register ?? []).map((d) => async () => {
      registered.push(await ensureDevice(ctx, d));
    }),
    ...(plan.devices?.enable ?? []).map((d) => async () => {
      await setDeviceStatus(ctx.client, d.id, "ENABLED");
      logger.info(`Device ${d.attributes?.udid}: re-enabled`);
    }),
    ...plan.bundles
      .filter((b) => b.existing)
      .map((b) => () => applyCapabilities(ctx, b, b.existing!.resource.id)),
    ...plan.bundles.flatMap((b) =>
      b.profile.kind === "create"
        ? b.profile.deleteIds.map((id) => async () => {
            const deleted = await deleteProfile(ctx.client, id);
            logger.info(
              `Profile "${b.profileName}" (${id}): ${deleted ? "deleted" : "already gone"} (${(b.profile as { reason: string }).reason})`,
            );
          })
        : [],
    ),
  ]);

  // A new certificate must wait for the race guard before its settling read; the capabilities of new
  // bundle IDs go out with that read, in the same wave, at no cost in wall time.
  if (plan.certificate.kind === "create") await certificateRaceGuard(ctx, certificate!);
  await wave([
    ...plan.bundles
      .filter((b) => !b.existing)
      .map((b) => () => applyCapabilities(ctx, b, bundleIds.get(b.request.identifier)!.id)),
    ...(plan.certificate.kind === "create"
      ? [
          async () => {
            certificate = await settleCertificateRace(ctx, certificate!, plan);
          },
        ]
      : []),
  ]);

  const cert = certificate!;
  const rule = ctx.desired.rule;
  const deviceIds = [
    ...(plan.devices?.selected ?? []).map((d) => d.id),
    ...registered
      .filter((d) =>
        plan.devices?.selectedNew.some((n) => n.udid.toLowerCase() === d.attributes?.udid?.toLowerCase()),
      )
      .filter((d) => isCompatibleDevice(d, rule))
      .map((d) => d.id),
  ];
  const deviceUdids = [
    ...(plan.devices?.selected ?? []).map((d) => d.attributes?.udid ?? ""),
    ...registered.filter((d) => deviceIds.includes(d.id)).map((d) => d.attributes?.udid ?? ""),
  ];

  const profiles = new Map<string, AppliedProfile>();
  await wave(
    plan.bundles.map((b) => async () => {
      if (b.profile.kind === "reuse") {
        profiles.set(b.request.identifier, {
          resource: b.profile.found.resource,
          info: b.profile.info,
          outcome: "reused",
          reason: "valid",
        });
        return;
      }
      const bundleIdId = bundleIds.get(b.request.identifier)!.id;
      const created = await ensureProfile(ctx, b, { bundleIdId, certificate: cert, deviceIds, deviceUdids });
      profiles.set(b.request.identifier, {
        ...created,
        outcome: b.profile.repair ? "repaired" : "created",
        reason: b.profile.reason,
      });
    }),
  );
  return { bundleIds, certificate: cert, profiles };
}

async function ensureBundleId(ctx: ApplyContext, b: BundlePlan, resent = false): Promise<BundleIdResource> {
  const { client, desired, logger } = ctx;
  try {
    const created = await createBundleId(client, {
      identifier: b.request.identifier,
      name: b.request.name,
      platform: desired.config.platform,
    });
    logger.info(`Bundle ID ${b.request.identifier}: created (${created.id})`);
    return created;
  } catch (error) {
    if (!isConflict(error) && !isUnknownOutcome(error)) throw error;
    // Another job created it, or our create went through before the answer was lost: adopt it.
    const found = (await findBundleIds(client, [b.request.identifier])).get(b.request.identifier);
    // The re-read shows an unknown-outcome create did not take effect: send it once more.
    if (!found && isUnknownOutcome(error) && !resent) return ensureBundleId(ctx, b, true);
    if (!found) throw error;
    logger.info(`Bundle ID ${b.request.identifier}: adopted ${found.resource.id} created concurrently`);
    return found.resource;
  }
}

async function applyCapabilities(ctx: ApplyContext, b: BundlePlan, bundleIdId: string): Promise<void> {
  const { client, logger } = ctx;
  await Promise.all(
    b.capabilityChanges.map(async (change) => {
      const send = async (): Promise<void> => {
        if (change.kind === "enable")
          await enableCapability(client, bundleIdId, change.type, change.settings);
        else if (change.kind === "update")
          await updateCapability(client, change.capabilityId, change.type, change.settings);
        else await disableCapability(client, change.capabilityId);
      };
      // Enabled concurrently by another job (or by our own first attempt), or already disabled: done.
      const done = (error: unknown): boolean =>
        (change.kind === "enable" && isConflict(error) && /already|exist/i.test(error.detail)) ||
        (change.kind === "disable" && error instanceof AscApiError && error.status === 404);
      try {
        await send();
      } catch (error) {
        if (!done(error)) {
          if (!isUnknownOutcome(error)) throw error;
          // Whether it was applied is unknown: sending the same change again settles it (each is idempotent).
          try {
            await send();
          } catch (again) {
            if (!done(again)) throw again;
          }
        }
      }
      logger.info(`Capability ${change.type} on ${b.request.identifier}: ${change.kind}d (${change.reason})`);
    }),
  );
}

async function createOurCertificate(
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
      // what they created for this key (settleCertificateRace then converges on the oldest).
      const listed = candidateCertificates(await listCertificates(client, [type]), desired.keyFingerprint);
      const raced = raceCandidates(listed, plan, ctx.now)[0];
      if (raced) {
        logger.info(
          `Certificate ${type}: the limit was reached by another job creating ${raced.info.serialNumber} for the same key; adopted it`,
        );
        return raced;
      }
      throw certificateLimitError(type, listed, error);
    }
    throw error;
  }
}

/**
 * Current certificates for our key that did not exist when the state was read (so created by jobs
 * running now, ours included), oldest first (notBefore, then serial): the order every job converges on.
 */
function raceCandidates(listed: CandidateCertificate[], plan: Plan, now: number): CandidateCertificate[] {
  const known = new Set(plan.candidates.map((c) => c.resource.id));
  return listed
    .filter(
      (c) =>
        c.matchesKey &&
        !known.has(c.resource.id) &&
        c.info.notAfter.getTime() > now &&
        c.resource.attributes?.activated !== false,
    )
    .sort(
      (a, b) =>
        a.info.notBefore.getTime() - b.info.notBefore.getTime() ||
        a.info.serialNumber.localeCompare(b.info.serialNumber),
    );
}

/**
 * Waits until every certificate issued in the same second as ours (notBefore has whole seconds) is
 * visible: up to 1.25 s, paid only by a run that creates a certificate.
 */
async function certificateRaceGuard(ctx: ApplyContext, ours: CandidateCertificate): Promise<void> {
  const issuedSecond = Math.floor(ours.info.notBefore.getTime() / 1000) * 1000;
  const wait = Math.min(1500, issuedSecond + 1000 + 250 - ctx.clock.now());
  if (wait > 0) await ctx.sleep(wait);
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
async function settleCertificateRace(
  ctx: ApplyContext,
  ours: CandidateCertificate,
  plan: Plan,
): Promise<CandidateCertificate> {
  const { client, desired, logger } = ctx;
  const type = ours.resource.attributes?.certificateType as CertificateType;
  const listed = candidateCertificates(await listCertificates(client, [type]), desired.keyFingerprint);
  const [oldest, ...others] = raceCandidates(listed, plan, ctx.now);
  if (!oldest) return ours;
  const duplicates = new Map(others.map((c) => [c.resource.id, c]));
  if (ours.resource.id !== oldest.resource.id) duplicates.set(ours.resource.id, ours);
  if (duplicates.size === 0) return ours;
  await Promise.all([...duplicates.keys()].map((id) => revokeDuplicate(client, id)));
  logger.info(
    `Certificate ${type}: other jobs created certificates for the same key at the same time; adopted the oldest, ${oldest.info.serialNumber}, and revoked the duplicates ${[...duplicates.values()].map((c) => c.info.serialNumber).join(", ")}`,
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

async function ensureDevice(ctx: ApplyContext, d: DeviceRequest, resent = false): Promise<DeviceResource> {
  try {
    const device = await registerDevice(ctx.client, d);
    ctx.logger.info(`Device ${d.udid} ("${d.name}"): registered`);
    return device;
  } catch (error) {
    if (!isConflict(error) && !isUnknownOutcome(error)) throw error;
    const found = (await listDevices(ctx.client, { udids: [d.udid] })).find(
      (x) => x.attributes?.udid?.toLowerCase() === d.udid.toLowerCase(),
    );
    if (!found && isUnknownOutcome(error) && !resent) return ensureDevice(ctx, d, true);
    if (!found) throw error;
    ctx.logger.info(`Device ${d.udid}: registered concurrently, adopted ${found.id}`);
    return found;
  }
}

async function ensureProfile(
  ctx: ApplyContext,
  b: BundlePlan,
  target: {
    bundleIdId: string;
    certificate: CandidateCertificate;
    deviceIds: string[];
    deviceUdids: string[];
  },
): Promise<{ resource: ProfileResource; info: ProvisioningProfileInfo }> {
  const { client, desired, logger } = ctx;
  const create = async (): Promise<{ resource: ProfileResource; info: ProvisioningProfileInfo }> => {
    const resource = await createProfile(client, {
      name: b.profileName,
      profileType: desired.config.profileType,
      bundleIdId: target.bundleIdId,
      certificateIds: [target.certificate.resource.id],
      deviceIds: desired.needsDevices ? target.deviceIds : [],
    });
    const info = readProvisioningProfile(resource.attributes?.profileContent ?? "", {
      label: b.profileName,
      ...(ctx.trustedProfileRoots ? { trustedRootsDer: ctx.trustedProfileRoots } : {}),
    });
    logger.info(
      `Profile "${b.profileName}": ${b.profile.kind === "create" && b.profile.repair ? "repaired" : "created"} ${info.uuid} (${(b.profile as { reason: string }).reason})`,
    );
    return { resource, info };
  };
  try {
    return await create();
  } catch (error) {
    if (!isConflict(error) && !isUnknownOutcome(error)) throw error;
    // Lost a race, our create went through unseen, or a profile we could not see blocks the name.
    const found = await findProfilesByName(client, [b.profileName]);
    const stale: string[] = [];
    for (const f of found) {
      let info: ProvisioningProfileInfo | undefined;
      try {
        info = readProvisioningProfile(f.resource.attributes?.profileContent ?? "", {
          ...(ctx.trustedProfileRoots ? { trustedRootsDer: ctx.trustedProfileRoots } : {}),
        });
      } catch {
        info = undefined;
      }
      const verdict = evaluateProfile(f, info, {
        profileType: desired.config.profileType,
        bundleIdId: target.bundleIdId,
        bundleIdentifier: b.request.identifier,
        certificateSha1: target.certificate.info.sha1,
        deviceUdids: desired.needsDevices ? target.deviceUdids : [],
        minDaysValid: desired.config.minDaysValid,
        now: ctx.now,
        capabilities: b.capabilitiesAfter,
      });
      if (verdict.reusable && info) {
        logger.info(`Profile "${b.profileName}": adopted ${info.uuid}, created concurrently`);
        return { resource: f.resource, info };
      }
      stale.push(f.resource.id);
    }
    if (stale.length === 0 && isConflict(error)) throw error;
    await Promise.all(stale.map((id) => deleteProfile(client, id)));
    if (stale.length > 0)
      logger.info(`Profile "${b.profileName}": removed ${stale.length} stale profile(s) blocking the name`);
    return await create();
  }
}
