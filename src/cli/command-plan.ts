// `asc-provision plan`: the action's plan mode from a laptop. The flags are the action's inputs; the
// same parseConfig and provision run against the real account and print what a run would change.
// Nothing is written to App Store Connect or to this machine.
import type { RawInputs } from "../core/config-parse.ts";
import { parseConfig } from "../core/config-parse.ts";
import type { Logger } from "../core/ports.ts";
import { formatPlan } from "../core/reconcile/plan.ts";
import type { ProvisionResult } from "../core/result.ts";
import { privateKeyToPem } from "../core/signing/key-generation.ts";
import type { CliDeps } from "./cli-deps.ts";
import { CLI_COMMAND } from "./cli-invocation.ts";
import type { CliOutput } from "./cli-logger.ts";
import { SECRET_NAMES } from "./command-secrets.ts";
import { type FlagSpec, flagOrEnv, parseFlags } from "./parse-flags.ts";

/** Action inputs accepted as flags of the same name. Values may be given as the action takes them. */
const INPUT_FLAGS: Record<string, FlagSpec> = {
  "issuer-id": { type: "string" },
  "key-id": { type: "string" },
  "private-key": { type: "string" },
  "api-base-url": { type: "string" },
  "bundle-ids": { type: "string", multiple: true, short: "b" },
  "bundle-id-names": { type: "string", multiple: true },
  platform: { type: "string" },
  "profile-type": { type: "string", short: "t" },
  "profile-name": { type: "string" },
  "min-days-valid": { type: "string" },
  capabilities: { type: "string", multiple: true },
  "capabilities-exclusive": { type: "boolean" },
  "certificate-private-key": { type: "string" },
  "certificate-p12": { type: "string" },
  "certificate-type": { type: "string" },
  "certificate-renew-days": { type: "string" },
  devices: { type: "string", multiple: true },
  "device-selection": { type: "string" },
  "reenable-devices": { type: "boolean" },
};

/** Environment variables that stand in for flags, named like the repository secrets. */
const ENV_FALLBACKS: Record<string, string> = {
  "issuer-id": SECRET_NAMES.issuerId,
  "key-id": SECRET_NAMES.keyId,
  "private-key": SECRET_NAMES.privateKey,
  "certificate-private-key": SECRET_NAMES.certificateKey,
  "certificate-p12": SECRET_NAMES.p12,
};

export const planUsage = `Usage: ${CLI_COMMAND} plan --issuer-id <uuid> --key-id <id> --private-key <AuthKey.p8>
                                 --bundle-ids <id>[,<id>...] [--profile-type <type>]
                                 [--certificate-private-key <file> | --certificate-p12 <file>] [options]

Reads App Store Connect with the API key and prints what the action would create, repair or reuse for
this configuration. Changes nothing. Every flag is the action input of the same name.

  --issuer-id <uuid>                 or $${SECRET_NAMES.issuerId}
  --key-id <id>                      or $${SECRET_NAMES.keyId}
  --private-key <file>               the AuthKey_<KEY_ID>.p8 (or $${SECRET_NAMES.privateKey}: a path or the PEM)
  -b, --bundle-ids <ids>             comma separated or repeated; the first is the main target
  -t, --profile-type <type>          default IOS_APP_STORE (IOS_APP_ADHOC, MAC_APP_DIRECT, TVOS_APP_STORE, ...)
  --certificate-private-key <file>   the signing key (or $${SECRET_NAMES.certificateKey}); without it the plan
                                     is that of a new key, so it shows a certificate being created
  --certificate-p12 <file>           a .p12 instead (password in $${SECRET_NAMES.p12Password})
  --profile-name <template>          e.g. "{bundleId} {type}" (default) or the preset "match"
  --capabilities <line>              repeated: "[bundle-id:] TYPE [KEY=VALUE ...]"
  --devices <line>                   repeated: "name, udid[, platform]"
  --bundle-id-names, --platform, --min-days-valid, --capabilities-exclusive, --certificate-type,
  --certificate-renew-days, --device-selection, --reenable-devices, --api-base-url
                                     as the action inputs of the same name
  --json                             print the result as JSON on stdout
  --verbose                          also print the run's log on stderr (its decisions and requests)

Put key files in paths, not their contents on the command line: arguments are visible to other users
of this machine and stay in the shell history.
`;

