// `asc-provision secrets`: which repository secrets and variables the action needs, and the `gh`
// commands that set them. Key files given as flags are checked (never printed): a wrong file is caught
// here rather than in the first workflow run.
import { InputError, type InputProblem } from "../core/errors.ts";
import { parseApiKey } from "../core/signing/api-key.ts";
import { parseCertificateKey } from "../core/signing/certificate-key.ts";
import type { CliDeps } from "./cli-deps.ts";
import { CLI_COMMAND } from "./cli-invocation.ts";
import { CERTIFICATE_KEY_SECRET, DEFAULT_KEY_FILE, shellQuote } from "./command-generate-key.ts";
import { parseFlags } from "./parse-flags.ts";

export const SECRET_NAMES = {
  issuerId: "ASC_ISSUER_ID",
  keyId: "ASC_KEY_ID",
  privateKey: "ASC_PRIVATE_KEY",
  certificateKey: CERTIFICATE_KEY_SECRET,
  p12: "ASC_CERTIFICATE_P12",
  p12Password: "ASC_CERTIFICATE_P12_PASSWORD",
} as const;

const ISSUER_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const KEY_ID = /^[A-Z0-9]{10}$/;

export const secretsUsage = `Usage: ${CLI_COMMAND} secrets [--issuer-id <uuid>] [--key-id <id>] [--private-key <AuthKey.p8>]
                                    [--certificate-private-key <file> | --certificate-p12 <file>]
                                    [--repo <owner/name>] [--env <environment>]

Prints the repository variables and secrets asc-provision reads, and the gh commands that set them.
Values you pass are filled in; key files are checked (and never printed).

  --issuer-id <uuid>                Issuer ID (App Store Connect > Users and Access > Integrations)
  --key-id <id>                     Key ID of the Team key (10 characters)
  --private-key <file>              the AuthKey_<KEY_ID>.p8 downloaded from App Store Connect
  --certificate-private-key <file>  the signing key (generate-key writes one)
  --certificate-p12 <file>          or an existing .p12 holding the signing key
  --repo <owner/name>               the repository (gh's default: the one of the current folder)
  --env <environment>               set them on a deployment environment instead of the repository
`;

/** The flags' values, "" when not given. */
type SecretFlags = Record<
  "issuerId" | "keyId" | "apiKeyPath" | "certificateKeyPath" | "p12Path" | "repo" | "env",
  string
>;

export function secretsCommand(args: string[], deps: CliDeps): number {
  const flags = parseFlags(args, {
    "issuer-id": { type: "string" },
    "key-id": { type: "string" },
    "private-key": { type: "string" },
    "certificate-private-key": { type: "string" },
    "certificate-p12": { type: "string" },
    repo: { type: "string", short: "R" },
    env: { type: "string", short: "e" },
  });
  if (flags.help) {
    deps.stdout(secretsUsage);
    return 0;
  }
  const get = (name: string): string => (typeof flags[name] === "string" ? (flags[name] as string) : "");
  const given: SecretFlags = {
    issuerId: get("issuer-id"),
    keyId: get("key-id"),
    apiKeyPath: get("private-key"),
    certificateKeyPath: get("certificate-private-key"),
    p12Path: get("certificate-p12"),
    repo: get("repo"),
    env: get("env"),
  };
  const checked = checkFlags(given, deps);
  deps.stdout(secretsGuide(given));
  for (const line of checked) deps.stderr(`checked ${line}\n`);
  return 0;
}

/** Checks the IDs' shapes and the key files (never printing them); the files checked, InputError otherwise. */
function checkFlags(given: SecretFlags, deps: CliDeps): string[] {
  const { issuerId, keyId, apiKeyPath, certificateKeyPath, p12Path } = given;
  const problems: InputProblem[] = [];
  const checked: string[] = [];
  if (issuerId && !ISSUER_ID.test(issuerId))
    problems.push({
      input: "issuer-id",
      message: "expected a UUID like 57246542-96fe-1a63-e053-0824d011072a.",
    });
  if (keyId && !KEY_ID.test(keyId))
    problems.push({ input: "key-id", message: "expected 10 upper-case letters and digits like 2X9R4HXF34." });
  if (certificateKeyPath && p12Path)
    problems.push({
      input: "certificate-p12",
      message: "give either --certificate-private-key or --certificate-p12, not both.",
    });
  const checkFile = (input: string, path: string, check: () => void, what: string): void => {
    if (!path) return;
    if (!deps.exists(path)) {
      problems.push({ input, message: `${path} does not exist: pass the path of the file.` });
      return;
    }
    try {
      check();
      checked.push(`${path}: ${what}`);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      problems.push(...error.problems.map((problem) => ({ input, message: problem.message })));
    }
  };
  checkFile(
    "private-key",
    apiKeyPath,
    () => parseApiKey(apiKeyPath, { readFile: deps.readFile }),
    "an EC P-256 key, the shape of an App Store Connect API key",
  );
  checkFile(
    "certificate-private-key",
    certificateKeyPath,
    () =>
      parseCertificateKey(certificateKeyPath, { input: "certificate-private-key", readFile: deps.readFile }),
    "an RSA private key, usable for a signing certificate",
  );
  if (problems.length > 0) throw new InputError(problems);
  return checked;
}

