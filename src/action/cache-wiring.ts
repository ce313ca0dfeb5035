// How main uses @actions/cache: the generated certificate key (encrypted with `cache-passphrase`) before
// the configuration is parsed, the last-known-good copy when App Store Connect cannot be reached, and
// saving both after a successful run. Cache problems are warnings; they never fail a run by themselves.
import type { KeyObject } from "node:crypto";
import { tmpdir } from "node:os";
import { isAscUnavailable } from "../core/cache/asc-unavailable.ts";
import { configHash } from "../core/cache/cache-key.ts";
import type { CacheStore } from "../core/cache/cache-port.ts";
import { lastKnownGoodResult } from "../core/cache/last-known-good-result.ts";
import type { Config } from "../core/config.ts";
import type { RawInputs } from "../core/config-parse.ts";
import { describeError } from "../core/errors.ts";
import type { Logger, SecretMasker } from "../core/ports.ts";
import type { ProvisionResult } from "../core/result.ts";
import { privateKeyToPem } from "../core/signing/key-generation.ts";
import { createActionsCacheStore } from "./cache-store.ts";
import {
  type CertificateKeyFromCache,
  loadOrGenerateCertificateKey,
  saveGeneratedKey,
} from "./generated-key.ts";
import { restoreLastKnownGood, saveLastKnownGood } from "./last-known-good.ts";

export interface CacheSession {
  store: CacheStore | undefined;
  runnerTemp: string;
  issuerId: string;
  passphrase: string;
  /** Set when the certificate key came from (or was generated for) the cache. */
  generated: CertificateKeyFromCache | undefined;
  lastKnownGood: boolean;
}

export interface Degraded {
  savedAt: string;
  cause: string;
}

/** Whether this run needs the cache at all (it is loaded lazily, so runs without it pay nothing). */
export function openCacheSession(
  raw: RawInputs,
  env: Record<string, string | undefined>,
  logger: Logger,
  makeStore: (logger: Logger) => CacheStore = (l) => createActionsCacheStore({ logger: l }),
): CacheSession {
  const passphrase = raw["cache-passphrase"] ?? "";
  const lastKnownGood = /^(true|yes|1|on)$/i.test(raw.cache ?? "");
  const generatesKey =
    !raw["certificate-private-key"]?.trim() && !raw["certificate-p12"]?.trim() && passphrase !== "";
  return {
    store: lastKnownGood || generatesKey ? makeStore(logger) : undefined,
    runnerTemp: env.RUNNER_TEMP || tmpdir(),
    issuerId: raw["issuer-id"]?.trim() ?? "",
    passphrase,
    generated: undefined,
    lastKnownGood,
  };
}

/**
 * No certificate key or .p12 given, but a `cache-passphrase`: restore the key from the cache, or generate
 * one. The key is handed to the configuration as if it had been an input (and is masked).
 */
export async function supplyCertificateKey(
  session: CacheSession,
  raw: RawInputs,
  logger: Logger,
  masker: SecretMasker,
): Promise<void> {
  if (
    !session.store ||
    raw["certificate-private-key"]?.trim() ||
    raw["certificate-p12"]?.trim() ||
    !session.passphrase
  )
    return;
  session.generated = await loadOrGenerateCertificateKey(session.store, session.passphrase, {
    logger,
    masker,
    runnerTemp: session.runnerTemp,
    issuerId: session.issuerId,
  });
  raw["certificate-private-key"] = privateKeyToPem(session.generated.key);
}

/**
 * Runs the engine; when App Store Connect cannot be reached (after the client's retries) and the cache
 * holds a usable copy of this very configuration, installs from it instead and says so.
 */
export async function provisionWithFallback(
  session: CacheSession,
  config: Config,
  run: () => Promise<ProvisionResult>,
  logger: Logger,
): Promise<{ result: ProvisionResult; degraded: Degraded | undefined }> {
  try {
    return { result: await run(), degraded: undefined };
  } catch (error) {
    if (!session.store || !session.lastKnownGood || config.mode === "plan" || !isAscUnavailable(error))
      throw error;
    logger.warning(`App Store Connect cannot be reached: ${describeError(error)}`);
    const entry = await restoreLastKnownGood(session.store, {
      logger,
      runnerTemp: session.runnerTemp,
      issuerId: session.issuerId,
      configHash: configHash(config),
      minDaysValid: config.minDaysValid,
    });
    if (!entry) throw error;
    const result = lastKnownGoodResult(entry, config.certificate.privateKey, config.mode);
    logger.warning(
      `Installing the last-known-good copy saved ${entry.manifest.savedAt} (cache key ${entry.cacheKey}); nothing was checked against App Store Connect. Output \`degraded\` is true.`,
    );
    return { result, degraded: { savedAt: entry.manifest.savedAt, cause: describeError(error) } };
  }
}

/** After a run that reached App Store Connect: keep the generated key and the last-known-good copy. */
export async function saveToCache(
  session: CacheSession,
  config: Config,
  result: ProvisionResult,
  logger: Logger,
): Promise<void> {
  if (!session.store) return;
  try {
    if (session.generated?.generated)
      await saveGeneratedKey(session.store, session.generated.key as KeyObject, session.passphrase, {
        logger,
        runnerTemp: session.runnerTemp,
        issuerId: session.issuerId,
      });
    if (session.lastKnownGood && result.mode !== "plan") {
      const saved = await saveLastKnownGood(session.store, result, {
        logger,
        runnerTemp: session.runnerTemp,
        issuerId: session.issuerId,
        configHash: configHash(config),
      });
      if (saved.saved)
        logger.info(`cache: last-known-good copy saved as ${saved.key} (${saved.bytes} bytes)`);
    }
  } catch (error) {
    logger.warning(`cache: not saved: ${describeError(error)}`);
  }
}
