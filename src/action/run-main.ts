// The main step: inputs → configuration → provision (or the last-known-good copy) → install on the runner
// → outputs and summary. The work is core's; this file reads inputs, wires @actions/core, @actions/cache
// and exec, and reports.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import * as core from "@actions/core";
import { configHash } from "../core/cache/cache-key.ts";
import type { CacheStore } from "../core/cache/cache-port.ts";
import type { Config } from "../core/config.ts";
import { parseConfig, type RawInputs } from "../core/config-parse.ts";
import { DriftError, describeError, InputError, type InputProblem } from "../core/errors.ts";
import {
  emptyInstallReport,
  type InstallReport,
  installOnRunner,
  type RunnerLocation,
} from "../core/install/install-on-runner.ts";
import { type InstallOptions, parseInstallOptions } from "../core/install/install-options.ts";
import type { Exec, Logger, SecretMasker } from "../core/ports.ts";
import {
  logProjectReading,
  type ProjectOutcome,
  projectTargets,
  runProjectStep,
} from "../core/project-run.ts";
import { type ProvisionDeps, provision as realProvision } from "../core/provision.ts";
import { formatPlan } from "../core/reconcile/plan.ts";
import type { ProvisionResult } from "../core/result.ts";
import { ACTION_NAME } from "./action-metadata.ts";
import { createActionsCacheStore } from "./cache-store.ts";
import { type CacheSession, type Degraded, provisionWithFallback, saveToCache } from "./cache-wiring.ts";
import { createProcessExec } from "./exec.ts";
import { expiryWarnings } from "./expiry-warnings.ts";
import { readInputs } from "./inputs.ts";
import { createActionsLogger } from "./logger.ts";
import { createActionsMasker } from "./masker.ts";
import { buildOutputs, writeOutputs } from "./outputs.ts";
import { StateFileRecorder } from "./state.ts";
import { buildFailureSummary, buildSummary, projectSummary } from "./summary.ts";

export interface MainDeps {
  /** RUNNER_OS, RUNNER_TEMP, HOME. */
  env: Record<string, string | undefined>;
  exec: Exec;
  provision: (config: Config, deps: ProvisionDeps) => Promise<ProvisionResult>;
  readFile: (path: string) => Buffer | undefined;
  /** Random hex for passwords and unique names. */
  randomHex: (bytes: number) => string;
  now: () => number;
  /** The cache behind `cache` (default: @actions/cache, loaded lazily). */
  cacheStore?: (logger: Logger) => CacheStore;
}

export function defaultMainDeps(): MainDeps {
  return {
    env: process.env,
    exec: createProcessExec(),
    provision: realProvision,
    readFile: (path) => {
      try {
        return readFileSync(path);
      } catch {
        return undefined;
      }
    },
    randomHex: (bytes) => randomBytes(bytes).toString("hex"),
    now: () => Date.now(),
  };
}

/** Never throws and calls setFailed at most once, with the action's name as prefix. */
export async function runMain(overrides: Partial<MainDeps> = {}): Promise<void> {
  const deps: MainDeps = { ...defaultMainDeps(), ...overrides };
  const masker = createActionsMasker((secret) => core.setSecret(secret));
  const logger = createActionsLogger();
  let reported = false;
  try {
    const { config, options } = readSettings(deps, masker);
    const runner = runnerLocation(deps.env);
    const cache = options.cache ? openCache(deps, config, runner, logger) : undefined;
    const recorder = new StateFileRecorder((name, value) => core.saveState(name, value), options.cleanup);
    await logProjectReading(config, logger);

    let provisioned: { result: ProvisionResult; degraded: Degraded | undefined };
    try {
      provisioned = await provisionWithFallback(
        cache,
        config,
        () => deps.provision(config, { logger, masker }),
        logger,
      );
    } catch (error) {
      // readonly drift: the plan is the product, for the log, the summary and an `if: failure()` step.
      if (error instanceof DriftError && error.result) {
        await report(deps, logger, error.result, emptyInstallReport(), undefined, config);
        reported = true;
      }
      throw error;
    }
    const { result, degraded } = provisioned;
    logPlan(logger, result);

    const installed = emptyInstallReport();
    let installError: unknown;
    if (result.mode === "plan") logger.info("mode plan: nothing installed");
    else {
      const ports = { exec: deps.exec, recorder, logger, masker, randomHex: deps.randomHex };
      await installOnRunner(result, options, runner, ports, installed).catch((error: unknown) => {
        installError = error;
      });
    }
    // With `project`: the entitlements check and configure-project, after installing.
    let project: ProjectOutcome | undefined;
    if (installError === undefined)
      project = await runProjectStep(config, result, {
        logger,
        recorder,
        runnerTemp: runner.runnerTemp,
        runId: deps.randomHex(4),
      });
    await report(deps, logger, result, installed, degraded, config, project);
    reported = true;
    if (installError !== undefined) throw installError;
    if (project?.failure) throw project.failure;
    if (cache && !degraded) await saveToCache(cache, result, logger);
  } catch (error) {
    const message = describeError(error);
    if (!reported) await writeSummary(logger, buildFailureSummary(message));
    core.setFailed(`${ACTION_NAME}: ${message}`);
  }
}

