// The ProvisionResult of a run: from the applied plan (apply, readonly without changes) or from the plan
// alone (plan mode, readonly drift), where only what can be reused as it is is reported.
import type { Config } from "./config.ts";
import type { Applied } from "./reconcile/apply.ts";
import type { CandidateCertificate } from "./reconcile/certificate-decision.ts";
import type { Plan } from "./reconcile/plan.ts";
import {
  type BundleIdResult,
  type CertificateResult,
  type ProvisionResult,
  profileResult,
} from "./result.ts";

function certificateResult(config: Config, plan: Plan, certificate: CandidateCertificate): CertificateResult {
  const { resource, info } = certificate;
  const attributes = resource.attributes ?? {};
  return {
    id: resource.id,
    certificateType: attributes.certificateType ?? "",
    serialNumber: info.serialNumber,
    sha1: info.sha1,
    commonName: info.commonName,
    name: attributes.name ?? attributes.displayName ?? info.commonName,
    expirationDate: info.notAfter.toISOString(),
    der: info.der,
    privateKey: config.certificate.privateKey,
    outcome: plan.certificate.kind === "adopt" ? "reused" : "created",
    reason: plan.certificate.reason,
  };
}

function bundleResults(plan: Plan, ids: Map<string, string>, planned: boolean): BundleIdResult[] {
  return plan.bundles.map((bundle) => ({
    identifier: bundle.request.identifier,
    id: ids.get(bundle.request.identifier) ?? "",
    outcome: bundle.existing ? "reused" : planned ? "planned" : "created",
    capabilities: bundle.capabilityChanges.map((change) => ({
      type: change.type,
      outcome: planned
        ? "planned"
        : change.kind === "enable"
          ? "created"
          : change.kind === "update"
            ? "updated"
            : "disabled",
      reason: change.reason,
    })),
  }));
}

export function applyResult(config: Config, plan: Plan, applied: Applied): ProvisionResult {
  const certificate = certificateResult(config, plan, applied.certificate);
  const profiles = config.bundleIds.map((request) => {
    const profile = applied.profiles.get(request.identifier)!;
    const found = plan.bundles.find((bundle) => bundle.request.identifier === request.identifier)?.existing;
    return profileResult({
      bundleId: request.identifier,
      bundleIdResourceId: applied.bundleIds.get(request.identifier)!.id,
      appId: found?.app?.id,
      id: profile.resource.id,
      profileType: config.profileType,
      uuid: profile.info.uuid,
      name: profile.info.name,
      expirationDate: profile.info.expirationDate,
      content: profile.resource.attributes?.profileContent,
      outcome: profile.outcome,
      reason: profile.reason,
    });
  });
  const teamId =
    applied.certificate.info.organizationalUnit ??
    [...applied.profiles.values()][0]?.info.teamId ??
    [...applied.bundleIds.values()][0]?.attributes?.seedId ??
    "";
  const ids = new Map([...applied.bundleIds].map(([identifier, resource]) => [identifier, resource.id]));
  return {
    mode: config.mode,
    teamId,
    certificate,
    bundleIds: bundleResults(plan, ids, false),
    profiles,
    plan: plan.steps,
    // A profile can be created or repaired outside the plan's steps (replaced after a certificate race).
    changed: plan.steps.length > 0 || profiles.some((profile) => profile.outcome !== "reused"),
  };
}

export function planResult(config: Config, plan: Plan): ProvisionResult {
  const adopted = plan.certificate.kind === "adopt" ? plan.certificate.candidate : undefined;
  const ids = new Map(
    plan.bundles
      .filter((bundle) => bundle.existing)
      .map((bundle) => [bundle.request.identifier, bundle.existing!.resource.id]),
  );
  const profiles = plan.bundles.flatMap((bundle) =>
    bundle.profile.kind === "reuse"
      ? [
          profileResult({
            bundleId: bundle.request.identifier,
            bundleIdResourceId: bundle.existing?.resource.id ?? "",
            appId: bundle.existing?.app?.id,
            id: bundle.profile.found.resource.id,
            profileType: config.profileType,
            uuid: bundle.profile.info.uuid,
            name: bundle.profile.info.name,
            expirationDate: bundle.profile.info.expirationDate,
            content: bundle.profile.found.resource.attributes?.profileContent,
            outcome: "reused",
            reason: "valid",
          }),
        ]
      : [],
  );
  return {
    mode: "plan",
    teamId:
      adopted?.info.organizationalUnit ??
      plan.bundles.find((bundle) => bundle.existing)?.existing?.resource.attributes?.seedId ??
      "",
    certificate: adopted ? certificateResult(config, plan, adopted) : undefined,
    bundleIds: bundleResults(plan, ids, true),
    profiles,
    plan: plan.steps,
    changed: plan.steps.length > 0,
  };
}
