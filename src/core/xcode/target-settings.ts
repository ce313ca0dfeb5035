// The build settings of one target in one configuration for one SDK, assembled as Xcode stacks them:
// defaults < project xcconfig < project settings < target xcconfig < target settings. Base xcconfigs
// come from `baseConfigurationReference` or, since Xcode 16, `baseConfigurationReferenceAnchor` (a
// synchronized folder) + `baseConfigurationReferenceRelativePath`.
import { join } from "node:path";
import { BuildSettings } from "./build-settings.ts";
import { referencePath } from "./file-reference-paths.ts";
import { objectOf, str } from "./pbxproj.ts";
import type { ProjectFiles } from "./project-files.ts";
import type { SettingAssignment } from "./setting-assignment.ts";
import { parseSettingKey, readXcconfig, type XcconfigRead } from "./xcconfig.ts";
import { XcodeProjectError } from "./xcode-errors.ts";
import { buildSettingsOf, type XcodeProjectFile, type XcodeTarget } from "./xcode-project.ts";

export interface TargetSettings {
  settings: BuildSettings;
  /** The XCBuildConfiguration ids used (project level, target level). */
  projectConfigurationId: string;
  targetConfigurationId: string;
  /** Configuration actually used by the target (its default when it lacks the one asked for). */
  configuration: string;
  /** xcconfig files read, optional includes skipped, and problems worth a warning. */
  xcconfigFiles: string[];
  skippedOptionalIncludes: string[];
  warnings: string[];
}

/** Settings a build derives from its location rather than reads from a file: they have no value here. */
export const BUILD_TIME_SETTINGS = new Set([
  "BUILT_PRODUCTS_DIR",
  "CONFIGURATION_BUILD_DIR",
  "TARGET_BUILD_DIR",
  "DERIVED_FILE_DIR",
  "DERIVED_FILES_DIR",
  "DERIVED_SOURCES_DIR",
  "OBJROOT",
  "SYMROOT",
  "DSTROOT",
  "TEMP_DIR",
  "TARGET_TEMP_DIR",
  "PROJECT_TEMP_DIR",
  "CONFIGURATION_TEMP_DIR",
  "BUILD_DIR",
  "BUILD_ROOT",
  "SHARED_DERIVED_FILE_DIR",
  "DEVELOPER_DIR",
  "SDK_DIR",
  "SDKROOT_PATH",
  "HOME",
  "USER",
]);

export function targetSettings(
  project: XcodeProjectFile,
  target: XcodeTarget,
  options: {
    configuration: string;
    sdk: string;
    files: ProjectFiles;
    extraDefaults?: Record<string, string>;
    /** xcconfig reads shared across targets of one reading (each file is read and parsed once). */
    xcconfigCache?: Map<string, XcconfigRead>;
  },
): TargetSettings {
  const projectConfigurationId = project.configurations.get(options.configuration);
  if (projectConfigurationId === undefined) {
    throw new XcodeProjectError(
      `${project.path}: no build configuration "${options.configuration}"; the project has ${[...project.configurations.keys()].join(", ")} (set \`configuration\`)`,
    );
  }
  // Xcode builds a target that lacks the configuration with its default one.
  const targetConfigName = target.configurations.has(options.configuration)
    ? options.configuration
    : (target.defaultConfiguration ?? options.configuration);
  const targetConfigurationId = target.configurations.get(targetConfigName);
  if (targetConfigurationId === undefined) {
    throw new XcodeProjectError(
      `${project.path}: target "${target.name}" has no build configuration "${options.configuration}"`,
    );
  }
  const xcconfigFiles: string[] = [];
  const skippedOptionalIncludes: string[] = [];
  const warnings: string[] = [];
  const baseXcconfig = (configurationId: string): SettingAssignment[] => {
    const path = baseConfigurationPath(project, configurationId);
    if (path === undefined) return [];
    let read = options.xcconfigCache?.get(path);
    if (!read) {
      read = readXcconfig(path, options.files);
      options.xcconfigCache?.set(path, read);
    }
    xcconfigFiles.push(...read.files);
    skippedOptionalIncludes.push(...read.skippedOptional);
    warnings.push(...read.warnings);
    return read.assignments;
  };
  const levels: SettingAssignment[][] = [
    defaults(project, target, options.configuration, options.sdk, options.extraDefaults),
    baseXcconfig(projectConfigurationId),
    pbxprojLevel(project, projectConfigurationId, "project"),
    baseXcconfig(targetConfigurationId),
    pbxprojLevel(project, targetConfigurationId, `target "${target.name}"`),
  ];
  return {
    settings: new BuildSettings(levels, { sdk: options.sdk, config: options.configuration }),
    projectConfigurationId,
    targetConfigurationId,
    configuration: targetConfigName,
    xcconfigFiles,
    skippedOptionalIncludes,
    warnings,
  };
}

