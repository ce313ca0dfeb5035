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
import { createProfile, deleteProfile, findProfilesByName } from "../asc/profiles.ts";
import type { BundleIdResource, DeviceResource, ProfileResource } from "../asc/types.ts";
import type { DeviceRequest } from "../config.ts";
import { AscApiError, AscProvisionError, isConflict, isUnknownOutcome } from "../errors.ts";
import type { ProvisioningProfileInfo } from "../signing/provisioning-profile.ts";
import { type ApplyContext, wave } from "./apply-context.ts";
import {
  certificateRaceGuard,
  createOurCertificate,
  joinCertificateRace,
  mayStillBeRacing,
  settleCertificateRace,
} from "./certificate-apply.ts";
import type { CandidateCertificate } from "./certificate-decision.ts";
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

export async function applyPlan(plan: Plan, ctx: ApplyContext): Promise<Applied> {
  // A certificate adopted so soon after it was created that the jobs which created it may still be
  // settling their race is settled like a new one, without revoking: the job joins the race.
  const joined =
    plan.certificate.kind === "adopt" && mayStillBeRacing(ctx, plan.certificate.candidate)
      ? plan.certificate.candidate
      : undefined;
  const state: ApplyState = {
    bundleIds: new Map(
      plan.bundles.flatMap((bundle) =>
        bundle.existing ? [[bundle.request.identifier, bundle.existing.resource] as const] : [],
      ),
    ),
    certificate: plan.certificate.kind === "adopt" ? plan.certificate.candidate : undefined,
    registered: [],
    profiles: new Map(),
    optimistic: new Map(),
  };
  await resourcesWave(plan, ctx, state, plan.certificate.kind === "create" || joined !== undefined);

  // A new certificate is settled against racing jobs (the guard's wait, then a read) while the
  // capabilities of new bundle IDs and the profiles go out with it, optimistically: a profile is kept
  // only if the certificate it was made with is the one the settling adopts. Nothing is deleted before
  // the settling (a job still holding a certificate that may lose never removes another job's profile).
  // A certificate adopted while it may still be racing (`joined`) is settled the same way.
  const created = plan.certificate.kind === "create" ? state.certificate : undefined;
  const racing = created ?? joined;
  const settling = created
    ? certificateRaceGuard(ctx, created).then(() => settleCertificateRace(ctx, created, plan))
    : joined
      ? joinCertificateRace(ctx, joined)
      : undefined;
  settling?.catch(() => {});
  const targetFor = profileTargets(plan, ctx, state);
  const [profilesOutcome, settled] = await Promise.allSettled([
    capabilitiesAndProfilesWaves(plan, ctx, state, targetFor, racing),
    settling,
  ]);
  if (profilesOutcome.status === "rejected") throw profilesOutcome.reason;
  if (settled.status === "rejected") throw settled.reason;

  const certificate = settled.value ?? state.certificate!;
  if (racing) await afterRaceWave(plan, ctx, state, targetFor, racing, certificate);
  return { bundleIds: state.bundleIds, certificate, profiles: state.profiles };
}

/** What the waves build up. */
interface ApplyState {
  bundleIds: Map<string, BundleIdResource>;
  certificate: CandidateCertificate | undefined;
  /** Devices registered by this run. */
  registered: DeviceResource[];
  profiles: Map<string, AppliedProfile>;
  /** Profiles made with a certificate still racing, kept only if it wins. */
  optimistic: Map<string, MadeProfile>;
}

type TargetFor = (bundle: BundlePlan, certificate: CandidateCertificate) => ProfileTarget;

/**
 * Wave 1: bundle IDs, the certificate, devices, capabilities of existing bundle IDs, and the deletion of
 * stale profiles. While the certificate may still change (`mayRace`), the profiles that hold the name were
 * judged against one that may lose: they are re-read and judged after the settling instead.
 */
