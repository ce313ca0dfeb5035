import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type LastKnownGoodContext,
  restoreLastKnownGood,
  saveLastKnownGood,
} from "../../src/action/last-known-good.ts";
import { CacheUnavailableError } from "../../src/core/cache/cache-errors.ts";
import { configHash } from "../../src/core/cache/cache-key.ts";
import {
  DAY_MS,
  ISSUER_ID,
  MemoryCacheStore,
  NOW,
  type RecordingLogger,
  recordingLogger,
  sampleConfig,
  sampleResult,
} from "../support/cache-test-kit.ts";

let runnerTemp: string;
let store: MemoryCacheStore;
let logger: RecordingLogger;

function context(
  overrides: Partial<LastKnownGoodContext> = {},
): LastKnownGoodContext & { minDaysValid: number } {
  return {
    logger,
    runnerTemp,
    issuerId: ISSUER_ID,
    configHash: configHash(sampleConfig()),
    now: () => NOW,
    minDaysValid: 30,
    ...overrides,
  };
}

beforeEach(() => {
  runnerTemp = mkdtempSync(join(tmpdir(), "cache-lkg-"));
  store = new MemoryCacheStore();
  logger = recordingLogger();
});
afterEach(() => rmSync(runnerTemp, { recursive: true, force: true }));

describe("last-known-good through a CacheStore", () => {
  it("saves once per state and restores the newest of the configuration", async () => {
    const first = await sampleResult();
    expect(await saveLastKnownGood(store, first, context())).toMatchObject({ saved: true });
    expect(await saveLastKnownGood(store, first, context())).toMatchObject({ saved: true });
    expect(store.entries).toHaveLength(1);

    const second = await sampleResult();
    second.profiles[0]!.uuid = "99999999-8888-7777-6666-555555555555";
    await saveLastKnownGood(store, second, context({ now: () => NOW + DAY_MS }));
    expect(store.entries).toHaveLength(2);

    const restored = (await restoreLastKnownGood(store, context()))!;
    expect(restored.manifest.profiles[0]!.uuid).toBe("99999999-8888-7777-6666-555555555555");
    expect(restored.profiles.map((p) => Buffer.from(p.content))).toEqual(
      second.profiles.map((p) => Buffer.from(p.content)),
    );
    expect(Buffer.from(restored.certificateDer)).toEqual(Buffer.from(second.certificate!.der));
  });

  it("restores nothing for another configuration, or when the copy is too close to expiry", async () => {
    await saveLastKnownGood(store, await sampleResult(), context());
    const other = configHash(sampleConfig({ bundleIds: [{ identifier: "com.other", name: "Other" }] }));
    expect(await restoreLastKnownGood(store, context({ configHash: other }))).toBeUndefined();
    expect(logger.warnings().at(-1)).toMatch(/no last-known-good copy of this configuration/);
    expect(await restoreLastKnownGood(store, { ...context(), minDaysValid: 400 })).toBeUndefined();
    expect(logger.warnings().at(-1)).toMatch(/cannot be used: .*within min-days-valid 400/);
  });

  it("never throws when the cache is unavailable: warnings only", async () => {
    store.failure = new CacheUnavailableError("cache save failed: Unable to make request: ECONNRESET");
    expect(await saveLastKnownGood(store, await sampleResult(), context())).toMatchObject({ saved: false });
    expect(await restoreLastKnownGood(store, context())).toBeUndefined();
    expect(logger.warnings()).toHaveLength(2);
    expect(logger.warnings()[0]).toMatch(
      /not saved \(cache save failed: Unable to make request: ECONNRESET\)/,
    );
  });

  it("saves nothing for a plan-mode run", async () => {
    const result = { ...(await sampleResult()), mode: "plan" as const };
    expect(await saveLastKnownGood(store, result, context())).toEqual({
      saved: false,
      reason: "plan mode installs nothing",
    });
    expect(store.calls).toEqual([]);
  });
});
