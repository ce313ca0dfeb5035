// Raw input strings → a validated Config. Every problem is collected and reported together, each naming
// the input, what was expected and the likely fix, before any request is made. Secrets are masked
// (with their derived forms) before they are used.
import type { KeyObject } from "node:crypto";
import {
  BUNDLE_ID_PLATFORMS,
  type BundleIdPlatform,
  CERTIFICATE_TYPES,
  type CertificateType,
  PROFILE_TYPES,
  type ProfileType,
} from "./asc/types.ts";
import { parseCapabilityLines } from "./capability-input.ts";
import type {
  ApiKeyConfig,
  BundleIdRequest,
  CertificateKeyConfig,
  Config,
  DeviceRequest,
  DeviceSelection,
  Mode,
} from "./config.ts";
import { parseDeviceLines } from "./device-input.ts";
import { InputError, type InputProblem } from "./errors.ts";
import { INPUT_DEFAULTS, inputOrDefault } from "./input-defaults.ts";
import { splitList } from "./list-input.ts";
import type { SecretMasker } from "./ports.ts";
import { type ProfileTypeRule, profileTypeRule } from "./profile-types.ts";
import { type ProjectParseDeps, parseProjectConfig, projectCapabilities } from "./project-config.ts";
import { maskPrivateKey, maskSecret } from "./secret-forms.ts";
import { parseApiKey } from "./signing/api-key.ts";
import { parseCertificateKey } from "./signing/certificate-key.ts";
import { readPkcs12 } from "./signing/pkcs12.ts";

export type RawInputs = Record<string, string>;

export interface ParseConfigDeps extends ProjectParseDeps {
  readFile: (path: string) => Buffer | undefined;
  masker: SecretMasker;
}

export const DEFAULT_BASE_URL = INPUT_DEFAULTS["api-base-url"];
export const DEFAULT_PROFILE_NAME = INPUT_DEFAULTS["profile-name"];
/** fastlane match's profile names: "match AppStore com.example.app" (+ " macos", " tvos", " catalyst"). */
export const MATCH_PROFILE_NAME = "match {matchType} {bundleId}{platformSuffix}";

const SECRET_INPUTS = [
  "private-key",
  "certificate-private-key",
  "certificate-p12",
  "certificate-p12-password",
];
const ISSUER_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const KEY_ID = /^[A-Z0-9]{10}$/;
const BUNDLE_ID = /^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*(\.\*)?$/;
const BUNDLE_NAME = /^[A-Za-z0-9 ]+$/;

/** Registers every secret input and its derived forms with the masker. Call before anything else. */
export function maskSecretInputs(raw: RawInputs, masker: SecretMasker): void {
  for (const name of SECRET_INPUTS) {
    maskSecret(masker, raw[name]?.trim() ?? "");
  }
}

export function parseConfig(raw: RawInputs, deps: ParseConfigDeps): Config {
  maskSecretInputs(raw, deps.masker);
  const problems: InputProblem[] = [];
  const problem = (input: string, message: string): void => {
    problems.push({ input, message });
  };
  const get = (name: string): string => inputOrDefault(raw, name);

  const apiKey = parseApiKeyInputs(get, deps, problems);
  const target = parseTargetInputs(get, deps, problems);
  const certificateType = parseCertificateType(get("certificate-type"), target.profileType, problem);
  const certificate = parseCertificateKeyInputs(raw, deps, problem);
  const certificateRenewDays = parseInteger(
    get("certificate-renew-days"),
    "certificate-renew-days",
    0,
    0,
    365,
    problem,
  );
  const devices = parseDeviceInputs(get, target.rule, problem);
  const mode = parseMode(get("mode"), problem);

  const { profileType, platform } = target;
  if (problems.length > 0 || !apiKey || !profileType || !platform || !certificate)
    throw new InputError(problems);
  return {
    apiKey,
    bundleIds: target.bundleIds,
    platform,
    profileType,
    profileNameTemplate: target.profileNameTemplate,
    minDaysValid: target.minDaysValid,
    capabilities: target.capabilities,
    capabilitiesExclusive: target.capabilitiesExclusive,
    certificate,
    certificateType,
    certificateRenewDays,
    ...devices,
    mode,
    ...(target.project ? { project: target.project } : {}),
  };
}

type GetInput = (name: string) => string;

