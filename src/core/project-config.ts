// The project half of parseConfig: with `project`, the bundle IDs come from the Xcode project (and
// `bundle-ids` overrides or adds), the capabilities from the entitlements (and `capabilities` overrides
// or adds). Its problems join the other input problems, before any request.
import type { ProfileType } from "./asc/types.ts";
import type { BundleIdRequest, CapabilityRequest, Config } from "./config.ts";
import type { InputProblem } from "./errors.ts";
import { parseProjectBundleIds, parseProjectInputs } from "./project-input.ts";
import {
  capabilityRequestsOf,
  type ProjectConfig,
  projectBundleIds,
  projectForTeam,
  readProjectForConfig,
} from "./xcode/project-desired-state.ts";
import type { ProjectFiles } from "./xcode/project-files.ts";

export interface ProjectParseDeps {
  /** GITHUB_WORKSPACE: `project` is relative to it (default: the current directory). */
  workspace?: string;
  /** How the project's files are read (tests); default: the disk. */
  projectFiles?: ProjectFiles;
}

/** undefined without `project`; otherwise the reading (or undefined project when it failed) and the bundle IDs. */
export function parseProjectConfig(
  get: (name: string) => string,
  deps: ProjectParseDeps,
  profileType: ProfileType | undefined,
  problems: InputProblem[],
): { project: ProjectConfig | undefined; bundleIds: BundleIdRequest[] } | undefined {
  const problem = (input: string, message: string) => {
    problems.push({ input, message });
  };
  const inputs = parseProjectInputs(get, deps.workspace ?? process.cwd(), problem);
  if (!inputs) return get("project") ? { project: undefined, bundleIds: [] } : undefined;
  if (get("bundle-id-names"))
    problem(
      "bundle-id-names",
      "is not used with `project` (bundle IDs are named after their identifier): remove it, or name the bundle IDs in the developer portal.",
    );
  const bundleIdInput = parseProjectBundleIds(get("bundle-ids"), problem);
  if (!profileType) return { project: undefined, bundleIds: [] };
  const files = deps.projectFiles;
  const started = performance.now();
  const read = readProjectForConfig(inputs, bundleIdInput, profileType, problems, files ? { files } : {});
  const readMs = performance.now() - started;
  if (!read) return { project: undefined, bundleIds: [] };
  const { signing, workspace } = read;
  const bundleIds = projectBundleIds(signing, bundleIdInput.extra, problems);
  const project: ProjectConfig = {
    inputs,
    bundleIdInput,
    teamId: undefined,
    signing,
    workspace,
    inputCapabilities: [],
    ...(files ? { files } : {}),
    readMs,
  };
  return { project, bundleIds };
}

/** The capabilities of a project run: the entitlements' with the input's laid over them. */
export function projectCapabilities(project: ProjectConfig, input: CapabilityRequest[]): CapabilityRequest[] {
  project.inputCapabilities = input;
  return capabilityRequestsOf(project);
}

/**
 * The config once App Store Connect has told the team: the entitlements are expanded again only when a
 * target's DEVELOPMENT_TEAM differs from it (no request: the project is read from disk). Bundle IDs do
 * not depend on this team (it feeds $(AppIdentifierPrefix) and $(TeamIdentifierPrefix) in entitlements
 * only), so what was read for them stays valid; the capabilities are derived again.
 */
export function configForTeam(
  config: Config,
  teamId: string | undefined,
): { config: Config; changed: string[]; reread: boolean } {
  if (!config.project || !teamId) return { config, changed: [], reread: false };
  const { project, reread } = projectForTeam(config.project, teamId, config.profileType);
  if (!reread)
    return { config: project === config.project ? config : { ...config, project }, changed: [], reread };
  const capabilities = capabilityRequestsOf(project);
  const key = (request: CapabilityRequest) =>
    JSON.stringify([request.bundleId, request.type, Object.entries(request.settings).sort()]);
  const before = new Set(config.capabilities.map(key));
  const after = new Set(capabilities.map(key));
  const changed = [
    ...capabilities
      .filter((request) => !before.has(key(request)))
      .map((request) => `+${request.type} on ${request.bundleId}`),
    ...config.capabilities
      .filter((request) => !after.has(key(request)))
      .map((request) => `-${request.type} on ${request.bundleId}`),
  ];
  return { config: { ...config, project, capabilities }, changed, reread };
}
