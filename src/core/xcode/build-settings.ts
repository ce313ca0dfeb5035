// Build settings evaluated as Xcode evaluates them (swift-build's macro engine is the reference:
// Sources/SWBMacro). Levels are pushed lowest first — defaults, project xcconfig, project, target
// xcconfig, target — and within a level in order (xcconfig lines as written, pbxproj keys sorted, so
// `X[sdk=…]` comes after `X`). A lookup takes the last assignment whose conditions match;
// `$(inherited)` (or the setting naming itself) continues below that assignment. References are
// `$(NAME)`, `${NAME}` and bare `$NAME`; the name may itself contain references
// (`$(A_$(B))`); operators follow colons: `default=`, `rfc1034identifier`, `c99extidentifier`,
// `identifier`, `lower`, `upper`, `dir`, `file`, `base`, `suffix`, `standardizepath`, `not`, `quote`.
// A name nothing defines evaluates to the empty string (as in Xcode) and is remembered, so callers can
// tell "empty on purpose" from "set by something outside the repository".
import { posix } from "node:path";
import type { SettingAssignment, SettingCondition } from "./setting-assignment.ts";

export interface ConditionValues {
  /** The SDK being built, e.g. `iphoneos`, `macosx`, `watchos`; matched against `[sdk=…]` patterns. */
  sdk: string;
  /** The configuration name, matched against `[config=…]`. */
  config: string;
  /** Matched against `[arch=…]`; device builds: arm64. */
  arch?: string;
  /** Matched against `[variant=…]`; default `normal`. */
  variant?: string;
}

export interface Evaluated {
  value: string;
  /** Names referenced that nothing defines (they evaluated to empty). */
  undefinedNames: string[];
}

interface Context {
  macro: string | undefined;
  /** Position of the assignment being evaluated in its macro's list (inherited looks below it). */
  index: number;
  undefinedNames: Set<string>;
  depth: number;
}

const MAX_DEPTH = 64;

export class BuildSettings {
  private readonly byName = new Map<string, SettingAssignment[]>();
  private readonly cache = new Map<string, Evaluated>();

  readonly conditions: ConditionValues;

  constructor(levels: readonly (readonly SettingAssignment[])[], conditions: ConditionValues) {
    this.conditions = conditions;
    for (const level of levels) {
      for (const assignment of level) {
        if (!matches(assignment.conditions, conditions)) continue;
        const existing = this.byName.get(assignment.name);
        if (existing) existing.push(assignment);
        else this.byName.set(assignment.name, [assignment]);
      }
    }
  }

  /** A new scope with `values` set above every level (e.g. values Xcode supplies while signing). */
  with(values: Record<string, string>): BuildSettings {
    const top: SettingAssignment[] = Object.entries(values).map(([name, value]) => ({
      name,
      conditions: [],
      value,
      source: "(supplied)",
    }));
    const scope = new BuildSettings([], this.conditions);
    for (const [name, list] of this.byName) scope.byName.set(name, [...list]);
    for (const assignment of top) {
      const existing = scope.byName.get(assignment.name);
      if (existing) existing.push(assignment);
      else scope.byName.set(assignment.name, [assignment]);
    }
    return scope;
  }

  /** Whether any assignment (matching the conditions) sets the name. */
  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** Where the effective assignment of a name came from, for messages. */
  sourceOf(name: string): string | undefined {
    return this.byName.get(name)?.at(-1)?.source;
  }

  /** The evaluated value of a setting ("" when unset). */
  value(name: string): string {
    return this.evaluated(name).value;
  }

  evaluated(name: string): Evaluated {
    const cached = this.cache.get(name);
    if (cached) return cached;
    const ctx: Context = { macro: undefined, index: 0, undefinedNames: new Set(), depth: 0 };
    const value = this.lookup(name, Number.POSITIVE_INFINITY, ctx);
    const result = { value, undefinedNames: [...ctx.undefinedNames] };
    this.cache.set(name, result);
    return result;
  }

