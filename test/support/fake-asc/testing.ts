// Helpers for tests that drive the fake directly: one fake per test file with every exchange validated
// against Apple's spec (when ../shared is present), a client, CSRs, and the plist inside a profile.
import "reflect-metadata";
import { execFile } from "node:child_process";
import { createPublicKey, generateKeyPairSync, type KeyObject, webcrypto } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import * as x509 from "@peculiar/x509";
import { type PlistValue, parse } from "plist";
import { afterAll, afterEach, beforeAll, expect } from "vitest";
import { specValidatorFor } from "../openapi-validator.ts";
import { hasShared } from "../shared-dir.ts";
import { type FakeClient, fakeClient } from "./client.ts";
import { type FakeAsc, type FakeAscOptions, startFakeAsc } from "./index.ts";

x509.cryptoProvider.set(webcrypto);

export interface FakeHarness {
  fake: FakeAsc;
  api: FakeClient;
}

/**
 * Starts a fake for the test file (validator on when Apple's spec is available) and checks after each test
 * that every exchange of that test matched the spec.
 */
export function useFakeAsc(options: FakeAscOptions = {}): FakeHarness {
  const h = {} as FakeHarness;
  beforeAll(async () => {
    h.fake = await startFakeAsc({
      ...(hasShared ? { validator: specValidatorFor(options.enterprise) } : {}),
      ...options,
    });
    h.api = fakeClient(h.fake.url, {
      key: h.fake.apiKey,
      ...(options.enterprise ? { token: { audience: "apple-developer-enterprise-v1" } } : {}),
      ...(h.fake.caCertPem ? { caCertPem: h.fake.caCertPem } : {}),
    });
  });
  afterEach(() => {
    if (!h.fake) return; // beforeAll failed and says why
    const violations = h.fake.specViolations.splice(0);
    expect(violations).toEqual([]);
  });
  afterAll(async () => {
    await h.api?.close();
    await h.fake?.stop();
  });
  return h;
}

let sharedRsa: { privateKey: KeyObject; publicKey: KeyObject } | undefined;

/** One RSA 2048 key pair per process (key generation is slow). */
export function rsaKeyPair(): { privateKey: KeyObject; publicKey: KeyObject } {
  sharedRsa ??= generateKeyPairSync("rsa", { modulusLength: 2048 });
  return sharedRsa;
}

/** A PKCS#10 request for `privateKey`, PEM and base64 DER (what clients send as csrContent). */
export async function makeCsr(
  privateKey: KeyObject = rsaKeyPair().privateKey,
): Promise<{ pem: string; base64Der: string }> {
  const alg = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" };
  const pkcs8 = privateKey.export({ type: "pkcs8", format: "der" });
  const spki = createPublicKey(privateKey).export({ type: "spki", format: "der" });
  const keys = {
    privateKey: await webcrypto.subtle.importKey("pkcs8", pkcs8, alg, false, ["sign"]),
    publicKey: await webcrypto.subtle.importKey("spki", spki, alg, true, ["verify"]),
  };
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: "CN=asc-provision test, E=test@example.com, C=US",
    keys: keys as webcrypto.CryptoKeyPair,
    signingAlgorithm: alg,
  });
  return { pem: csr.toString("pem"), base64Der: Buffer.from(csr.rawData).toString("base64") };
}

const execFileAsync = promisify(execFile);

/** The plist inside a signed profile, read with `openssl cms -verify -noverify` (the signature is checked). */
export async function profilePlist(profileContentBase64: string): Promise<Record<string, PlistValue>> {
  const dir = await mkdtemp(join(tmpdir(), "fake-asc-profile-"));
  try {
    const file = join(dir, "profile.der");
    await writeFile(file, Buffer.from(profileContentBase64, "base64"));
    const { stdout } = await execFileAsync("openssl", [
      "cms",
      "-verify",
      "-noverify",
      "-inform",
      "DER",
      "-in",
      file,
    ]);
    return parse(stdout) as Record<string, PlistValue>;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A JSON:API create body. */
export function entity(
  type: string,
  attributes: Record<string, unknown>,
  relationships?: Record<string, unknown>,
) {
  return { data: { type, attributes, ...(relationships ? { relationships } : {}) } };
}

export const one = (type: string, id: string) => ({ data: { type, id } });
export const many = (type: string, ids: string[]) => ({ data: ids.map((id) => ({ type, id })) });
