// Before the build: does each target's profile allow every entitlement its file claims? Apple's rule
// (TN3125): the profile is an allowlist; every claimed entitlement must be in it, wildcard values
// (`TEAMID.*`, `*`) allow any value they match; the profile may grant more. aps-environment is set
// from the profile (development for development profiles, production otherwise), get-task-allow is
// true only in development profiles, and the keys the profile supplies (application-identifier, team)
// or that need no profile (macOS sandbox and hardened runtime) are not compared. One row per problem.
import type { ProfileType } from "../asc/types.ts";
import { profileTypeRule } from "../profile-types.ts";
import { entitlementRule } from "./entitlement-table.ts";
import type { Entitlements, EntitlementValue } from "./entitlements-file.ts";

export interface PreflightTarget {
  target: string;
  bundleId: string;
  entitlements: Entitlements;
}

export interface PreflightProfile {
  type: ProfileType;
  name?: string;
  /** The profile's Entitlements dictionary (provisioning-profile.ts: `entitlements`). */
  entitlements: Record<string, unknown>;
}

export interface PreflightRow {
  target: string;
  entitlement: string;
  /** What the target's file claims, as text. */
  wants: string;
  /** What the profile has for the key, as text ("(absent)" when missing). */
  profileHas: string;
  fix: string;
}

const ABSENT = "(absent)";

export function preflightEntitlements(target: PreflightTarget, profile: PreflightProfile): PreflightRow[] {
  const rows: PreflightRow[] = [];
  const development = profileTypeRule(profile.type).distribution === "development";
  const row = (entitlement: string, wants: unknown, fix: string) =>
    rows.push({
      target: target.target,
      entitlement,
      wants: show(wants),
      profileHas: entitlement in profile.entitlements ? show(profile.entitlements[entitlement]) : ABSENT,
      fix,
    });
  for (const [key, wants] of Object.entries(target.entitlements)) {
    if (key === "get-task-allow" || key === "com.apple.security.get-task-allow") {
      if (wants === true && !development && key === "get-task-allow") {
        row(
          key,
          wants,
          `remove get-task-allow from the entitlements file: only development profiles allow it, and Xcode sets it from the profile`,
        );
      }
      continue;
    }
    const rule = entitlementRule(key);
    if (rule?.kind === "profile-supplied" || rule?.kind === "no-profile") continue;
    if (wants === false) continue;
    const has = profile.entitlements[key];
    if (has === undefined) {
      row(key, wants, missingFix(key, target.bundleId));
      continue;
    }
    if (key === "aps-environment" || key === "com.apple.developer.aps-environment") {
      // Xcode signs with the profile's value; only a production claim under a development profile fails.
      if (wants === "production" && development) {
        row(
          key,
          wants,
          `set ${key} to development in the file (Xcode switches it to production for distribution)`,
        );
      }
      continue;
    }
    if (rule && "profile" in rule && rule.profile === "presence") continue;
    const uncovered = uncoveredValues(wants, has);
    if (uncovered.length)
      row(
        key,
        uncovered.length === 1 ? uncovered[0] : uncovered,
        mismatchFix(key, uncovered, target.bundleId),
      );
  }
  return rows;
}

/** File values the profile's value does not allow (empty when all are covered). */
export function uncoveredValues(wants: EntitlementValue, has: unknown): EntitlementValue[] {
  if (typeof wants === "boolean" || typeof wants === "number")
    return has === wants || has === true ? [] : [wants];
  const allowed = Array.isArray(has) ? has : [has];
  const covered = (value: EntitlementValue) =>
    typeof value !== "string" ||
    allowed.some((pattern) => typeof pattern === "string" && wildcardMatch(pattern, value));
  if (typeof wants === "string") return covered(wants) ? [] : [wants];
  if (Array.isArray(wants)) return wants.filter((wanted) => !covered(wanted));
  return [];
}

/** Apple's profile wildcards: `*` alone, or a trailing `*` (`TEAMID.*`, `TEAMID.com.example.*`). */
export function wildcardMatch(pattern: string, value: string): boolean {
  if (pattern === "*") return true;
  if (pattern.endsWith("*")) return value.startsWith(pattern.slice(0, -1));
  return pattern === value;
}

function missingFix(key: string, bundleId: string): string {
  const rule = entitlementRule(key);
  switch (rule?.kind) {
    case "capability":
      return `enable ${rule.capability} for ${bundleId} (the action does so from the entitlements unless \`capabilities\` overrides it) and let it regenerate the profile`;
    case "portal-only":
      return `enable ${rule.portalCapability} for ${bundleId} in the developer portal (the API cannot), then re-run to regenerate the profile`;
    case "request-only":
      return `request this entitlement from Apple for ${bundleId}; until it is granted, remove it from the entitlements file`;
    default:
      return `the profile does not allow ${key}; enable the matching capability for ${bundleId} in the developer portal, or remove the key from the entitlements file`;
  }
}

function mismatchFix(key: string, values: EntitlementValue[], bundleId: string): string {
  const rule = entitlementRule(key);
  const list = values.map(show).join(", ");
  if (rule?.kind === "capability" && rule.identifiers === "app-groups") {
    return `associate ${list} with ${bundleId} once in the developer portal (Identifiers → ${bundleId} → App Groups), then re-run`;
  }
  if (rule?.kind === "capability" && rule.identifiers === "icloud-containers") {
    return `associate ${list} with ${bundleId} once in the developer portal (Identifiers → ${bundleId} → iCloud), then re-run`;
  }
  if (rule?.kind === "capability" && rule.identifiers === "merchant-ids") {
    return `associate ${list} with ${bundleId} once in the developer portal (Identifiers → ${bundleId} → Apple Pay), then re-run`;
  }
  if (key === "keychain-access-groups") {
    return `keychain groups must start with the team ID ($(AppIdentifierPrefix)); fix ${list} in the entitlements file`;
  }
  return `the profile does not allow ${list} for ${key}; change the entitlements file or the App ID's configuration in the developer portal`;
}

function show(value: unknown): string {
  if (value === undefined) return ABSENT;
  if (typeof value === "string") return value === "" ? '""' : value;
  if (Array.isArray(value)) return `[${value.map(show).join(", ")}]`;
  if (value instanceof Date) return value.toISOString();
  if (value && typeof value === "object") return JSON.stringify(value);
  return String(value);
}
