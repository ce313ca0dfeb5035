// The engine: read the current state in one wave, plan every write with its reason, apply the plan in
// dependency waves, and return what the runner signs with. Knows nothing of GitHub Actions.
import type { Dispatcher } from "undici";
import { AscClient } from "./asc/http.ts";
import type { Config } from "./config.ts";
import { DriftError } from "./errors.ts";
import { type Clock, type Logger, realSleep, type SecretMasker, type Sleep, systemClock } from "./ports.ts";
import { profileTypeRule } from "./profile-types.ts";
import { type Applied, applyPlan } from "./reconcile/apply.ts";
import type { CandidateCertificate } from "./reconcile/certificate-decision.ts";
import { desiredState } from "./reconcile/desired-state.ts";
import { formatPlan, makePlan, type Plan } from "./reconcile/plan.ts";
import { readState } from "./reconcile/read-state.ts";
import type { BundleIdResult, CertificateResult, ProfileResult, ProvisionResult } from "./result.ts";

export interface ProvisionDeps {
  logger: Logger;
  masker: SecretMasker;
  clock?: Clock;
  sleep?: Sleep;
  /** The undici dispatcher for App Store Connect; default: the client's own, proxy-aware. */
  dispatcher?: Dispatcher;
  /** Supply a client (tests, the CLI); otherwise one is built from the config. */
  client?: AscClient;
}

export async function provision(config: Config, deps: ProvisionDeps): Promise<ProvisionResult> {
  const { logger } = deps;
  const clock = deps.clock ?? systemClock;
  const sleep = deps.sleep ?? realSleep;
  const client =
    deps.client ??
    new AscClient({
      issuerId: config.apiKey.issuerId,
      keyId: config.apiKey.keyId,
      privateKey: config.apiKey.privateKey,
      baseUrl: config.apiKey.baseUrl,
      clock,
      sleep,
      logger,
      masker: deps.masker,
      ...(deps.dispatcher ? { dispatcher: deps.dispatcher } : {}),
    });
  const now = clock.now();
  const desired = desiredState(config);
  const current = await logger.group("Read App Store Connect", async () => {
    const state = await readState(client, desired);
    logger.info(
      `${state.bundleIds.size}/${config.bundleIds.length} bundle IDs, ${state.certificates.length} ${desired.certificateTypes.join("/")} certificates, ${state.profiles.length} profiles named as ours${state.devices ? `, ${state.devices.length} devices` : ""}`,
    );
    return state;
  });

  const plan = await logger.group("Plan", async () => {
    const made = makePlan(desired, current, { now });
    for (const b of made.bundles) {
      logger.info(
        `Bundle ID ${b.request.identifier}: ${b.existing ? `found ${b.existing.resource.id}` : "to create"}`,
      );
      logger.info(
        `Profile "${b.profileName}": ${b.profile.kind === "reuse" ? `reuse ${b.profile.info.uuid}` : `${b.profile.repair ? "repair" : "create"}: ${b.profile.reason}`}`,
      );
    }
    logger.info(
      `Certificate: ${made.certificate.kind === "adopt" ? "adopt" : "create"}: ${made.certificate.reason}`,
    );
    for (const d of made.devices?.disabledListed ?? [])
      logger.warning(
        `Device ${d.attributes?.udid} is DISABLED: it is not provisioned (set reenable-devices to enable it).`,
      );
    logger.info(formatPlan(made.steps));
    return made;
  });

  if (config.mode === "plan") return planResult(config, plan);
  if (config.mode === "readonly" && plan.steps.length > 0) {
    throw new DriftError(
      `mode is readonly and App Store Connect needs ${plan.steps.length} change(s):\n${formatPlan(plan.steps)}\nRun with mode: apply (on a trusted branch) to make them.`,
      { ...planResult(config, plan), mode: "readonly" },
    );
  }

  const applied = await logger.group("Apply", () =>
    applyPlan(plan, {
      client,
      desired,
      logger,
      now,
      clock,
      sleep,
    }),
  );
  return applyResult(config, plan, applied);
}

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

function applyResult(config: Config, plan: Plan, applied: Applied): ProvisionResult {
  const rule = profileTypeRule(config.profileType);
  const certificate = certificateResult(config, plan, applied.certificate);
  const profiles: ProfileResult[] = config.bundleIds.map((b) => {
    const p = applied.profiles.get(b.identifier)!;
    const bundle = applied.bundleIds.get(b.identifier)!;
    const found = plan.bundles.find((x) => x.request.identifier === b.identifier)?.existing;
    return {
      bundleId: b.identifier,
      bundleIdResourceId: bundle.id,
      appId: found?.app?.id,
      id: p.resource.id,
      uuid: p.info.uuid,
      name: p.info.name,
      profileType: config.profileType,
      expirationDate: p.info.expirationDate.toISOString(),
      content: Buffer.from(p.resource.attributes?.profileContent ?? "", "base64"),
      extension: rule.extension,
      outcome: p.outcome,
      reason: p.reason,
    };
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

function planResult(config: Config, plan: Plan): ProvisionResult {
  const rule = profileTypeRule(config.profileType);
  const adopted = plan.certificate.kind === "adopt" ? plan.certificate.candidate : undefined;
  const ids = new Map(
    plan.bundles.filter((b) => b.existing).map((b) => [b.request.identifier, b.existing!.resource.id]),
  );
  const profiles: ProfileResult[] = plan.bundles.flatMap((b) =>
    b.profile.kind === "reuse"
      ? [
          {
            bundleId: b.request.identifier,
            bundleIdResourceId: b.existing?.resource.id ?? "",
            appId: b.existing?.app?.id,
            id: b.profile.found.resource.id,
            uuid: b.profile.info.uuid,
            name: b.profile.info.name,
            profileType: config.profileType,
            expirationDate: b.profile.info.expirationDate.toISOString(),
            content: Buffer.from(b.profile.found.resource.attributes?.profileContent ?? "", "base64"),
            extension: rule.extension,
            outcome: "reused" as const,
            reason: "valid",
          },
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
