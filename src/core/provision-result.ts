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
  return plan.bundles.map((b) => ({
    identifier: b.request.identifier,
    id: ids.get(b.request.identifier) ?? "",
    outcome: b.existing ? "reused" : planned ? "planned" : "created",
    capabilities: b.capabilityChanges.map((c) => ({
      type: c.type,
      outcome: planned
        ? "planned"
        : c.kind === "enable"
          ? "created"
          : c.kind === "update"
            ? "updated"
            : "disabled",
      reason: c.reason,
    })),
  }));
}

export function applyResult(config: Config, plan: Plan, applied: Applied): ProvisionResult {
  const certificate = certificateResult(config, plan, applied.certificate);
  const profiles = config.bundleIds.map((b) => {
    const p = applied.profiles.get(b.identifier)!;
    const found = plan.bundles.find((x) => x.request.identifier === b.identifier)?.existing;
    return profileResult({
      bundleId: b.identifier,
      bundleIdResourceId: applied.bundleIds.get(b.identifier)!.id,
      appId: found?.app?.id,
      id: p.resource.id,
      profileType: config.profileType,
      uuid: p.info.uuid,
      name: p.info.name,
      expirationDate: p.info.expirationDate,
      content: p.resource.attributes?.profileContent,
      outcome: p.outcome,
      reason: p.reason,
    });
  });
  const teamId =
    applied.certificate.info.organizationalUnit ??
    [...applied.profiles.values()][0]?.info.teamId ??
    [...applied.bundleIds.values()][0]?.attributes?.seedId ??
    "";
  const ids = new Map([...applied.bundleIds].map(([k, v]) => [k, v.id]));
  return {
    mode: config.mode,
    teamId,
    certificate,
    bundleIds: bundleResults(plan, ids, false),
    profiles,
    plan: plan.steps,
    changed: plan.steps.length > 0,
  };
}

export function planResult(config: Config, plan: Plan): ProvisionResult {
  const adopted = plan.certificate.kind === "adopt" ? plan.certificate.candidate : undefined;
  const ids = new Map(
    plan.bundles.filter((b) => b.existing).map((b) => [b.request.identifier, b.existing!.resource.id]),
  );
  const profiles = plan.bundles.flatMap((b) =>
    b.profile.kind === "reuse"
      ? [
          profileResult({
            bundleId: b.request.identifier,
            bundleIdResourceId: b.existing?.resource.id ?? "",
            appId: b.existing?.app?.id,
            id: b.profile.found.resource.id,
            profileType: config.profileType,
            uuid: b.profile.info.uuid,
            name: b.profile.info.name,
            expirationDate: b.profile.info.expirationDate,
            content: b.profile.found.resource.attributes?.profileContent,
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
      plan.bundles.find((b) => b.existing)?.existing?.resource.attributes?.seedId ??
      "",
    certificate: adopted ? certificateResult(config, plan, adopted) : undefined,
    bundleIds: bundleResults(plan, ids, true),
    profiles,
    plan: plan.steps,
    changed: plan.steps.length > 0,
  };
}