export async function planCommand(args: string[], deps: CliDeps, output: CliOutput): Promise<number> {
  const flags = parseFlags(args, {
    ...INPUT_FLAGS,
    json: { type: "boolean" },
    verbose: { type: "boolean", short: "v" },
  });
  if (flags.help) {
    deps.stdout(planUsage);
    return 0;
  }
  const raw: RawInputs = {};
  for (const [name, spec] of Object.entries(INPUT_FLAGS)) {
    const fallback = ENV_FALLBACKS[name];
    const value =
      spec.type === "boolean"
        ? flags[name] === true
          ? "true"
          : ""
        : fallback
          ? flagOrEnv(flags, name, deps.env, fallback)
          : typeof flags[name] === "string"
            ? (flags[name] as string)
            : "";
    if (value !== "") raw[name] = value;
  }
  if (raw["certificate-p12"]) raw["certificate-p12-password"] = deps.env[SECRET_NAMES.p12Password] ?? "";
  raw.mode = "plan";

  const { masker } = output;
  // The plan goes to stdout, once. The engine's log (its groups, decisions and its own copy of the
  // plan) only with --verbose; warnings and errors always, on stderr.
  const verbose = flags.verbose === true;
  const logger: Logger = verbose
    ? output.logger
    : {
        debug: () => {},
        info: () => {},
        warning: (message) => output.logger.warning(message),
        error: (message) => output.logger.error(message),
        group: (_name, fn) => fn(),
      };
  const throwawayKey = !raw["certificate-private-key"] && !raw["certificate-p12"];
  if (throwawayKey) raw["certificate-private-key"] = privateKeyToPem(deps.generateKey());
  const config = parseConfig(raw, { readFile: deps.readFile, masker });
  if (throwawayKey)
    logger.warning(
      "no --certificate-private-key: planning as for a new signing key, so the plan creates a certificate. Pass your key to see whether the existing certificate is adopted.",
    );
  const result = await deps.provision(config, {
    logger,
    masker,
    ...(deps.dispatcher ? { dispatcher: deps.dispatcher } : {}),
  });
  deps.stdout(
    output.redact(flags.json === true ? `${JSON.stringify(planJson(result), null, 2)}\n` : planText(result)),
  );
  return 0;
}

export interface PlanJson {
  mode: "plan";
  teamId: string;
  changed: boolean;
  plan: ProvisionResult["plan"];
  certificate: { id: string; type: string; name: string; sha1: string; expiration: string } | null;
  profiles: Array<{ bundleId: string; name: string; uuid: string; expiration: string }>;
}

export function planJson(result: ProvisionResult): PlanJson {
  const certificate = result.certificate;
  return {
    mode: "plan",
    teamId: result.teamId,
    changed: result.changed,
    plan: result.plan.map((step) => ({ kind: step.kind, target: step.target, reason: step.reason })),
    certificate: certificate
      ? {
          id: certificate.id,
          type: String(certificate.certificateType),
          name: certificate.commonName,
          sha1: certificate.sha1,
          expiration: certificate.expirationDate,
        }
      : null,
    profiles: result.profiles.map((profile) => ({
      bundleId: profile.bundleId,
      name: profile.name,
      uuid: profile.uuid,
      expiration: profile.expirationDate,
    })),
  };
}

export function planText(result: ProvisionResult): string {
  const lines: string[] = [];
  const team = result.teamId ? ` for team ${result.teamId}` : "";
  lines.push(
    result.plan.length === 0
      ? `No changes needed${team}: a run would reuse everything.`
      : `${result.plan.length} change(s) needed${team}:`,
  );
  if (result.plan.length > 0) lines.push(formatPlan(result.plan));
  const certificate = result.certificate;
  lines.push(
    certificate
      ? `Certificate: reuse ${certificate.commonName} (id ${certificate.id}, SHA-1 ${certificate.sha1}, expires ${certificate.expirationDate.slice(0, 10)})`
      : "Certificate: none usable for this key; a run would create one.",
  );
  for (const profile of result.profiles)
    lines.push(
      `Profile: reuse "${profile.name}" for ${profile.bundleId} (UUID ${profile.uuid}, expires ${profile.expirationDate.slice(0, 10)})`,
    );
  if (result.plan.length > 0)
    lines.push("A run with `mode: apply` makes these changes; `mode: readonly` would fail until then.");
  return `${lines.join("\n")}\n`;
}
