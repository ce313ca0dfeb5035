// How main uses @actions/cache: the last-known-good copy when App Store Connect cannot be reached, and
// saving it after a successful run. Cache problems are warnings; they never fail a run by themselves.
import { isAscUnavailable } from "../core/cache/asc-unavailable.ts";
import type { CacheStore } from "../core/cache/cache-port.ts";
import { lastKnownGoodResult } from "../core/cache/last-known-good-result.ts";
import type { Config } from "../core/config.ts";
import { describeError } from "../core/errors.ts";
import type { Logger } from "../core/ports.ts";
import type { ProvisionResult } from "../core/result.ts";
import { restoreLastKnownGood, saveLastKnownGood } from "./last-known-good.ts";

/** The cache of one run: undefined when `cache` is false (then @actions/cache is never loaded). */
export interface CacheSession {
  store: CacheStore;
  runnerTemp: string;
  issuerId: string;
  configHash: string;
}

export interface Degraded {
  savedAt: string;
  cause: string;
}

/**
 * Runs the engine; when App Store Connect cannot be reached (after the client's retries) and the cache
 * holds a usable copy of this very configuration, installs from it instead and says so.
 */
export async function provisionWithFallback(
  session: CacheSession | undefined,
  config: Config,
  run: () => Promise<ProvisionResult>,
  logger: Logger,
): Promise<{ result: ProvisionResult; degraded: Degraded | undefined }> {
  try {
    return { result: await run(), degraded: undefined };
  } catch (error) {
    if (!session || config.mode === "plan" || !isAscUnavailable(error)) throw error;
    logger.warning(`App Store Connect cannot be reached: ${describeError(error)}`);
    const entry = await restoreLastKnownGood(session.store, {
      logger,
      runnerTemp: session.runnerTemp,
      issuerId: session.issuerId,
      configHash: session.configHash,
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

/** After a run that reached App Store Connect and installed: keep the last-known-good copy. */
export async function saveToCache(
  session: CacheSession,
  result: ProvisionResult,
  logger: Logger,
): Promise<void> {
  if (result.mode === "plan") return;
  try {
    const saved = await saveLastKnownGood(session.store, result, {
      logger,
      runnerTemp: session.runnerTemp,
      issuerId: session.issuerId,
      configHash: session.configHash,
    });
    if (saved.saved) logger.info(`cache: last-known-good copy saved as ${saved.key} (${saved.bytes} bytes)`);
  } catch (error) {
    logger.warning(`cache: not saved: ${describeError(error)}`);
  }
}