/** Absolute path of a configuration's base xcconfig, if it has one. */
export function baseConfigurationPath(
  project: XcodeProjectFile,
  configurationId: string,
): string | undefined {
  const configuration = objectOf(project.pbx, configurationId, "XCBuildConfiguration");
  const reference = str(configuration, "baseConfigurationReference");
  if (reference !== undefined) return referencePath(project, reference);
  const anchor = str(configuration, "baseConfigurationReferenceAnchor");
  const relative = str(configuration, "baseConfigurationReferenceRelativePath");
  if (anchor !== undefined && relative !== undefined) {
    const folder = referencePath(project, anchor);
    return folder === undefined ? undefined : join(folder, relative);
  }
  return undefined;
}

const levelCache = new WeakMap<XcodeProjectFile, Map<string, SettingAssignment[]>>();

/** A configuration's pbxproj settings as assignments (parsed once per project and configuration). */
function pbxprojLevel(
  project: XcodeProjectFile,
  configurationId: string,
  level: string,
): SettingAssignment[] {
  let cache = levelCache.get(project);
  if (!cache) {
    cache = new Map();
    levelCache.set(project, cache);
  }
  const cached = cache.get(configurationId);
  if (cached) return cached;
  const assignments = pbxprojAssignments(project, configurationId, level);
  cache.set(configurationId, assignments);
  return assignments;
}

function pbxprojAssignments(
  project: XcodeProjectFile,
  configurationId: string,
  level: string,
): SettingAssignment[] {
  const settings = buildSettingsOf(project.pbx, configurationId);
  const assignments: SettingAssignment[] = [];
  // swift-build pushes a configuration's settings sorted by key, so `X[sdk=…]` lands above `X`.
  for (const key of Object.keys(settings).sort()) {
    const parsed = parseSettingKey(key);
    if (!parsed) continue;
    const raw = settings[key];
    const value = Array.isArray(raw) ? raw.map(String) : typeof raw === "object" ? "" : String(raw ?? "");
    assignments.push({ ...parsed, value, source: `${project.pbxprojPath} (${level})` });
  }
  return assignments;
}

function defaults(
  project: XcodeProjectFile,
  target: XcodeTarget,
  configuration: string,
  sdk: string,
  extra: Record<string, string> = {},
): SettingAssignment[] {
  const values: Record<string, string> = {
    TARGET_NAME: target.name,
    TARGETNAME: target.name,
    PROJECT_NAME: project.name,
    PROJECT: project.name,
    PROJECT_DIR: project.dir,
    SRCROOT: project.dir,
    SOURCE_ROOT: project.dir,
    PROJECT_FILE_PATH: project.path,
    CONFIGURATION: configuration,
    PLATFORM_NAME: sdk,
    SDK_NAME: sdk,
    EFFECTIVE_PLATFORM_NAME: sdk === "macosx" ? "" : `-${sdk}`,
    PRODUCT_NAME: "$(TARGET_NAME)",
    PRODUCT_MODULE_NAME: "$(PRODUCT_NAME:c99extidentifier)",
    DERIVE_MACCATALYST_PRODUCT_BUNDLE_IDENTIFIER: "NO",
    ...extra,
  };
  return Object.entries(values).map(([name, value]) => ({
    name,
    conditions: [],
    value,
    source: "(Xcode default)",
  }));
}