/** `issuer-id`, `key-id`, `private-key` (parsed and masked) and `api-base-url`. */
function parseApiKeyInputs(
  get: GetInput,
  deps: ParseConfigDeps,
  problems: InputProblem[],
): ApiKeyConfig | undefined {
  const problem = (input: string, message: string): void => {
    problems.push({ input, message });
  };
  const issuerId = get("issuer-id");
  if (!issuerId)
    problem(
      "issuer-id",
      "is required: the Issuer ID shown above the keys in App Store Connect > Users and Access > Integrations.",
    );
  else if (!ISSUER_ID.test(issuerId))
    problem(
      "issuer-id",
      "expected a UUID like 57246542-96fe-1a63-e053-0824d011072a (App Store Connect > Users and Access > Integrations, above the key list).",
    );
  const keyId = get("key-id");
  if (!keyId) problem("key-id", "is required: the 10-character Key ID of the team key.");
  else if (!KEY_ID.test(keyId))
    problem(
      "key-id",
      `expected 10 upper-case letters and digits like 2X9R4HXF34, got ${keyId.length} characters.`,
    );
  let privateKey: KeyObject | undefined;
  if (!get("private-key"))
    problem(
      "private-key",
      "is required: the contents of the AuthKey_<KEYID>.p8 file (PEM text, its base64, or a path).",
    );
  else privateKey = capture(problems, () => parseApiKey(get("private-key"), { readFile: deps.readFile }));
  if (privateKey) maskPrivateKey(deps.masker, privateKey);
  const baseUrl = parseBaseUrl(get("api-base-url"), problem);
  return privateKey ? { issuerId, keyId, privateKey, baseUrl } : undefined;
}

/** What to provision: profile type, platform, bundle IDs, profile name, validity and capabilities. */
function parseTargetInputs(get: GetInput, deps: ParseConfigDeps, problems: InputProblem[]) {
  const problem = (input: string, message: string): void => {
    problems.push({ input, message });
  };
  const profileType = parseProfileType(get("profile-type"), problem);
  const rule = profileType ? profileTypeRule(profileType) : undefined;
  const platform = parsePlatform(
    get("platform"),
    rule?.bundlePlatform,
    rule?.compatibleBundlePlatforms,
    problem,
  );
  // With `project`, the bundle IDs and capabilities come from the Xcode project (project-config.ts).
  const fromProject = parseProjectConfig(get, deps, profileType, problems);
  const bundleIds =
    fromProject?.bundleIds ?? parseBundleIds(get("bundle-ids"), get("bundle-id-names"), profileType, problem);
  const capabilityLines = parseCapabilityLines(
    get("capabilities"),
    bundleIds.map((bundle) => bundle.identifier),
    problem,
  );
  const project = fromProject?.project;
  const capabilities = project ? projectCapabilities(project, capabilityLines) : capabilityLines;
  if (capabilities.length > 0 && bundleIds.some((bundle) => bundle.identifier.endsWith("*")))
    problem("capabilities", "wildcard bundle IDs cannot have capabilities: use an explicit bundle ID.");
  return {
    profileType,
    rule,
    platform,
    bundleIds,
    project,
    profileNameTemplate: parseProfileName(get("profile-name"), bundleIds.length, problem),
    minDaysValid: parseInteger(get("min-days-valid"), "min-days-valid", 30, 0, 365, problem),
    capabilities,
    capabilitiesExclusive: parseBoolean(
      get("capabilities-exclusive"),
      "capabilities-exclusive",
      false,
      problem,
    ),
  };
}

/** `devices` to register, `device-selection`, `reenable-devices`. */
function parseDeviceInputs(
  get: GetInput,
  rule: ProfileTypeRule | undefined,
  problem: Problem,
): Pick<Config, "devices" | "deviceSelection" | "reenableDevices"> {
  const devices: DeviceRequest[] = parseDeviceLines(get("devices"), rule?.devicePlatform ?? "IOS", problem);
  const deviceSelection = parseDeviceSelection(get("device-selection"));
  const reenableDevices = parseBoolean(get("reenable-devices"), "reenable-devices", false, problem);
  if (rule && rule.deviceClasses.length === 0 && deviceSelection.kind === "list")
    problem(
      "device-selection",
      `${rule.type} profiles take no devices: remove \`device-selection\` or choose a development or ad hoc profile type.`,
    );
  return { devices, deviceSelection, reenableDevices };
}

function capture<T>(problems: InputProblem[], fn: () => T): T | undefined {
  try {
    return fn();
  } catch (error) {
    if (error instanceof InputError) {
      problems.push(...error.problems);
      return undefined;
    }
    throw error;
  }
}

type Problem = (input: string, message: string) => void;

function parseBaseUrl(value: string, problem: Problem): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    problem("api-base-url", `expected a URL like ${DEFAULT_BASE_URL}.`);
    return value;
  }
  const loopback = ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);
  if (url.protocol !== "https:" && !(url.protocol === "http:" && loopback))
    problem("api-base-url", "must use https (plain http is accepted for loopback test servers only).");
  if (url.search || url.hash) problem("api-base-url", "must not carry a query string or fragment.");
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}

