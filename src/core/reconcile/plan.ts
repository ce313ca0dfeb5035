// Decides, from the desired and the current state, every write the run needs, each with its reason.
// Pure: no requests. The plan is printable as text and JSON.
import type { FoundBundleId } from "../asc/bundle-ids.ts";
import { capabilityTypeOf } from "../asc/capabilities.ts";
import type { FoundProfile } from "../asc/profiles.ts";
import type { BundleIdRequest } from "../config.ts";
import { InputError } from "../errors.ts";
import type { PlanStep } from "../result.ts";
import type { ProvisioningProfileInfo } from "../signing/provisioning-profile.ts";
import { type CapabilityChange, capabilitiesOfNewBundleId, diffCapabilities } from "./capability-diff.ts";
import {
  type CandidateCertificate,
  type CertificateDecision,
  candidateCertificates,
  decideCertificate,
} from "./certificate-decision.ts";
import { certificateTypeToCreate, type DesiredState } from "./desired-state.ts";
import { type DevicePlan, planDevices } from "./device-plan.ts";
import { readProfileContent } from "./profile-content.ts";
import { evaluateProfile } from "./profile-validity.ts";
import type { CurrentState } from "./read-state.ts";

export type ProfileDecision =
  | { kind: "reuse"; found: FoundProfile; info: ProvisioningProfileInfo }
  | { kind: "create"; reason: string; repair: boolean; deleteIds: string[] };

export interface BundlePlan {
  request: BundleIdRequest;
  profileName: string;
  existing: FoundBundleId | undefined;
  capabilityChanges: CapabilityChange[];
  /** Capability types enabled after the run. */
  capabilitiesAfter: string[];
  profile: ProfileDecision;
}

export interface Plan {
  certificate: CertificateDecision;
  candidates: CandidateCertificate[];
  devices: DevicePlan | undefined;
  bundles: BundlePlan[];
  steps: PlanStep[];
}

export interface PlanOptions {
  now: number;
}

export function makePlan(desired: DesiredState, current: CurrentState, options: PlanOptions): Plan {
  const { config, rule } = desired;
  if (current.host === "enterprise" && config.platform === "UNIVERSAL")
    throw new InputError([
      {
        input: "platform",
        message:
          "the Enterprise Program API has no UNIVERSAL bundle IDs (its platforms are IOS and MAC_OS): use IOS, or leave `platform` empty.",
      },
    ]);
  const candidates = candidateCertificates(current.certificates, desired.keyFingerprint);
  const certificate = decideCertificate(candidates, {
    now: options.now,
    renewDays: config.certificateRenewDays,
    types: desired.certificateTypes,
    createType: certificateTypeToCreate(desired, current.host),
  });
  const devices = current.devices ? planDevices(config, rule, current.devices) : undefined;
  if (devices && devices.problems.length > 0) throw new InputError(devices.problems);

  const certificateSha1 = certificate.kind === "adopt" ? certificate.candidate.info.sha1 : undefined;
  const deviceUdids = devices
    ? [
        ...devices.selected.map((device) => device.attributes?.udid ?? ""),
        ...devices.selectedNew.map((request) => request.udid),
      ]
    : [];

  const bundles: BundlePlan[] = config.bundleIds.map((request) => {
    const existing = current.bundleIds.get(request.identifier);
    const wanted = config.capabilities.filter((capability) => capability.bundleId === request.identifier);
    const capabilitiesBefore = existing?.capabilities ?? capabilitiesOfNewBundleId(config.platform);
    const capabilityChanges = diffCapabilities(capabilitiesBefore, wanted, config.capabilitiesExclusive);
    const before = capabilitiesBefore.map(capabilityTypeOf);
    const capabilitiesAfter = [
      ...before.filter(
        (type) => !capabilityChanges.some((change) => change.kind === "disable" && change.type === type),
      ),
      ...capabilityChanges.filter((change) => change.kind === "enable").map((change) => change.type),
    ];
    const profileName = desired.profileNames.get(request.identifier)!;
    const mine = current.profiles.filter((candidate) => candidate.resource.attributes?.name === profileName);
    const verdicts = mine.map((found) => {
      let info: ProvisioningProfileInfo | undefined;
      let unreadable: string | undefined;
      try {
        const content = found.resource.attributes?.profileContent;
        info = content ? readProfileContent(content) : undefined;
      } catch (error) {
        unreadable = error instanceof Error ? error.message : String(error);
      }
      const evaluated = evaluateProfile(found, info, {
        profileType: config.profileType,
        bundleIdId: existing?.resource.id,
        bundleIdentifier: request.identifier,
        certificateSha1,
        deviceUdids,
        minDaysValid: config.minDaysValid,
        now: options.now,
        capabilities: capabilityChanges.length > 0 ? undefined : capabilitiesAfter,
      });
      const verdict =
        !evaluated.reusable && unreadable && !info
          ? { reusable: false as const, reason: unreadable }
          : evaluated;
      return { found, info, verdict };
    });
    const reusable = verdicts
      .filter((candidate) => candidate.verdict.reusable && candidate.info)
      .sort((left, right) => right.info!.expirationDate.getTime() - left.info!.expirationDate.getTime())[0];
    let profile: ProfileDecision;
    if (reusable) profile = { kind: "reuse", found: reusable.found, info: reusable.info! };
    else {
      const first = verdicts[0];
      profile = {
        kind: "create",
        repair: first !== undefined,
        reason: first && !first.verdict.reusable ? first.verdict.reason : "no profile had this name",
        deleteIds: verdicts.map((candidate) => candidate.found.resource.id),
      };
    }
    return { request, profileName, existing, capabilityChanges, capabilitiesAfter, profile };
  });

  return { certificate, candidates, devices, bundles, steps: planSteps(certificate, devices, bundles) };
}

