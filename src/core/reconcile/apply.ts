// Carries out a plan in dependency order, each wave as concurrent as dependencies allow:
//   1. bundle IDs, certificate, devices, capabilities of existing bundle IDs, deletion of stale profiles
//   2. capabilities of the bundle IDs created in wave 1
//   3. profiles
// A new certificate's race settling (guard wait, re-read, revoking same-key duplicates) runs alongside
// waves 2 and 3; a profile made with a certificate that loses is replaced afterwards (rare: jobs racing).
// A write whose outcome is unknown, or that lost a race to another job, is settled by re-reading.
import { createBundleId, findBundleIds } from "../asc/bundle-ids.ts";
import { disableCapability, enableCapability, updateCapability } from "../asc/capabilities.ts";
import { listDevices, registerDevice, setDeviceStatus } from "../asc/devices.ts";
import type { AscClient } from "../asc/http.ts";
import { createProfile, deleteProfile, findProfilesByName } from "../asc/profiles.ts";
import type { BundleIdResource, DeviceResource, ProfileResource } from "../asc/types.ts";
import type { DeviceRequest } from "../config.ts";
import { AscApiError, AscProvisionError, isConflict, isUnknownOutcome } from "../errors.ts";
import type { Clock, Logger, Sleep } from "../ports.ts";
import type { ProvisioningProfileInfo } from "../signing/provisioning-profile.ts";
import {
  certificateRaceGuard,
  createOurCertificate,
  joinCertificateRace,
  mayStillBeRacing,
  settleCertificateRace,
} from "./certificate-apply.ts";
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
  // A certificate adopted so soon after it was created that the jobs which created it may still be
  // settling their race is settled like a new one, without revoking: the job joins the race.
  const joined =
    plan.certificate.kind === "adopt" && mayStillBeRacing(ctx, plan.certificate.candidate)
      ? plan.certificate.candidate
      : undefined;
  // While the certificate may still change, the profiles that hold the name were judged against one
  // that may lose: one of them may be the winner's, made by another job. They are re-read and judged
  // after the settling instead (adoptOrClear), and deleted only then.
  const mayRace = plan.certificate.kind === "create" || joined !== undefined;

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
    ...(plan.devices?.enable ?? []).map((d) => () => reenableDevice(ctx, d)),
    ...plan.bundles
      .filter((b) => b.existing)
      .map((b) => () => applyCapabilities(ctx, b, b.existing!.resource.id)),
    ...plan.bundles.flatMap((b) =>
      b.profile.kind === "create" && !mayRace
        ? b.profile.deleteIds.map((id) => async () => {
            const deleted = await deleteProfile(ctx.client, id);
            logger.info(
              `Profile "${b.profileName}" (${id}): ${deleted ? "deleted" : "already gone"} (${reasonOf(b)})`,
            );
          })
        : [],
    ),
  ]);

  // A new certificate is settled against racing jobs (the guard's wait, then a read) while the
  // capabilities of new bundle IDs and the profiles go out with it, optimistically: a profile is kept
  // only if the certificate it was made with is the one the settling adopts. Nothing is deleted before
  // the settling (a job still holding a certificate that may lose never removes another job's profile).
  // A certificate adopted while it may still be racing (`joined`) is settled the same way.
  const created = plan.certificate.kind === "create" ? certificate : undefined;
  const racing = created ?? joined;
  const settling = created
    ? (async () => {
        await certificateRaceGuard(ctx, created);
        return settleCertificateRace(ctx, created, plan);
      })()
    : joined
      ? joinCertificateRace(ctx, joined)
      : undefined;
  settling?.catch(() => {});

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
  const targetFor = (b: BundlePlan, cert: CandidateCertificate) => ({
    bundleIdId: bundleIds.get(b.request.identifier)!.id,
    certificate: cert,
    deviceIds,
    deviceUdids,
  });
  const record = (b: BundlePlan, made: MadeProfile) =>
    profiles.set(b.request.identifier, {
      ...made,
      outcome: b.profile.kind === "create" && b.profile.repair ? "repaired" : "created",
      reason: reasonOf(b),
    });

  const profiles = new Map<string, AppliedProfile>();
  /** Profiles made with `racing` before the settling; a conflict leaves the bundle to the second pass. */
  const optimistic = new Map<string, MadeProfile>();
  const first = (async () => {
    await wave(
      plan.bundles
        .filter((b) => !b.existing)
        .map((b) => () => applyCapabilities(ctx, b, bundleIds.get(b.request.identifier)!.id)),
    );
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
        if (!racing) {
          record(b, await ensureProfile(ctx, b, targetFor(b, certificate!)));
          return;
        }
        try {
          optimistic.set(b.request.identifier, await createProfileOnce(ctx, b, targetFor(b, racing)));
        } catch (error) {
          if (!isConflict(error) && !isUnknownOutcome(error)) throw error;
        }
      }),
    );
  })();
  const [firstOutcome, settled] = await Promise.allSettled([first, settling]);
  if (firstOutcome.status === "rejected") throw firstOutcome.reason;
  if (settled.status === "rejected") throw settled.reason;

  const cert = settled.value ?? certificate!;
  if (racing) {
    // Second pass, for a profile whose create conflicted, or made (or reused) with a certificate that
    // lost the race (revoked by now or soon, which makes the profile INVALID): re-read by name, adopt one
    // valid for the adopted certificate, else replace what blocks the name.
    const won = cert.resource.id === racing.resource.id;
    await wave(
      plan.bundles.map((b) => async () => {
        if (won && b.profile.kind === "reuse") return;
        const made = optimistic.get(b.request.identifier);
        if (made && won) {
          record(b, made);
          return;
        }
        // Re-read first: what holds the name may be ours, made with the losing certificate.
        const settled = await adoptOrClear(ctx, b, targetFor(b, cert));
        const replaced = settled.adopted ?? (await ensureProfile(ctx, b, targetFor(b, cert)));
        if (b.profile.kind === "create") record(b, replaced);
        else
          profiles.set(b.request.identifier, {
            ...replaced,
            outcome: "repaired",
            reason: "its certificate lost a race between jobs creating one for the same key",
          });
      }),
    );
  }
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