function parseProfileType(value: string, problem: Problem): ProfileType | undefined {
  const upper = value.toUpperCase().replace(/[-\s]/g, "_");
  if ((PROFILE_TYPES as readonly string[]).includes(upper)) return upper as ProfileType;
  if (upper === "MAC_APP_INHOUSE" || upper === "MAC_INHOUSE")
    problem(
      "profile-type",
      "Mac in-house profiles cannot be created with an App Store Connect API key: create it in the developer portal.",
    );
  else
    problem("profile-type", `unknown profile type "${value}": expected one of ${PROFILE_TYPES.join(", ")}.`);
  return undefined;
}

function parsePlatform(
  value: string,
  fallback: BundleIdPlatform | undefined,
  compatible: BundleIdPlatform[] | undefined,
  problem: Problem,
): BundleIdPlatform | undefined {
  if (!value) return fallback;
  const upper = value.toUpperCase();
  if (!(BUNDLE_ID_PLATFORMS as readonly string[]).includes(upper)) {
    problem(
      "platform",
      `unknown platform "${value}": expected IOS, MAC_OS or UNIVERSAL (or leave it empty to derive it from \`profile-type\`).`,
    );
    return undefined;
  }
  const platform = upper as BundleIdPlatform;
  if (compatible && !compatible.includes(platform))
    problem(
      "platform",
      `${platform} bundle IDs cannot have this profile type: use ${compatible.join(" or ")}, or leave \`platform\` empty.`,
    );
  return platform;
}

function parseBundleIds(
  value: string,
  names: string,
  profileType: ProfileType | undefined,
  problem: Problem,
): BundleIdRequest[] {
  const identifiers = [...new Set(splitList(value))];
  if (identifiers.length === 0) {
    problem(
      "bundle-ids",
      "is required (unless `project` names the Xcode project to read them from): one or more bundle identifiers like com.example.app (the first is the main target).",
    );
    return [];
  }
  const nameList = splitList(names, /\r?\n/);
  if (nameList.length > 0 && nameList.length !== identifiers.length)
    problem(
      "bundle-id-names",
      `has ${nameList.length} names for ${identifiers.length} bundle IDs: give one name per line in the same order, or none.`,
    );
  const rule = profileType ? profileTypeRule(profileType) : undefined;
  return identifiers.map((identifier, index) => {
    if (!BUNDLE_ID.test(identifier) && identifier !== "*")
      problem(
        "bundle-ids",
        `"${identifier}" is not a valid bundle identifier: use letters, digits, hyphens and dots (reverse-DNS, like com.example.app), a wildcard only as a final ".*".`,
      );
    else if (
      identifier.includes("*") &&
      rule &&
      (rule.distribution === "appstore" || rule.distribution === "direct")
    )
      problem(
        "bundle-ids",
        `"${identifier}" is a wildcard: ${rule.type} profiles need an explicit bundle ID.`,
      );
    const given = nameList[index];
    if (given !== undefined && !BUNDLE_NAME.test(given))
      problem(
        "bundle-id-names",
        `"${given}": Apple allows only letters, digits and spaces in bundle ID names.`,
      );
    return { identifier, name: given ?? nameFromIdentifier(identifier) };
  });
}

/** "com.example.my-app" → "com example my app" (Apple allows letters, digits and spaces). */
export function nameFromIdentifier(identifier: string): string {
  const name = identifier
    .replace(/\*/g, "wildcard")
    .replace(/[^A-Za-z0-9]+/g, " ")
    .trim();
  return name || "asc provision";
}

function parseProfileName(value: string, bundleCount: number, problem: Problem): string {
  if (!value) return DEFAULT_PROFILE_NAME;
  if (value === "match") return MATCH_PROFILE_NAME;
  const unknown = [...value.matchAll(/\{([^}]*)\}/g)]
    .map((match) => match[1])
    .filter((name) => !["bundleId", "type", "matchType", "platformSuffix"].includes(name ?? ""));
  if (unknown.length > 0)
    problem(
      "profile-name",
      `unknown placeholder {${unknown[0]}}: use {bundleId}, {type}, {matchType} or {platformSuffix}, or the preset "match".`,
    );
  if (bundleCount > 1 && !value.includes("{bundleId}"))
    problem(
      "profile-name",
      "must contain {bundleId} when several bundle IDs are given, so each profile gets its own name.",
    );
  const comma = profileNameCommaProblem(value);
  if (comma) problem("profile-name", comma);
  return value;
}

