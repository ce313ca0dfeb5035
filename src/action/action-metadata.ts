// The inputs and outputs of action.yml, as code. action.yml is the source of truth; a test
// (test/action/action-metadata.test.ts) checks that these names, defaults and required flags match it.

import { INPUT_DEFAULTS, type InputName } from "../core/input-defaults.ts";

export { INPUT_DEFAULTS, type InputName };

export const INPUT_NAMES = Object.keys(INPUT_DEFAULTS) as InputName[];

export const REQUIRED_INPUTS: readonly InputName[] = ["issuer-id", "key-id", "private-key"];

/** Inputs of earlier versions that are gone: a workflow that still sets one fails, told what replaces it. */
export const REMOVED_INPUTS: Readonly<Record<string, string>> = {
  "cache-passphrase":
    "is no longer an input: a signing key generated into the Actions cache is lost after 7 days unused, is invisible to other branches, and two first runs each mint a certificate. Keep the signing key in a secret instead: create it once from a clone of asc-provision with `node dist/cli/index.js generate-key --out <file>` (it writes the key to the file and prints the `gh secret set` command), pass it as `certificate-private-key`, and remove `cache-passphrase`.",
};

export const OUTPUT_NAMES = [
  "team-id",
  "certificate-id",
  "certificate-serial",
  "certificate-sha1",
  "certificate-name",
  "certificate-expiration",
  "signing-identity",
  "profile-uuid",
  "profile-name",
  "profile-path",
  "profile-expiration",
  "profiles",
  "app-id",
  "keychain-path",
  "p12-path",
  "p12-password",
  "export-options-path",
  "plan",
  "changed",
  "degraded",
] as const;

export type OutputName = (typeof OUTPUT_NAMES)[number];

export const ACTION_NAME = "asc-provision";
