// Reading an .xcodeproj or .xcworkspace into the model the signing reader works on: each project's
// parsed pbxproj (and its text, for configure-project), its targets with product types, what each
// target embeds and how (copy-files phases with their platform filters, or a run-script phase that the
// project says copies the product), and its build configurations. CocoaPods projects are listed but not
// read: nothing in them is ever signable.
import { basename, dirname, join } from "node:path";
import { dict, list, objectOf, type PbxObject, type Pbxproj, parsePbxproj, str } from "./pbxproj.ts";
import type { ProjectFiles } from "./project-files.ts";
import { workspaceProjectPaths } from "./workspace-data.ts";
import { XcodeProjectError } from "./xcode-errors.ts";

export interface EmbeddedProduct {
  /** Target id (in the same project) of the embedded product. */
  targetId: string;
  /** The build phase's name, e.g. "Embed Foundation Extensions". */
  phase: string;
  via: "copy-files" | "script";
  /** `platformFilter`/`platformFilters` of the build file: empty means every platform. */
  platformFilters: string[];
}

export interface XcodeTarget {
  id: string;
  name: string;
  isa: string;
  /** `com.apple.product-type.…`; undefined for aggregate and legacy targets. */
  productType: string | undefined;
  productName: string | undefined;
  /** File name of the product, e.g. `Widgets.appex`. */
  productFile: string | undefined;
  /** Target ids this target depends on (same project). */
  dependencies: string[];
  embeds: EmbeddedProduct[];
  /** Texts of its run-script phases (script, input and output paths), for "embedded by a script" and notes. */
  scripts: string[];
  /** Configuration name → XCBuildConfiguration id. */
  configurations: Map<string, string>;
  defaultConfiguration: string | undefined;
}

export interface XcodeProjectFile {
  /** Absolute path of the .xcodeproj bundle. */
  path: string;
  /** SRCROOT: the folder holding the .xcodeproj (plus the project's projectDirPath, if any). */
  dir: string;
  name: string;
  pbxprojPath: string;
  text: string;
  pbx: Pbxproj;
  targets: XcodeTarget[];
  /** Project-level configuration name → XCBuildConfiguration id. */
  configurations: Map<string, string>;
  defaultConfiguration: string | undefined;
  /** Swift package products the targets use (never signable; counted for the report). */
  swiftPackageProducts: string[];
}

export interface XcodeWorkspace {
  /** The path asked for (.xcodeproj or .xcworkspace). */
  path: string;
  projects: XcodeProjectFile[];
  /** Projects a workspace lists that were not read, with why. */
  skipped: { path: string; reason: string }[];
}

/** Reads an .xcodeproj, or every project an .xcworkspace lists (CocoaPods' Pods.xcodeproj skipped). */
export function readXcodeWorkspace(path: string, files: ProjectFiles): XcodeWorkspace {
  const trimmed = path.replace(/\/+$/, "");
  if (trimmed.endsWith(".xcworkspace")) {
    const xml = files.readText(join(trimmed, "contents.xcworkspacedata"));
    if (xml === undefined) {
      throw new XcodeProjectError(
        `${trimmed}: no contents.xcworkspacedata; is \`project\` an Xcode workspace?`,
      );
    }
    const workspace: XcodeWorkspace = { path: trimmed, projects: [], skipped: [] };
    for (const projectPath of workspaceProjectPaths(xml, trimmed)) {
      if (basename(projectPath) === "Pods.xcodeproj") {
        workspace.skipped.push({
          path: projectPath,
          reason: "CocoaPods project: its targets are never signable",
        });
        continue;
      }
      const text = files.readText(join(projectPath, "project.pbxproj"));
      if (text === undefined) {
        workspace.skipped.push({ path: projectPath, reason: "project.pbxproj not found" });
        continue;
      }
      workspace.projects.push(readProjectText(projectPath, text));
    }
    if (workspace.projects.length === 0) {
      throw new XcodeProjectError(`${trimmed}: the workspace lists no readable Xcode project`);
    }
    return workspace;
  }
  if (!trimmed.endsWith(".xcodeproj")) {
    throw new XcodeProjectError(`${path}: expected the path of an .xcodeproj or .xcworkspace`);
  }
  const text = files.readText(join(trimmed, "project.pbxproj"));
  if (text === undefined) throw new XcodeProjectError(`${trimmed}: project.pbxproj not found`);
  return { path: trimmed, projects: [readProjectText(trimmed, text)], skipped: [] };
}

