// The Xcode project part of the main step (with `project`): log where each bundle ID and capability came
// from; after installing, expand the entitlements with the account's team, check them against the
// profiles (`entitlements-check`), write manual signing into the checkout (`configure-project`); and
// the job summary section with the entitlements table.
import { join } from "node:path";
import type { Config } from "../core/config.ts";
import { describeError } from "../core/errors.ts";
import type { Logger, StateRecorder } from "../core/ports.ts";
import { configForTeam } from "../core/project-config.ts";
import type { ProvisionResult } from "../core/result.ts";
import type { PreflightRow } from "../core/xcode/entitlements-preflight.ts";
import {
  type ProjectConfig,
  projectLogLines,
  projectReport,
  settingsText,
} from "../core/xcode/project-desired-state.ts";
import { EntitlementsPreflightError, preflightProject } from "../core/xcode/project-preflight.ts";
import { type ProjectFileChange, writeProjectSigning } from "../core/xcode/project-signing-write.ts";

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
  for (const t of config.project?.signing.signable ?? [])
    targets[t.bundleId] = targets[t.bundleId] ? `${targets[t.bundleId]}, ${t.target}` : t.target;
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

const cell = (value: string): string => value.replace(/\|/g, "\\|").replace(/\r?\n/g, " ") || " ";
const row = (cells: string[]): string => `| ${cells.map(cell).join(" | ")} |`;
const table = (head: string[], rows: string[][]): string =>
  [row(head), row(head.map(() => "---")), ...rows.map(row)].join("\n");

/** The job summary section of a project run. */
export function projectSummary(config: Config, outcome: ProjectOutcome | undefined): string {
  const project = outcome?.project ?? config.project;
  if (!project) return "";
  const parts: string[] = [
    "### Xcode project",
    `\`${project.inputs.given}\`, configuration \`${project.signing.configuration}\`: ${project.signing.signable.length} signable target(s).`,
    table(
      ["Target", "Bundle ID", "Capabilities", "Not through the API"],
      projectReport(project).map((t) => [
        `${t.target}${t.embeddedIn ? ` (in ${t.embeddedIn})` : ""}`,
        `${t.bundleId} (${t.bundleIdSource === "project" ? "project" : "`bundle-ids`"})`,
        t.capabilities
          .map(
            (c) =>
              `${c.request.type}${settingsText(c.request)} (${c.source === "entitlements" ? "entitlements" : "`capabilities`"})`,
          )
          .join("<br>") || "—",
        t.reported.map((r) => r.message).join("<br>") || "—",
      ]),
    ),
  ];
  if (outcome?.rows) {
    parts.push("### Entitlements check");
    parts.push(
      outcome.rows.length === 0
        ? "Every entitlement of every target is allowed by its profile."
        : table(
            ["Target", "Entitlement", "Wants", "Profile has", "Fix"],
            outcome.rows.map((r) => [r.target, r.entitlement, r.wants, r.profileHas, r.fix]),
          ),
    );
  }
  if (outcome?.written.length)
    parts.push(
      "### Project signing written",
      outcome.written
        .map(
          (w) =>
            `- \`${w.path}\`: ${w.changes.length} setting(s) (the post step restores the file when \`cleanup\` is true)`,
        )
        .join("\n"),
    );
  return `\n${parts.join("\n\n")}\n`;
}
