// Where a file reference or group points on disk. `<group>` paths are relative to the parent group's
// folder (the main group is SRCROOT), `SOURCE_ROOT` to SRCROOT, `<absolute>` is absolute; other source
// trees (BUILT_PRODUCTS_DIR, SDKROOT, DEVELOPER_DIR) are outside the repository: undefined.
import { isAbsolute, join } from "node:path";
import { list, str } from "./pbxproj.ts";
import type { XcodeProjectFile } from "./xcode-project.ts";

const GROUP_ISAS = new Set(["PBXGroup", "PBXVariantGroup", "XCVersionGroup"]);
const parentsCache = new WeakMap<XcodeProjectFile, Map<string, string>>();

function parents(project: XcodeProjectFile): Map<string, string> {
  let map = parentsCache.get(project);
  if (map) return map;
  map = new Map();
  for (const [id, object] of Object.entries(project.pbx.objects)) {
    if (!GROUP_ISAS.has(object.isa)) continue;
    for (const child of list(object, "children")) map.set(child, id);
  }
  parentsCache.set(project, map);
  return map;
}

/** Absolute path of a file reference or group, or undefined when it is not in the checkout. */
export function referencePath(project: XcodeProjectFile, id: string, depth = 0): string | undefined {
  const object = project.pbx.objects[id];
  if (!object || depth > 64) return undefined;
  const path = str(object, "path") ?? "";
  const sourceTree = str(object, "sourceTree") ?? "<group>";
  const mainGroup = str(project.pbx.objects[project.pbx.rootObject], "mainGroup");
  switch (sourceTree) {
    case "<absolute>":
      return path;
    case "SOURCE_ROOT":
      return join(project.dir, path);
    case "<group>": {
      if (isAbsolute(path)) return path;
      if (id === mainGroup) return join(project.dir, path);
      const parent = parents(project).get(id);
      const base = parent === undefined ? project.dir : referencePath(project, parent, depth + 1);
      return base === undefined ? undefined : join(base, path);
    }
    default:
      return undefined;
  }
}
