// A certificate key the action generates and keeps, encrypted, in the cache, for workflows that give no
// `certificate-private-key`. The first run generates an RSA 2048 key and saves it (App Store Connect then
// gets a certificate for it); later runs restore and decrypt the same key, so they adopt that certificate.
// A wrong passphrase fails the run: treating it as "no key" would mint a new certificate on every run,
// and teams hold only a few distribution certificates.
import { createPrivateKey, type KeyObject } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CacheUnavailableError, VaultError } from "../core/cache/cache-errors.ts";
import { signingKeyCacheKey, signingKeyCacheKeyPrefix } from "../core/cache/cache-key.ts";
import type { CacheStore } from "../core/cache/cache-port.ts";
import { openSecret, type ScryptParams, sealSecret } from "../core/cache/key-vault.ts";
import { describeError, InputError } from "../core/errors.ts";
import type { Logger, SecretMasker } from "../core/ports.ts";
import { maskPrivateKey } from "../core/secret-forms.ts";
import { generateCertificateKey } from "../core/signing/key-generation.ts";

export const SIGNING_KEY_FILE = "signing-key.ascp";
const PASSPHRASE_INPUT = "cache-passphrase";
const SHORT_PASSPHRASE = 16;

export interface GeneratedKeyContext {
  logger: Logger;
  /** RUNNER_TEMP. The key is saved from and restored to the same path under it on every run. */
  runnerTemp: string;
  /** The API key's issuer ID (the team's; not secret). */
  issuerId: string;
  /** Registers the key's PEM forms before anything else sees them. */
  masker?: SecretMasker;
  /** When the cache cannot be read: generate a new key (default, with a warning) or fail. */
  whenUnavailable?: "generate" | "fail";
  /** Makes the new key; generateCertificateKey by default. */
  generateKey?: () => KeyObject;
  /** scrypt cost of a new vault; DEFAULT_SCRYPT (N=2^15, r=8, p=1) unless a test wants it cheaper. */
  scrypt?: ScryptParams;
}

export interface CertificateKeyFromCache {
  key: KeyObject;
  /** True when no usable key was cached and this one is new (App Store Connect will get a new certificate). */
  generated: boolean;
  /** Why a key was generated, already logged as a warning; for the job summary. */
  message?: string;
}

/** The directory the encrypted key is staged in (its path is part of the cache entry's version). */
export function signingKeyDirectory(runnerTemp: string): string {
  return join(runnerTemp, "asc-provision-cache", "signing-key");
}

/**
 * The team's cached certificate key, decrypted, or a new one (saved encrypted right away) when none is
 * cached, the entry is corrupt, or the cache cannot be read. Throws VaultError when the entry does not open
 * with `passphrase` or fails authentication, InputError when `passphrase` is empty.
 */
export async function loadOrGenerateCertificateKey(
  store: CacheStore,
  passphrase: string,
  ctx: GeneratedKeyContext,
): Promise<CertificateKeyFromCache> {
  const { logger } = ctx;
  requirePassphrase(passphrase, logger);
  const prefix = signingKeyCacheKeyPrefix(ctx.issuerId);
  const directory = signingKeyDirectory(ctx.runnerTemp);
  let why: string;
  try {
    rmSync(directory, { recursive: true, force: true });
    mkdirSync(directory, { recursive: true });
    const cacheKey = await store.restore([directory], prefix, [prefix]);
    if (cacheKey === undefined) why = "no certificate key of this team is cached yet";
    else {
      const opened = await openEntry(directory, cacheKey, passphrase);
      if (opened.key) {
        mask(ctx.masker, opened.key);
        logger.info(`cache: certificate key restored from ${cacheKey}`);
        return { key: opened.key, generated: false };
      }
      why = `the cached certificate key ${cacheKey} is corrupt (${opened.problem}) and is ignored`;
    }
  } catch (error) {
    if (!(error instanceof CacheUnavailableError)) throw error;
    if (ctx.whenUnavailable === "fail")
      throw new CacheUnavailableError(
        `${error.message}. The cached certificate key cannot be read; re-run when the cache service is back, or give \`certificate-private-key\`.`,
      );
    why = `the cache could not be read (${error.message})`;
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }

  const key = (ctx.generateKey ?? generateCertificateKey)();
  mask(ctx.masker, key);
  const message =
    `cache: ${why}: generated a new RSA 2048 certificate key, so App Store Connect gets a new certificate for it. ` +
    "Teams hold only a few distribution certificates (about three): keep `cache-passphrase` unchanged and the cache entry in use, or give the key as `certificate-private-key`.";
  logger.warning(message);
  await saveGeneratedKey(store, key, passphrase, ctx);
  return { key, generated: true, message };
}

