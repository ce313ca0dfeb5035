// .xcconfig files as Xcode reads them: `NAME[cond=value]... = value` lines in order, `//` comments,
// `#include "file"` (required) and `#include? "file"` (optional: skipped when absent, wherever it points),
// each path relative to the including file. The result is the ordered list of assignments, includes
// spliced in where they appear, so "the latest assignment whose condition matches wins" holds.
import { dirname, isAbsolute, resolve } from "node:path";
import type { ProjectFiles } from "./project-files.ts";
import type { SettingAssignment, SettingCondition } from "./setting-assignment.ts";

export interface XcconfigRead {
  assignments: SettingAssignment[];
  /** Files read, in order (the first is the one asked for). */
  files: string[];
  /** Optional includes that were absent (not a problem; listed for the plan). */
  skippedOptional: string[];
  /** Required includes or base files that were absent, and lines that are not settings. */
  warnings: string[];
}

/** Reads an xcconfig and everything it includes. An absent top-level file is a warning, not an error. */
export function readXcconfig(path: string, files: ProjectFiles): XcconfigRead {
  const result: XcconfigRead = { assignments: [], files: [], skippedOptional: [], warnings: [] };
  const text = files.readText(path);
  if (text === undefined) {
    result.warnings.push(`${path}: xcconfig file not found (settings it would set are missing)`);
    return result;
  }
  readInto(path, text, files, result, new Set());
  return result;
}

function readInto(
  path: string,
  text: string,
  files: ProjectFiles,
  out: XcconfigRead,
  stack: Set<string>,
): void {
  out.files.push(path);
  stack.add(path);
  const lines = text.split(/\r?\n/);
  for (const [index, rawLine] of lines.entries()) {
    const line = stripComment(rawLine).trim();
    if (!line) continue;
    const include = /^#include(\?)?\s*"([^"]*)"/.exec(line) ?? /^#include(\?)?\s*<([^>]*)>/.exec(line);
    if (include) {
      const optional = include[1] === "?";
      const target = include[2]!;
      const includePath = isAbsolute(target) ? target : resolve(dirname(path), target);
      if (stack.has(includePath)) {
        out.warnings.push(`${path}:${index + 1}: #include of ${target} is circular; skipped`);
        continue;
      }
      const included = files.readText(includePath);
      if (included === undefined) {
        if (optional) out.skippedOptional.push(includePath);
        else out.warnings.push(`${path}:${index + 1}: #include "${target}" not found (${includePath})`);
        continue;
      }
      readInto(includePath, included, files, out, stack);
      continue;
    }
    if (line.startsWith("#")) continue;
    const assignment = parseAssignmentLine(line, path);
    if (assignment) out.assignments.push(assignment);
    else out.warnings.push(`${path}:${index + 1}: not a setting: ${line}`);
  }
  stack.delete(path);
}

/** `//` starts a comment anywhere on an xcconfig line (which is why URLs in xcconfigs need `/$()/`). */
function stripComment(line: string): string {
  const at = line.indexOf("//");
  return at === -1 ? line : line.slice(0, at);
}

function parseAssignmentLine(line: string, source: string): SettingAssignment | undefined {
  const match = /^([A-Za-z_][A-Za-z0-9_]*)((?:\s*\[[^\]]*\])*)\s*=(.*)$/.exec(line);
  if (!match) return undefined;
  let value = match[3]!.trim();
  if (value.endsWith(";")) value = value.slice(0, -1).trimEnd();
  return { name: match[1]!, conditions: parseConditions(match[2]!), value, source };
}

/** `[sdk=iphoneos*][config=Debug]` or `[sdk=iphoneos*,arch=arm64]` → conditions. */
export function parseConditions(text: string): SettingCondition[] {
  const conditions: SettingCondition[] = [];
  for (const group of text.matchAll(/\[([^\]]*)\]/g)) {
    for (const part of group[1]!.split(",")) {
      const eq = part.indexOf("=");
      if (eq === -1) continue;
      conditions.push({ parameter: part.slice(0, eq).trim(), pattern: part.slice(eq + 1).trim() });
    }
  }
  return conditions;
}

/** A build-settings dictionary key `NAME[sdk=…]` split into name and conditions. */
export function parseSettingKey(key: string): { name: string; conditions: SettingCondition[] } | undefined {
  const match = /^([A-Za-z_][A-Za-z0-9_]*)((?:\[[^\]]*\])*)$/.exec(key.trim());
  if (!match) return undefined;
  return { name: match[1]!, conditions: parseConditions(match[2]!) };
}
