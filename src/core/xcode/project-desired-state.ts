// The Xcode project → what to provision: the bundle IDs of the signable targets (overridden per target
// by `Target: id` lines of `bundle-ids`, plus the plain identifiers given), and the capabilities their
// entitlements imply (the `capabilities` input overrides or adds per bundle ID and type), each with
// where it came from. The project is read before any request with each target's own DEVELOPMENT_TEAM;
// once App Store Connect has told the team, `projectConfigForTeam` re-resolves only if the team differs.
import type { ProfileType } from "../asc/types.ts";
import type { BundleIdRequest, CapabilityRequest } from "../config.ts";
import type { InputProblem } from "../errors.ts";
import type { ProjectBundleIdInput, ProjectInputs } from "../project-input.ts";
import { capabilitiesFromEntitlements, type ReportedEntitlement } from "./entitlement-capabilities.ts";
import { diskFiles, type ProjectFiles } from "./project-files.ts";
import { type ProjectSigning, projectSigning, type XcodeProblem } from "./signable-targets.ts";
import { readXcodeWorkspace, type XcodeWorkspace } from "./xcode-project.ts";

export interface ProjectConfig {
  inputs: ProjectInputs;
  bundleIdInput: ProjectBundleIdInput;
  /** The team the entitlements were expanded with; undefined: each target's DEVELOPMENT_TEAM. */
  teamId: string | undefined;
  signing: ProjectSigning;
  /** The `capabilities` input (it overrides or adds to what the entitlements imply). */
  inputCapabilities: CapabilityRequest[];
  files?: ProjectFiles;
  /** The parsed project files (kept: another team's reading evaluates the settings again, no parsing). */
  workspace: XcodeWorkspace;
  /** How long reading the project took (ms), for the log and the benchmark. */
  readMs: number;
}

export type Source = "project" | "input";

export interface CapabilityOrigin {
  request: CapabilityRequest;
  source: "entitlements" | "capabilities";
  /** Entitlement keys that imply it (source `entitlements`). */
  entitlements: string[];
}

export interface ProjectTargetReport {
  target: string;
  bundleId: string;
  bundleIdSource: "project" | "bundle-ids";
  embeddedIn: string | undefined;
  entitlementsFile: string;
  capabilities: CapabilityOrigin[];
  /** What the API cannot do for this target (app groups to associate, portal-only capabilities…). */
  reported: ReportedEntitlement[];
  notes: string[];
}

const BUNDLE_ID = /^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*$/;

/** Reads the project; its problems become input problems (the input to fix is named). */
export function readProjectForConfig(
  inputs: ProjectInputs,
  bundleIdInput: ProjectBundleIdInput,
  profileType: ProfileType,
  problems: InputProblem[],
  options: { teamId?: string; files?: ProjectFiles; workspace?: XcodeWorkspace } = {},
): { signing: ProjectSigning; workspace: XcodeWorkspace } | undefined {
  for (const [target, id] of Object.entries(bundleIdInput.overrides))
    if (!BUNDLE_ID.test(id))
      problems.push({
        input: "bundle-ids",
        message: `"${target}: ${id}": ${id} is not a valid bundle identifier (letters, digits, hyphens and dots).`,
      });
  let signing: ProjectSigning;
  let workspace: XcodeWorkspace;
  try {
    // Parsed once: reading it again for another team evaluates the settings only.
    workspace = options.workspace ?? readXcodeWorkspace(inputs.path, options.files ?? diskFiles);
    signing = projectSigning(workspace, {
      profileType,
      configuration: inputs.configuration,
      ...(inputs.targets ? { targets: inputs.targets } : {}),
      ...(options.teamId ? { teamId: options.teamId } : {}),
      bundleIds: bundleIdInput.overrides,
      ...(options.files ? { files: options.files } : {}),
    });
  } catch (error) {
    problems.push({ input: "project", message: `${inputs.given}: ${(error as Error).message}` });
    return undefined;
  }
  for (const problem of signing.problems) problems.push(inputProblem(problem));
  const known = new Set([...signing.signable, ...signing.notSignable].map((entry) => entry.target));
  const signed = new Set(signing.signable.map((entry) => entry.target));
  for (const target of Object.keys(bundleIdInput.overrides)) {
    if (signed.has(target)) continue;
    problems.push({
      input: "bundle-ids",
      message: known.has(target)
        ? `"${target}" is a target of ${inputs.given} that ${profileType} does not sign (${signing.notSignable.find((entry) => entry.target === target)?.reason ?? "not signable"}): remove its line.`
        : `no target "${target}" in ${inputs.given}: a \`Target: com.example.id\` line names a target; signable targets: ${signing.signable.map((entry) => entry.target).join(", ") || "none"}.`,
    });
  }
  return { signing, workspace };
}

