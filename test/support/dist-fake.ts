// The built dist/ against one fake App Store Connect over HTTPS per test file: the fake, its CA in a file
// for the runner's NODE_EXTRA_CA_CERTS, a signing key, and the inputs that point the action at them.
import { generateKeyPairSync } from "node:crypto";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";
import { type FakeAsc, startFakeAsc } from "./fake-asc/index.ts";
import { createRunnerEnvironment, projectRoot } from "./runner-sim.ts";

export interface DistFake {
  /** Started in beforeAll, stopped in afterAll. */
  fake: FakeAsc;
  /** The fake's CA certificate (PEM), for NODE_EXTRA_CA_CERTS. */
  caFile: string;
  signingKeyPem: string;
  /** The API key, the fake's URL and the signing key, plus `extra`. */
  inputs(extra?: Record<string, string>): Record<string, string>;
}

export function useDistFake(): DistFake {
  const harness = {
    signingKeyPem: generateKeyPairSync("rsa", { modulusLength: 2048 })
      .privateKey.export({ type: "pkcs8", format: "pem" })
      .toString(),
    inputs: (extra: Record<string, string> = {}) => ({
      "issuer-id": harness.fake.apiKey.issuerId,
      "key-id": harness.fake.apiKey.keyId,
      "private-key": harness.fake.apiKey.privateKeyPem,
      "api-base-url": harness.fake.url,
      "certificate-private-key": harness.signingKeyPem,
      ...extra,
    }),
  } as unknown as DistFake;
  beforeAll(async () => {
    if (!existsSync(join(projectRoot, "dist", "main", "index.js")))
      throw new Error("dist/ is missing: npm run build");
    harness.fake = await startFakeAsc({ tls: true });
    harness.caFile = join(createRunnerEnvironment().root, "ca.pem");
    writeFileSync(harness.caFile, harness.fake.caCertPem ?? "");
  });
  afterAll(async () => {
    await harness.fake?.stop();
  });
  return harness;
}