  /** Evaluates an expression (an entitlement value, an Info.plist string) in this scope. */
  expand(expression: string): Evaluated {
    const ctx: Context = { macro: undefined, index: 0, undefinedNames: new Set(), depth: 0 };
    return { value: this.expandIn(expression, ctx), undefinedNames: [...ctx.undefinedNames] };
  }

  private lookup(name: string, below: number, ctx: Context): string {
    const list = this.byName.get(name);
    const index = Math.min(list?.length ?? 0, below) - 1;
    if (!list || index < 0) {
      if (below === Number.POSITIVE_INFINITY) ctx.undefinedNames.add(name);
      return "";
    }
    if (ctx.depth > MAX_DEPTH) return "";
    const assignment = list[index]!;
    const text = Array.isArray(assignment.value) ? assignment.value.join(" ") : assignment.value;
    return this.expandIn(text, { ...ctx, macro: name, index, depth: ctx.depth + 1 });
  }

  private expandIn(text: string, ctx: Context): string {
    if (!text.includes("$")) return text;
    let out = "";
    let i = 0;
    while (i < text.length) {
      const char = text[i]!;
      if (char !== "$") {
        out += char;
        i++;
        continue;
      }
      const next = text[i + 1];
      if (next === "(" || next === "{") {
        const close = closingBracket(text, i + 1);
        if (close === -1) {
          out += text.slice(i);
          break;
        }
        out += this.reference(text.slice(i + 2, close), ctx);
        i = close + 1;
      } else if (next !== undefined && /[A-Za-z_]/.test(next)) {
        let j = i + 1;
        while (j < text.length && /[A-Za-z0-9_]/.test(text[j]!)) j++;
        out += this.reference(text.slice(i + 1, j), ctx);
        i = j;
      } else {
        out += char;
        i++;
      }
    }
    return out;
  }

  private reference(inner: string, ctx: Context): string {
    const parts = splitTopLevel(inner);
    const name = this.expandIn(parts[0] ?? "", ctx).trim();
    // `$()` is the empty string (xcconfigs use `https:/$()/host` to keep `//` from starting a comment).
    if (name === "" && parts.length === 1) return "";
    // With `:default=`, an undefined name is expected: do not report it.
    const hasDefault = parts.slice(1).some((part) => part.startsWith("default="));
    const lookupCtx = hasDefault ? { ...ctx, undefinedNames: new Set<string>() } : ctx;
    let value: string;
    if (name === "inherited" || (name === ctx.macro && ctx.macro !== undefined)) {
      value = ctx.macro === undefined ? "" : this.lookup(ctx.macro, ctx.index, lookupCtx);
    } else {
      value = this.lookup(name, Number.POSITIVE_INFINITY, lookupCtx);
    }
    for (let partIndex = 1; partIndex < parts.length; partIndex++) {
      const op = parts[partIndex]!;
      const eq = op.indexOf("=");
      if (eq !== -1) {
        const operator = op.slice(0, eq);
        // `default=` takes the rest of the reference, colons included.
        const operand = this.expandIn(
          operator === "default"
            ? parts
                .slice(partIndex)
                .join(":")
                .slice(eq + 1)
            : op.slice(eq + 1),
          ctx,
        );
        value = applyReplacement(operator, value, operand);
        if (operator === "default") break;
      } else {
        value = applyRetrieval(op, value);
      }
    }
    return value;
  }
}