function inputProblem(problem: XcodeProblem): InputProblem {
  if (problem.setting === "PRODUCT_BUNDLE_IDENTIFIER")
    return { input: "bundle-ids", message: problem.message };
  if (problem.message.startsWith("`targets`: "))
    return { input: "targets", message: problem.message.slice("`targets`: ".length) };
  if (/no build configuration "/.test(problem.message))
    return { input: "configuration", message: problem.message };
  return { input: "project", message: problem.message };
}

/** The signable targets' bundle IDs (main target first), then the plain identifiers of `bundle-ids`. */
export function projectBundleIds(
  signing: ProjectSigning,
  extra: string[],
  problems: InputProblem[],
): BundleIdRequest[] {
  const identifiers: string[] = [];
  for (const target of signing.signable)
    if (!identifiers.includes(target.bundleId)) identifiers.push(target.bundleId);
  for (const id of extra) {
    if (!BUNDLE_ID.test(id)) {
      problems.push({
        input: "bundle-ids",
        message: `"${id}" is not a valid bundle identifier: use letters, digits, hyphens and dots, or \`Target name: com.example.id\` to set one target's bundle ID.`,
      });
      continue;
    }
    if (!identifiers.includes(id)) identifiers.push(id);
  }
  return identifiers.map((identifier) => ({ identifier, name: bundleIdName(identifier) }));
}

/** "com.example.my-app" → "com example my app" (Apple allows letters, digits and spaces). */
function bundleIdName(identifier: string): string {
  return identifier.replace(/[^A-Za-z0-9]+/g, " ").trim() || "asc provision";
}

/** What the entitlements imply, each with its source. */
export function entitlementCapabilities(signing: ProjectSigning): CapabilityOrigin[] {
  const origins: CapabilityOrigin[] = [];
  for (const target of signing.signable) {
    for (const implied of capabilitiesFromEntitlements(target.entitlements, target.platform).capabilities) {
      const existing = origins.find(
        (origin) => origin.request.bundleId === target.bundleId && origin.request.type === implied.type,
      );
      if (existing) {
        existing.request.settings = { ...existing.request.settings, ...implied.settings };
        for (const key of implied.entitlements)
          if (!existing.entitlements.includes(key)) existing.entitlements.push(key);
      } else
        origins.push({
          request: { bundleId: target.bundleId, type: implied.type, settings: { ...implied.settings } },
          source: "entitlements",
          entitlements: [...implied.entitlements],
        });
    }
  }
  return origins;
}

/** The entitlements' capabilities with the `capabilities` input laid over them (per bundle ID and type). */
export function mergedCapabilities(signing: ProjectSigning, input: CapabilityRequest[]): CapabilityOrigin[] {
  const origins = entitlementCapabilities(signing);
  for (const request of input) {
    const at = origins.findIndex(
      (origin) => origin.request.bundleId === request.bundleId && origin.request.type === request.type,
    );
    const origin: CapabilityOrigin = { request, source: "capabilities", entitlements: [] };
    if (at >= 0) origins[at] = origin;
    else origins.push(origin);
  }
  return origins;
}

/** Per signable target: its bundle ID, capabilities and what the API cannot do, with sources. */
export function projectReport(project: ProjectConfig): ProjectTargetReport[] {
  const capabilities = mergedCapabilities(project.signing, project.inputCapabilities);
  return project.signing.signable.map((target) => ({
    target: target.target,
    bundleId: target.bundleId,
    bundleIdSource: target.bundleIdSource === "input" ? "bundle-ids" : "project",
    embeddedIn: target.embeddedIn,
    entitlementsFile: target.entitlementsSetting,
    capabilities: capabilities.filter((origin) => origin.request.bundleId === target.bundleId),
    reported: capabilitiesFromEntitlements(target.entitlements, target.platform).reported,
    notes: target.notes,
  }));
}

/** Log lines: which bundle ID and capability came from where, and what the API cannot do. */
export function projectLogLines(project: ProjectConfig): string[] {
  const lines: string[] = [
    `${project.inputs.given} (${project.signing.configuration}): ${project.signing.signable.length} signable target(s), ${project.signing.notSignable.length} not signed; Xcode project read in ${project.readMs.toFixed(1)} ms`,
  ];
  for (const target of projectReport(project)) {
    lines.push(
      `${target.target}${target.embeddedIn ? ` (in ${target.embeddedIn})` : ""}: ${target.bundleId} from ${target.bundleIdSource === "project" ? "the project" : "`bundle-ids`"}${target.entitlementsFile ? `; entitlements ${target.entitlementsFile}` : "; no entitlements file"}`,
    );
    for (const origin of target.capabilities)
      lines.push(
        `  ${origin.request.type}${settingsText(origin.request)}: from ${origin.source === "entitlements" ? `the entitlements (${origin.entitlements.join(", ")})` : "`capabilities`"}`,
      );
    for (const reported of target.reported) lines.push(`  not through the API: ${reported.message}`);
    for (const note of target.notes) lines.push(`  note: ${note}`);
  }
  for (const warning of project.signing.warnings) lines.push(`warning: ${warning}`);
  return lines;
}

export function settingsText(request: CapabilityRequest): string {
  const pairs = Object.entries(request.settings).map(([key, option]) => `${key}=${option}`);
  return pairs.length ? ` ${pairs.join(" ")}` : "";
}

/**
 * The project's reading for the team App Store Connect reports. Entitlements are expanded with the team
 * ($(AppIdentifierPrefix), $(TeamIdentifierPrefix)); when every signable target already had that team
 * (or the reading was made with it), nothing is read again. Bundle IDs never depend on this team (it
 * only feeds the entitlements), so the reads made for them stay valid; the capabilities are derived
 * again and replace the config's when they differ.
 */
export function projectForTeam(
  project: ProjectConfig,
  teamId: string,
  profileType: ProfileType,
): { project: ProjectConfig; reread: boolean } {
  if (!teamId || project.teamId === teamId) return { project, reread: false };
  if (project.signing.signable.every((target) => target.currentSigning.team === teamId))
    return { project: { ...project, teamId }, reread: false };
  // Once per team: the engine (before planning) and the entitlements check (after installing) share it.
  const known = rereadings.get(project)?.get(teamId);
  if (known) return { project: known, reread: true };
  const problems: InputProblem[] = [];
  const started = performance.now();
  const read = readProjectForConfig(project.inputs, project.bundleIdInput, profileType, problems, {
    teamId,
    workspace: project.workspace,
    ...(project.files ? { files: project.files } : {}),
  });
  if (!read || problems.length > 0) return { project, reread: false };
  const again: ProjectConfig = {
    ...project,
    teamId,
    signing: read.signing,
    readMs: performance.now() - started,
  };
  const forProject = rereadings.get(project) ?? new Map<string, ProjectConfig>();
  forProject.set(teamId, again);
  rereadings.set(project, forProject);
  return { project: again, reread: true };
}

const rereadings = new WeakMap<ProjectConfig, Map<string, ProjectConfig>>();

/** The config's capability list from a project reading. */
export function capabilityRequestsOf(project: ProjectConfig): CapabilityRequest[] {
  return mergedCapabilities(project.signing, project.inputCapabilities).map((origin) => origin.request);
}