/**
 * Re-enables a listed DISABLED device (reenable-devices: true) and checks Apple's answer: a device that
 * stays DISABLED fails the run naming it, before any profile is made without it (a profile missing a
 * device the user listed would fail later on that device, and the create would be refused with a 409).
 */
async function reenableDevice(ctx: ApplyContext, d: DeviceResource): Promise<void> {
  const answered = await setDeviceStatus(ctx.client, d.id, "ENABLED");
  const status = answered?.attributes?.status;
  const name = d.attributes?.name ? `"${d.attributes.name}" ` : "";
  const udid = d.attributes?.udid ?? d.id;
  if (status !== "ENABLED")
    throw new AscProvisionError(
      `Device ${name}(${udid}, id ${d.id}): App Store Connect answered the request to re-enable it (reenable-devices: true) with status ${status ?? "(none)"}, so it cannot be provisioned. Enable it in Certificates, Identifiers & Profiles > Devices (the portal says why Apple keeps it disabled), or remove it from \`devices\` (and \`device-selection\`).`,
    );
  ctx.logger.info(`Device ${name}${udid}: re-enabled`);
}

interface MadeProfile {
  resource: ProfileResource;
  info: ProvisioningProfileInfo;
}

interface ProfileTarget {
  bundleIdId: string;
  certificate: CandidateCertificate;
  deviceIds: string[];
  deviceUdids: string[];
}

/** One create of the bundle's profile, read back; errors as they come. */
async function createProfileOnce(
  ctx: ApplyContext,
  b: BundlePlan,
  target: ProfileTarget,
): Promise<MadeProfile> {
  const { client, desired, logger } = ctx;
  const resource = await createProfile(client, {
    name: b.profileName,
    profileType: desired.config.profileType,
    bundleIdId: target.bundleIdId,
    certificateIds: [target.certificate.resource.id],
    deviceIds: desired.needsDevices ? target.deviceIds : [],
  });
  const info = readProfileContent(resource.attributes?.profileContent, b.profileName);
  logger.info(
    `Profile "${b.profileName}": ${b.profile.kind === "create" && b.profile.repair ? "repaired" : "created"} ${info.uuid} (${reasonOf(b)})`,
  );
  return { resource, info };
}

/**
 * The bundle's profile for `target`: created; on a conflict or an unknown outcome (a race lost, our create
 * gone through unseen, a profile we could not see blocking the name) settled by `adoptOrClear`, then
 * created again if nothing could be adopted.
 */
async function ensureProfile(ctx: ApplyContext, b: BundlePlan, target: ProfileTarget): Promise<MadeProfile> {
  try {
    return await createProfileOnce(ctx, b, target);
  } catch (error) {
    if (!isConflict(error) && !isUnknownOutcome(error)) throw error;
    const settled = await adoptOrClear(ctx, b, target);
    if (settled.adopted) return settled.adopted;
    if (settled.deleted === 0 && isConflict(error)) throw error;
    return await createProfileOnce(ctx, b, target);
  }
}

/**
 * Re-reads the profiles of the bundle's name: adopts one valid for `target`, otherwise deletes those that
 * hold the name (made with another certificate, stale, or invalid).
 */
async function adoptOrClear(
  ctx: ApplyContext,
  b: BundlePlan,
  target: ProfileTarget,
): Promise<{ adopted?: MadeProfile; deleted: number }> {
  const { client, desired, logger } = ctx;
  const found = await findProfilesByName(client, [b.profileName]);
  const stale: string[] = [];
  for (const f of found) {
    let info: ProvisioningProfileInfo | undefined;
    try {
      info = readProfileContent(f.resource.attributes?.profileContent);
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
      return { adopted: { resource: f.resource, info }, deleted: 0 };
    }
    stale.push(f.resource.id);
  }
  await Promise.all(stale.map((id) => deleteProfile(client, id)));
  if (stale.length > 0)
    logger.info(`Profile "${b.profileName}": removed ${stale.length} stale profile(s) blocking the name`);
  return { deleted: stale.length };
}

/** Why a bundle's profile is (re)created or reused, for the log. */
function reasonOf(b: BundlePlan): string {
  return b.profile.kind === "create" ? b.profile.reason : "valid";
}
