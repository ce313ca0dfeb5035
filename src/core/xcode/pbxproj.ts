// A parsed project.pbxproj: the objects dictionary with typed accessors for the few object kinds a
// signing reader needs. Parsing is @bacons/xcode's (the `json` entry point only: parser and writer, no
// dependencies); its writer is not used because it does not preserve a file byte for byte (see
// configure-project.ts for how the file is edited instead).
import { parse } from "@bacons/xcode/json";
import { XcodeProjectError } from "./xcode-errors.ts";

export type PbxValue = string | number | PbxValue[] | { [key: string]: PbxValue };
export type PbxObject = { isa: string; [key: string]: PbxValue };

export interface Pbxproj {
  /** Path of the project.pbxproj, for messages. */
  path: string;
  objectVersion: string;
  rootObject: string;
  objects: Record<string, PbxObject>;
}

export function parsePbxproj(text: string, path: string): Pbxproj {
  let raw: Record<string, unknown>;
  try {
    raw = parse(text) as Record<string, unknown>;
  } catch (error) {
    throw new XcodeProjectError(`${path}: not a readable project.pbxproj (${(error as Error).message})`);
  }
  const objects = raw.objects as Record<string, PbxObject> | undefined;
  const rootObject = raw.rootObject;
  if (!objects || typeof rootObject !== "string" || !objects[rootObject]) {
    throw new XcodeProjectError(`${path}: project.pbxproj has no objects or rootObject`);
  }
  return { path, objectVersion: String(raw.objectVersion ?? ""), rootObject, objects };
}

/** A string attribute (the parser turns some unquoted numbers into numbers: give them back as text). */
export function str(object: PbxObject | undefined, key: string): string | undefined {
  const value = object?.[key];
  if (typeof value === "string") return value;
  if (typeof value === "number") return String(value);
  return undefined;
}

/** A list of object ids (or strings). */
export function list(object: PbxObject | undefined, key: string): string[] {
  const value = object?.[key];
  return Array.isArray(value)
    ? value.filter((item) => typeof item === "string" || typeof item === "number").map(String)
    : [];
}

export function dict(object: PbxObject | undefined, key: string): Record<string, PbxValue> {
  const value = object?.[key];
  return value && typeof value === "object" && !Array.isArray(value) ? value : {};
}

export function objectOf(
  pbx: Pbxproj,
  id: string | undefined,
  isa?: string | string[],
): PbxObject | undefined {
  if (id === undefined) return undefined;
  const object = pbx.objects[id];
  if (!object) return undefined;
  if (isa === undefined) return object;
  return (Array.isArray(isa) ? isa : [isa]).includes(object.isa) ? object : undefined;
}