/** The secrets and variables to add, the `gh` commands that set them and the workflow step that reads them. */
function secretsGuide(given: SecretFlags): string {
  const { issuerId, keyId, apiKeyPath, certificateKeyPath, p12Path, repo, env } = given;
  const scope = [repo ? `--repo ${shellQuote(repo)}` : "", env ? `--env ${shellQuote(env)}` : ""]
    .filter(Boolean)
    .join(" ");
  /** `gh <command> [scope] [< file]`: the scope flags before any redirection. */
  const gh = (command: string, file?: string): string =>
    `  gh ${command}${scope ? ` ${scope}` : ""}${file ? ` < ${shellQuote(file)}` : ""}`;
  const p8 = apiKeyPath || `AuthKey_${keyId || "<KEY_ID>"}.p8`;
  const lines = [
    `Add these in the repository's Settings > Secrets and variables > Actions${env ? ` (environment "${env}")` : ""}:`,
    "",
    `  ${SECRET_NAMES.issuerId.padEnd(30)} variable  Issuer ID, shown above the keys in App Store Connect > Users and Access > Integrations`,
    `  ${SECRET_NAMES.keyId.padEnd(30)} variable  Key ID of a Team key (not an individual key) with the Admin or App Manager role`,
    `  ${SECRET_NAMES.privateKey.padEnd(30)} secret    the whole AuthKey_<KEY_ID>.p8 file (PEM text, or its base64)`,
    p12Path
      ? `  ${SECRET_NAMES.p12.padEnd(30)} secret    base64 of the .p12 holding the signing key\n  ${SECRET_NAMES.p12Password.padEnd(30)} secret    its password`
      : `  ${SECRET_NAMES.certificateKey.padEnd(30)} secret    the signing key (PEM or base64; \`${CLI_COMMAND} generate-key\` makes one)`,
    "",
    "With the GitHub CLI:",
    gh(`variable set ${SECRET_NAMES.issuerId} --body ${shellQuote(issuerId || "<issuer-id>")}`),
    gh(`variable set ${SECRET_NAMES.keyId} --body ${shellQuote(keyId || "<key-id>")}`),
    gh(`secret set ${SECRET_NAMES.privateKey}`, p8),
    ...(p12Path
      ? [
          `  base64 < ${shellQuote(p12Path)} | gh secret set ${SECRET_NAMES.p12}${scope ? ` ${scope}` : ""}`,
          `${gh(`secret set ${SECRET_NAMES.p12Password}`)}    # prompts for the password`,
        ]
      : [gh(`secret set ${SECRET_NAMES.certificateKey}`, certificateKeyPath || DEFAULT_KEY_FILE)]),
    "",
    "Then in the workflow:",
    "  - uses: asc-provision/asc-provision@v1",
    "    with:",
    `      issuer-id: \${{ vars.${SECRET_NAMES.issuerId} }}`,
    `      key-id: \${{ vars.${SECRET_NAMES.keyId} }}`,
    `      private-key: \${{ secrets.${SECRET_NAMES.privateKey} }}`,
    ...(p12Path
      ? [
          `      certificate-p12: \${{ secrets.${SECRET_NAMES.p12} }}`,
          `      certificate-p12-password: \${{ secrets.${SECRET_NAMES.p12Password} }}`,
        ]
      : [`      certificate-private-key: \${{ secrets.${SECRET_NAMES.certificateKey} }}`]),
    "      bundle-ids: com.example.app",
    "",
  ];
  return lines.join("\n");
}