function planSteps(
  certificate: CertificateDecision,
  devices: DevicePlan | undefined,
  bundles: BundlePlan[],
): PlanStep[] {
  const steps: PlanStep[] = [];
  for (const bundle of bundles) {
    if (!bundle.existing)
      steps.push({ kind: "create-bundle-id", target: bundle.request.identifier, reason: "it did not exist" });
  }
  if (certificate.kind === "create")
    steps.push({
      kind: "create-certificate",
      target: certificate.certificateType,
      reason: certificate.reason,
    });
  for (const request of devices?.register ?? [])
    steps.push({
      kind: "register-device",
      target: request.udid,
      reason: `"${request.name}" is listed in devices and was not registered`,
    });
  for (const device of devices?.enable ?? [])
    steps.push({
      kind: "enable-device",
      target: device.attributes?.udid ?? device.id,
      reason: "it is listed in devices and was DISABLED, and reenable-devices is true",
    });
  for (const bundle of bundles) {
    for (const change of bundle.capabilityChanges)
      steps.push({
        kind: `${change.kind}-capability`,
        target: `${bundle.request.identifier} ${change.type}`,
        reason: change.reason,
      });
  }
  for (const bundle of bundles) {
    if (bundle.profile.kind !== "create") continue;
    for (const _ of bundle.profile.deleteIds)
      steps.push({ kind: "delete-profile", target: bundle.profileName, reason: bundle.profile.reason });
    steps.push({ kind: "create-profile", target: bundle.profileName, reason: bundle.profile.reason });
  }
  return steps;
}

/** The plan as a table: number, change, target, reason, each column aligned (two spaces apart). */
export function formatPlan(steps: PlanStep[]): string {
  if (steps.length === 0) return "No changes: everything is in place.";
  const numbers = steps.map((_, i) => `${i + 1}.`);
  const width = (values: string[]): number => Math.max(...values.map((value) => value.length));
  const numberWidth = width(numbers);
  const kindWidth = width(steps.map((step) => step.kind));
  const targetWidth = width(steps.map((step) => step.target));
  return steps
    .map(
      (step, i) =>
        `${numbers[i]!.padStart(numberWidth)} ${step.kind.padEnd(kindWidth)}  ${step.target.padEnd(targetWidth)}  ${step.reason}`,
    )
    .join("\n");
}
