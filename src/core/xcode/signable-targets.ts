// The targets a profile type signs, read from the project: the selected applications (default: every
// application of the platform the profile type implies that no other target embeds) and everything
// they embed that needs its own profile, walked through copy-files phases (honouring platform filters)
// and run-script phases that copy a dependency's product. For each: the bundle ID, the entitlements
// file and its expanded content, and the signing settings as the project has them. Pure over the
// files it is given.
import { join } from "node:path";
import { parse as parsePlist } from "plist";
import type { ProfileType } from "../asc/types.ts";
import { profileTypeRule } from "../profile-types.ts";
import type { BuildSettings } from "./build-settings.ts";
import { type Entitlements, readEntitlementsFile, signingValues } from "./entitlements-file.ts";
import { isApplicationKind, notSignableReason, type SignableKind, signableKind } from "./product-types.ts";
import { diskFiles, type ProjectFiles } from "./project-files.ts";
import {
  DEVICE_SDK,
  PLATFORM_FILTER,
  type TargetPlatform,
  type TargetPlatforms,
  targetPlatforms,
} from "./target-platforms.ts";
import { BUILD_TIME_SETTINGS, targetSettings } from "./target-settings.ts";
import type { XcconfigRead } from "./xcconfig.ts";
import { XcodeProjectError } from "./xcode-errors.ts";
import {
  readXcodeWorkspace,
  type XcodeProjectFile,
  type XcodeTarget,
  type XcodeWorkspace,
} from "./xcode-project.ts";

/** Where a signable target is built: a platform, or an iOS target built for Mac Catalyst. */
export type SigningPlatform = TargetPlatform | "catalyst";

export interface ProjectSigningOptions {
  profileType: ProfileType;
  /** Build configuration (default `Release`). */
  configuration?: string;
  /** Application targets to sign (default: every application of the profile type's platform). */
  targets?: string[];
  /** The team whose ID $(AppIdentifierPrefix) expands to (default: the project's DEVELOPMENT_TEAM). */
  teamId?: string;
  /** Bundle IDs given as input, by target name: they replace what the project says. */
  bundleIds?: Record<string, string>;
  files?: ProjectFiles;
}

export interface CurrentSigning {
  style: string;
  team: string;
  identity: string;
  profileSpecifier: string;
}

export interface SignableTarget {
  target: string;
  targetId: string;
  /** Absolute path of the .xcodeproj. */
  project: string;
  productType: string;
  kind: SignableKind;
  platform: SigningPlatform;
  /** SDK the settings were evaluated for. */
  sdk: string;
  /** Configuration the target is built with (its default when it lacks the one asked for). */
  configuration: string;
  /** XCBuildConfiguration id of that configuration (where configure-project writes). */
  buildConfigurationId: string;
  bundleId: string;
  bundleIdSource: "project" | "input";
  /** Name of the target that embeds this one; undefined for a selected application. */
  embeddedIn: string | undefined;
  embeddedBy: "copy-files" | "script" | undefined;
  /** CODE_SIGN_ENTITLEMENTS as resolved (relative to the project folder), "" when none. */
  entitlementsSetting: string;
  /** Absolute path of the entitlements file, when there is one. */
  entitlementsPath: string | undefined;
  /** The file's content with build settings expanded ({} without a file). */
  entitlements: Entitlements;
  currentSigning: CurrentSigning;
  /** Things worth a line in the plan: undefined variables in entitlements, build-time entitlement edits. */
  notes: string[];
}

export interface NotSignableTarget {
  target: string;
  project: string;
  productType: string | undefined;
  reason: string;
}

export interface XcodeProblem {
  target?: string;
  setting?: string;
  message: string;
}

export interface ProjectSigning {
  profileType: ProfileType;
  configuration: string;
  signable: SignableTarget[];
  notSignable: NotSignableTarget[];
  skippedProjects: { path: string; reason: string }[];
  /** Errors: a value the repository cannot give, a selected target that is not there. */
  problems: XcodeProblem[];
  warnings: string[];
}

