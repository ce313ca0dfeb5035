import { describe, expect, it } from "vitest";
import {
  cacheConfigFacts,
  configHash,
  lastKnownGoodKey,
  lastKnownGoodKeyPrefix,
} from "../../src/core/cache/cache-key.ts";
import { buildLastKnownGood, type LastKnownGoodManifest } from "../../src/core/cache/last-known-good.ts";
import { publicKeyFingerprint } from "../../src/core/signing/certificate.ts";
import { ISSUER_ID, NOW, sampleConfig, sampleResult } from "../support/cache-test-kit.ts";
import { ecKey, expectNoSecretIn, rsaKey, secretEncodings } from "../support/signing-test-kit.ts";

async function manifest(): Promise<LastKnownGoodManifest> {
  const built = buildLastKnownGood(await sampleResult(), {
    configHash: configHash(sampleConfig()),
    now: NOW,
  });
  if (!built.ok) throw new Error(built.reason);
  return built.manifest;
}

describe("configHash", () => {
  it("is stable whatever the order of capabilities, devices and selected devices", () => {
    const a = sampleConfig({
      devices: [
        { name: "A", udid: "00008030-000000000000001E", platform: "IOS" },
        { name: "B", udid: "00008030-000000000000002E", platform: "IOS" },
      ],
      deviceSelection: { kind: "list", values: ["A", "B"] },
    });
    const b = sampleConfig({
      capabilities: [...a.capabilities].reverse(),
      devices: [...a.devices].reverse(),
      deviceSelection: { kind: "list", values: ["B", "A"] },
    });
    b.devices = [...a.devices].reverse();
    expect(configHash(b)).toBe(configHash(a));
    expect(configHash(a)).toMatch(/^[0-9a-f]{64}$/);
  });

  it("changes with what decides the profiles: bundle IDs, type, name, capabilities, key, devices", () => {
    const base = configHash(sampleConfig());
    const variants = [
      sampleConfig({ bundleIds: [{ identifier: "com.example.app", name: "Example App" }] }),
      sampleConfig({ profileType: "IOS_APP_ADHOC" }),
      sampleConfig({ profileNameTemplate: "match {matchType} {bundleId}" }),
      sampleConfig({ capabilities: [] }),
      sampleConfig({ certificate: { privateKey: rsaKey(2048, "other") } }),
      sampleConfig({ certificateType: "IOS_DISTRIBUTION" }),
      sampleConfig({ devices: [{ name: "A", udid: "00008030-000000000000001E", platform: "IOS" }] }),
      sampleConfig({ apiKey: { ...sampleConfig().apiKey, issuerId: "another-issuer" } }),
      sampleConfig({
        apiKey: { ...sampleConfig().apiKey, baseUrl: "https://api.enterprise.developer.apple.com" },
      }),
    ];
    const hashes = new Set(variants.map(configHash));
    expect(hashes.size).toBe(variants.length);
    expect(hashes.has(base)).toBe(false);
  });

  it("ignores what does not change the profiles: the API key, min-days-valid, mode, renewal", () => {
    const base = configHash(sampleConfig());
    const apiKey = { ...sampleConfig().apiKey, keyId: "OTHERKEY12", privateKey: ecKey("rotated") };
    expect(configHash(sampleConfig({ apiKey }))).toBe(base);
    expect(configHash(sampleConfig({ minDaysValid: 5, mode: "readonly", certificateRenewDays: 20 }))).toBe(
      base,
    );
  });

  it("holds the key's public fingerprint, never the key", () => {
    const config = sampleConfig();
    const facts = JSON.stringify(cacheConfigFacts(config));
    expect(facts).toContain(publicKeyFingerprint(config.certificate.privateKey));
    expectNoSecretIn(facts, [...secretEncodings(config.certificate.privateKey), ...secretEncodings(ecKey())]);
  });
});

describe("cache keys", () => {
  it("name the issuer and hashes, and carry no secret", async () => {
    const config = sampleConfig();
    const keys = [
      lastKnownGoodKeyPrefix(ISSUER_ID, configHash(config)),
      lastKnownGoodKey(ISSUER_ID, await manifest()),
    ];
    for (const key of keys) {
      expect(key).toContain(ISSUER_ID);
      expect(key).not.toContain(",");
      expect(key.length).toBeLessThanOrEqual(512);
      expectNoSecretIn(key, [...secretEncodings(rsaKey()), ...secretEncodings(ecKey())]);
    }
  });

  it("give one key per saved state: the same resources the same key, a new profile a new one", async () => {
    const first = await manifest();
    const prefix = lastKnownGoodKeyPrefix(ISSUER_ID, first.configHash);
    expect(lastKnownGoodKey(ISSUER_ID, first)).toBe(
      lastKnownGoodKey(ISSUER_ID, { ...first, savedAt: "later" }),
    );
    expect(lastKnownGoodKey(ISSUER_ID, first).startsWith(prefix)).toBe(true);
    const regenerated = {
      ...first,
      profiles: first.profiles.map((p, i) =>
        i === 0 ? { ...p, uuid: "11111111-2222-3333-4444-555555555555" } : p,
      ),
    };
    expect(lastKnownGoodKey(ISSUER_ID, regenerated)).not.toBe(lastKnownGoodKey(ISSUER_ID, first));
    expect(lastKnownGoodKey(ISSUER_ID, regenerated).startsWith(prefix)).toBe(true);
  });

  it("keep odd issuer values to a plain alphabet", () => {
    const hash = configHash(sampleConfig());
    expect(lastKnownGoodKeyPrefix("a,b c/d", hash)).toBe(
      `asc-provision-lkg-v1-a_b_c_d-${hash.slice(0, 32)}-`,
    );
    expect(lastKnownGoodKeyPrefix("x".repeat(600), hash).length).toBeLessThan(200);
  });
});
