// A target's CODE_SIGN_ENTITLEMENTS file, read as Xcode processes it when signing: every string (values
// and dictionary keys) has its build settings expanded, plus the values Xcode supplies for signing —
// $(AppIdentifierPrefix) and $(TeamIdentifierPrefix) (the team ID and a dot; empty without a team, as
// swift-build's PlanningOperation computes it) and $(CFBundleIdentifier) (the product's bundle ID).
import { isAbsolute, join } from "node:path";
import { parse } from "plist";
import type { BuildSettings } from "./build-settings.ts";
import type { ProjectFiles } from "./project-files.ts";

export type EntitlementValue =
  | string
  | number
  | boolean
  | Date
  | EntitlementValue[]
  | { [key: string]: EntitlementValue };
export type Entitlements = Record<string, EntitlementValue>;

export interface EntitlementsRead {
  /** Absolute path of the file. */
  path: string;
  entitlements: Entitlements;
  /** Build settings the file refers to that nothing defines (they became empty strings). */
  undefinedNames: string[];
}

export function readEntitlementsFile(
  setting: string,
  projectDir: string,
  scope: BuildSettings,
  files: ProjectFiles,
): EntitlementsRead | { path: string; problem: string } {
  const path = isAbsolute(setting) ? setting : join(projectDir, setting);
  const text = files.readText(path);
  if (text === undefined) return { path, problem: `entitlements file ${path} not found` };
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (error) {
    return {
      path,
      problem: `entitlements file ${path} is not a readable property list (${(error as Error).message})`,
    };
  }
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) {
    return { path, problem: `entitlements file ${path} is not a dictionary` };
  }
  const undefinedNames = new Set<string>();
  const expand = (value: unknown): EntitlementValue => {
    if (typeof value === "string") {
      const evaluated = scope.expand(value);
      for (const name of evaluated.undefinedNames) undefinedNames.add(name);
      return evaluated.value;
    }
    if (Array.isArray(value)) return value.map(expand);
    if (value instanceof Date) return value;
    if (value && typeof value === "object") {
      const out: Record<string, EntitlementValue> = {};
      for (const [key, inner] of Object.entries(value)) out[expand(key) as string] = expand(inner);
      return out;
    }
    return value as EntitlementValue;
  };
  return { path, entitlements: expand(raw) as Entitlements, undefinedNames: [...undefinedNames] };
}

/** The values Xcode supplies to entitlements while signing. */
export function signingValues(teamId: string | undefined, bundleId: string): Record<string, string> {
  const prefix = teamId ? `${teamId}.` : "";
  return {
    AppIdentifierPrefix: prefix,
    TeamIdentifierPrefix: prefix,
    CFBundleIdentifier: bundleId,
    PRODUCT_BUNDLE_IDENTIFIER: bundleId,
  };
}