/** Builds the model of one project from its pbxproj text. */
export function readProjectText(projectPath: string, text: string): XcodeProjectFile {
  const pbxprojPath = join(projectPath, "project.pbxproj");
  const pbx = parsePbxproj(text, pbxprojPath);
  const root = pbx.objects[pbx.rootObject]!;
  const projectDirPath = str(root, "projectDirPath") ?? "";
  const dir = projectDirPath ? join(dirname(projectPath), projectDirPath) : dirname(projectPath);
  const productOwner = new Map<string, string>();
  const targetIds = list(root, "targets");
  for (const id of targetIds) {
    const product = str(pbx.objects[id], "productReference");
    if (product) productOwner.set(product, id);
  }
  const targets = targetIds
    .map((id) => ({ id, object: pbx.objects[id] }))
    .filter((entry): entry is { id: string; object: PbxObject } => entry.object !== undefined)
    .map(({ id, object }) => readTarget(pbx, id, object, productOwner, targetIds));
  const swiftPackageProducts = Object.values(pbx.objects)
    .filter((object) => object.isa === "XCSwiftPackageProductDependency")
    .map((object) => str(object, "productName") ?? "");
  const configs = configurationList(pbx, str(root, "buildConfigurationList"));
  return {
    path: projectPath,
    dir,
    name: basename(projectPath, ".xcodeproj"),
    pbxprojPath,
    text,
    pbx,
    targets,
    configurations: configs.byName,
    defaultConfiguration: configs.defaultName,
    swiftPackageProducts,
  };
}

function readTarget(
  pbx: Pbxproj,
  id: string,
  object: PbxObject,
  productOwner: Map<string, string>,
  targetIds: string[],
): XcodeTarget {
  const productRef = objectOf(pbx, str(object, "productReference"));
  const productFile = str(productRef, "path") ?? str(productRef, "name");
  const dependencies = list(object, "dependencies")
    .map((dep) => str(objectOf(pbx, dep, "PBXTargetDependency"), "target"))
    .filter((id): id is string => id !== undefined && targetIds.includes(id));
  const embeds: EmbeddedProduct[] = [];
  const scripts: string[] = [];
  for (const phaseId of list(object, "buildPhases")) {
    const phase = objectOf(pbx, phaseId);
    if (phase?.isa === "PBXCopyFilesBuildPhase") {
      for (const buildFileId of list(phase, "files")) {
        const buildFile = objectOf(pbx, buildFileId, "PBXBuildFile");
        const owner = productOwner.get(str(buildFile, "fileRef") ?? "");
        if (!owner) continue;
        embeds.push({
          targetId: owner,
          phase: str(phase, "name") ?? "Copy Files",
          via: "copy-files",
          platformFilters: platformFilters(buildFile),
        });
      }
    } else if (phase?.isa === "PBXShellScriptBuildPhase") {
      scripts.push(
        [
          str(phase, "name") ?? "",
          str(phase, "shellScript") ?? "",
          ...list(phase, "inputPaths"),
          ...list(phase, "outputPaths"),
        ].join("\n"),
      );
    }
  }
  // A dependency whose product a run-script phase copies ("…/PacketTunnelProvider.appex") is embedded
  // by that script: the project says so in the script's text.
  for (const dependency of dependencies) {
    if (embeds.some((embed) => embed.targetId === dependency)) continue;
    const dependencyProduct = str(objectOf(pbx, str(pbx.objects[dependency], "productReference")), "path");
    if (!dependencyProduct || !/\.(appex|app|xpc|systemextension|dext)$/.test(dependencyProduct)) continue;
    const script = scripts.find((candidate) => candidate.includes(dependencyProduct));
    if (script !== undefined) {
      embeds.push({
        targetId: dependency,
        phase: script.split("\n")[0] || "Run Script",
        via: "script",
        platformFilters: [],
      });
    }
  }
  const configs = configurationList(pbx, str(object, "buildConfigurationList"));
  return {
    id,
    name: str(object, "name") ?? id,
    isa: object.isa,
    productType: str(object, "productType"),
    productName: str(object, "productName"),
    productFile,
    dependencies,
    embeds,
    scripts,
    configurations: configs.byName,
    defaultConfiguration: configs.defaultName,
  };
}

function platformFilters(buildFile: PbxObject | undefined): string[] {
  const single = str(buildFile, "platformFilter");
  return single ? [single] : list(buildFile, "platformFilters");
}

function configurationList(
  pbx: Pbxproj,
  listId: string | undefined,
): { byName: Map<string, string>; defaultName: string | undefined } {
  const configList = objectOf(pbx, listId, "XCConfigurationList");
  const byName = new Map<string, string>();
  for (const configId of list(configList, "buildConfigurations")) {
    const name = str(objectOf(pbx, configId, "XCBuildConfiguration"), "name");
    if (name !== undefined) byName.set(name, configId);
  }
  return { byName, defaultName: str(configList, "defaultConfigurationName") };
}

/** The build settings dictionary of an XCBuildConfiguration. */
export function buildSettingsOf(pbx: Pbxproj, configurationId: string | undefined): Record<string, unknown> {
  return dict(objectOf(pbx, configurationId, "XCBuildConfiguration"), "buildSettings");
}
