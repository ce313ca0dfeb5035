// Carries out a plan in dependency order, each wave as concurrent as dependencies allow:
//   1. bundle IDs, certificate, devices, capabilities of existing bundle IDs, deletion of stale profiles
//   2. capabilities of the bundle IDs created in wave 1
//   3. profiles
// A write whose outcome is unknown, or that lost a race to another job, is settled by re-reading.
import { createBundleId, findBundleIds } from "../asc/bundle-ids.ts";
import { disableCapability, enableCapability, updateCapability } from "../asc/capabilities.ts";
import { listDevices, registerDevice, setDeviceStatus } from "../asc/devices.ts";
import type { AscClient } from "../asc/http.ts";
import { createProfile, deleteProfile, findProfilesByName } from "../asc/profiles.ts";
import type { BundleIdResource, DeviceResource, ProfileResource } from "../asc/types.ts";
import type { DeviceRequest } from "../config.ts";
import { AscApiError, isConflict, isUnknownOutcome } from "../errors.ts";
import type { Clock, Logger, Sleep } from "../ports.ts";
import type { ProvisioningProfileInfo } from "../signing/provisioning-profile.ts";
import { certificateRaceGuard, createOurCertificate, settleCertificateRace } from "./certificate-apply.ts";
import type { CandidateCertificate } from "./certificate-decision.ts";
import type { DesiredState } from "./desired-state.ts";
import { isCompatibleDevice } from "./device-plan.ts";
import type { BundlePlan, Plan } from "./plan.ts";
import { readProfileContent } from "./profile-content.ts";
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
              `Profile "${b.profileName}" (${id}): ${deleted ? "deleted" : "already gone"} (${reasonOf(b)})`,
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
    const info = readProfileContent(
      resource.attributes?.profileContent,
      ctx.trustedProfileRoots,
      b.profileName,
    );
    logger.info(
      `Profile "${b.profileName}": ${b.profile.kind === "create" && b.profile.repair ? "repaired" : "created"} ${info.uuid} (${reasonOf(b)})`,
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
        info = readProfileContent(f.resource.attributes?.profileContent, ctx.trustedProfileRoots);
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

/** Why a bundle's profile is (re)created or reused, for the log. */
function reasonOf(b: BundlePlan): string {
  return b.profile.kind === "create" ? b.profile.reason : "valid";
}
