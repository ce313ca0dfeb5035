// A fresh signing key, for runs that are given none, and its PEM form for storing it.
import { generateKeyPairSync, type KeyObject } from "node:crypto";

/** A new RSA 2048 private key (the only size Apple issues signing certificates for). */
export function generateCertificateKey(): KeyObject {
  return generateKeyPairSync("rsa", { modulusLength: 2048, publicExponent: 0x10001 }).privateKey;
}

/** PKCS#8 PEM ("-----BEGIN PRIVATE KEY-----") of a private key. */
export function privateKeyToPem(key: KeyObject): string {
  return key.export({ type: "pkcs8", format: "pem" }).toString();
}
