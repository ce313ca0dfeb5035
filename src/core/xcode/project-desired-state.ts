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
  for (const p of signing.problems) problems.push(inputProblem(p));
  const known = new Set([...signing.signable, ...signing.notSignable].map((t) => t.target));
  const signed = new Set(signing.signable.map((t) => t.target));
  for (const target of Object.keys(bundleIdInput.overrides)) {
    if (signed.has(target)) continue;
    problems.push({
      input: "bundle-ids",
      message: known.has(target)
        ? `"${target}" is a target of ${inputs.given} that ${profileType} does not sign (${signing.notSignable.find((t) => t.target === target)?.reason ?? "not signable"}): remove its line.`
        : `no target "${target}" in ${inputs.given}: a \`Target: com.example.id\` line names a target; signable targets: ${signing.signable.map((t) => t.target).join(", ") || "none"}.`,
    });
  }
  return { signing, workspace };
}

function inputProblem(p: XcodeProblem): InputProblem {
  if (p.setting === "PRODUCT_BUNDLE_IDENTIFIER") return { input: "bundle-ids", message: p.message };
  if (p.message.startsWith("`targets`: "))
    return { input: "targets", message: p.message.slice("`targets`: ".length) };
  if (/no build configuration "/.test(p.message)) return { input: "configuration", message: p.message };
  return { input: "project", message: p.message };
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
    for (const c of capabilitiesFromEntitlements(target.entitlements, target.platform).capabilities) {
      const existing = origins.find(
        (o) => o.request.bundleId === target.bundleId && o.request.type === c.type,
      );
      if (existing) {
        existing.request.settings = { ...existing.request.settings, ...c.settings };
        for (const key of c.entitlements)
          if (!existing.entitlements.includes(key)) existing.entitlements.push(key);
      } else
        origins.push({
          request: { bundleId: target.bundleId, type: c.type, settings: { ...c.settings } },
          source: "entitlements",
          entitlements: [...c.entitlements],
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
      (o) => o.request.bundleId === request.bundleId && o.request.type === request.type,
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
  return project.signing.signable.map((t) => ({
    target: t.target,
    bundleId: t.bundleId,
    bundleIdSource: t.bundleIdSource === "input" ? "bundle-ids" : "project",
    embeddedIn: t.embeddedIn,
    entitlementsFile: t.entitlementsSetting,
    capabilities: capabilities.filter((c) => c.request.bundleId === t.bundleId),
    reported: capabilitiesFromEntitlements(t.entitlements, t.platform).reported,
    notes: t.notes,
  }));
}

/** Log lines: which bundle ID and capability came from where, and what the API cannot do. */
export function projectLogLines(project: ProjectConfig): string[] {
  const lines: string[] = [
    `${project.inputs.given} (${project.signing.configuration}): ${project.signing.signable.length} signable target(s), ${project.signing.notSignable.length} not signed; Xcode project read in ${project.readMs.toFixed(1)} ms`,
  ];
  for (const t of projectReport(project)) {
    lines.push(
      `${t.target}${t.embeddedIn ? ` (in ${t.embeddedIn})` : ""}: ${t.bundleId} from ${t.bundleIdSource === "project" ? "the project" : "`bundle-ids`"}${t.entitlementsFile ? `; entitlements ${t.entitlementsFile}` : "; no entitlements file"}`,
    );
    for (const c of t.capabilities)
      lines.push(
        `  ${c.request.type}${settingsText(c.request)}: from ${c.source === "entitlements" ? `the entitlements (${c.entitlements.join(", ")})` : "`capabilities`"}`,
      );
    for (const r of t.reported) lines.push(`  not through the API: ${r.message}`);
    for (const note of t.notes) lines.push(`  note: ${note}`);
  }
  for (const w of project.signing.warnings) lines.push(`warning: ${w}`);
  return lines;
}

export function settingsText(request: CapabilityRequest): string {
  const pairs = Object.entries(request.settings).map(([k, v]) => `${k}=${v}`);
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
  if (project.signing.signable.every((t) => t.currentSigning.team === teamId))
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
  return mergedCapabilities(project.signing, project.inputCapabilities).map((o) => o.request);
}
