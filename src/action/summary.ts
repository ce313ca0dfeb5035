// The job summary: one table per resource (what was reused, created or repaired and why, expiry dates),
// then the plan; with `project`, the targets and the entitlements check. Only identifiers, names and
// dates: never a secret.
import type { Config } from "../core/config.ts";
import type { InstallReport } from "../core/install/install-on-runner.ts";
import type { ProjectOutcome } from "../core/project-run.ts";
import type { ProvisionResult } from "../core/result.ts";
import { projectReport, settingsText } from "../core/xcode/project-desired-state.ts";
import { ACTION_NAME } from "./action-metadata.ts";
import type { Degraded } from "./cache-wiring.ts";

const cell = (value: string): string => value.replace(/\|/g, "\\|").replace(/\r?\n/g, " ") || " ";
const row = (cells: string[]): string => `| ${cells.map(cell).join(" | ")} |`;
const table = (head: string[], rows: string[][]): string =>
  [row(head), row(head.map(() => "---")), ...rows.map(row)].join("\n");
const day = (iso: string): string => iso.slice(0, 10);

export function buildSummary(
  result: ProvisionResult,
  install: InstallReport,
  degraded: Degraded | undefined,
): string {
  const parts = [
    ...headerSection(result, degraded),
    ...bundleIdsSection(result),
    ...certificateSection(result),
    ...profilesSection(result, install),
    ...(install.keychainPath ? [`Keychain: \`${install.keychainPath}\``] : []),
    ...planSection(result),
  ];
  return `${parts.join("\n\n")}\n`;
}

function headerSection(result: ProvisionResult, degraded: Degraded | undefined): string[] {
  const changes = result.plan.length;
  const verb = result.mode === "plan" ? "would make" : result.mode === "readonly" ? "needs" : "made";
  const parts = [
    `## ${ACTION_NAME}`,
    `Mode \`${result.mode}\`${result.teamId ? `, team \`${result.teamId}\`` : ""}: ${verb} ${changes} change${changes === 1 ? "" : "s"} in App Store Connect.`,
  ];
  if (degraded) {
    const ageHours = Math.round((Date.now() - Date.parse(degraded.savedAt)) / 3_600_000);
    parts.push(
      `> [!WARNING]\n> **Degraded:** App Store Connect could not be reached (${degraded.cause.split("\n")[0]}). Installed the last-known-good copy from the cache, saved ${degraded.savedAt} (${ageHours} h ago); nothing was checked against App Store Connect.`,
    );
  }
  return parts;
}

function bundleIdsSection(result: ProvisionResult): string[] {
  if (result.bundleIds.length === 0) return [];
  return [
    "### Bundle IDs",
    table(
      ["Bundle ID", "Action", "Capabilities"],
      result.bundleIds.map((bundle) => [
        bundle.identifier,
        bundle.outcome,
        bundle.capabilities.length === 0
          ? "—"
          : bundle.capabilities
              .map(
                (capability) =>
                  `${capability.type}: ${capability.outcome}${capability.reason ? ` (${capability.reason})` : ""}`,
              )
              .join("<br>"),
      ]),
    ),
  ];
}

function certificateSection(result: ProvisionResult): string[] {
  const certificate = result.certificate;
  if (!certificate) return [];
  return [
    "### Certificate",
    table(
      ["Name", "Type", "Serial", "SHA-1", "Expires", "Action"],
      [
        [
          certificate.name,
          String(certificate.certificateType),
          certificate.serialNumber,
          certificate.sha1,
          day(certificate.expirationDate),
          `${certificate.outcome}${certificate.reason ? `: ${certificate.reason}` : ""}`,
        ],
      ],
    ),
  ];
}

function profilesSection(result: ProvisionResult, install: InstallReport): string[] {
  if (result.profiles.length === 0) return [];
  return [
    "### Profiles",
    table(
      ["Bundle ID", "Name", "Type", "UUID", "Expires", "Action", "Installed at"],
      result.profiles.map((profile) => [
        profile.bundleId,
        profile.name,
        profile.profileType,
        profile.uuid,
        day(profile.expirationDate),
        `${profile.outcome}${profile.reason ? `: ${profile.reason}` : ""}`,
        install.profilePaths[profile.bundleId] ?? "—",
      ]),
    ),
  ];
}

function planSection(result: ProvisionResult): string[] {
  return [
    "### Plan",
    result.plan.length === 0
      ? "Nothing to change: everything was reused."
      : table(
          ["Step", "Target", "Reason"],
          result.plan.map((step) => [step.kind, step.target, step.reason]),
        ),
  ];
}

/** The summary of a run that failed before it had a result (inputs, App Store Connect, the engine). */
export function buildFailureSummary(message: string): string {
  return `## ${ACTION_NAME}\n\n> [!CAUTION]\n> **Failed:** ${message.split("\n").join("\n> ")}\n`;
}

/** The job summary section of a project run. */
export function projectSummary(config: Config, outcome: ProjectOutcome | undefined): string {
  const project = outcome?.project ?? config.project;
  if (!project) return "";
  const parts: string[] = [
    "### Xcode project",
    `\`${project.inputs.given}\`, configuration \`${project.signing.configuration}\`: ${project.signing.signable.length} signable target(s).`,
    table(
      ["Target", "Bundle ID", "Capabilities", "Not through the API"],
      projectReport(project).map((target) => [
        `${target.target}${target.embeddedIn ? ` (in ${target.embeddedIn})` : ""}`,
        `${target.bundleId} (${target.bundleIdSource === "project" ? "project" : "`bundle-ids`"})`,
        target.capabilities
          .map(
            (capability) =>
              `${capability.request.type}${settingsText(capability.request)} (${capability.source === "entitlements" ? "entitlements" : "`capabilities`"})`,
          )
          .join("<br>") || "—",
        target.reported.map((reported) => reported.message).join("<br>") || "—",
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
            outcome.rows.map((check) => [
              check.target,
              check.entitlement,
              check.wants,
              check.profileHas,
              check.fix,
            ]),
          ),
    );
  }
  if (outcome?.written.length)
    parts.push(
      "### Project signing written",
      outcome.written
        .map(
          (change) =>
            `- \`${change.path}\`: ${change.changes.length} setting(s) (the post step restores the file when \`cleanup\` is true)`,
        )
        .join("\n"),
    );
  return `\n${parts.join("\n\n")}\n`;
}
