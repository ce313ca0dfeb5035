// Keys, self-signed certificates and error assertions shared by the signing tests.
import { createPublicKey, generateKeyPairSync, type KeyObject, webcrypto } from "node:crypto";
import { expect } from "vitest";
import { InputError } from "../../src/core/errors.ts";
import { x509 } from "./x509-library.ts";

const keys = new Map<string, KeyObject>();

/** An EC P-256 private key, as in an App Store Connect .p8 (one per name, cached). */
export function ecKey(name = "default", curve = "prime256v1"): KeyObject {
  const id = `ec:${curve}:${name}`;
  let key = keys.get(id);
  if (!key) {
    key = generateKeyPairSync("ec", { namedCurve: curve }).privateKey;
    keys.set(id, key);
  }
  return key;
}

/** An RSA private key of the given size (one per name and size, cached). */
export function rsaKey(bits = 2048, name = "default"): KeyObject {
  const id = `rsa:${bits}:${name}`;
  let key = keys.get(id);
  if (!key) {
    key = generateKeyPairSync("rsa", { modulusLength: bits }).privateKey;
    keys.set(id, key);
  }
  return key;
}

/** A self-signed certificate (DER) for the key: an RSA or EC P-256 key. */
export async function selfSignedCertificate(
  key: KeyObject,
  opts: { name?: string; notAfter?: Date; ca?: boolean } = {},
): Promise<Uint8Array> {
  const rsa = key.asymmetricKeyType === "rsa";
  const algorithm = rsa
    ? { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }
    : { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" };
  const privateKey = await webcrypto.subtle.importKey(
    "pkcs8",
    key.export({ type: "pkcs8", format: "der" }),
    algorithm,
    false,
    ["sign"],
  );
  const publicKey = await webcrypto.subtle.importKey(
    "spki",
    createPublicKey(key).export({ type: "spki", format: "der" }),
    algorithm,
    true,
    ["verify"],
  );
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: "0123456789abcdef",
    name: opts.name ?? "CN=iPhone Distribution: Test Team (TEAM123456), OU=TEAM123456, O=Test Team, C=US",
    notBefore: new Date("2024-01-01T00:00:00Z"),
    notAfter: opts.notAfter ?? new Date("2034-01-01T00:00:00Z"),
    keys: { privateKey, publicKey } as webcrypto.CryptoKeyPair,
    signingAlgorithm: algorithm,
    extensions: opts.ca ? [new x509.BasicConstraintsExtension(true, undefined, true)] : [],
  });
  return new Uint8Array(cert.rawData);
}

export function pemOf(label: string, der: Uint8Array): string {
  const body = Buffer.from(der)
    .toString("base64")
    .replace(/(.{64})/g, "$1\n")
    .trim();
  return `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`;
}

/** The sensitive encodings of a key: PEM body, DER base64 and hex, base64 of the PEM. */
export function secretEncodings(key: KeyObject): string[] {
  const pem = key.export({ type: "pkcs8", format: "pem" }).toString();
  const der = key.export({ type: "pkcs8", format: "der" });
  return [
    pem.replace(/-----[A-Z ]+-----/g, "").replace(/\s+/g, ""),
    der.toString("base64"),
    der.toString("hex"),
    Buffer.from(pem).toString("base64"),
  ];
}

/** Asserts that no 8-character chunk of any secret appears in the text. */
export function expectNoSecretIn(text: string, secrets: string[]): void {
  for (const secret of secrets) {
    for (let i = 0; i + 8 <= secret.length; i++) {
      const chunk = secret.slice(i, i + 8);
      if (text.includes(chunk)) expect.fail(`the message carries a piece of the secret: ${chunk}`);
    }
  }
}

/** Runs fn, expecting an InputError on `input` whose message matches, and which leaks none of `secrets`. */
export function expectInputError(
  fn: () => unknown,
  input: string,
  pattern: RegExp,
  secrets: string[] = [],
): InputError {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(InputError);
  const error = caught as InputError;
  expect(error.problems).toHaveLength(1);
  expect(error.problems[0]?.input).toBe(input);
  expect(error.message).toContain(`\`${input}\``);
  expect(error.problems[0]?.message).toMatch(pattern);
  expectNoSecretIn(error.message, secrets);
  return error;
}
