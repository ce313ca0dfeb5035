// The built action with @actions/cache against the fake v2 cache service: the last-known-good copy
// installed when App Store Connect cannot be reached; `cache-passphrase` (a signing key kept in the cache)
// is gone, and a workflow that still sets it is told what replaces it.
import { generateKeyPairSync } from "node:crypto";
import { existsSync, rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeAsc } from "../support/fake-asc/index.ts";
import { type FakeCacheService, startFakeCacheService } from "../support/fake-cache-service.ts";
import { createRunnerEnvironment, type RunnerEnvironment, runStep } from "../support/runner-sim.ts";

let cache: FakeCacheService;
beforeAll(async () => {
  cache = await startFakeCacheService();
});
afterAll(async () => {
  await cache?.stop();
});

function runnerWithCache(): RunnerEnvironment {
  const runner = createRunnerEnvironment("Linux");
  Object.assign(runner.env, cache.env(runner.runnerTemp));
  return runner;
}

describe("dist with the cache", () => {
  it("fails a workflow that still sets cache-passphrase, before any request, naming what replaces it", async () => {
    const fake = await startFakeAsc();
    const runner = runnerWithCache();
    const passphrase = "correct horse battery staple 42";
    try {
      const run = await runStep("main", runner, {
        "issuer-id": fake.apiKey.issuerId,
        "key-id": fake.apiKey.keyId,
        "private-key": fake.apiKey.privateKeyPem,
        "api-base-url": fake.url,
        "bundle-ids": "com.cache.generated",
        "cache-passphrase": passphrase,
      });
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(/::error::asc-provision: .*`cache-passphrase`: is no longer an input/);
      expect(run.stdout).toContain("generate-key");
      expect(run.stdout).toContain("`certificate-private-key`");
      expect(run.stdout).toContain(`::add-mask::${passphrase}`);
      expect(run.stdout.replace(`::add-mask::${passphrase}`, "")).not.toContain(passphrase);
      expect(fake.log).toEqual([]);
      expect(cache.entries()).toEqual([]);
    } finally {
      await fake.stop();
      rmSync(runner.root, { recursive: true, force: true });
    }
  });

  it("installs the last-known-good copy when App Store Connect cannot be reached, and says so", async () => {
    const fake = await startFakeAsc();
    const runner = runnerWithCache();
    const signingKey = generateKeyPairSync("rsa", { modulusLength: 2048 })
      .privateKey.export({ type: "pkcs8", format: "pem" })
      .toString();
    const inputs = {
      "issuer-id": fake.apiKey.issuerId,
      "key-id": fake.apiKey.keyId,
      "private-key": fake.apiKey.privateKeyPem,
      "api-base-url": fake.url,
      "bundle-ids": "com.cache.lkg\ncom.cache.lkg.widget",
      "certificate-private-key": signingKey,
      cache: "true",
    };
    try {
      const good = await runStep("main", runner, inputs);
      expect(good.code, good.stdout).toBe(0);
      expect(good.outputs.degraded).toBe("false");
      expect(cache.entries().some((e) => e.key.includes("lkg"))).toBe(true);
      await runStep("post", runner, inputs, good.state);

      await fake.stop(); // Apple is down: connections refused
      const degraded = await runStep("main", runner, inputs);
      expect(degraded.code, degraded.stdout).toBe(0);
      expect(degraded.outputs.degraded).toBe("true");
      expect(degraded.outputs["profile-uuid"]).toBe(good.outputs["profile-uuid"]);
      expect(existsSync(degraded.outputs["profile-path"]!)).toBe(true);
      expect(degraded.stdout).toMatch(/::warning::.*last-known-good/);
      expect(degraded.summary).toMatch(/Degraded/);

      const changed = await runStep("main", runner, { ...inputs, "bundle-ids": "com.cache.lkg" });
      expect(changed.code).toBe(1);
      expect(changed.outputs.degraded ?? "").not.toBe("true");
    } finally {
      await fake.stop().catch(() => {});
      rmSync(runner.root, { recursive: true, force: true });
    }
  });
});
