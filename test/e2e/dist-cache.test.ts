// The built action with @actions/cache against the fake v2 cache service: the generated signing key kept
// encrypted across runs (no second certificate), and the last-known-good copy installed when App Store
// Connect cannot be reached.
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
  it("generates the signing key once, keeps it encrypted, and reuses its certificate on the next run", async () => {
    const fake = await startFakeAsc();
    const runner = runnerWithCache();
    const passphrase = "correct horse battery staple 42";
    const inputs = {
      "issuer-id": fake.apiKey.issuerId,
      "key-id": fake.apiKey.keyId,
      "private-key": fake.apiKey.privateKeyPem,
      "api-base-url": fake.url,
      "bundle-ids": "com.cache.generated",
      "cache-passphrase": passphrase,
    };
    try {
      const first = await runStep("main", runner, inputs);
      expect(first.code, first.stdout).toBe(0);
      expect(first.stdout).toMatch(/new certificate/i);
      const stored = cache.entries().filter((e) => e.key.includes("signing-key"));
      expect(stored).toHaveLength(1);
      expect(cache.archive(stored[0]!).includes(Buffer.from("PRIVATE KEY"))).toBe(false);
      expect(stored[0]!.key).not.toContain(passphrase);
      await runStep("post", runner, inputs, first.state);

      fake.clearLog();
      const second = await runStep("main", runner, inputs);
      expect(second.code, second.stdout).toBe(0);
      expect(second.outputs.changed).toBe("false");
      expect(second.outputs["certificate-id"]).toBe(first.outputs["certificate-id"]);
      expect(fake.stats().writes).toBe(0);
      expect(fake.state.certificates()).toHaveLength(1);
      await runStep("post", runner, inputs, second.state);

      const wrong = await runStep("main", runner, {
        ...inputs,
        "cache-passphrase": "not the passphrase at all",
      });
      expect(wrong.code).toBe(1);
      expect(wrong.stdout).toMatch(/::error::asc-provision: .*cache-passphrase/);
      expect(fake.state.certificates()).toHaveLength(1);
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
