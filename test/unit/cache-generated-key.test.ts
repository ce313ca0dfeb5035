import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type GeneratedKeyContext,
  loadOrGenerateCertificateKey,
  saveGeneratedKey,
  signingKeyDirectory,
} from "../../src/action/generated-key.ts";
import { CacheUnavailableError, VaultError } from "../../src/core/cache/cache-errors.ts";
import { signingKeyCacheKeyPrefix } from "../../src/core/cache/cache-key.ts";
import { InputError } from "../../src/core/errors.ts";
import { publicKeyFingerprint } from "../../src/core/signing/certificate.ts";
import {
  ISSUER_ID,
  MemoryCacheStore,
  type RecordingLogger,
  recordingLogger,
} from "../support/cache-test-kit.ts";
import { expectNoSecretIn, rsaKey, secretEncodings } from "../support/signing-test-kit.ts";

const PASSPHRASE = "k9#Vq2!mZ7@wL4$xR8pT-unit";
const PREFIX = signingKeyCacheKeyPrefix(ISSUER_ID);

let runnerTemp: string;
let store: MemoryCacheStore;
let logger: RecordingLogger;
let masked: string[];
let generatedCount: number;

function context(overrides: Partial<GeneratedKeyContext> = {}): GeneratedKeyContext {
  return {
    logger,
    runnerTemp,
    issuerId: ISSUER_ID,
    masker: { mask: (secret) => masked.push(secret) },
    generateKey: () => rsaKey(2048, `generated-${++generatedCount}`),
    scrypt: { log2N: 10, r: 8, p: 1 },
    ...overrides,
  };
}

beforeEach(() => {
  runnerTemp = mkdtempSync(join(tmpdir(), "cache-key-"));
  store = new MemoryCacheStore();
  logger = recordingLogger();
  masked = [];
  generatedCount = 0;
});
afterEach(() => rmSync(runnerTemp, { recursive: true, force: true }));

describe("loadOrGenerateCertificateKey", () => {
  it("first run: generates, warns about the new certificate, saves the key encrypted only", async () => {
    const loaded = await loadOrGenerateCertificateKey(store, PASSPHRASE, context());
    expect(loaded.generated).toBe(true);
    expect(loaded.key.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(loaded.message).toMatch(/new certificate/);
    expect(logger.warnings().join("\n")).toMatch(/only a few distribution certificates/);
    expect(store.entries.map((e) => e.key)).toEqual([
      `${PREFIX}${publicKeyFingerprint(loaded.key).slice(0, 16)}`,
    ]);

    const stored = store.newestFile(PREFIX);
    expect(stored.subarray(0, 5).toString("latin1")).toBe("ASCP1");
    const pem = loaded.key.export({ type: "pkcs8", format: "pem" }).toString();
    for (const line of pem.split("\n").filter((l) => l.length > 20 && !l.startsWith("-----")))
      expect(stored.includes(Buffer.from(line))).toBe(false);
    expect(stored.includes(loaded.key.export({ type: "pkcs8", format: "der" }).subarray(40, 80))).toBe(false);
    expect(masked).toContain(pem.split("\n")[1]);
    expectNoSecretIn(logger.text(), [...secretEncodings(loaded.key), PASSPHRASE]);
  });

  it("second run: restores the same key, generates nothing, warns nothing", async () => {
    const first = await loadOrGenerateCertificateKey(store, PASSPHRASE, context());
    logger.lines.length = 0;
    const second = await loadOrGenerateCertificateKey(store, PASSPHRASE, context());
    expect(second.generated).toBe(false);
    expect(publicKeyFingerprint(second.key)).toBe(publicKeyFingerprint(first.key));
    expect(logger.warnings()).toEqual([]);
    expect(store.entries).toHaveLength(1);
    expect(masked).toContain(second.key.export({ type: "pkcs8", format: "pem" }).toString().split("\n")[1]);
  });

  it("a wrong passphrase fails clearly and creates nothing", async () => {
    await loadOrGenerateCertificateKey(store, PASSPHRASE, context());
    const error = await loadOrGenerateCertificateKey(store, "another passphrase entirely", context()).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(VaultError);
    expect((error as VaultError).reason).toBe("wrong-passphrase");
    expect((error as Error).message).toMatch(
      /`cache-passphrase`.*gh cache delete asc-provision-signing-key-v1-/s,
    );
    expect((error as Error).message).not.toContain(PASSPHRASE);
    expect(store.entries).toHaveLength(1);
    expect(generatedCount).toBe(1);
  });

  it("tampered content fails clearly", async () => {
    await loadOrGenerateCertificateKey(store, PASSPHRASE, context());
    const file = store.newestFile(PREFIX);
    file[file.length - 1]! ^= 0x40;
    await expect(loadOrGenerateCertificateKey(store, PASSPHRASE, context())).rejects.toMatchObject({
      name: "VaultError",
      reason: "tampered",
    });
  });

  it("a corrupt entry (not a vault) is ignored with a warning; the new key is saved and wins next time", async () => {
    await loadOrGenerateCertificateKey(store, PASSPHRASE, context());
    store.newestFile(PREFIX).fill(0x41);
    logger.lines.length = 0;
    const replaced = await loadOrGenerateCertificateKey(store, PASSPHRASE, context());
    expect(replaced.generated).toBe(true);
    expect(logger.warnings().join("\n")).toMatch(/is corrupt \(not an encrypted signing key/);
    expect(store.entries).toHaveLength(2);
    const next = await loadOrGenerateCertificateKey(store, PASSPHRASE, context());
    expect(next.generated).toBe(false);
    expect(publicKeyFingerprint(next.key)).toBe(publicKeyFingerprint(replaced.key));
  });

  it("an unavailable cache: a new key with a warning, or a clear failure when asked to", async () => {
    store.failure = new CacheUnavailableError("cache restore failed: Unable to make request: ECONNREFUSED");
    const loaded = await loadOrGenerateCertificateKey(store, PASSPHRASE, context());
    expect(loaded.generated).toBe(true);
    const warnings = logger.warnings().join("\n");
    expect(warnings).toMatch(/the cache could not be read \(cache restore failed: Unable to make request/);
    expect(warnings).toMatch(/was not saved/);
    await expect(
      loadOrGenerateCertificateKey(store, PASSPHRASE, context({ whenUnavailable: "fail" })),
    ).rejects.toThrow(/re-run when the cache service is back, or give `certificate-private-key`/);
  });

  it("requires a passphrase and warns about a short one", async () => {
    await expect(loadOrGenerateCertificateKey(store, " ", context())).rejects.toBeInstanceOf(InputError);
    expect(store.calls).toEqual([]);
    await loadOrGenerateCertificateKey(store, "short", context());
    expect(logger.warnings()[0]).toMatch(/`cache-passphrase` is shorter than 16 characters/);
  });
});

describe("saveGeneratedKey", () => {
  it("leaves no staging files behind and reports a failed save as a warning", async () => {
    expect(await saveGeneratedKey(store, rsaKey(), PASSPHRASE, context())).toBe(true);
    store.failure = new CacheUnavailableError("cache save failed: (500)");
    expect(await saveGeneratedKey(store, rsaKey(2048, "x"), PASSPHRASE, context())).toBe(false);
    expect(logger.warnings()[0]).toMatch(/will create another key and certificate/);
    expect(() => rmSync(signingKeyDirectory(runnerTemp))).toThrow(/ENOENT/);
  });
});
