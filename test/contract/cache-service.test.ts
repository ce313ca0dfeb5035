// @actions/cache 6 for real (tar, zstd, Twirp, the Azure blob SDK) against the loopback fake of the v2
// cache service: the raw library, the CacheStore on it, and the last-known-good flow.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createActionsCacheStore } from "../../src/action/cache-store.ts";
import { restoreLastKnownGood, saveLastKnownGood } from "../../src/action/last-known-good.ts";
import { CacheUnavailableError } from "../../src/core/cache/cache-errors.ts";
import { configHash, lastKnownGoodKeyPrefix } from "../../src/core/cache/cache-key.ts";
import type { CacheStore } from "../../src/core/cache/cache-port.ts";
import {
  ISSUER_ID,
  NOW,
  type RecordingLogger,
  recordingLogger,
  sampleConfig,
  sampleResult,
} from "../support/cache-test-kit.ts";
import {
  type FakeCacheService,
  setProcessEnv,
  startFakeCacheService,
} from "../support/fake-cache-service.ts";

const TWIRP = "/twirp/github.actions.results.api.v1.CacheService/";

let fake: FakeCacheService;
let restoreEnv: () => void;
let runnerTemp: string;
let workspace: string;
let stdout: string[];
let logger: RecordingLogger;

beforeAll(async () => {
  fake = await startFakeCacheService();
  runnerTemp = mkdtempSync(join(tmpdir(), "cache-contract-temp-"));
  workspace = mkdtempSync(join(tmpdir(), "cache-contract-workspace-"));
  restoreEnv = setProcessEnv({
    ...fake.env(runnerTemp),
    GITHUB_WORKSPACE: workspace,
    ACTIONS_CACHE_MODE: undefined,
    ACTIONS_CACHE_URL: undefined,
    RUNNER_DEBUG: undefined,
  });
});

afterAll(async () => {
  restoreEnv();
  await fake.stop();
  rmSync(runnerTemp, { recursive: true, force: true });
  rmSync(workspace, { recursive: true, force: true });
});

/** What the library (and the store) write to the runner log. */
let writeSpy: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  stdout = [];
  logger = recordingLogger();
  writeSpy = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    stdout.push(String(chunk));
    return true;
  });
});
afterEach(() => vi.restoreAllMocks());

const annotations = () => stdout.filter((line) => /^::(warning|error)/.test(line));

function stageDirectory(name: string, files: Record<string, string>): string {
  const directory = join(runnerTemp, name);
  rmSync(directory, { recursive: true, force: true });
  mkdirSync(directory, { recursive: true });
  for (const [file, content] of Object.entries(files)) writeFileSync(join(directory, file), content);
  return directory;
}

describe("@actions/cache against the fake v2 service", () => {
  it("saves (CreateCacheEntry, blob PUT, Finalize) and restores (GetCacheEntryDownloadURL, blob GET)", async () => {
    const cache = await import("@actions/cache");
    const directory = stageDirectory("raw", { "a.txt": "alpha" });
    const from = fake.requests.length;
    expect(await cache.saveCache([directory], "raw-1")).toBeGreaterThan(0);
    rmSync(directory, { recursive: true });
    expect(await cache.restoreCache([directory], "raw-1")).toBe("raw-1");
    expect(readFileSync(join(directory, "a.txt"), "utf8")).toBe("alpha");
    expect(
      fake.requests.slice(from).map((r) => `${r.method} ${r.path.replace(TWIRP, "")} ${r.status}`),
    ).toEqual([
      "POST CreateCacheEntry 200",
      "PUT /devstoreaccount1/actions-cache/1 201",
      "POST FinalizeCacheEntryUpload 200",
      "POST GetCacheEntryDownloadURL 200",
      "GET /devstoreaccount1/actions-cache/1 200",
    ]);
    expect(fake.archive(fake.entry("raw-1")!).includes(Buffer.from("alpha"))).toBe(true);
  });

  it("matches restore keys by prefix, newest first; misses answer undefined; entries are immutable", async () => {
    const cache = await import("@actions/cache");
    const directory = stageDirectory("prefix", { "v.txt": "old" });
    await cache.saveCache([directory], "prefix-a");
    writeFileSync(join(directory, "v.txt"), "new");
    await cache.saveCache([directory], "prefix-b");
    writeFileSync(join(directory, "v.txt"), "changed");
    expect(await cache.saveCache([directory], "prefix-a")).toBe(-1);
    expect(await cache.restoreCache([directory], "prefix-", ["prefix-"])).toBe("prefix-b");
    expect(readFileSync(join(directory, "v.txt"), "utf8")).toBe("new");
    expect(await cache.restoreCache([directory], "prefix-a")).toBe("prefix-a");
    expect(readFileSync(join(directory, "v.txt"), "utf8")).toBe("old");
    expect(await cache.restoreCache([directory], "absent", ["nothing-"])).toBeUndefined();
  });
});