interface Build {
  platform: SigningPlatform;
  sdk: string;
  filter: string;
}

interface Candidate {
  project: XcodeProjectFile;
  target: XcodeTarget;
  kind: SignableKind | undefined;
  platforms: TargetPlatforms;
}

/** Reads the project at `path` (.xcodeproj or .xcworkspace) and finds what the profile type signs. */
export function readProjectSigning(path: string, options: ProjectSigningOptions): ProjectSigning {
  const files = options.files ?? diskFiles;
  return projectSigning(readXcodeWorkspace(path, files), options);
}

export function projectSigning(workspace: XcodeWorkspace, options: ProjectSigningOptions): ProjectSigning {
  const files = options.files ?? diskFiles;
  const configuration = options.configuration ?? "Release";
  const rule = profileTypeRule(options.profileType);
  const xcconfigCache = new Map<string, XcconfigRead>();
  const result: ProjectSigning = {
    profileType: options.profileType,
    configuration,
    signable: [],
    notSignable: [],
    skippedProjects: workspace.skipped,
    problems: [],
    warnings: [],
  };
  const missingConfig = workspace.projects.filter((project) => !project.configurations.has(configuration));
  for (const project of missingConfig) {
    result.problems.push({
      message: `${project.path}: no build configuration "${configuration}"; it has ${[...project.configurations.keys()].join(", ")}. Set \`configuration\`.`,
    });
  }
  if (missingConfig.length) return result;

  // Platforms of every target, from settings evaluated without an SDK.
  const candidates: Candidate[] = [];
  for (const project of workspace.projects) {
    for (const target of project.targets) {
      const kind = signableKind(target.productType);
      const platforms = kind
        ? targetPlatforms(
            targetSettings(project, target, { configuration, sdk: "", files, xcconfigCache }).settings,
          )
        : { platforms: [], supportsCatalyst: false };
      candidates.push({ project, target, kind, platforms });
    }
  }
  const embedded = new Set(
    candidates.flatMap((entry) =>
      entry.target.embeds.map((embed) => `${entry.project.path}#${embed.targetId}`),
    ),
  );
  const topBuild = (candidate: Candidate): Build | undefined => {
    const { platforms, supportsCatalyst } = candidate.platforms;
    switch (rule.os) {
      case "ios":
        if (platforms.includes("ios")) return { platform: "ios", sdk: "iphoneos", filter: "ios" };
        if (platforms.includes("visionos")) return { platform: "visionos", sdk: "xros", filter: "xros" };
        if (platforms.includes("watchos")) return { platform: "watchos", sdk: "watchos", filter: "watchos" };
        return undefined;
      case "tvos":
        return platforms.includes("tvos")
          ? { platform: "tvos", sdk: "appletvos", filter: "tvos" }
          : undefined;
      case "macos":
        return platforms.includes("macos")
          ? { platform: "macos", sdk: "macosx", filter: "macos" }
          : undefined;
      case "catalyst":
        return supportsCatalyst ? { platform: "catalyst", sdk: "macosx", filter: "maccatalyst" } : undefined;
    }
  };

  let selected: { candidate: Candidate; build: Build }[] = [];
  if (options.targets?.length) {
    for (const name of options.targets) {
      const candidate = candidates.find((entry) => entry.target.name === name);
      if (!candidate) {
        result.problems.push({
          target: name,
          message: `\`targets\`: no target "${name}" in ${workspace.path}; application targets: ${candidates
            .filter((entry) => isApplicationKind(entry.kind))
            .map((entry) => entry.target.name)
            .join(", ")}`,
        });
        continue;
      }
      const build = candidate.kind ? topBuild(candidate) : undefined;
      if (!build) {
        result.problems.push({
          target: name,
          message: candidate.kind
            ? `\`targets\`: "${name}" does not build for ${rule.os} (${options.profileType}); it builds for ${candidate.platforms.platforms.join(", ") || "no known platform"}`
            : `\`targets\`: "${name}" is not signed with a profile: ${notSignableReason(candidate.target.productType, candidate.target.isa)}`,
        });
        continue;
      }
      selected.push({ candidate, build });
    }
  } else {
    selected = candidates
      .filter(
        (entry) => isApplicationKind(entry.kind) && !embedded.has(`${entry.project.path}#${entry.target.id}`),
      )
      .map((candidate) => ({ candidate, build: topBuild(candidate) }))
      .filter((app): app is { candidate: Candidate; build: Build } => app.build !== undefined)
      // A watchOS app is signed with iOS profiles only as part of the iOS app that embeds it.
      .filter((app) => !(rule.os === "ios" && app.build.platform === "watchos"));
    if (selected.length === 0) {
      result.problems.push({
        message: `${workspace.path}: no application target builds for ${rule.os} (${options.profileType}); application targets: ${
          candidates
            .filter((entry) => isApplicationKind(entry.kind))
            .map((entry) => `${entry.target.name} (${entry.platforms.platforms.join("/") || "?"})`)
            .join(", ") || "none"
        }`,
      });
    }
  }

  const reached = new Map<string, string>();
  const visit = (
    candidate: Candidate,
    build: Build,
    parent: string | undefined,
    via: "copy-files" | "script" | undefined,
  ) => {
    const key = `${candidate.project.path}#${candidate.target.id}#${build.platform}`;
    if (reached.has(key)) return;
    reached.set(key, build.platform);
    const entry = describeTarget(
      candidate,
      build,
      configuration,
      options,
      files,
      xcconfigCache,
      result,
      parent,
      via,
    );
    if (entry) result.signable.push(entry);
    for (const embed of candidate.target.embeds) {
      const child = candidates.find(
        (entry) => entry.project === candidate.project && entry.target.id === embed.targetId,
      );
      if (!child?.kind) continue;
      if (embed.platformFilters.length && !embed.platformFilters.includes(build.filter)) continue;
      const childBuild = embeddedBuild(build, child.platforms);
      if (!childBuild) {
        result.warnings.push(
          `${child.target.name}: embedded in ${candidate.target.name} but does not build for ${build.platform}; not signed`,
        );
        continue;
      }
      // Children of a target whose bundle ID is unknown are still listed, under their parent's name.
      visit(child, childBuild, candidate.target.name, embed.via);
    }
  };
  for (const { candidate, build } of selected) visit(candidate, build, undefined, undefined);

  const signedIds = new Set(result.signable.map((signed) => `${signed.project}#${signed.targetId}`));
  for (const entry of candidates) {
    if (signedIds.has(`${entry.project.path}#${entry.target.id}`)) continue;
    result.notSignable.push({
      target: entry.target.name,
      project: entry.project.path,
      productType: entry.target.productType,
      reason: entry.kind
        ? `${entry.kind} not signed with ${options.profileType}: ${
            topBuild(entry)
              ? "not selected or embedded in a selected application"
              : `builds for ${entry.platforms.platforms.join(", ") || "no known platform"}`
          }`
        : notSignableReason(entry.target.productType, entry.target.isa),
    });
  }
  return result;
}

