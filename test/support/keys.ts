// Keys for tests, generated once per process: the .p8 (EC P-256) and the signing key (RSA 2048).
import { generateKeyPairSync, type KeyObject } from "node:crypto";

let cached:
  | { apiKey: KeyObject; apiKeyPem: string; signingKey: KeyObject; signingKeyPem: string }
  | undefined;

export function testKeys(): {
  apiKey: KeyObject;
  apiKeyPem: string;
  signingKey: KeyObject;
  signingKeyPem: string;
} {
  if (!cached) {
    const ec = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
    cached = {
      apiKey: ec.privateKey,
      apiKeyPem: ec.privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
      signingKey: rsa.privateKey,
      signingKeyPem: rsa.privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    };
  }
  return cached;
}