async function resourcesWave(
  plan: Plan,
  ctx: ApplyContext,
  state: ApplyState,
  mayRace: boolean,
): Promise<void> {
  await wave([
    ...plan.bundles
      .filter((bundle) => !bundle.existing)
      .map((bundle) => async () => {
        state.bundleIds.set(bundle.request.identifier, await ensureBundleId(ctx, bundle));
      }),
    ...(plan.certificate.kind === "create"
      ? [
          async () => {
            state.certificate = await createOurCertificate(ctx, plan);
          },
        ]
      : []),
    ...(plan.devices?.register ?? []).map((device) => async () => {
      state.registered.push(await ensureDevice(ctx, device));
    }),
    ...(plan.devices?.enable ?? []).map((device) => () => reenableDevice(ctx, device)),
    ...plan.bundles
      .filter((bundle) => bundle.existing)
      .map((bundle) => () => applyCapabilities(ctx, bundle, bundle.existing!.resource.id)),
    ...plan.bundles.flatMap((bundle) =>
      bundle.profile.kind === "create" && !mayRace
        ? bundle.profile.deleteIds.map((id) => async () => {
            const deleted = await deleteProfile(ctx.client, id);
            ctx.logger.info(
              `Profile "${bundle.profileName}" (${id}): ${deleted ? "deleted" : "already gone"} (${reasonOf(bundle)})`,
            );
          })
        : [],
    ),
  ]);
}

/** What a profile is made of once wave 1 is done: its bundle ID, a certificate, the selected devices. */
function profileTargets(plan: Plan, ctx: ApplyContext, state: ApplyState): TargetFor {
  const deviceIds = [
    ...(plan.devices?.selected ?? []).map((device) => device.id),
    ...state.registered
      .filter((device) =>
        plan.devices?.selectedNew.some(
          (wanted) => wanted.udid.toLowerCase() === device.attributes?.udid?.toLowerCase(),
        ),
      )
      .filter((device) => isCompatibleDevice(device, ctx.desired.rule))
      .map((device) => device.id),
  ];
  const deviceUdids = [
    ...(plan.devices?.selected ?? []).map((device) => device.attributes?.udid ?? ""),
    ...state.registered
      .filter((device) => deviceIds.includes(device.id))
      .map((device) => device.attributes?.udid ?? ""),
  ];
  return (bundle, certificate) => ({
    bundleIdId: state.bundleIds.get(bundle.request.identifier)!.id,
    certificate,
    deviceIds,
    deviceUdids,
  });
}

/** Records a profile this run made for `bundle`. */
function recordMade(state: ApplyState, bundle: BundlePlan, made: MadeProfile): void {
  state.profiles.set(bundle.request.identifier, {
    ...made,
    outcome: bundle.profile.kind === "create" && bundle.profile.repair ? "repaired" : "created",
    reason: reasonOf(bundle),
  });
}

/**
 * Waves 2 and 3: the capabilities of the bundle IDs created in wave 1, then the profiles. With a
 * certificate still racing, each profile is made once with it; a conflict leaves the bundle to the pass
 * after the race.
 */
async function capabilitiesAndProfilesWaves(
  plan: Plan,
  ctx: ApplyContext,
  state: ApplyState,
  targetFor: TargetFor,
  racing: CandidateCertificate | undefined,
): Promise<void> {
  await wave(
    plan.bundles
      .filter((bundle) => !bundle.existing)
      .map(
        (bundle) => () => applyCapabilities(ctx, bundle, state.bundleIds.get(bundle.request.identifier)!.id),
      ),
  );
  await wave(
    plan.bundles.map((bundle) => async () => {
      if (bundle.profile.kind === "reuse") {
        state.profiles.set(bundle.request.identifier, {
          resource: bundle.profile.found.resource,
          info: bundle.profile.info,
          outcome: "reused",
          reason: "valid",
        });
        return;
      }
      if (!racing) {
        recordMade(state, bundle, await ensureProfile(ctx, bundle, targetFor(bundle, state.certificate!)));
        return;
      }
      try {
        state.optimistic.set(
          bundle.request.identifier,
          await createProfileOnce(ctx, bundle, targetFor(bundle, racing)),
        );
      } catch (error) {
        if (!isConflict(error) && !isUnknownOutcome(error)) throw error;
      }
    }),
  );
}