/** How an embedded target builds inside its parent's build. */
function embeddedBuild(parent: Build, child: TargetPlatforms): Build | undefined {
  const { platforms, supportsCatalyst } = child;
  if (parent.platform === "catalyst") {
    if (supportsCatalyst) return parent;
    if (platforms.includes("macos"))
      return { platform: "macos", sdk: "macosx", filter: PLATFORM_FILTER.macos };
    return undefined;
  }
  if (platforms.includes(parent.platform)) return parent;
  // An iOS app embeds a watchOS app (and a watch app its extension).
  if (parent.platform === "ios" && platforms.includes("watchos")) {
    return { platform: "watchos", sdk: DEVICE_SDK.watchos, filter: PLATFORM_FILTER.watchos };
  }
  return undefined;
}

function describeTarget(
  candidate: Candidate,
  build: Build,
  configuration: string,
  options: ProjectSigningOptions,
  files: ProjectFiles,
  xcconfigCache: Map<string, XcconfigRead>,
  result: ProjectSigning,
  parent: string | undefined,
  via: "copy-files" | "script" | undefined,
): SignableTarget | undefined {
  const { project, target } = candidate;
  const resolved = targetSettings(project, target, { configuration, sdk: build.sdk, files, xcconfigCache });
  const settings = resolved.settings;
  for (const warning of resolved.warnings)
    if (!result.warnings.includes(warning)) result.warnings.push(warning);
  const notes: string[] = [];

  const bundle = bundleIdentifier(project, target, settings, build, options, files);
  if ("problem" in bundle) {
    result.problems.push({
      target: target.name,
      setting: "PRODUCT_BUNDLE_IDENTIFIER",
      message: bundle.problem,
    });
    return undefined;
  }
  const currentSigning: CurrentSigning = {
    style: settings.value("CODE_SIGN_STYLE"),
    team: settings.value("DEVELOPMENT_TEAM"),
    identity: settings.value("CODE_SIGN_IDENTITY"),
    profileSpecifier: settings.value("PROVISIONING_PROFILE_SPECIFIER"),
  };
  const teamId = options.teamId ?? (currentSigning.team || undefined);
  const entitlementsEval = settings.evaluated("CODE_SIGN_ENTITLEMENTS");
  const entitlementsSetting = entitlementsEval.value.trim();
  let entitlements: Entitlements = {};
  let entitlementsPath: string | undefined;
  if (!entitlementsSetting && entitlementsEval.undefinedNames.length) {
    notes.push(
      `CODE_SIGN_ENTITLEMENTS refers to $(${entitlementsEval.undefinedNames.join("), $(")}), which nothing in the repository defines: read as no entitlements file (if a CI script sets it, give the capabilities with the \`capabilities\` input)`,
    );
  }
  if (entitlementsSetting) {
    const buildTime = entitlementsEval.undefinedNames.filter((name) => BUILD_TIME_SETTINGS.has(name));
    if (buildTime.length) {
      result.problems.push({
        target: target.name,
        setting: "CODE_SIGN_ENTITLEMENTS",
        message: `target "${target.name}": CODE_SIGN_ENTITLEMENTS (${entitlementsSetting}) names a file made during the build ($(${buildTime.join("), $(")})); its entitlements cannot be read from the repository. Give the capabilities with the \`capabilities\` input.`,
      });
    } else {
      const read = readEntitlementsFile(
        entitlementsSetting,
        project.dir,
        settings.with(signingValues(teamId, bundle.bundleId)),
        files,
      );
      entitlementsPath = read.path;
      if ("problem" in read) {
        result.problems.push({
          target: target.name,
          setting: "CODE_SIGN_ENTITLEMENTS",
          message: `target "${target.name}": ${read.problem} (CODE_SIGN_ENTITLEMENTS = ${entitlementsSetting}); xcodebuild would fail on it too.`,
        });
      } else {
        entitlements = read.entitlements;
        if (read.undefinedNames.length) {
          notes.push(
            `entitlements refer to $(${read.undefinedNames.join("), $(")}), which nothing in the repository defines: expanded to empty, as Xcode does`,
          );
        }
      }
    }
  }
  // A script that edits the processed entitlements (.xcent) changes what gets signed; Xcode allows it
  // only with CODE_SIGN_ALLOW_ENTITLEMENTS_MODIFICATION.
  const allowsEdits = settings.value("CODE_SIGN_ALLOW_ENTITLEMENTS_MODIFICATION") === "YES";
  const editor = target.scripts.find(
    (script) => /\.xcent\b/.test(script) || (allowsEdits && /entitlement/i.test(script)),
  );
  if (editor !== undefined) {
    notes.push(
      `run-script phase "${editor.split("\n")[0]}" may add entitlements during the build; only the file's entitlements are known`,
    );
  }
  return {
    target: target.name,
    targetId: target.id,
    project: project.path,
    productType: target.productType ?? "",
    kind: candidate.kind!,
    platform: build.platform,
    sdk: build.sdk,
    configuration: resolved.configuration,
    buildConfigurationId: resolved.targetConfigurationId,
    bundleId: bundle.bundleId,
    bundleIdSource: bundle.source,
    embeddedIn: parent,
    embeddedBy: parent ? via : undefined,
    entitlementsSetting,
    entitlementsPath,
    entitlements,
    currentSigning,
    notes,
  };
}

