// The signing certificate's private key: RSA 2048, the only size Apple issues code-signing certificates
// for. The key never leaves the runner; App Store Connect only sees a CSR made from it.
import type { KeyObject } from "node:crypto";
import { InputError } from "../errors.ts";
import { type ReadFile, readPrivateKey } from "./key-material.ts";

export const CERTIFICATE_KEY_HINT =
  "The signing certificate's key is an RSA 2048 private key in PEM (generate one with `openssl genrsa -out signing.key 2048` and store the file, or its base64, as a secret), or use `certificate-p12` for a certificate exported with its key.";

/** The signing key; InputError naming the input when it is not an RSA 2048 private key. */
export function parseCertificateKey(raw: string, opts: { input?: string; readFile: ReadFile }): KeyObject {
  const input = opts.input ?? "certificate-private-key";
  const key = readPrivateKey(raw, { input, readFile: opts.readFile, hint: CERTIFICATE_KEY_HINT });
  const type = key.asymmetricKeyType;
  const bits = key.asymmetricKeyDetails?.modulusLength;
  if (type === "rsa" && bits === 2048) return key;
  const fail = (message: string): never => {
    throw new InputError([{ input, message }]);
  };
  if (type === "ec" && key.asymmetricKeyDetails?.namedCurve === "prime256v1")
    return fail(
      "looks like the App Store Connect API key (.p8, EC P-256) pasted in the wrong input: it belongs in `private-key`. " +
        CERTIFICATE_KEY_HINT,
    );
  if (type === "rsa")
    return fail(
      `is an RSA ${bits ?? "(unknown size)"}-bit key, but Apple issues signing certificates for RSA 2048 keys only: generate one with \`openssl genrsa -out signing.key 2048\` and store it as the secret.`,
    );
  return fail(`is a ${type ?? "unknown"} key, not an RSA 2048 private key. ${CERTIFICATE_KEY_HINT}`);
}
