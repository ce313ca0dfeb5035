// The engine: read the current state in one wave, plan every write with its reason, apply the plan in
// dependency waves, and return what the runner signs with. Knows nothing of GitHub Actions.
import type { Dispatcher } from "undici";
import { AscClient } from "./asc/http.ts";
import type { Config } from "./config.ts";
import { DriftError } from "./errors.ts";
import { type Clock, type Logger, realSleep, type SecretMasker, type Sleep, systemClock } from "./ports.ts";
import { configForTeam } from "./project-config.ts";
import { applyResult, planResult } from "./provision-result.ts";
import { applyPlan } from "./reconcile/apply.ts";
import { type DesiredState, desiredState } from "./reconcile/desired-state.ts";
import { formatPlan, makePlan, type Plan } from "./reconcile/plan.ts";
import { type CurrentState, readState } from "./reconcile/read-state.ts";
import { teamIdFromState } from "./reconcile/team-id.ts";
import type { ProvisionResult } from "./result.ts";

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
  const client = deps.client ?? createClient(config, deps);
  try {
    return await provisionWith(client, config, deps);
  } finally {
    // The client's own connections: closed, so that the process can exit at once.
    if (!deps.client) await client.close();
  }
}

async function provisionWith(
  client: AscClient,
  given: Config,
  deps: ProvisionDeps,
): Promise<ProvisionResult> {
  const { logger } = deps;
  const clock = deps.clock ?? systemClock;
  const now = clock.now();
  let config = given;
  let desired = desiredState(config);
  const current = await logger.group("Read App Store Connect", () =>
    readCurrent(client, config, desired, logger),
  );
  if (config.project) {
    // The project was read with its own DEVELOPMENT_TEAM; the account's team is known now.
    const again = configForTeam(config, teamIdFromState(current, desired));
    if (again.config !== config) {
      config = again.config;
      desired = desiredState(config);
      if (again.reread)
        logger.info(
          `Xcode project read again for team ${config.project?.teamId} in ${config.project?.readMs.toFixed(1)} ms: ${again.changed.length ? again.changed.join(", ") : "the same capabilities"}`,
        );
    }
  }
  const plan = await logger.group("Plan", async () => planChanges(desired, current, now, logger));

  if (config.mode === "plan") return planResult(config, plan);
  if (config.mode === "readonly" && plan.steps.length > 0)
    throw new DriftError(
      `mode is readonly and App Store Connect needs ${plan.steps.length} change(s):\n${formatPlan(plan.steps)}\nRun with mode: apply (on a trusted branch) to make them.`,
      { ...planResult(config, plan), mode: "readonly" },
    );

  const sleep = deps.sleep ?? realSleep;
  // A warm run has nothing to apply: no empty "Apply" group (applyPlan only gathers what is reused).
  const apply = () => applyPlan(plan, { client, desired, logger, now, clock, sleep });
  const applied = plan.steps.length > 0 ? await logger.group("Apply", apply) : await apply();
  return applyResult(config, plan, applied);
}

function createClient(config: Config, deps: ProvisionDeps): AscClient {
  return new AscClient({
    issuerId: config.apiKey.issuerId,
    keyId: config.apiKey.keyId,
    privateKey: config.apiKey.privateKey,
    baseUrl: config.apiKey.baseUrl,
    clock: deps.clock ?? systemClock,
    sleep: deps.sleep ?? realSleep,
    logger: deps.logger,
    masker: deps.masker,
    ...(deps.dispatcher ? { dispatcher: deps.dispatcher } : {}),
  });
}

async function readCurrent(
  client: AscClient,
  config: Config,
  desired: DesiredState,
  logger: Logger,
): Promise<CurrentState> {
  const state = await readState(client, desired);
  logger.info(
    `${state.bundleIds.size}/${config.bundleIds.length} bundle IDs, ${state.certificates.length} ${desired.certificateTypes.join("/")} certificates, ${state.profiles.length} profiles named as ours${state.devices ? `, ${state.devices.length} devices` : ""}`,
  );
  return state;
}

/** The plan, with one log line per decision. */
function planChanges(desired: DesiredState, current: CurrentState, now: number, logger: Logger): Plan {
  const plan = makePlan(desired, current, { now });
  for (const bundle of plan.bundles) {
    logger.info(
      `Bundle ID ${bundle.request.identifier}: ${bundle.existing ? `found ${bundle.existing.resource.id}` : "to create"}`,
    );
    logger.info(
      `Profile "${bundle.profileName}": ${bundle.profile.kind === "reuse" ? `reuse ${bundle.profile.info.uuid}` : `${bundle.profile.repair ? "repair" : "create"} (${bundle.profile.reason})`}`,
    );
  }
  logger.info(
    `Certificate: ${plan.certificate.kind === "adopt" ? "adopt" : "create"} (${plan.certificate.reason})`,
  );
  for (const device of plan.devices?.disabledListed ?? [])
    logger.warning(
      `Device ${device.attributes?.udid} is DISABLED: it is not provisioned (set reenable-devices to enable it).`,
    );
  logger.info(formatPlan(plan.steps));
  return plan;
}