/** Saves `key` encrypted under `passphrase`. Never throws; false (with a warning) when it was not saved. */
export async function saveGeneratedKey(
  store: CacheStore,
  key: KeyObject,
  passphrase: string,
  ctx: GeneratedKeyContext,
): Promise<boolean> {
  const directory = signingKeyDirectory(ctx.runnerTemp);
  const cacheKey = signingKeyCacheKey(ctx.issuerId, key);
  try {
    const der = key.export({ type: "pkcs8", format: "der" });
    const sealed = await sealSecret(der, passphrase, { params: ctx.scrypt });
    der.fill(0);
    rmSync(directory, { recursive: true, force: true });
    mkdirSync(directory, { recursive: true, mode: 0o700 });
    writeFileSync(join(directory, SIGNING_KEY_FILE), sealed, { mode: 0o600 });
    await store.save([directory], cacheKey);
    ctx.logger.info(`cache: certificate key saved, encrypted, as ${cacheKey}`);
    return true;
  } catch (error) {
    ctx.logger.warning(
      `cache: the generated certificate key was not saved (${describeError(error)}): the next run cannot reuse it and will create another key and certificate.`,
    );
    return false;
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

type OpenedEntry = { key: KeyObject; problem?: undefined } | { key?: undefined; problem: string };

async function openEntry(directory: string, cacheKey: string, passphrase: string): Promise<OpenedEntry> {
  let sealed: Uint8Array;
  try {
    sealed = readFileSync(join(directory, SIGNING_KEY_FILE));
  } catch {
    return { problem: `${SIGNING_KEY_FILE} is missing` };
  }
  let der: Uint8Array;
  try {
    der = await openSecret(sealed, passphrase);
  } catch (error) {
    if (!(error instanceof VaultError)) throw error;
    if (error.reason === "format" || error.reason === "unsupported") return { problem: error.message };
    const fix =
      error.reason === "wrong-passphrase"
        ? `Set \`${PASSPHRASE_INPUT}\` to the passphrase it was saved with`
        : "Its content was changed or damaged";
    throw new VaultError(
      error.reason,
      `\`${PASSPHRASE_INPUT}\`: ${error.message}. ${fix}; or delete the cache entry ${cacheKey} (Actions › Caches, or \`gh cache delete ${cacheKey}\`) to start over with a new key and certificate.`,
    );
  }
  try {
    const key = createPrivateKey({ key: Buffer.from(der), format: "der", type: "pkcs8" });
    if (key.asymmetricKeyType !== "rsa" || key.asymmetricKeyDetails?.modulusLength !== 2048)
      return { problem: "it does not hold an RSA 2048 key" };
    return { key };
  } catch {
    return { problem: "it does not hold a PKCS#8 private key" };
  } finally {
    der.fill(0);
  }
}

function requirePassphrase(passphrase: string, logger: Logger): void {
  if (passphrase.trim().length === 0)
    throw new InputError([
      {
        input: PASSPHRASE_INPUT,
        message:
          "is required to keep a generated certificate key in the cache: set it from a secret (e.g. one made with `openssl rand -base64 32`), or give `certificate-private-key`.",
      },
    ]);
  if (passphrase.length < SHORT_PASSPHRASE)
    logger.warning(
      `\`${PASSPHRASE_INPUT}\` is shorter than ${SHORT_PASSPHRASE} characters. Workflows of this repository (pull requests too) can read its cache; only the passphrase protects the key in it: use a long random one, e.g. \`openssl rand -base64 32\`.`,
    );
}

function mask(masker: SecretMasker | undefined, key: KeyObject): void {
  if (masker) maskPrivateKey(masker, key);
}