/**
 * After the race: a profile whose create conflicted, or made (or reused) with a certificate that lost
 * (revoked by now or soon, which makes the profile INVALID), is re-read by name: one valid for the
 * adopted certificate is adopted, else what blocks the name is replaced.
 */
async function afterRaceWave(
  plan: Plan,
  ctx: ApplyContext,
  state: ApplyState,
  targetFor: TargetFor,
  racing: CandidateCertificate,
  certificate: CandidateCertificate,
): Promise<void> {
  const won = certificate.resource.id === racing.resource.id;
  await wave(
    plan.bundles.map((bundle) => async () => {
      if (won && bundle.profile.kind === "reuse") return;
      const made = state.optimistic.get(bundle.request.identifier);
      if (made && won) {
        recordMade(state, bundle, made);
        return;
      }
      // Re-read first: what holds the name may be ours, made with the losing certificate.
      const settled = await adoptOrClear(ctx, bundle, targetFor(bundle, certificate));
      const replaced = settled.adopted ?? (await ensureProfile(ctx, bundle, targetFor(bundle, certificate)));
      if (bundle.profile.kind === "create") recordMade(state, bundle, replaced);
      else
        state.profiles.set(bundle.request.identifier, {
          ...replaced,
          outcome: "repaired",
          reason: "its certificate lost a race between jobs creating one for the same key",
        });
    }),
  );
}

async function ensureBundleId(
  ctx: ApplyContext,
  bundle: BundlePlan,
  resent = false,
): Promise<BundleIdResource> {
  const { client, desired, logger } = ctx;
  try {
    const created = await createBundleId(client, {
      identifier: bundle.request.identifier,
      name: bundle.request.name,
      platform: desired.config.platform,
    });
    logger.info(`Bundle ID ${bundle.request.identifier}: created (${created.id})`);
    return created;
  } catch (error) {
    if (!isConflict(error) && !isUnknownOutcome(error)) throw error;
    // Another job created it, or our create went through before the answer was lost: adopt it.
    const found = (await findBundleIds(client, [bundle.request.identifier])).get(bundle.request.identifier);
    // The re-read shows an unknown-outcome create did not take effect: send it once more.
    if (!found && isUnknownOutcome(error) && !resent) return ensureBundleId(ctx, bundle, true);
    if (!found) throw error;
    logger.info(`Bundle ID ${bundle.request.identifier}: adopted ${found.resource.id} created concurrently`);
    return found.resource;
  }
}

async function applyCapabilities(ctx: ApplyContext, bundle: BundlePlan, bundleIdId: string): Promise<void> {
  const { client, logger } = ctx;
  await Promise.all(
    bundle.capabilityChanges.map(async (change) => {
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
      logger.info(
        `Capability ${change.type} on ${bundle.request.identifier}: ${change.kind}d (${change.reason})`,
      );
    }),
  );
}

async function ensureDevice(
  ctx: ApplyContext,
  request: DeviceRequest,
  resent = false,
): Promise<DeviceResource> {
  try {
    const device = await registerDevice(ctx.client, request);
    ctx.logger.info(`Device ${request.udid} ("${request.name}"): registered`);
    return device;
  } catch (error) {
    if (!isConflict(error) && !isUnknownOutcome(error)) throw error;
    const found = (await listDevices(ctx.client, { udids: [request.udid] })).find(
      (listed) => listed.attributes?.udid?.toLowerCase() === request.udid.toLowerCase(),
    );
    if (!found && isUnknownOutcome(error) && !resent) return ensureDevice(ctx, request, true);
    if (!found) throw error;
    ctx.logger.info(`Device ${request.udid}: registered concurrently, adopted ${found.id}`);
    return found;
  }
}

/**
 * Re-enables a listed DISABLED device (reenable-devices: true) and checks Apple's answer: a device that
 * stays DISABLED fails the run naming it, before any profile is made without it (a profile missing a
 * device the user listed would fail later on that device, and the create would be refused with a 409).
 */
