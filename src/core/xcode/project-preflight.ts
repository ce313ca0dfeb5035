// The entitlements check of a project run, after installing: each signable target's entitlements (as
// Xcode will sign them, expanded with the account's team) against the Entitlements of the profile made
// for its bundle ID. One row per entitlement the profile does not allow, with the fix; `fail` turns the
// rows into one error, before xcodebuild would fail on the first of them minutes later.
import { AscProvisionError } from "../errors.ts";
import type { ProvisionResult } from "../result.ts";
import { readProvisioningProfile } from "../signing/provisioning-profile.ts";
import type { Entitlements } from "./entitlements-file.ts";
import { type PreflightRow, preflightEntitlements } from "./entitlements-preflight.ts";
import type { ProjectConfig } from "./project-desired-state.ts";
import type { SigningPlatform } from "./signable-targets.ts";

export interface ProjectPreflight {
  rows: PreflightRow[];
  /** Targets compared with their profile. */
  checked: string[];
  /** Targets without a profile in this run (plan mode, a profile not made). */
  unchecked: string[];
}

export class EntitlementsPreflightError extends AscProvisionError {
  override name = "EntitlementsPreflightError";
  readonly rows: PreflightRow[];
  constructor(rows: PreflightRow[]) {
    super(
      `${rows.length} entitlement(s) of the Xcode project are not in the provisioning profiles; xcodebuild would fail to sign:\n${preflightText(rows)}\nFix them as the last column says, or set \`entitlements-check: warn\` to build anyway.`,
    );
    this.rows = rows;
  }
}

export function preflightProject(project: ProjectConfig, result: ProvisionResult): ProjectPreflight {
  const out: ProjectPreflight = { rows: [], checked: [], unchecked: [] };
  for (const target of project.signing.signable) {
    const profile = result.profiles.find((candidate) => candidate.bundleId === target.bundleId);
    if (!profile || profile.content.length === 0) {
      out.unchecked.push(target.target);
      continue;
    }
    const info = readProvisioningProfile(profile.content, { label: profile.name });
    out.checked.push(target.target);
    out.rows.push(
      ...preflightEntitlements(
        {
          target: target.target,
          bundleId: target.bundleId,
          entitlements: profileAuthorized(target.entitlements, target.platform),
        },
        { type: profile.profileType, name: profile.name, entitlements: info.entitlements },
      ),
    );
  }
  return out;
}

const APP_GROUPS = "com.apple.security.application-groups";

/**
 * The entitlements a profile must allow. On macOS (and Mac Catalyst) an app group named
 * `<TEAMID>.<name>` is authorized by the team ID of the signature, not by the profile (TN3125), so it is
 * left out, as capabilitiesFromEntitlements leaves out its capability.
 */
function profileAuthorized(entitlements: Entitlements, platform: SigningPlatform): Entitlements {
  const groups = entitlements[APP_GROUPS];
  if ((platform !== "macos" && platform !== "catalyst") || !Array.isArray(groups)) return entitlements;
  const { [APP_GROUPS]: _groups, ...rest } = entitlements;
  const needProfile = groups.filter((group) => typeof group !== "string" || group.startsWith("group."));
  return needProfile.length ? { ...rest, [APP_GROUPS]: needProfile } : rest;
}

/** The rows as plain text (the log and the error), one line each. */
export function preflightText(rows: readonly PreflightRow[]): string {
  return rows
    .map(
      (row) =>
        `- ${row.target}: ${row.entitlement} = ${row.wants}; profile has ${row.profileHas}; fix: ${row.fix}`,
    )
    .join("\n");
}
