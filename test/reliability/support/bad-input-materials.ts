// The broken things users paste into secrets and inputs, built from real keys: a .p8 with its newlines
// stripped, turned into literal \n, base64-wrapped, without headers, truncated, OpenSSH, a certificate
// instead of a key; RSA 1024, EC P-384, encrypted keys, a .p12 with the wrong password.
import { createPublicKey, type KeyObject } from "node:crypto";
import { buildPkcs12 } from "../../../src/core/signing/pkcs12-build.ts";
import { testKeys } from "../../support/keys.ts";
import { ecKey, pemOf, rsaKey, selfSignedCertificate } from "../../support/signing-test-kit.ts";

export interface Materials {
  signingKeyPem: string;
  rsa1024Pem: string;
  ec384Pem: string;
  /** A valid P-256 key that App Store Connect does not know. */
  strangerP8Pem: string;
  certificatePem: string;
  publicKeyPem: string;
  encryptedKeyPem: string;
  opensshKey: string;
  opensshPublicKey: string;
  /** base64 of a legacy .p12 holding the signing key, password `right password`. */
  p12Base64: string;
}

const OPENSSH_BODY =
  "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZWQyNTUxOQAAACD7Yg3Yh9Vx0hVQ";

export async function buildMaterials(): Promise<Materials> {
  const { signingKey, signingKeyPem } = testKeys();
  const pkcs8 = (key: KeyObject) => key.export({ type: "pkcs8", format: "pem" }).toString();
  const certificateDer = await selfSignedCertificate(signingKey);
  return {
    signingKeyPem,
    rsa1024Pem: pkcs8(rsaKey(1024)),
    ec384Pem: pkcs8(ecKey("p384", "secp384r1")),
    strangerP8Pem: pkcs8(ecKey("stranger")),
    certificatePem: pemOf("CERTIFICATE", certificateDer),
    publicKeyPem: createPublicKey(ecKey("stranger")).export({ type: "spki", format: "pem" }).toString(),
    encryptedKeyPem: ecKey("stranger")
      .export({ type: "pkcs8", format: "pem", cipher: "aes-256-cbc", passphrase: "hunter22" })
      .toString(),
    opensshKey: `-----BEGIN OPENSSH PRIVATE KEY-----\n${OPENSSH_BODY}\n-----END OPENSSH PRIVATE KEY-----\n`,
    opensshPublicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPtiDdiH1XHSFVD user@laptop",
    p12Base64: Buffer.from(
      buildPkcs12({
        privateKey: signingKey,
        certificateDer,
        password: "right password",
        friendlyName: "test",
      }),
    ).toString("base64"),
  };
}

/** The lines of a PEM between its armour. */
const body = (pem: string): string[] =>
  pem
    .trim()
    .split("\n")
    .filter((l) => !l.startsWith("-----"));

/** The shapes a .p8 arrives in. Normalised ones must work; the others must fail naming the shape. */
export function p8Shapes(pem: string) {
  const lines = body(pem);
  const half = Math.floor(pem.length / 2);
  return {
    strippedNewlines: pem.replace(/\n/g, ""),
    spacesForNewlines: pem.trim().replace(/\n/g, " "),
    literalBackslashN: pem.trim().replace(/\n/g, "\\n"),
    base64Wrapped: Buffer.from(pem).toString("base64"),
    headersMissing: lines.join("\n"),
    quoted: `"${pem.trim()}"`,
    cutOff: pem.slice(0, half),
    truncatedBody: `-----BEGIN PRIVATE KEY-----\n${lines.join("").slice(0, 60)}\n-----END PRIVATE KEY-----\n`,
    damagedBody: `-----BEGIN PRIVATE KEY-----\n${lines.join("").replace(/[A-Z]/g, "*")}\n-----END PRIVATE KEY-----\n`,
  };
}
