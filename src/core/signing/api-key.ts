// The App Store Connect API key (.p8): an EC P-256 private key, PKCS#8 ("PRIVATE KEY") or SEC1
// ("EC PRIVATE KEY"), in any of the shapes key-material.ts reads.
import type { KeyObject } from "node:crypto";
import { InputError } from "../errors.ts";
import { type ReadFile, readPrivateKey } from "./key-material.ts";

export const API_KEY_HINT =
  "The API key is the .p8 file downloaded once from App Store Connect > Users and Access > Integrations > Team Keys (individual keys cannot manage provisioning); store its whole content, or its base64, as a secret.";

/** The .p8 API key; InputError naming the input when it is not an EC P-256 private key. */
export function parseApiKey(raw: string, opts: { input?: string; readFile: ReadFile }): KeyObject {
  const input = opts.input ?? "private-key";
  const key = readPrivateKey(raw, { input, readFile: opts.readFile, hint: API_KEY_HINT });
  const type = key.asymmetricKeyType;
  const details = key.asymmetricKeyDetails;
  if (type === "ec" && details?.namedCurve === "prime256v1") return key;
  const fail = (message: string): never => {
    throw new InputError([{ input, message: `${message}. ${API_KEY_HINT}` }]);
  };
  if (type === "rsa" || type === "rsa-pss") {
    const size = details?.modulusLength ? ` ${details.modulusLength}-bit` : "";
    return fail(
      `looks like an RSA${size} key (a signing certificate's private key, which belongs in \`certificate-private-key\`?), not the App Store Connect API key`,
    );
  }
  if (type === "ec")
    return fail(`is an EC key on curve ${details?.namedCurve ?? "(unknown)"}, but API keys use P-256`);
  return fail(`is a ${type ?? "unknown"} key, not an EC P-256 App Store Connect API key`);
}
