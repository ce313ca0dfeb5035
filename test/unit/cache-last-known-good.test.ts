import { describe, expect, it } from "vitest";
import { isAscUnavailable } from "../../src/core/cache/asc-unavailable.ts";
import { configHash } from "../../src/core/cache/cache-key.ts";
import {
  buildLastKnownGood,
  fileProblem,
  LAST_KNOWN_GOOD_VERSION,
  type LastKnownGoodManifest,
  parseManifest,
  selectUsableEntry,
  serializeManifest,
  sha256Hex,
} from "../../src/core/cache/last-known-good.ts";
import { lastKnownGoodResult } from "../../src/core/cache/last-known-good-result.ts";
import { AscApiError, SigningError } from "../../src/core/errors.ts";
import { DAY_MS, NOW, sampleConfig, sampleResult } from "../support/cache-test-kit.ts";
import { rsaKey } from "../support/signing-test-kit.ts";

const HASH = configHash(sampleConfig());
const criteria = { configHash: HASH, minDaysValid: 30, now: NOW };

async function built(options: Parameters<typeof sampleResult>[0] = {}) {
  const result = await sampleResult(options);
  const entry = buildLastKnownGood(result, { configHash: HASH, now: NOW });
  if (!entry.ok) throw new Error(entry.reason);
  return { result, ...entry };
}

describe("buildLastKnownGood", () => {
  it("keeps per bundle ID the profile bytes and facts, the certificate facts and DER, nothing secret", async () => {
    const { result, manifest, files } = await built();
    expect(manifest).toMatchObject({
      version: LAST_KNOWN_GOOD_VERSION,
      savedAt: new Date(NOW).toISOString(),
      teamId: "TEAM123456",
      configHash: HASH,
      certificate: {
        id: "CERT1",
        sha1: result.certificate!.sha1,
        serialNumber: "0123456789ABCDEF",
        file: "certificate.cer",
      },
    });
    expect(manifest.profiles.map((p) => [p.bundleId, p.id, p.uuid, p.profileType, p.file])).toEqual(
      result.profiles.map((p) => [p.bundleId, p.id, p.uuid, p.profileType, `${p.uuid}.mobileprovision`]),
    );
    expect(manifest.profiles[0]!.sha256).toBe(sha256Hex(result.profiles[0]!.content));
    expect(files.map((f) => f.name)).toEqual(["certificate.cer", ...manifest.profiles.map((p) => p.file)]);
    const text = serializeManifest(manifest);
    expect(text).not.toContain("PRIVATE KEY");
    const keyPem = result.certificate!.privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    expect(text).not.toContain(keyPem.split("\n")[1]!);
    expect(parseManifest(text)).toEqual(manifest);
  });

  it("saves nothing for plan mode, a run without certificate or without profiles", async () => {
    const result = await sampleResult();
    const context = { configHash: HASH, now: NOW };
    expect(buildLastKnownGood({ ...result, mode: "plan" }, context)).toMatchObject({ ok: false });
    expect(buildLastKnownGood({ ...result, certificate: undefined }, context)).toMatchObject({ ok: false });
    expect(buildLastKnownGood({ ...result, profiles: [] }, context)).toMatchObject({ ok: false });
  });
});

