// Runs the provisioning engine against the fake App Store Connect server, the way the action does:
// raw inputs → parseConfig → provision. Every request and response is validated against Apple's spec.
import { Agent } from "undici";
import { afterAll, beforeAll } from "vitest";
import { AscClient } from "../../src/core/asc/http.ts";
import { parseConfig, type RawInputs } from "../../src/core/config-parse.ts";
import { type Logger, noMasking, silentLogger } from "../../src/core/ports.ts";
import { provision } from "../../src/core/provision.ts";
import type { ProvisionResult } from "../../src/core/result.ts";
import { type FakeAsc, type FakeAscOptions, startFakeAsc } from "./fake-asc/index.ts";
import { testKeys } from "./keys.ts";
import { specValidatorFor } from "./openapi-validator.ts";
import { hasShared } from "./shared-dir.ts";

export interface Harness {
  fake: FakeAsc;
  /** Raw inputs pointing at the fake, overridable per run. */
  inputs(overrides?: RawInputs): RawInputs;
  run(overrides?: RawInputs, options?: { logger?: Logger; now?: number }): Promise<ProvisionResult>;
}

/** The raw inputs of a run against `fake`: its API key, one bundle ID, the test signing key. */
export function fakeInputs(fake: FakeAsc, overrides: RawInputs = {}): RawInputs {
  return {
    "issuer-id": fake.apiKey.issuerId,
    "key-id": fake.apiKey.keyId,
    "private-key": fake.apiKey.privateKeyPem,
    "api-base-url": fake.url,
    "bundle-ids": "com.example.app",
    "certificate-private-key": testKeys().signingKeyPem,
    ...overrides,
  };
}

export function startHarness(options: FakeAscOptions = {}): Harness {
  const harness = {} as Harness;
  // Trusts an HTTPS fake's CA; undefined for plain HTTP. Destroyed after all.
  let dispatcher: Agent | undefined;
  beforeAll(async () => {
    const fake = await startFakeAsc({
      ...(hasShared ? { validator: specValidatorFor(options.enterprise) } : {}),
      ...options,
    });
    dispatcher = fake.caCertPem ? new Agent({ connect: { ca: fake.caCertPem } }) : undefined;
    harness.fake = fake;
    harness.inputs = (overrides = {}) => fakeInputs(fake, overrides);
    harness.run = async (overrides = {}, runOptions = {}) => {
      const config = parseConfig(harness.inputs(overrides), {
        readFile: () => undefined,
        masker: noMasking,
      });
      const now = runOptions.now;
      const client = options.enterprise
        ? new AscClient({
            issuerId: config.apiKey.issuerId,
            keyId: config.apiKey.keyId,
            privateKey: config.apiKey.privateKey,
            baseUrl: config.apiKey.baseUrl,
            audience: "apple-developer-enterprise-v1",
            ...(dispatcher ? { dispatcher } : {}),
          })
        : undefined;
      return provision(config, {
        ...(client ? { client } : {}),
        logger: runOptions.logger ?? silentLogger,
        masker: noMasking,
        ...(now !== undefined ? { clock: { now: () => now } } : {}),
        ...(dispatcher ? { dispatcher } : {}),
      });
    };
  });
  afterAll(async () => {
    await dispatcher?.close();
    await harness.fake?.stop();
  });
  return harness;
}
