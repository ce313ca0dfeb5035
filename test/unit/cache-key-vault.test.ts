import { describe, expect, it } from "vitest";
import { VaultError, type VaultErrorReason } from "../../src/core/cache/cache-errors.ts";
import { openSecret, readHeader, sealSecret, VAULT_MAGIC } from "../../src/core/cache/key-vault.ts";
import { rsaKey } from "../support/signing-test-kit.ts";

const PASSPHRASE = "a long passphrase for the vault tests";
const plaintext = new Uint8Array(rsaKey().export({ type: "pkcs8", format: "der" }));
/** Cheap scrypt for the tests that are not about its cost (the first test checks the defaults). */
const FAST = { params: { log2N: 10, r: 8, p: 1 } };

async function expectVaultError(promise: Promise<unknown>, reason: VaultErrorReason): Promise<VaultError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(VaultError);
  expect((error as VaultError).reason).toBe(reason);
  expect((error as VaultError).message).not.toContain(PASSPHRASE);
  return error as VaultError;
}

describe("key vault", () => {
  it("round-trips, with the ASCP1 header and scrypt N=2^15, r=8, p=1", async () => {
    const sealed = await sealSecret(plaintext, PASSPHRASE);
    expect(Buffer.from(sealed.subarray(0, 5)).toString("latin1")).toBe(VAULT_MAGIC);
    expect(readHeader(sealed).params).toEqual({ log2N: 15, r: 8, p: 1 });
    expect(Buffer.from(await openSecret(sealed, PASSPHRASE))).toEqual(Buffer.from(plaintext));
  });

  it("uses a fresh salt and IV each time and never holds the plaintext", async () => {
    const a = await sealSecret(plaintext, PASSPHRASE, FAST);
    const b = await sealSecret(plaintext, PASSPHRASE, FAST);
    expect(readHeader(a).salt.equals(readHeader(b).salt)).toBe(false);
    expect(readHeader(a).iv.equals(readHeader(b).iv)).toBe(false);
    expect(Buffer.from(a).includes(Buffer.from(plaintext.subarray(100, 132)))).toBe(false);
    expect(a.length).toBe(5 + 4 + 16 + 12 + 16 + 16 + plaintext.length);
  });

  it("refuses a wrong passphrase with a typed error", async () => {
    const sealed = await sealSecret(plaintext, PASSPHRASE, FAST);
    const error = await expectVaultError(openSecret(sealed, `${PASSPHRASE}!`), "wrong-passphrase");
    expect(error.message).toMatch(/passphrase/);
  });

  it("detects a changed ciphertext, tag or IV", async () => {
    const sealed = await sealSecret(plaintext, PASSPHRASE, FAST);
    for (const offset of [sealed.length - 1, 5 + 4 + 16 + 12 + 16 + 3, 5 + 4 + 16 + 2]) {
      const tampered = Uint8Array.from(sealed);
      tampered[offset]! ^= 0x01;
      await expectVaultError(openSecret(tampered, PASSPHRASE), "tampered");
    }
  });

  it("tells a corrupt or foreign blob from an unsupported version", async () => {
    const sealed = await sealSecret(plaintext, PASSPHRASE, FAST);
    await expectVaultError(openSecret(new Uint8Array(200), PASSPHRASE), "format");
    await expectVaultError(openSecret(Buffer.from("-----BEGIN PRIVATE KEY-----"), PASSPHRASE), "format");
    await expectVaultError(openSecret(sealed.subarray(0, 40), PASSPHRASE), "format");
    const v2 = Uint8Array.from(sealed);
    v2[4] = "2".charCodeAt(0);
    await expectVaultError(openSecret(v2, PASSPHRASE), "unsupported");
    const otherKdf = Uint8Array.from(sealed);
    otherKdf[5] = 2;
    await expectVaultError(openSecret(otherKdf, PASSPHRASE), "unsupported");
  });

  it("refuses forged scrypt parameters before deriving anything (no memory blow-up)", async () => {
    const sealed = Uint8Array.from(await sealSecret(plaintext, PASSPHRASE, FAST));
    sealed[6] = 30;
    const error = await expectVaultError(openSecret(sealed, PASSPHRASE), "unsupported");
    expect(error.message).toMatch(/log2N 30/);
  });

  it("refuses an empty passphrase", async () => {
    await expect(sealSecret(plaintext, "")).rejects.toThrow(RangeError);
  });
});
