// A certificate signing request for App Store Connect's `POST /v1/certificates` (`csrContent`): PKCS#10,
// RSASSA-PKCS1-v1_5 with SHA-256, from the runner's RSA key. The private key never leaves the runner.
import { createPublicKey, type KeyObject, webcrypto } from "node:crypto";
import { SigningError } from "../errors.ts";
import { x509 } from "./x509-library.ts";

const ALGORITHM = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" } as const;

export const DEFAULT_CSR_COMMON_NAME = "asc-provision";

/**
 * A PEM CSR for an RSA private key, as App Store Connect takes in `csrContent`. Subject: the common name
 * (default "asc-provision") and any e-mail address; Apple replaces it with the team's own anyway.
 */
export async function createCsr(
  key: KeyObject,
  subject?: { commonName?: string; email?: string },
): Promise<string> {
  if (key.type !== "private" || key.asymmetricKeyType !== "rsa")
    throw new SigningError("a CSR for App Store Connect needs an RSA private key (RSA 2048).");
  const privateKey = await webcrypto.subtle.importKey(
    "pkcs8",
    key.export({ type: "pkcs8", format: "der" }),
    ALGORITHM,
    false,
    ["sign"],
  );
  const publicKey = await webcrypto.subtle.importKey(
    "spki",
    createPublicKey(key).export({ type: "spki", format: "der" }),
    ALGORITHM,
    true,
    ["verify"],
  );
  const name: Record<string, string[]>[] = [{ CN: [subject?.commonName || DEFAULT_CSR_COMMON_NAME] }];
  if (subject?.email) name.push({ E: [subject.email] });
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name,
    keys: { privateKey, publicKey } as webcrypto.CryptoKeyPair,
    signingAlgorithm: ALGORITHM,
  });
  return csr.toString("pem");
}