async function reenableDevice(ctx: ApplyContext, device: DeviceResource): Promise<void> {
  const answered = await setDeviceStatus(ctx.client, device.id, "ENABLED");
  const status = answered?.attributes?.status;
  const name = device.attributes?.name ? `"${device.attributes.name}" ` : "";
  const udid = device.attributes?.udid ?? device.id;
  if (status !== "ENABLED")
    throw new AscProvisionError(
      `Device ${name}(${udid}, id ${device.id}): App Store Connect answered the request to re-enable it (reenable-devices: true) with status ${status ?? "(none)"}, so it cannot be provisioned. Enable it in Certificates, Identifiers & Profiles > Devices (the portal says why Apple keeps it disabled), or remove it from \`devices\` (and \`device-selection\`).`,
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
  bundle: BundlePlan,
  target: ProfileTarget,
): Promise<MadeProfile> {
  const { client, desired, logger } = ctx;
  const resource = await createProfile(client, {
    name: bundle.profileName,
    profileType: desired.config.profileType,
    bundleIdId: target.bundleIdId,
    certificateIds: [target.certificate.resource.id],
    deviceIds: desired.needsDevices ? target.deviceIds : [],
  });
  const info = readProfileContent(resource.attributes?.profileContent, bundle.profileName);
  logger.info(
    `Profile "${bundle.profileName}": ${bundle.profile.kind === "create" && bundle.profile.repair ? "repaired" : "created"} ${info.uuid} (${reasonOf(bundle)})`,
  );
  return { resource, info };
}

/**
 * The bundle's profile for `target`: created; on a conflict or an unknown outcome (a race lost, our create
 * gone through unseen, a profile we could not see blocking the name) settled by `adoptOrClear`, then
 * created again if nothing could be adopted.
 */
async function ensureProfile(
  ctx: ApplyContext,
  bundle: BundlePlan,
  target: ProfileTarget,
): Promise<MadeProfile> {
  try {
    return await createProfileOnce(ctx, bundle, target);
  } catch (error) {
    if (!isConflict(error) && !isUnknownOutcome(error)) throw error;
    const settled = await adoptOrClear(ctx, bundle, target);
    if (settled.adopted) return settled.adopted;
    if (settled.deleted === 0 && isConflict(error)) throw error;
    return await createProfileOnce(ctx, bundle, target);
  }
}

/**
 * Re-reads the profiles of the bundle's name: adopts one valid for `target`, otherwise deletes those that
 * hold the name (made with another certificate, stale, or invalid).
 */
async function adoptOrClear(
  ctx: ApplyContext,
  bundle: BundlePlan,
  target: ProfileTarget,
): Promise<{ adopted?: MadeProfile; deleted: number }> {
  const { client, desired, logger } = ctx;
  const found = await findProfilesByName(client, [bundle.profileName]);
  const stale: string[] = [];
  for (const profile of found) {
    let info: ProvisioningProfileInfo | undefined;
    try {
      info = readProfileContent(profile.resource.attributes?.profileContent);
    } catch {
      info = undefined;
    }
    const verdict = evaluateProfile(profile, info, {
      profileType: desired.config.profileType,
      bundleIdId: target.bundleIdId,
      bundleIdentifier: bundle.request.identifier,
      certificateSha1: target.certificate.info.sha1,
      deviceUdids: desired.needsDevices ? target.deviceUdids : [],
      minDaysValid: desired.config.minDaysValid,
      now: ctx.now,
      capabilities: bundle.capabilitiesAfter,
    });
    if (verdict.reusable && info) {
      logger.info(`Profile "${bundle.profileName}": adopted ${info.uuid}, created concurrently`);
      return { adopted: { resource: profile.resource, info }, deleted: 0 };
    }
    stale.push(profile.resource.id);
  }
  await Promise.all(stale.map((id) => deleteProfile(client, id)));
  if (stale.length > 0)
    logger.info(
      `Profile "${bundle.profileName}": removed ${stale.length} stale profile(s) blocking the name`,
    );
  return { deleted: stale.length };
}

/** Why a bundle's profile is (re)created or reused, for the log. */
function reasonOf(bundle: BundlePlan): string {
  return bundle.profile.kind === "create" ? bundle.profile.reason : "valid";
}
