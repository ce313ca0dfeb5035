// The Xcode project part of a run (with `project`): log where each bundle ID and capability came from;
// after installing, expand the entitlements with the account's team, check them against the profiles
// (`entitlements-check`) and write manual signing into the checkout (`configure-project`).
import { join } from "node:path";
import type { Config } from "./config.ts";
import { describeError } from "./errors.ts";
import type { Logger, StateRecorder } from "./ports.ts";
import { configForTeam } from "./project-config.ts";
import type { ProvisionResult } from "./result.ts";
import type { PreflightRow } from "./xcode/entitlements-preflight.ts";
import { type ProjectConfig, projectLogLines } from "./xcode/project-desired-state.ts";
import { EntitlementsPreflightError, preflightProject } from "./xcode/project-preflight.ts";
import { type ProjectFileChange, writeProjectSigning } from "./xcode/project-signing-write.ts";

export interface ProjectOutcome {
  project: ProjectConfig;
  rows: PreflightRow[] | undefined;
  written: ProjectFileChange[];
  /** Set when the run must fail (entitlements-check: fail with rows). */
  failure: Error | undefined;
}

export async function logProjectReading(config: Config, logger: Logger): Promise<void> {
  const project = config.project;
  if (!project) return;
  await logger.group("Xcode project", async () => {
    for (const line of projectLogLines(project)) logger.info(line);
  });
}

/** Target name(s) per bundle ID, for the `profiles` output. */
export function projectTargets(config: Config): Record<string, string> {
  const targets: Record<string, string> = {};
  for (const signable of config.project?.signing.signable ?? [])
    targets[signable.bundleId] = targets[signable.bundleId]
      ? `${targets[signable.bundleId]}, ${signable.target}`
      : signable.target;
  return targets;
}

export async function runProjectStep(
  config: Config,
  result: ProvisionResult,
  ports: { logger: Logger; recorder: StateRecorder; runnerTemp: string; runId: string },
): Promise<ProjectOutcome | undefined> {
  if (!config.project) return undefined;
  const { logger } = ports;
  const project = configForTeam(config, result.teamId).config.project ?? config.project;
  const outcome: ProjectOutcome = { project, rows: undefined, written: [], failure: undefined };
  const check = project.inputs.entitlementsCheck;
  if (check !== "off")
    await logger.group("Entitlements check", async () => {
      let preflight: ReturnType<typeof preflightProject>;
      try {
        preflight = preflightProject(project, result);
      } catch (error) {
        // A profile that cannot be read here was still installed: say so, do not fail on the check.
        logger.warning(`entitlements check skipped: ${describeError(error)}`);
        return;
      }
      outcome.rows = preflight.rows;
      if (preflight.unchecked.length)
        logger.info(`no profile in this run for ${preflight.unchecked.join(", ")}: not checked`);
      if (preflight.rows.length === 0) {
        logger.info(`${preflight.checked.length} target(s): every entitlement is allowed by its profile`);
        return;
      }
      const error = new EntitlementsPreflightError(preflight.rows);
      // mode plan reads and reports; it fails only on what it was asked to read.
      if (check === "fail" && result.mode !== "plan") outcome.failure = error;
      else logger.warning(error.message);
    });
  if (project.inputs.configureProject && result.mode !== "plan" && !outcome.failure)
    await logger.group("Configure the Xcode project", async () => {
      try {
        const backupDir = join(ports.runnerTemp, "asc-provision", `project-${ports.runId}`);
        outcome.written = writeProjectSigning(project, result, backupDir, ports.recorder, logger);
      } catch (error) {
        outcome.failure = new Error(`configure-project: ${describeError(error)}`);
      }
    });
  return outcome;
}
