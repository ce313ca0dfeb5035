// `asc-provision generate-key`: a new RSA 2048 signing key, written to a file of mode 0600; its base64
// goes to stdout (so it can be piped into `gh secret set`), the instructions to stderr.
import { resolve } from "node:path";
import { privateKeyToPem } from "../core/signing/key-generation.ts";
import type { CliDeps } from "./cli-deps.ts";
import { parseFlags, UsageError } from "./parse-flags.ts";

export const DEFAULT_KEY_FILE = "asc-provision-signing-key.pem";
export const CERTIFICATE_KEY_SECRET = "ASC_CERTIFICATE_PRIVATE_KEY";

export const generateKeyUsage = `Usage: asc-provision generate-key [--out <file>] [--force]

Writes a new RSA 2048 private key (PKCS#8 PEM, mode 0600) for the signing certificate and prints its
base64 on stdout. Store it as the repository secret ${CERTIFICATE_KEY_SECRET}; the action's first run
creates the certificate from it and every later run adopts that certificate.

  --out <file>   where to write the key (default ./${DEFAULT_KEY_FILE})
  --force        overwrite an existing file
`;

export function generateKeyCommand(args: string[], deps: CliDeps): number {
  const flags = parseFlags(args, { out: { type: "string", short: "o" }, force: { type: "boolean" } });
  if (flags.help) {
    deps.stdout(generateKeyUsage);
    return 0;
  }
  const out = typeof flags.out === "string" && flags.out ? flags.out : DEFAULT_KEY_FILE;
  const force = flags.force === true;
  if (!force && deps.exists(out))
    throw new UsageError(
      `--out: ${out} already exists. Keep it (it may be the key of your current certificate), pick another --out, or pass --force to replace it.`,
    );
  const pem = privateKeyToPem(deps.generateKey());
  deps.writeSecretFile(out, pem, force);
  deps.stdout(`${Buffer.from(pem, "utf8").toString("base64")}\n`);
  const path = resolve(out);
  deps.stderr(
    [
      `Wrote a new RSA 2048 signing key to ${path} (mode 0600). The line above is its base64.`,
      "",
      `Store it as the repository secret ${CERTIFICATE_KEY_SECRET} (either form works):`,
      `  gh secret set ${CERTIFICATE_KEY_SECRET} < ${shellQuote(out)}`,
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
