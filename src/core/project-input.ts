// The Xcode project inputs: `project` (an .xcodeproj or .xcworkspace, relative to the workspace),
// `targets`, `configuration`, `entitlements-check`, `configure-project`, and how `bundle-ids` reads with
// a project: `Target: com.example.id` lines override one target's bundle ID, plain identifiers add
// bundle IDs the project does not sign. Every problem is reported with the other input problems.
import { existsSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import { splitList } from "./list-input.ts";

export type EntitlementsCheck = "fail" | "warn" | "off";

export interface ProjectInputs {
  /** Absolute path of the .xcodeproj / .xcworkspace. */
  path: string;
  /** As given (for messages). */
  given: string;
  /** Application targets to sign; undefined: every application of the profile type's platform. */
  targets: string[] | undefined;
  configuration: string;
  entitlementsCheck: EntitlementsCheck;
  configureProject: boolean;
}

export interface ProjectBundleIdInput {
  /** `Target: com.example.id` lines: target name → bundle ID. */
  overrides: Record<string, string>;
  /** Plain identifiers: bundle IDs to provision besides the project's. */
  extra: string[];
}

type Problem = (input: string, message: string) => void;

const ENTITLEMENTS_CHECKS: readonly EntitlementsCheck[] = ["fail", "warn", "off"];

/**
 * The project inputs, or undefined without `project` (then `targets` and `configure-project: true`
 * are problems: they mean nothing without a project). `workspace` is GITHUB_WORKSPACE.
 */
export function parseProjectInputs(
  get: (name: string) => string,
  workspace: string,
  problem: Problem,
): ProjectInputs | undefined {
  const given = get("project");
  const targets = splitList(get("targets"));
  const configureValue = get("configure-project").toLowerCase();
  const configureProject = ["true", "yes", "1", "on"].includes(configureValue);
  if (configureValue && !configureProject && !["false", "no", "0", "off"].includes(configureValue))
    problem("configure-project", `expected true or false, got "${get("configure-project")}".`);
  const checkValue = (get("entitlements-check") || "fail").toLowerCase();
  const entitlementsCheck = (ENTITLEMENTS_CHECKS as readonly string[]).includes(checkValue)
    ? (checkValue as EntitlementsCheck)
    : undefined;
  if (!entitlementsCheck)
    problem("entitlements-check", `expected fail, warn or off, got "${get("entitlements-check")}".`);

  if (!given) {
    if (targets.length > 0)
      problem("targets", "names targets of an Xcode project: set `project` too (or remove `targets`).");
    if (configureProject)
      problem(
        "configure-project",
        "needs an Xcode project: set `project` too (or remove `configure-project`).",
      );
    return undefined;
  }
  const path = resolve(workspace, given).replace(/\/+$/, "");
  const isProject = path.endsWith(".xcodeproj");
  const isWorkspace = path.endsWith(".xcworkspace");
  if (!isProject && !isWorkspace) {
    problem(
      "project",
      `"${given}" is not an Xcode project: give the path of an .xcodeproj or .xcworkspace, relative to the repository root (GITHUB_WORKSPACE).`,
    );
    return undefined;
  }
  const marker = join(path, isProject ? "project.pbxproj" : "contents.xcworkspacedata");
  if (!existsSync(marker)) {
    problem(
      "project",
      `no ${isProject ? "Xcode project" : "Xcode workspace"} at ${path}${isAbsolute(given) ? "" : ` ("${given}" relative to ${workspace})`}: check out the repository before this step (actions/checkout) and check the path.`,
    );
    return undefined;
  }
  return {
    path,
    given,
    targets: targets.length > 0 ? targets : undefined,
    configuration: get("configuration") || "Release",
    entitlementsCheck: entitlementsCheck ?? "fail",
    configureProject,
  };
}

/** `bundle-ids` with a project: `Target: id` lines (the target name may contain spaces) and plain ids. */
export function parseProjectBundleIds(value: string, problem: Problem): ProjectBundleIdInput {
  const overrides: Record<string, string> = {};
  const extra: string[] = [];
  for (const item of splitList(value)) {
    const colon = item.lastIndexOf(":");
    if (colon < 0) {
      if (!extra.includes(item)) extra.push(item);
      continue;
    }
    const target = item.slice(0, colon).trim();
    const identifier = item.slice(colon + 1).trim();
    if (!target || !identifier) {
      problem("bundle-ids", `"${item}": expected \`Target name: com.example.id\` or a bundle identifier.`);
      continue;
    }
    if (overrides[target] !== undefined && overrides[target] !== identifier)
      problem(
        "bundle-ids",
        `target "${target}" is given two bundle IDs (${overrides[target]}, ${identifier}).`,
      );
    overrides[target] = identifier;
  }
  return { overrides, extra };
}