describe("selectUsableEntry", () => {
  it("accepts an entry of the same configuration valid beyond min-days-valid", async () => {
    const { manifest } = await built();
    expect(selectUsableEntry(parseManifest(serializeManifest(manifest)), criteria)).toEqual({
      usable: true,
      manifest,
    });
  });

  it("rejects an entry saved for another configuration", async () => {
    const { manifest } = await built();
    const other = configHash(sampleConfig({ profileType: "IOS_APP_ADHOC" }));
    const selected = selectUsableEntry(manifest, { ...criteria, configHash: other });
    expect(selected).toMatchObject({
      usable: false,
      reason: expect.stringMatching(/different configuration/),
    });
  });

  it("rejects profiles expiring within min-days-valid, or expired", async () => {
    const soon = await built({ profileExpiry: new Date(NOW + 10 * DAY_MS).toISOString() });
    expect(selectUsableEntry(soon.manifest, criteria)).toMatchObject({
      usable: false,
      reason: expect.stringMatching(/expires in 10 day\(s\).*min-days-valid 30/),
    });
    expect(selectUsableEntry(soon.manifest, { ...criteria, minDaysValid: 5 })).toMatchObject({
      usable: true,
    });
    const expired = await built({ profileExpiry: new Date(NOW - DAY_MS).toISOString() });
    expect(selectUsableEntry(expired.manifest, { ...criteria, minDaysValid: 0 })).toMatchObject({
      usable: false,
      reason: expect.stringMatching(/expired on/),
    });
  });

  it("rejects a certificate expiring within min-days-valid", async () => {
    const { manifest } = await built({ certificateExpiry: new Date(NOW + 3 * DAY_MS).toISOString() });
    expect(selectUsableEntry(manifest, criteria)).toMatchObject({
      usable: false,
      reason: expect.stringMatching(/^certificate .* expires in 3 day/),
    });
  });

  it("rejects another manifest version, non-JSON and malformed manifests", async () => {
    const { manifest } = await built();
    expect(selectUsableEntry({ ...manifest, version: 2 }, criteria)).toMatchObject({
      usable: false,
      reason: expect.stringMatching(/manifest version 2 is not supported/),
    });
    expect(selectUsableEntry(parseManifest("not json"), criteria)).toMatchObject({ usable: false });
    const escaping = {
      ...manifest,
      profiles: [{ ...manifest.profiles[0]!, file: "../../../home/runner/.ssh/id_rsa" }],
    };
    expect(selectUsableEntry(escaping, criteria)).toMatchObject({
      usable: false,
      reason: expect.stringMatching(/profiles\[0\]\.file is not a plain file name/),
    });
    const noProfiles: LastKnownGoodManifest = { ...manifest, profiles: [] };
    expect(selectUsableEntry(noProfiles, criteria)).toMatchObject({ usable: false });
  });
});

describe("fileProblem", () => {
  it("finds a missing or altered profile file", async () => {
    const { manifest, files } = await built();
    const byName = new Map(files.map((f) => [f.name, f.content]));
    expect(fileProblem(manifest, (name) => byName.get(name))).toBeUndefined();
    const altered = Uint8Array.from(byName.get(manifest.profiles[1]!.file)!);
    altered[0]! ^= 1;
    byName.set(manifest.profiles[1]!.file, altered);
    expect(fileProblem(manifest, (name) => byName.get(name))).toMatch(/does not match its SHA-256/);
    byName.set(manifest.certificate.file, new Uint8Array(10));
    expect(fileProblem(manifest, (name) => byName.get(name))).toMatch(
      /certificate.cer is not the certificate/,
    );
    byName.delete(manifest.certificate.file);
    expect(fileProblem(manifest, (name) => byName.get(name))).toMatch(/certificate.cer is missing/);
  });
});

describe("lastKnownGoodResult", () => {
  it("gives the result to install: the saved resources, reused, with the run's key", async () => {
    const { result, manifest } = await built();
    const restored = lastKnownGoodResult(
      {
        manifest,
        cacheKey: "k",
        certificateDer: result.certificate!.der,
        profiles: manifest.profiles.map((facts, i) => ({ facts, content: result.profiles[i]!.content })),
      },
      rsaKey(),
      "apply",
    );
    expect(restored).toMatchObject({ mode: "apply", teamId: "TEAM123456", changed: false, plan: [] });
    expect(restored.certificate).toMatchObject({
      id: "CERT1",
      sha1: result.certificate!.sha1,
      outcome: "reused",
    });
    expect(restored.certificate!.privateKey.equals(result.certificate!.privateKey)).toBe(true);
    expect(restored.profiles.map((p) => [p.bundleId, p.uuid, p.appId, p.content])).toEqual(
      result.profiles.map((p) => [p.bundleId, p.uuid, p.appId, p.content]),
    );
    expect(restored.profiles[0]!.reason).toMatch(/last-known-good saved/);
  });

  it("refuses a key that is not the certificate's", async () => {
    const { result, manifest } = await built();
    const entry = { manifest, cacheKey: "k", certificateDer: result.certificate!.der, profiles: [] };
    expect(() => lastKnownGoodResult(entry, rsaKey(2048, "other"), "apply")).toThrow(SigningError);
  });
});

describe("isAscUnavailable", () => {
  const error = (status: number) =>
    new AscApiError({ status, code: "X", title: "t", method: "GET", path: "/v1/profiles" });

  it("is true for transport failures, 5xx and exhausted 429, false for answers a retry cannot change", () => {
    expect([0, 500, 502, 503, 429].map((s) => isAscUnavailable(error(s)))).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
    expect([400, 401, 403, 404, 409].map((s) => isAscUnavailable(error(s)))).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
    expect(isAscUnavailable(new Error("boom"))).toBe(false);
  });
});
