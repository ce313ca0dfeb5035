// The `capabilities` input: one per line, `[bundle-id:] TYPE [KEY=VALUE ...]`. A line without a bundle
// ID applies to the main target (the first bundle ID); `*:` applies it to every bundle ID. Settings are
// checked against Apple's keys and options.
import {
  CAPABILITY_OPTION_KEYS,
  CAPABILITY_TYPES,
  type CapabilityOptionKey,
  type CapabilitySettingKey,
  type CapabilityType,
} from "./asc/types.ts";
import type { CapabilityRequest } from "./config.ts";
import { splitLines } from "./list-input.ts";

/** The settings each capability takes, with the options Apple accepts; required ones first. */
export const CAPABILITY_SETTINGS: Partial<
  Record<CapabilityType, { key: CapabilitySettingKey; required: boolean; options: CapabilityOptionKey[] }[]>
> = {
  ICLOUD: [{ key: "ICLOUD_VERSION", required: true, options: ["XCODE_5", "XCODE_6"] }],
  DATA_PROTECTION: [
    {
      key: "DATA_PROTECTION_PERMISSION_LEVEL",
      required: true,
      options: ["COMPLETE_PROTECTION", "PROTECTED_UNLESS_OPEN", "PROTECTED_UNTIL_FIRST_USER_AUTH"],
    },
  ],
  APPLE_ID_AUTH: [{ key: "APPLE_ID_AUTH_APP_CONSENT", required: true, options: ["PRIMARY_APP_CONSENT"] }],
};

/** Identifiers an API key cannot assign: the portal only. */
const PORTAL_ONLY: Record<string, string> = {
  group: "App Group identifiers",
  groups: "App Group identifiers",
  container: "iCloud container identifiers",
  containers: "iCloud container identifiers",
  merchant: "Merchant identifiers",
  merchants: "Merchant identifiers",
};

type Problem = (input: string, message: string) => void;

export function parseCapabilityLines(
  value: string,
  bundleIds: string[],
  problem: Problem,
): CapabilityRequest[] {
  const result: CapabilityRequest[] = [];
  for (const line of splitLines(value)) {
    const scoped = lineTargets(line, bundleIds, problem);
    if (!scoped) continue;
    const [rawType, ...pairs] = scoped.rest.split(/\s+/).filter(Boolean);
    const type = (rawType ?? "").toUpperCase();
    if (!(CAPABILITY_TYPES as readonly string[]).includes(type)) {
      problem(
        "capabilities",
        `"${line}": unknown capability "${rawType ?? ""}"; expected one of ${CAPABILITY_TYPES.join(", ")}.`,
      );
      continue;
    }
    const capability = type as CapabilityType;
    const settings = lineSettings(line, capability, pairs, problem);
    if (!settings) continue;
    for (const bundleId of scoped.targets) {
      const existing = result.findIndex(
        (request) => request.bundleId === bundleId && request.type === capability,
      );
      const request = { bundleId, type: capability, settings };
      if (existing >= 0) result[existing] = request;
      else result.push(request);
    }
  }
  return result;
}

/** The bundle IDs a line applies to (`id:` prefix, `*:` for all, the first by default) and the rest of it. */
function lineTargets(
  line: string,
  bundleIds: string[],
  problem: Problem,
): { rest: string; targets: string[] } | undefined {
  const prefix = /^([A-Za-z0-9.*-]+)\s*:\s*(.*)$/.exec(line);
  if (!prefix) return { rest: line, targets: bundleIds.slice(0, 1) };
  const rest = prefix[2]!;
  if (prefix[1] === "*") return { rest, targets: bundleIds };
  const bundle = prefix[1]!;
  if (!bundleIds.includes(bundle)) {
    problem(
      "capabilities",
      `"${line}": ${bundle} is not one of \`bundle-ids\` (${bundleIds.join(", ") || "none"}).`,
    );
    return undefined;
  }
  return { rest, targets: [bundle] };
}

/** The `KEY=OPTION` pairs of a line checked against what Apple accepts; undefined after any problem. */
function lineSettings(
  line: string,
  capability: CapabilityType,
  pairs: string[],
  problem: Problem,
): Partial<Record<CapabilitySettingKey, CapabilityOptionKey>> | undefined {
  const allowed = CAPABILITY_SETTINGS[capability] ?? [];
  const settings: Partial<Record<CapabilitySettingKey, CapabilityOptionKey>> = {};
  let ok = true;
  for (const pair of pairs) {
    const [key = "", value = ""] = pair.split("=", 2);
    const portal = PORTAL_ONLY[key.toLowerCase()];
    if (portal) {
      problem(
        "capabilities",
        `"${line}": ${portal} cannot be assigned with an App Store Connect API key. Enable ${capability} here and assign the identifiers in the developer portal (Certificates, Identifiers & Profiles).`,
      );
      ok = false;
      continue;
    }
    const setting = allowed.find((candidate) => candidate.key === key.toUpperCase());
    if (!setting) {
      problem(
        "capabilities",
        `"${line}": ${capability} has no setting "${key}"${allowed.length ? `; it takes ${allowed.map((known) => known.key).join(", ")}` : "; it takes no settings"}.`,
      );
      ok = false;
      continue;
    }
    const option = value.toUpperCase();
    if (
      !(CAPABILITY_OPTION_KEYS as readonly string[]).includes(option) ||
      !setting.options.includes(option as CapabilityOptionKey)
    ) {
      problem(
        "capabilities",
        `"${line}": ${setting.key}=${value} is not an option Apple accepts; use one of ${setting.options.join(", ")}.`,
      );
      ok = false;
      continue;
    }
    settings[setting.key] = option as CapabilityOptionKey;
  }
  for (const setting of allowed) {
    const named = pairs.some((pair) => pair.split("=")[0]?.toUpperCase() === setting.key);
    if (setting.required && !settings[setting.key] && !named) {
      problem(
        "capabilities",
        `"${line}": ${capability} needs ${setting.key}=<${setting.options.join("|")}>, e.g. "${capability} ${setting.key}=${setting.options.at(-1)}".`,
      );
      ok = false;
    }
  }
  return ok ? settings : undefined;
}
