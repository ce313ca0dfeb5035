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

  await wave([
    ...plan.bundles
      .filter((b) => !b.existing)
      .map((b) => () => applyCapabilities(ctx, b, bundleIds.get(b.request.identifier)!.id)),
    ...(plan.certificate.kind === "create"
      ? [
          async () => {
            certificate = await settleCertificateRace(ctx, certificate!);
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

async function ensureBundleId(ctx: ApplyContext, b: BundlePlan): Promise<BundleIdResource> {
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
    if (!found) throw error;
    logger.info(`Bundle ID ${b.request.identifier}: adopted ${found.resource.id} created concurrently`);
    return found.resource;
  }
}

async function applyCapabilities(ctx: ApplyContext, b: BundlePlan, bundleIdId: string): Promise<void> {
  const { client, logger } = ctx;
  await Promise.all(
    b.capabilityChanges.map(async (change) => {
      try {
        if (change.kind === "enable")
          await enableCapability(client, bundleIdId, change.type, change.settings);
        else if (change.kind === "update")
          await updateCapability(client, change.capabilityId, change.type, change.settings);
        else await disableCapability(client, change.capabilityId);
      } catch (error) {
        // Enabled concurrently by another job: the state we want is there.
        if (!(change.kind === "enable" && isConflict(error) && /already|exist/i.test(error.detail)))
          throw error;
      }
      logger.info(`Capability ${change.type} on ${b.request.identifier}: ${change.kind}d (${change.reason})`);
    }),
  );
}

async function createOurCertificate(ctx: ApplyContext, plan: Plan): Promise<CandidateCertificate> {
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
      const again = candidateCertificates(await listCertificates(client, [type]), desired.keyFingerprint)
        .filter((c) => c.matchesKey && c.info.notAfter.getTime() > ctx.now)
        .sort((a, b) => b.info.notAfter.getTime() - a.info.notAfter.getTime());
      const renewing = decision.renewing;
      const adopted = renewing
        ? again.find((c) => c.info.serialNumber !== renewing.info.serialNumber)
        : again[0];
      if (adopted) {
        logger.info(`Certificate ${type}: the create went through, adopted ${adopted.info.serialNumber}`);
        return adopted;
      }
    }
    if (
      isConflict(error) &&
      /already have a current|pending certificate request|maximum/i.test(`${error.detail} ${error.title}`)
    )
      throw certificateLimitError(type, plan.candidates, error);
    throw error;
  }
}

/**
 * Jobs that start together on an account without a certificate for the key each create one. They
 * converge on the oldest (notBefore, then serial): once every certificate issued in the same second as
 * ours is visible, a job whose certificate is not the oldest revokes its own fresh duplicate (the only
 * certificate this action ever revokes) and adopts the oldest.
 */
async function settleCertificateRace(
  ctx: ApplyContext,
  ours: CandidateCertificate,
): Promise<CandidateCertificate> {
  const { client, desired, logger } = ctx;
  const issuedSecond = Math.floor(ours.info.notBefore.getTime() / 1000) * 1000;
  const wait = Math.min(1500, issuedSecond + 1000 + 250 - ctx.clock.now());
  if (wait > 0) await ctx.sleep(wait);
  const type = ours.resource.attributes?.certificateType as CertificateType;
  const oldest = candidateCertificates(await listCertificates(client, [type]), desired.keyFingerprint)
    .filter(
      (c) =>
        c.matchesKey && c.info.notAfter.getTime() > ctx.now && c.resource.attributes?.activated !== false,
    )
    .sort(
      (a, b) =>
        a.info.notBefore.getTime() - b.info.notBefore.getTime() ||
        a.info.serialNumber.localeCompare(b.info.serialNumber),
    )[0];
  if (!oldest || oldest.resource.id === ours.resource.id) return ours;
  await client.delete(`/v1/certificates/${encodeURIComponent(ours.resource.id)}`);
  logger.info(
    `Certificate ${type}: another job created ${oldest.info.serialNumber} for the same key at the same time; revoked our duplicate ${ours.info.serialNumber} and adopted it`,
  );
  return oldest;
}

async function ensureDevice(ctx: ApplyContext, d: DeviceRequest): Promise<DeviceResource> {
  try {
    const device = await registerDevice(ctx.client, d);
    ctx.logger.info(`Device ${d.udid} ("${d.name}"): registered`);
    return device;
  } catch (error) {
    if (!isConflict(error) && !isUnknownOutcome(error)) throw error;
    const found = (await listDevices(ctx.client, { udids: [d.udid] })).find(
      (x) => x.attributes?.udid?.toLowerCase() === d.udid.toLowerCase(),
    );
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
