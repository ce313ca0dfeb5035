// Bad-input matrix: malformed inputs through parseConfig + provision against the fake. Each failure is
// typed, names the input (or the cause) and the fix, carries no secret, and costs no write (configuration
// errors not even a request). Shapes that are unambiguous are normalised and must simply work; a profile
// with our name whose content is broken or foreign-signed is repaired, saying why.

import { createPrivateKey } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AscApiError, InputError } from "../../src/core/errors.ts";
import { type FakeAsc, startFakeAsc } from "../support/fake-asc/index.ts";
import { testKeys } from "../support/keys.ts";
import { expectNoSecretIn, secretEncodings } from "../support/signing-test-kit.ts";
import { BAD_INPUT_CASES, type BadInputCase, type CaseKit } from "./support/bad-input-cases.ts";
import { buildMaterials, type Materials, p8Shapes } from "./support/bad-input-materials.ts";
import { closeSharedAgent, describeOutcome, type EngineRunOutcome, runEngine } from "./support/engine-run.ts";

let shared: FakeAsc;
let m: Materials;
let counter = 0;
const freshBundleId = () => `com.badinput.case${++counter}`;

beforeAll(async () => {
  [shared, m] = await Promise.all([startFakeAsc(), buildMaterials()]);
});
afterAll(async () => {
  await shared?.stop();
  await closeSharedAgent();
});

/** Every secret of the runs, in the encodings a leak would take. */
function secrets(fake: FakeAsc): string[] {
  return [
    ...secretEncodings(createPrivateKey(fake.apiKey.privateKeyPem)),
    ...secretEncodings(testKeys().signingKey),
  ];
}

async function runCase(c: BadInputCase): Promise<{ outcome: EngineRunOutcome; fake: FakeAsc }> {
  const own = c.account ? await startFakeAsc(c.account) : undefined;
  const fake = own ?? shared;
  try {
    const kit: CaseKit = { fake, bundleId: freshBundleId(), m };
    await c.setup?.(fake, kit);
    const inputs = { "bundle-ids": kit.bundleId, ...c.inputs(kit) };
    const outcome = await runEngine(fake, { inputs, timeoutMs: 2_000 });
    c.check?.(fake);
    return { outcome, fake };
  } finally {
    await own?.stop();
  }
}

describe("bad-input matrix", () => {
  it("has at least 40 malformed cases", () => {
    expect(BAD_INPUT_CASES.length).toBeGreaterThanOrEqual(40);
    expect(new Set(BAD_INPUT_CASES.map((c) => c.name)).size).toBe(BAD_INPUT_CASES.length);
  });

  it.each(BAD_INPUT_CASES.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    const { outcome, fake } = await runCase(c);
    const error = outcome.error;
    expect(error, `expected a failure, got ${describeOutcome(outcome)}`).toBeDefined();
    expect(error).toBeInstanceOf(c.kind === "api" ? AscApiError : InputError);
    const message = (error as Error).message;
    expect(message).toMatch(c.message);
    expect(message).not.toMatch(/\[object Object\]|undefined/);
    if (c.input) {
      expect((error as InputError).problems.map((p) => p.input)).toContain(c.input);
      expect(message).toContain(`\`${c.input}\``);
    }
    expectNoSecretIn(message, secrets(fake));
    if (c.kind === "config") expect(outcome.requests, "a configuration error made requests").toEqual([]);
    expect(outcome.writes).toBe(c.writes ?? 0);
  });
});

describe("shapes that are normalised", () => {
  const shapes = [
    "strippedNewlines",
    "spacesForNewlines",
    "literalBackslashN",
    "base64Wrapped",
    "headersMissing",
    "quoted",
  ] as const;

  it.each(shapes.map((s) => [s]))("private-key %s works", async (shape) => {
    const run = await runEngine(shared, {
      inputs: { "bundle-ids": freshBundleId(), "private-key": p8Shapes(shared.apiKey.privateKeyPem)[shape] },
    });
    expect(run.result, describeOutcome(run)).toBeDefined();
  });

  it.each(["literalBackslashN", "base64Wrapped"] as const)(
    "certificate-private-key %s works",
    async (shape) => {
      const run = await runEngine(shared, {
        inputs: {
          "bundle-ids": freshBundleId(),
          "certificate-private-key": p8Shapes(m.signingKeyPem)[shape],
        },
      });
      expect(run.result, describeOutcome(run)).toBeDefined();
    },
  );

  it("certificate-p12 with its password works", async () => {
    const run = await runEngine(shared, {
      inputs: {
        "bundle-ids": freshBundleId(),
        "certificate-private-key": "",
        "certificate-p12": m.p12Base64,
        "certificate-p12-password": "right password",
      },
    });
    expect(run.result, describeOutcome(run)).toBeDefined();
  });
});

describe("a profile with our name whose content is broken", () => {
  /** Provisions once, then replaces the served content of the profile and runs again. */
  async function repairAfter(corrupt: (content: Uint8Array) => Promise<Uint8Array> | Uint8Array) {
    const fake = await startFakeAsc();
    try {
      const inputs = { "bundle-ids": freshBundleId() };
      const first = await runEngine(fake, { inputs });
      expect(first.result, describeOutcome(first)).toBeDefined();
      const id = first.result!.profiles[0]!.id;
      fake.state.setProfileContent(id, await corrupt(await fake.state.profileContent(id)));
      const second = await runEngine(fake, { inputs });
      expect(second.result, describeOutcome(second)).toBeDefined();
      const profile = second.result!.profiles[0]!;
      expect(profile.outcome).toBe("repaired");
      expect(profile.uuid).not.toBe(first.result!.profiles[0]!.uuid);
      expect(second.result!.plan.map((s) => s.kind)).toEqual(["delete-profile", "create-profile"]);
      const third = await runEngine(fake, { inputs });
      expect(third.writes).toBe(0);
      return profile.reason;
    } finally {
      await fake.stop();
    }
  }

  it("truncated: deleted and created anew, the reason says so", async () => {
    const reason = await repairAfter((content) => content.subarray(0, Math.floor(content.length / 2)));
    expect(reason).toMatch(/profileContent .*(truncated|not a CMS SignedData)/);
  });

  it("not a profile at all: deleted and created anew", async () => {
    const reason = await repairAfter(() => Buffer.from("<html>Service Unavailable</html>"));
    expect(reason).toMatch(/profileContent .*not a CMS SignedData/);
  });

  it("content altered after signing (it no longer matches its CMS signature): deleted and created anew", async () => {
    const reason = await repairAfter((content) => {
      const altered = Buffer.from(content);
      const at = altered.indexOf("<key>Name</key>");
      expect(at).toBeGreaterThan(0);
      altered.write("<key>NAME</key>", at);
      return altered;
    });
    expect(reason).toMatch(/does not match its signed digest/);
  });
});
