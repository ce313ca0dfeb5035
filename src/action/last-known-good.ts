// Saving and restoring the last-known-good entry through a CacheStore: after a run that reached App Store
// Connect, its profiles and certificate facts; when App Store Connect cannot be reached, the newest entry
// of the same configuration, if it is still valid. Neither ever fails the run: problems are warnings.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { lastKnownGoodKey, lastKnownGoodKeyPrefix } from "../core/cache/cache-key.ts";
import type { CacheStore } from "../core/cache/cache-port.ts";
import {
  buildLastKnownGood,
  fileProblem,
  MANIFEST_FILE,
  parseManifest,
  selectUsableEntry,
  serializeManifest,
} from "../core/cache/last-known-good.ts";
import type { LastKnownGood } from "../core/cache/last-known-good-result.ts";
import { describeError } from "../core/errors.ts";
import type { Logger } from "../core/ports.ts";
import type { ProvisionResult } from "../core/result.ts";

export interface LastKnownGoodContext {
  logger: Logger;
  /** RUNNER_TEMP. The entry is saved from and restored to the same path under it on every run. */
  runnerTemp: string;
  /** The API key's issuer ID (the team's; not secret). */
  issuerId: string;
  /** configHash(config) of this run. */
  configHash: string;
  /** Milliseconds since the epoch; Date.now by default. */
  now?: () => number;
}

export type SaveLastKnownGoodOutcome =
  | { saved: true; key: string; bytes: number }
  | { saved: false; reason: string };

/** The directory the entry is staged in (its path is part of the cache entry's version). */
export function lastKnownGoodDirectory(runnerTemp: string): string {
  return join(runnerTemp, "asc-provision-cache", "last-known-good");
}

/** Saves the result of a run that reached App Store Connect. Never throws; a failure is a warning. */
export async function saveLastKnownGood(
  store: CacheStore,
  result: ProvisionResult,
  ctx: LastKnownGoodContext,
): Promise<SaveLastKnownGoodOutcome> {
  const { logger } = ctx;
  const now = (ctx.now ?? Date.now)();
  const built = buildLastKnownGood(result, { configHash: ctx.configHash, now });
  if (!built.ok) {
    logger.info(`cache: last-known-good not saved: ${built.reason}`);
    return { saved: false, reason: built.reason };
  }
  const key = lastKnownGoodKey(ctx.issuerId, built.manifest);
  const directory = lastKnownGoodDirectory(ctx.runnerTemp);
  try {
    rmSync(directory, { recursive: true, force: true });
    mkdirSync(directory, { recursive: true });
    let bytes = 0;
    for (const file of built.files) {
      writeFileSync(join(directory, file.name), file.content);
      bytes += file.content.byteLength;
    }
    const manifest = serializeManifest(built.manifest);
    writeFileSync(join(directory, MANIFEST_FILE), manifest);
    bytes += Buffer.byteLength(manifest);
    await store.save([directory], key);
    logger.info(
      `cache: last-known-good saved as ${key} (${built.manifest.profiles.length} profile(s), ${bytes} bytes)`,
    );
    return { saved: true, key, bytes };
  } catch (error) {
    const reason = describeError(error);
    logger.warning(
      `cache: the last-known-good copy was not saved (${reason}). Provisioning itself succeeded; the next run falls back to an older copy, if any, when App Store Connect is unreachable.`,
    );
    return { saved: false, reason };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

/**
 * The newest saved entry of this configuration, when it is usable: same configuration, nothing expiring
 * within `minDaysValid`, files intact. For runs where App Store Connect cannot be reached. Never throws;
 * undefined (with a warning or note saying why) when there is none to use.
 */
export async function restoreLastKnownGood(
  store: CacheStore,
  ctx: LastKnownGoodContext & { minDaysValid: number },
): Promise<LastKnownGood | undefined> {
  const { logger } = ctx;
  const prefix = lastKnownGoodKeyPrefix(ctx.issuerId, ctx.configHash);
  const directory = lastKnownGoodDirectory(ctx.runnerTemp);
  try {
    rmSync(directory, { recursive: true, force: true });
    mkdirSync(directory, { recursive: true });
    const cacheKey = await store.restore([directory], prefix, [prefix]);
    if (cacheKey === undefined) {
      logger.warning("cache: no last-known-good copy of this configuration is cached");
      return undefined;
    }
    const read = (name: string): Uint8Array | undefined => {
      try {
        return readFileSync(join(directory, name));
      } catch {
        return undefined;
      }
    };
    const manifestBytes = read(MANIFEST_FILE);
    const selected = selectUsableEntry(
      manifestBytes ? parseManifest(Buffer.from(manifestBytes).toString("utf8")) : undefined,
      { configHash: ctx.configHash, minDaysValid: ctx.minDaysValid, now: (ctx.now ?? Date.now)() },
    );
    if (!selected.usable) {
      logger.warning(`cache: the last-known-good copy ${cacheKey} cannot be used: ${selected.reason}`);
      return undefined;
    }
    const { manifest } = selected;
    const problem = fileProblem(manifest, read);
    if (problem) {
      logger.warning(`cache: the last-known-good copy ${cacheKey} is damaged: ${problem}`);
      return undefined;
    }
    logger.info(`cache: last-known-good copy ${cacheKey} restored (saved ${manifest.savedAt})`);
    return {
      manifest,
      cacheKey,
      certificateDer: read(manifest.certificate.file)!,
      profiles: manifest.profiles.map((facts) => ({ facts, content: read(facts.file)! })),
    };
  } catch (error) {
    logger.warning(`cache: the last-known-good copy could not be restored: ${describeError(error)}`);
    return undefined;
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