/**
 * A comma in a profile name (the placeholders never expand to one: bundle identifiers, types and
 * suffixes have none, so the template decides) cannot be read back: App Store Connect splits
 * `filter[name]` on commas, so the next run would look for two names and miss its own profile.
 */
export function profileNameCommaProblem(template: string): string | undefined {
  if (!template.includes(",")) return undefined;
  return `"${template}" contains a comma: App Store Connect reads a comma in filter[name] as a list of names, so the next run could not find this profile by its name. Use another separator (a space, "-" or "_").`;
}

function parseInteger(
  value: string,
  input: string,
  fallback: number,
  min: number,
  max: number,
  problem: Problem,
): number {
  if (!value) return fallback;
  if (!/^\d+$/.test(value)) {
    problem(input, `expected a whole number of days from ${min} to ${max}, got "${value}".`);
    return fallback;
  }
  const days = Number(value);
  if (days < min || days > max)
    problem(input, `expected a whole number of days from ${min} to ${max}, got ${days}.`);
  return days;
}

export function parseBoolean(value: string, input: string, fallback: boolean, problem: Problem): boolean {
  if (!value) return fallback;
  const lower = value.toLowerCase();
  if (["true", "yes", "1", "on"].includes(lower)) return true;
  if (["false", "no", "0", "off"].includes(lower)) return false;
  problem(input, `expected true or false, got "${value}".`);
  return fallback;
}

function parseCertificateType(
  value: string,
  profileType: ProfileType | undefined,
  problem: Problem,
): CertificateType | undefined {
  if (!value) return undefined;
  const upper = value.toUpperCase();
  if (upper === "DEVELOPER_ID_INSTALLER" || upper === "MAC_INSTALLER_DISTRIBUTION") {
    problem(
      "certificate-type",
      `${upper} certificates sign installer packages, not apps, and cannot be managed here: create them in the developer portal.`,
    );
    return undefined;
  }
  if (!(CERTIFICATE_TYPES as readonly string[]).includes(upper)) {
    problem(
      "certificate-type",
      `unknown certificate type "${value}": expected one of ${CERTIFICATE_TYPES.join(", ")}.`,
    );
    return undefined;
  }
  const type = upper as CertificateType;
  if (profileType) {
    const accepted = profileTypeRule(profileType).certificateTypes;
    if (!accepted.includes(type))
      problem(
        "certificate-type",
        `${profileType} profiles take ${accepted.join(" or ")} certificates, not ${type}.`,
      );
  }
  return type;
}

function parseCertificateKeyInputs(
  raw: RawInputs,
  deps: ParseConfigDeps,
  problems: Problem,
): CertificateKeyConfig | undefined {
  const key = (raw["certificate-private-key"] ?? "").trim();
  const p12 = (raw["certificate-p12"] ?? "").trim();
  const password = raw["certificate-p12-password"] ?? "";
  if (key && p12) {
    problems(
      "certificate-private-key",
      "give either `certificate-private-key` or `certificate-p12`, not both.",
    );
    return undefined;
  }
  const collected: InputProblem[] = [];
  let result: CertificateKeyConfig | undefined;
  if (key) {
    const privateKey = capture(collected, () => parseCertificateKey(key, { readFile: deps.readFile }));
    if (privateKey) result = { privateKey };
  } else if (p12) {
    result = capture(collected, () => {
      const read = readPkcs12(p12, password, { readFile: deps.readFile });
      return read.certificateDer
        ? { privateKey: read.privateKey, certificateDer: read.certificateDer }
        : { privateKey: read.privateKey };
    });
  } else {
    problems(
      "certificate-private-key",
      "is required (or `certificate-p12` with `certificate-p12-password`): the RSA 2048 private key of the signing certificate, kept as a secret. Create one once from a clone of asc-provision with `node dist/cli/index.js generate-key --out ~/asc-signing-key.pem --env <environment>`: it writes the key (mode 0600) and prints the `gh secret set` command that stores it as an environment secret (see the README's quick start). The action finds or creates the certificate for it.",
    );
  }
  for (const collectedProblem of collected) problems(collectedProblem.input, collectedProblem.message);
  if (result) maskPrivateKey(deps.masker, result.privateKey);
  return result;
}

function parseDeviceSelection(value: string): DeviceSelection {
  if (!value || value.toLowerCase() === "all") return { kind: "all" };
  return { kind: "list", values: splitList(value) };
}

function parseMode(value: string, problem: Problem): Mode {
  const lower = (value || "apply").toLowerCase();
  if (lower === "apply" || lower === "plan" || lower === "readonly") return lower;
  problem("mode", `expected apply, plan or readonly, got "${value}".`);
  return "apply";
}