const BUNDLE_ID = /^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*$/;

function bundleIdentifier(
  project: XcodeProjectFile,
  target: XcodeTarget,
  settings: BuildSettings,
  build: Build,
  options: ProjectSigningOptions,
  files: ProjectFiles,
): { bundleId: string; source: "project" | "input" } | { problem: string } {
  const given = options.bundleIds?.[target.name];
  if (given) return { bundleId: given, source: "input" };
  const evaluated = settings.evaluated("PRODUCT_BUNDLE_IDENTIFIER");
  let bundleId = evaluated.value.trim();
  let undefinedNames = evaluated.undefinedNames;
  let from = "PRODUCT_BUNDLE_IDENTIFIER";
  if (!bundleId && !settings.has("PRODUCT_BUNDLE_IDENTIFIER")) {
    // Projects from before Xcode 7 keep the identifier in the Info.plist.
    const infoPlist = settings.value("INFOPLIST_FILE").trim();
    const text = infoPlist
      ? files.readText(infoPlist.startsWith("/") ? infoPlist : join(project.dir, infoPlist))
      : undefined;
    if (text !== undefined) {
      try {
        const raw = (parsePlist(text) as Record<string, unknown>).CFBundleIdentifier;
        if (typeof raw === "string") {
          const expanded = settings.expand(raw);
          bundleId = expanded.value.trim();
          undefinedNames = expanded.undefinedNames;
          from = `CFBundleIdentifier in ${infoPlist}`;
        }
      } catch {
        // Not a plist: reported below as an unresolved bundle ID.
      }
    }
  }
  if (
    build.platform === "catalyst" &&
    settings.value("DERIVE_MACCATALYST_PRODUCT_BUNDLE_IDENTIFIER") === "YES"
  ) {
    bundleId = `maccatalyst.${bundleId}`;
  }
  if (BUNDLE_ID.test(bundleId)) return { bundleId, source: "project" };
  const why = undefinedNames.length
    ? `$(${undefinedNames.join("), $(")}) ${undefinedNames.length === 1 ? "is" : "are"} defined nowhere in the repository (a CI script or the xcodebuild command line may set ${undefinedNames.length === 1 ? "it" : "them"})`
    : bundleId
      ? "that is not a valid bundle identifier"
      : "the project sets no bundle identifier";
  return {
    problem: `target "${target.name}" (${project.name}, ${options.configuration ?? "Release"}, ${build.sdk}): ${from} resolves to "${bundleId}": ${why}. Give this target's bundle ID with the \`bundle-ids\` input.`,
  };
}

/** Throws the problems of a reading as one error (for callers that cannot go on without the project). */
export function assertNoProblems(signing: ProjectSigning): void {
  if (signing.problems.length === 0) return;
  throw new XcodeProjectError(
    signing.problems.length === 1
      ? signing.problems[0]!.message
      : `${signing.problems.length} problems reading the Xcode project:\n${signing.problems.map((problem) => `- ${problem.message}`).join("\n")}`,
  );
}
