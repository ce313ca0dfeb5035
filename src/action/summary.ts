// The job summary: one table per resource (what was reused, created or repaired and why, expiry dates),
// then the plan. Only identifiers, names and dates: never a secret.
import type { InstallReport } from "../core/install/install-on-runner.ts";
import type { ProvisionResult } from "../core/result.ts";
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
  const parts: string[] = [];
  const changes = result.plan.length;
  const verb = result.mode === "plan" ? "would make" : result.mode === "readonly" ? "needs" : "made";
  parts.push(
    `## ${ACTION_NAME}`,
    `Mode \`${result.mode}\`${result.teamId ? `, team \`${result.teamId}\`` : ""}: ${verb} ${changes} change${changes === 1 ? "" : "s"} in App Store Connect.`,
  );
  if (degraded) {
    const ageHours = Math.round((Date.now() - Date.parse(degraded.savedAt)) / 3_600_000);
    parts.push(
      `> [!WARNING]\n> **Degraded:** App Store Connect could not be reached (${degraded.cause.split("\n")[0]}). Installed the last-known-good copy from the cache, saved ${degraded.savedAt} (${ageHours} h ago); nothing was checked against App Store Connect.`,
    );
  }

  if (result.bundleIds.length > 0)
    parts.push(
      "### Bundle IDs",
      table(
        ["Bundle ID", "Action", "Capabilities"],
        result.bundleIds.map((b) => [
          b.identifier,
          b.outcome,
          b.capabilities.length === 0
            ? "—"
            : b.capabilities
                .map((c) => `${c.type}: ${c.outcome}${c.reason ? ` (${c.reason})` : ""}`)
                .join("<br>"),
        ]),
      ),
    );

  const certificate = result.certificate;
  if (certificate)
    parts.push(
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
    );

  if (result.profiles.length > 0)
    parts.push(
      "### Profiles",
      table(
        ["Bundle ID", "Name", "Type", "UUID", "Expires", "Action", "Installed at"],
        result.profiles.map((p) => [
          p.bundleId,
          p.name,
          p.profileType,
          p.uuid,
          day(p.expirationDate),
          `${p.outcome}${p.reason ? `: ${p.reason}` : ""}`,
          install.profilePaths[p.bundleId] ?? "—",
        ]),
      ),
    );

  if (install.keychainPath) parts.push(`Keychain: \`${install.keychainPath}\``);

  parts.push(
    "### Plan",
    changes === 0
      ? "Nothing to change: everything was reused."
      : table(
          ["Step", "Target", "Reason"],
          result.plan.map((s) => [s.kind, s.target, s.reason]),
        ),
  );
  return `${parts.join("\n\n")}\n`;
}

/** The summary of a run that failed before it had a result (inputs, App Store Connect, the engine). */
export function buildFailureSummary(message: string): string {
  return `## ${ACTION_NAME}\n\n> [!CAUTION]\n> **Failed:** ${message.split("\n").join("\n> ")}\n`;
}