describe("the CacheStore on @actions/cache", () => {
  it("loads @actions/cache only when first used", async () => {
    let loads = 0;
    const store = createActionsCacheStore({
      logger,
      load: () => {
        loads++;
        return import("@actions/cache");
      },
    });
    expect(loads).toBe(0);
    expect(await store.restore([stageDirectory("lazy", {})], "lazy-none")).toBeUndefined();
    expect(loads).toBe(1);
  });

  it("restores, saves, and treats an existing key as saved without a second upload", async () => {
    const store = createActionsCacheStore({ logger });
    const directory = stageDirectory("store", { "s.txt": "one" });
    expect(await store.restore([directory], "store-1")).toBeUndefined();
    await store.save([directory], "store-1");
    const from = fake.requests.length;
    await store.save([directory], "store-1");
    expect(fake.requests.slice(from).map((r) => r.path.replace(TWIRP, ""))).toEqual([
      "GetCacheEntryDownloadURL",
    ]);
    rmSync(directory, { recursive: true });
    expect(await store.restore([directory], "store-1")).toBe("store-1");
    expect(readFileSync(join(directory, "s.txt"), "utf8")).toBe("one");
    expect(annotations()).toEqual([]);
  });
});

describe("last-known-good through the Actions cache", () => {
  it("round-trips the manifest and the profile files of a two-target run", async () => {
    const store = createActionsCacheStore({ logger });
    const hash = configHash(sampleConfig());
    const ctx = {
      logger,
      runnerTemp,
      issuerId: ISSUER_ID,
      configHash: hash,
      now: () => NOW,
      minDaysValid: 30,
    };
    const result = await sampleResult();
    const saved = await saveLastKnownGood(store, result, ctx);
    expect(saved).toMatchObject({
      saved: true,
      key: expect.stringMatching(lastKnownGoodKeyPrefix(ISSUER_ID, hash)),
    });

    const entry = fake.entry((saved as { key: string }).key)!;
    const archive = fake.archive(entry);
    expect(archive.includes(Buffer.from('"configHash"'))).toBe(true);
    expect(archive.includes(Buffer.from(result.profiles[1]!.content))).toBe(true);
    expect(archive.includes(Buffer.from("PRIVATE KEY"))).toBe(false);

    const restored = await restoreLastKnownGood(store, ctx);
    expect(restored?.cacheKey).toBe((saved as { key: string }).key);
    expect(restored?.manifest.profiles.map((p) => p.bundleId)).toEqual([
      "com.example.app",
      "com.example.app.widget",
    ]);
    expect(restored?.profiles.map((p) => Buffer.from(p.content))).toEqual(
      result.profiles.map((p) => Buffer.from(p.content)),
    );
    expect(annotations()).toEqual([]);
  });
});

