// contents.xcworkspacedata: the projects a workspace lists. Locations are `group:` (relative to the
// enclosing <Group>, the workspace's folder at the top), `container:` (relative to the folder holding
// the .xcworkspace), `absolute:` and `self:` (the project that embeds this workspace).
import { dirname, isAbsolute, join, resolve } from "node:path";

/** Absolute paths of the .xcodeproj bundles a workspace lists, in order. */
export function workspaceProjectPaths(xml: string, workspacePath: string): string[] {
  const containerDir = dirname(workspacePath);
  const groups: string[] = [containerDir];
  const projects: string[] = [];
  for (const tag of xml.matchAll(/<(\/?)(Group|FileRef)\b([^>]*?)(\/?)>/g)) {
    const closing = tag[1] === "/";
    const kind = tag[2];
    const selfClosing = tag[4] === "/";
    if (kind === "Group" && closing) {
      if (groups.length > 1) groups.pop();
      continue;
    }
    if (closing) continue;
    const location = /location\s*=\s*"([^"]*)"/.exec(tag[3] ?? "")?.[1];
    const path = location === undefined ? undefined : locate(location, groups.at(-1)!, containerDir);
    if (kind === "Group") {
      if (!selfClosing) groups.push(path ?? groups.at(-1)!);
    } else if (path?.endsWith(".xcodeproj")) {
      projects.push(path);
    }
  }
  return projects;
}

function locate(location: string, groupDir: string, containerDir: string): string | undefined {
  const colon = location.indexOf(":");
  const kind = location.slice(0, colon);
  const rest = location.slice(colon + 1);
  switch (kind) {
    case "group":
      return rest === "" ? groupDir : isAbsolute(rest) ? rest : resolve(groupDir, rest);
    case "container":
      return rest === "" ? containerDir : resolve(containerDir, rest);
    case "absolute":
      return rest;
    case "self":
      return undefined;
    default:
      return join(groupDir, rest);
  }
}
