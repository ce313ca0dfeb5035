// The generated certificate key at rest: AES-256-GCM under a key stretched from the passphrase with
// scrypt (N=2^15, r=8, p=1; argon2 is not in Node's crypto), a random 16-byte salt and 12-byte IV.
//
//   "ASCP1" | kdf 0x01 (scrypt) | log2 N | r | p | salt (16) | iv (12) | check (16) | tag (16) | ciphertext
//
// scrypt gives 64 bytes: the first 32 are the AES key, the next 16 the stored check value, which tells a
// wrong passphrase from damaged content without weakening anything (it costs an attacker the same scrypt
// per guess as the tag does). Everything before the tag is authenticated as additional data.
import { createCipheriv, createDecipheriv, randomBytes, scrypt, timingSafeEqual } from "node:crypto";
import { VaultError } from "./cache-errors.ts";

export const VAULT_MAGIC = "ASCP1";
const FAMILY = "ASCP";
const KDF_SCRYPT = 1;
const SALT_BYTES = 16;
const IV_BYTES = 12;
const CHECK_BYTES = 16;
const TAG_BYTES = 16;
const HEADER_BYTES = VAULT_MAGIC.length + 4 + SALT_BYTES + IV_BYTES + CHECK_BYTES;
const MIN_BYTES = HEADER_BYTES + TAG_BYTES;

export interface ScryptParams {
  /** N = 2^log2N. */
  log2N: number;
  r: number;
  p: number;
}

export const DEFAULT_SCRYPT: ScryptParams = { log2N: 15, r: 8, p: 1 };

/** Bounds accepted when reading, so that a forged header cannot ask for gigabytes of memory. */
const LIMITS = { log2N: [10, 20], r: [1, 16], p: [1, 4] } as const;

/** Encrypts `plaintext` under `passphrase`. */
export async function sealSecret(
  plaintext: Uint8Array,
  passphrase: string,
  options: { params?: ScryptParams } = {},
): Promise<Uint8Array> {
  requirePassphrase(passphrase);
  const params = options.params ?? DEFAULT_SCRYPT;
  const problem = paramsProblem(params);
  if (problem) throw new RangeError(`scrypt parameters out of range: ${problem}`);
  const salt = randomBytes(SALT_BYTES);
  const iv = randomBytes(IV_BYTES);
  const derived = await deriveKey(passphrase, salt, params);
  const header = Buffer.concat([
    Buffer.from(VAULT_MAGIC, "ascii"),
    Buffer.from([KDF_SCRYPT, params.log2N, params.r, params.p]),
    salt,
    iv,
    derived.subarray(32, 32 + CHECK_BYTES),
  ]);
  const cipher = createCipheriv("aes-256-gcm", derived.subarray(0, 32), iv);
  cipher.setAAD(header);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return new Uint8Array(Buffer.concat([header, cipher.getAuthTag(), ciphertext]));
}

/** Decrypts a sealed blob; VaultError (with its reason) when it is not one, or cannot be opened. */
export async function openSecret(sealed: Uint8Array, passphrase: string): Promise<Uint8Array> {
  requirePassphrase(passphrase);
  const { params, salt, iv, check, header } = readHeader(sealed);
  const blob = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
  const derived = await deriveKey(passphrase, salt, params);
  if (!timingSafeEqual(derived.subarray(32, 32 + CHECK_BYTES), check))
    throw new VaultError(
      "wrong-passphrase",
      "the encrypted signing key does not open with this passphrase (`cache-passphrase` differs from the one it was saved with)",
    );
  const decipher = createDecipheriv("aes-256-gcm", derived.subarray(0, 32), iv);
  decipher.setAAD(header);
  decipher.setAuthTag(blob.subarray(HEADER_BYTES, HEADER_BYTES + TAG_BYTES));
  try {
    return new Uint8Array(Buffer.concat([decipher.update(blob.subarray(MIN_BYTES)), decipher.final()]));
  } catch {
    throw new VaultError(
      "tampered",
      "the encrypted signing key fails authentication: the passphrase is right but the content was modified or damaged",
    );
  }
}

/** The header's scrypt parameters; VaultError "format" or "unsupported" when it is not a readable vault. */
export function readHeader(sealed: Uint8Array): {
  params: ScryptParams;
  salt: Buffer;
  iv: Buffer;
  check: Buffer;
  header: Buffer;
} {
  const blob = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
  const family = blob.subarray(0, FAMILY.length).toString("latin1");
  if (family !== FAMILY)
    throw new VaultError("format", "not an encrypted signing key (no ASCP header): the entry is corrupt");
  const magic = blob.subarray(0, VAULT_MAGIC.length).toString("latin1");
  if (magic !== VAULT_MAGIC)
    throw new VaultError(
      "unsupported",
      `encrypted signing key format ${JSON.stringify(magic)} is not supported by this release (it reads ${VAULT_MAGIC})`,
    );
  if (blob.length < MIN_BYTES)
    throw new VaultError("format", `the encrypted signing key is truncated (${blob.length} bytes)`);
  let offset = VAULT_MAGIC.length;
  const kdf = blob[offset++];
  if (kdf !== KDF_SCRYPT)
    throw new VaultError(
      "unsupported",
      `key derivation function ${kdf} is not supported (this release reads scrypt)`,
    );
  const params: ScryptParams = { log2N: blob[offset++]!, r: blob[offset++]!, p: blob[offset++]! };
  const problem = paramsProblem(params);
  if (problem) throw new VaultError("unsupported", `scrypt parameters out of range: ${problem}`);
  const salt = blob.subarray(offset, offset + SALT_BYTES);
  offset += SALT_BYTES;
  const iv = blob.subarray(offset, offset + IV_BYTES);
  offset += IV_BYTES;
  const check = blob.subarray(offset, offset + CHECK_BYTES);
  return { params, salt, iv, check, header: blob.subarray(0, HEADER_BYTES) };
}

function paramsProblem(params: ScryptParams): string | undefined {
  for (const name of ["log2N", "r", "p"] as const) {
    const [min, max] = LIMITS[name];
    const value = params[name];
    if (!Number.isInteger(value) || value < min || value > max)
      return `${name} ${value} (allowed ${min}–${max})`;
  }
  return undefined;
}

function requirePassphrase(passphrase: string): void {
  if (passphrase.length === 0) throw new RangeError("an empty passphrase cannot protect a key");
}

function deriveKey(passphrase: string, salt: Uint8Array, params: ScryptParams): Promise<Buffer> {
  const N = 2 ** params.log2N;
  return new Promise((resolve, reject) => {
    scrypt(
      passphrase.normalize("NFC"),
      salt,
      64,
      { N, r: params.r, p: params.p, maxmem: 256 * N * params.r + 16 * 1024 * 1024 },
      (error, key) => (error ? reject(error) : resolve(key)),
    );
  });
}