describe("an unavailable cache service: warnings, never a failure", () => {
  async function expectUnavailable(store: CacheStore, pattern: RegExp): Promise<void> {
    const error = await store.restore([stageDirectory("down", {})], "down-1").then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CacheUnavailableError);
    expect((error as Error).message).toMatch(pattern);
  }

  async function expectDegradedFlows(store: CacheStore): Promise<void> {
    const ctx = {
      logger,
      runnerTemp,
      issuerId: ISSUER_ID,
      configHash: configHash(sampleConfig()),
      now: () => NOW,
      minDaysValid: 30,
    };
    expect(await restoreLastKnownGood(store, ctx)).toBeUndefined();
    expect(await saveLastKnownGood(store, await sampleResult(), ctx)).toMatchObject({ saved: false });
    expect(logger.warnings()).toHaveLength(2);
  }

  it("connection refused", async () => {
    await fake.setOutage("refuse");
    try {
      await expectUnavailable(createActionsCacheStore({ logger }), /ECONNREFUSED/);
      await expectDegradedFlows(createActionsCacheStore({ logger }));
      expect(logger.warnings()[0]).toMatch(/could not be restored: cache restore failed: .*ECONNREFUSED/);
    } finally {
      await fake.setOutage(false);
    }
    expect(annotations()).toEqual([]);
  });

  it("connections reset", async () => {
    await fake.setOutage("reset");
    try {
      await expectUnavailable(createActionsCacheStore({ logger }), /ECONNRESET/);
      await expectDegradedFlows(createActionsCacheStore({ logger }));
    } finally {
      await fake.setOutage(false);
    }
    expect(annotations()).toEqual([]);
  });

  it("a token the service refuses (401)", async () => {
    const restore = setProcessEnv({ ACTIONS_RUNTIME_TOKEN: "expired-token" });
    try {
      await expectUnavailable(createActionsCacheStore({ logger }), /\(401\) Unauthorized/);
    } finally {
      restore();
    }
    expect(annotations()).toEqual([]);
  });

  it("a job whose cache mode forbids writes, and a process outside a runner", async () => {
    const from = fake.requests.length;
    const store = createActionsCacheStore({ logger, env: { ...process.env, ACTIONS_CACHE_MODE: "read" } });
    await expect(store.save([stageDirectory("mode", { "m.txt": "m" })], "mode-1")).rejects.toThrow(
      /cache mode "read" does not allow cache writes/,
    );
    let loads = 0;
    const outside = createActionsCacheStore({
      logger,
      env: {},
      load: () => {
        loads++;
        return import("@actions/cache");
      },
    });
    await expect(outside.restore([runnerTemp], "x")).rejects.toThrow(
      /ACTIONS_RUNTIME_TOKEN, ACTIONS_RESULTS_URL not set/,
    );
    expect(loads).toBe(0);
    expect(fake.requests.length).toBe(from);
  });

  it("HTTP 500: bounded by the store's timeout, then no further attempts in the run", async () => {
    await fake.setOutage(500);
    const store = createActionsCacheStore({ logger, timeoutMs: 500 });
    try {
      await expectUnavailable(store, /did not answer within/);
      const requests = fake.requests.length;
      await expect(store.save([stageDirectory("after", { "a.txt": "a" })], "after-1")).rejects.toThrow(
        /skipped: the cache service did not answer/,
      );
      await expect(store.restore([stageDirectory("later", {})], "later-1")).rejects.toThrow(
        /skipped: the cache service did not answer/,
      );
      expect(fake.requests.length).toBe(requests);
    } finally {
      // The library keeps retrying in the background (3 s later): let it fail fast, and wait until it has
      // settled, so that its late failure annotation is seen to stay out of the log too.
      await fake.setOutage("refuse");
      await vi.waitFor(() => expect(process.stdout.write).toBe(writeSpy), { timeout: 15_000, interval: 100 });
      await fake.setOutage(false);
    }
    expect(annotations()).toEqual([]);
  });
});