/** The configuration and the runner options, every problem of both reported together. */
function readSettings(deps: MainDeps, masker: SecretMasker): { config: Config; options: InstallOptions } {
  const problems: InputProblem[] = [];
  const raw: RawInputs = readInputs((name) => core.getInput(name), problems, masker);
  let config: Config | undefined;
  try {
    config = parseConfig(raw, {
      readFile: deps.readFile,
      masker,
      ...(deps.env.GITHUB_WORKSPACE ? { workspace: deps.env.GITHUB_WORKSPACE } : {}),
    });
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    problems.push(...error.problems);
  }
  const options = parseInstallOptions(raw, problems);
  if (problems.length > 0 || !config) throw new InputError(problems);
  return { config, options };
}

function openCache(deps: MainDeps, config: Config, runner: RunnerLocation, logger: Logger): CacheSession {
  const makeStore =
    deps.cacheStore ?? ((storeLogger: Logger) => createActionsCacheStore({ logger: storeLogger }));
  return {
    store: makeStore(logger),
    runnerTemp: runner.runnerTemp,
    issuerId: config.apiKey.issuerId,
    configHash: configHash(config),
  };
}

/** Outputs, job summary and annotations of a run that produced a result. */
async function report(
  deps: MainDeps,
  logger: Logger,
  result: ProvisionResult,
  installed: InstallReport,
  degraded: Degraded | undefined,
  config: Config,
  project?: ProjectOutcome,
): Promise<void> {
  writeOutputs(
    (name, value) => core.setOutput(name, value),
    buildOutputs(result, installed, degraded, projectTargets(config)),
  );
  await writeSummary(logger, buildSummary(result, installed, degraded) + projectSummary(config, project));
  for (const notice of installed.notices) core.notice(notice);
  for (const warning of expiryWarnings(result, deps.now())) core.warning(warning);
}

function runnerLocation(env: MainDeps["env"]): RunnerLocation {
  return {
    runnerOs: env.RUNNER_OS || hostOsName(),
    runnerTemp: env.RUNNER_TEMP || tmpdir(),
    home: env.HOME || homedir(),
  };
}

/** The engine logs its plan in its own group; plan mode, whose product the plan is, repeats it last. */
function logPlan(logger: Logger, result: ProvisionResult): void {
  const count = result.plan.length;
  if (count === 0) {
    logger.info("App Store Connect: nothing to change, everything reused");
    return;
  }
  if (result.mode !== "plan") {
    logger.info(`App Store Connect: ${count} change(s) ${result.mode === "apply" ? "made" : "needed"}`);
    return;
  }
  logger.info(`App Store Connect: ${count} change(s) needed (mode plan, nothing changed):`);
  for (const line of formatPlan(result.plan).split("\n")) logger.info(`  ${line}`);
}

/** The job summary; without GITHUB_STEP_SUMMARY (a local run) the log has the same facts. */
async function writeSummary(logger: Logger, markdown: string): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) {
    logger.debug("no GITHUB_STEP_SUMMARY: job summary not written (the log has the same facts)");
    return;
  }
  try {
    await core.summary.addRaw(markdown).write();
  } catch (error) {
    core.summary.emptyBuffer();
    logger.warning(`job summary not written: ${describeError(error)}`);
  }
}

function hostOsName(): string {
  return process.platform === "darwin" ? "macOS" : process.platform === "win32" ? "Windows" : "Linux";
}