/** Whether every condition matches (unknown parameters never match, as an unbound condition in Xcode). */
export function matches(conditions: readonly SettingCondition[], values: ConditionValues): boolean {
  for (const condition of conditions) {
    switch (condition.parameter) {
      case "sdk":
        // SDK conditions name versioned SDKs (`iphoneos18.2`); the version is not known here.
        if (!glob(condition.pattern, values.sdk) && !glob(condition.pattern, `${values.sdk}99.0`))
          return false;
        break;
      case "config":
        if (!glob(condition.pattern, values.config)) return false;
        break;
      case "arch":
        if (!glob(condition.pattern, values.arch ?? "arm64")) return false;
        break;
      case "variant":
        if (!glob(condition.pattern, values.variant ?? "normal")) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

const globs = new Map<string, RegExp>();

function glob(pattern: string, value: string): boolean {
  let re = globs.get(pattern);
  if (!re) {
    re = new RegExp(`^${pattern.split("*").map(escapeRegExp).join(".*")}$`);
    globs.set(pattern, re);
  }
  return re.test(value);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Index of the bracket closing the one at `open` (parentheses or braces, nested), or -1. */
function closingBracket(text: string, open: number): number {
  const opener = text[open];
  const closer = opener === "(" ? ")" : "}";
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const char = text[i];
    if (char === opener) depth++;
    else if (char === closer) {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

/** Splits a reference body at colons that are not inside a nested reference. */
function splitTopLevel(inner: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < inner.length; i++) {
    const char = inner[i];
    if (char === "(" || char === "{") depth++;
    else if (char === ")" || char === "}") depth--;
    else if (char === ":" && depth === 0) {
      parts.push(inner.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(inner.slice(start));
  return parts;
}

/** swift-build's retrieval operators (MacroEvaluationProgram.swift); unknown ones leave the value. */
function applyRetrieval(op: string, value: string): string {
  switch (op) {
    case "lower":
      return value.toLowerCase();
    case "upper":
      return value.toUpperCase();
    case "identifier":
      return mangle(value, "c");
    case "rfc1034identifier":
      return mangle(value, "rfc1034");
    case "c99extidentifier":
      return c99ExtendedIdentifier(value);
    case "dir": {
      const dir = posix.dirname(value);
      return dir.endsWith("/") ? dir : `${dir}/`;
    }
    case "file":
      return posix.basename(value);
    case "base": {
      const file = posix.basename(value);
      const dot = file.lastIndexOf(".");
      return dot > 0 ? file.slice(0, dot) : file;
    }
    case "suffix":
      return posix.extname(value);
    case "standardizepath":
      return posix.normalize(value);
    case "not":
      return value !== "YES" ? "YES" : "NO";
    case "quote":
      return value === "" ? '""' : value.replace(/([ \t\r\n\\"'])/g, "\\$1");
    default:
      return value;
  }
}

function applyReplacement(op: string, value: string, operand: string): string {
  switch (op) {
    case "default":
      return value === "" ? operand : value;
    case "file":
      return value === "" ? value : posix.join(posix.dirname(value), operand);
    case "dir":
      return value === "" ? value : posix.join(operand, posix.basename(value));
    case "suffix": {
      if (value === "") return value;
      const ext = posix.extname(value);
      const suffix = operand.includes(".") ? operand.slice(operand.lastIndexOf(".") + 1) : operand;
      return `${ext ? value.slice(0, -ext.length) : value}.${suffix}`;
    }
    default:
      return value;
  }
}

/**
 * swift-build's String.asIdentifierOfType: letters stay, digits stay unless leading; `-` stays for
 * rfc1034; `_` for C; everything else becomes `-` (rfc1034) or `_` (C).
 */
function mangle(value: string, kind: "c" | "rfc1034"): string {
  let out = "";
  const chars = [...value.normalize("NFD")];
  for (const [i, ch] of chars.entries()) {
    const ok =
      /[A-Za-z]/.test(ch) ||
      (ch === "-" && kind === "rfc1034") ||
      (ch === "_" && kind === "c") ||
      (/[0-9]/.test(ch) && i !== 0);
    out += ok ? ch : kind === "c" ? "_" : "-";
  }
  return out;
}

/** C99 extended identifier: letters (any script), digits, `_`; others become `_`; a leading digit gets `_`. */
function c99ExtendedIdentifier(value: string): string {
  if (value === "") return value;
  const mangled = [...value.normalize("NFC")].map((ch) => (/[\p{L}\p{N}_]/u.test(ch) ? ch : "_")).join("");
  return /^[0-9]/.test(mangled) ? `_${mangled}` : mangled;
}
