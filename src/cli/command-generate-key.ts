// `generate-key`: a new RSA 2048 signing key, written where the user says (--out) with mode 0600. The
// key never goes to stdout or stderr: stdout gets the `gh secret set` command that stores the file as
// the secret (so the key goes from the file to GitHub without passing through a terminal or a log),
// stderr the notes for the person at the terminal.
import { resolve } from "node:path";
import { privateKeyToPem } from "../core/signing/key-generation.ts";
import type { CliDeps } from "./cli-deps.ts";
import { CLI_COMMAND } from "./cli-invocation.ts";
import { parseFlags, UsageError } from "./parse-flags.ts";

export const DEFAULT_KEY_FILE = "asc-provision-signing-key.pem";
export const CERTIFICATE_KEY_SECRET = "ASC_CERTIFICATE_PRIVATE_KEY";

export const generateKeyUsage = `Usage: ${CLI_COMMAND} generate-key --out <file> [--force] [--repo <owner/name>] [--env <environment>]

Writes a new RSA 2048 private key (PKCS#8 PEM, mode 0600) for the signing certificate to <file> and
prints the gh command that stores it as the secret ${CERTIFICATE_KEY_SECRET}. The key itself is never
printed. The action's first run creates the certificate from it; every later run adopts that
certificate.

  --out <file>          where to write the key, outside any git checkout (e.g. ~/asc-signing-key.pem)
  --force               overwrite an existing file
  --repo <owner/name>   the repository for the gh command (gh's default: the one of the current folder)
  --env <environment>   store it as a secret of that deployment environment (recommended: the protected
                        environment your release job runs in)
`;

export function generateKeyCommand(args: string[], deps: CliDeps): number {
  const flags = parseFlags(args, {
    out: { type: "string", short: "o" },
    force: { type: "boolean" },
    repo: { type: "string", short: "R" },
    env: { type: "string", short: "e" },
  });
  if (flags.help) {
    deps.stdout(generateKeyUsage);
    return 0;
  }
  const out = typeof flags.out === "string" ? flags.out : "";
  if (!out)
    throw new UsageError(
      "--out is required: say where the key goes, outside any git checkout, e.g. --out ~/asc-signing-key.pem.",
    );
  const force = flags.force === true;
  if (!force && deps.exists(out))
    throw new UsageError(
      `--out: ${out} already exists. Keep it (it may be the key of your current certificate), pick another --out, or pass --force to replace it.`,
    );
  deps.writeSecretFile(out, privateKeyToPem(deps.generateKey()), force);
  const path = resolve(out);
  const scope = [
    typeof flags.repo === "string" && flags.repo ? `--repo ${shellQuote(flags.repo)}` : "",
    typeof flags.env === "string" && flags.env ? `--env ${shellQuote(flags.env)}` : "",
  ]
    .filter(Boolean)
    .join(" ");
  deps.stdout(`gh secret set ${CERTIFICATE_KEY_SECRET}${scope ? ` ${scope}` : ""} < ${shellQuote(path)}\n`);
  deps.stderr(
    [
      `Wrote a new RSA 2048 signing key to ${path} (mode 0600).`,
      `Store it as the secret ${CERTIFICATE_KEY_SECRET} with the gh command above (it reads the file; the key is never printed).`,
      "",
      "Then keep the file in a password manager and delete it from this disk: whoever holds it can sign",
      "as your team. Losing it only means the next run creates a new certificate from a new key.",
      "",
    ].join("\n"),
  );
  return 0;
}

/** Quotes a word for POSIX shells when it needs it. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
