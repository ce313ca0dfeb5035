// configure-project: manual signing written into the chosen configuration of each signable target, as
// a pure function over the project.pbxproj text. Only the values of the four signing settings change
// (or lines for them are added, in Xcode's sorted order with the neighbours' indentation); every other
// byte stays as it was. No pbxproj library writes byte for byte (each reformats comments or inline
// objects), so the edit is made on the text, located through the object ids the parser gave.
import { matches } from "./build-settings.ts";
import { type DictSpan, PbxprojScanner, pbxString } from "./pbxproj-spans.ts";
import { parseSettingKey } from "./xcconfig.ts";
import { XcodeProjectError } from "./xcode-errors.ts";

export interface ManualSigning {
  /** DEVELOPMENT_TEAM. */
  team: string;
  /** CODE_SIGN_IDENTITY, e.g. "Apple Distribution". */
  identity: string;
  /** PROVISIONING_PROFILE_SPECIFIER: the profile's name. */
  profileSpecifier: string;
}

export interface SigningEdit {
  /** XCBuildConfiguration id of the target's configuration (SignableTarget.buildConfigurationId). */
  buildConfigurationId: string;
  /** SDK of the build: `KEY[sdk=…]` entries matching it are set too (they would win over `KEY`). */
  sdk: string;
  /** Configuration name, for `[config=…]` conditions. */
  configuration: string;
  signing: ManualSigning;
}

export interface SettingChange {
  buildConfigurationId: string;
  key: string;
  /** Previous value as written (undefined when the line was added). */
  from: string | undefined;
  to: string;
}

export function configureProjectSigning(
  text: string,
  edits: readonly SigningEdit[],
): { text: string; changes: SettingChange[] } {
  const scanner = new PbxprojScanner(text);
  const replacements: { start: number; end: number; text: string; seq?: number }[] = [];
  const changes: SettingChange[] = [];
  const seen = new Map<string, string>();
  for (const edit of edits) {
    const wanted = settingsFor(edit.signing);
    const signature = JSON.stringify(wanted);
    const previous = seen.get(edit.buildConfigurationId);
    if (previous !== undefined) {
      if (previous !== signature) {
        throw new XcodeProjectError(
          `build configuration ${edit.buildConfigurationId} was given two different signings (one target signed for two profiles?)`,
        );
      }
      continue;
    }
    seen.set(edit.buildConfigurationId, signature);
    const object = scanner.objectDict(edit.buildConfigurationId);
    const settings = scanner.childDict(object, "buildSettings");
    if (!settings)
      throw new XcodeProjectError(`build configuration ${edit.buildConfigurationId} has no buildSettings`);
    for (const [key, value] of Object.entries(wanted)) {
      const written = pbxString(value);
      const present = settings.entries.filter((entry) => {
        const parsed = parseSettingKey(entry.key);
        return (
          parsed?.name === key && matches(parsed.conditions, { sdk: edit.sdk, config: edit.configuration })
        );
      });
      for (const entry of present) {
        const old = text.slice(entry.valueStart, entry.valueEnd);
        if (old === written) continue;
        replacements.push({ start: entry.valueStart, end: entry.valueEnd, text: written });
        changes.push({
          buildConfigurationId: edit.buildConfigurationId,
          key: entry.key,
          from: old,
          to: written,
        });
      }
      if (!present.some((entry) => entry.key === key)) {
        replacements.push(insertion(text, settings, key, written));
        changes.push({ buildConfigurationId: edit.buildConfigurationId, key, from: undefined, to: written });
      }
    }
  }
  // From the end backwards; insertions at one place go in reverse so they read in the order made.
  for (const [seq, replacement] of replacements.entries()) replacement.seq = seq;
  replacements.sort(
    (left, right) => right.start - left.start || right.end - left.end || (right.seq ?? 0) - (left.seq ?? 0),
  );
  let out = text;
  for (const replacement of replacements)
    out = out.slice(0, replacement.start) + replacement.text + out.slice(replacement.end);
  return { text: out, changes };
}

function settingsFor(signing: ManualSigning): Record<string, string> {
  return {
    CODE_SIGN_IDENTITY: signing.identity,
    CODE_SIGN_STYLE: "Manual",
    DEVELOPMENT_TEAM: signing.team,
    PROVISIONING_PROFILE_SPECIFIER: signing.profileSpecifier,
  };
}

/** A new `KEY = value;` in sorted position, indented like its neighbours. */
function insertion(
  text: string,
  dict: DictSpan,
  key: string,
  value: string,
): { start: number; end: number; text: string } {
  const inline = !text.slice(dict.open, dict.close).includes("\n");
  if (inline) {
    // `buildSettings = {A = b; }` → add before the closing brace.
    const at = dict.close;
    const before = text[at - 1] === " " ? "" : " ";
    return { start: at, end: at, text: `${before}${pbxString(key)} = ${value}; ` };
  }
  const next = dict.entries.find((entry) => entry.key > key);
  if (next) {
    const lineStart = text.lastIndexOf("\n", next.keyStart) + 1;
    const indent = text.slice(lineStart, next.keyStart);
    return { start: lineStart, end: lineStart, text: `${indent}${pbxString(key)} = ${value};\n` };
  }
  const last = dict.entries.at(-1);
  if (last) {
    const lineStart = text.lastIndexOf("\n", last.keyStart) + 1;
    const indent = text.slice(lineStart, last.keyStart);
    const lineEnd = text.indexOf("\n", last.end);
    const at = lineEnd === -1 ? last.end : lineEnd + 1;
    return { start: at, end: at, text: `${indent}${pbxString(key)} = ${value};\n` };
  }
  // Empty dictionary spread over lines: indent one tab more than the closing brace.
  const closeLineStart = text.lastIndexOf("\n", dict.close) + 1;
  const closeIndent = text.slice(closeLineStart, dict.close);
  return {
    start: closeLineStart,
    end: closeLineStart,
    text: `${closeIndent}\t${pbxString(key)} = ${value};\n`,
  };
}
