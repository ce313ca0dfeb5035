// The CacheStore on @actions/cache, loaded lazily (it costs nothing when `cache` is off).
//
// @actions/cache never throws for a service failure: restoreCache answers undefined (as for a miss) and
// saveCache -1, after writing "Failed to restore/save: …" as a warning or error annotation. So that the
// run's log says "cache unavailable" once instead of the library's annotations, and an outage is not
// reported as a plain miss, this listens to the lines it writes while one of its calls runs, keeps its
// failure annotations out of the log and throws them as CacheUnavailableError, which the caller reports as
// one warning. After a timeout or a service failure the store stops trying for the rest of the run.
import { CacheUnavailableError } from "../core/cache/cache-errors.ts";
import type { CacheStore } from "../core/cache/cache-port.ts";
import { describeError } from "../core/errors.ts";
import type { Logger } from "../core/ports.ts";

type ActionsCache = typeof import("@actions/cache");

export interface ActionsCacheStoreOptions {
  logger: Logger;
  /** The environment the runner gives the step; process.env by default (which @actions/cache reads). */
  env?: Record<string, string | undefined>;
  /** Upper bound of one restore or save (the library retries a failing service for ~25 s). Default 60 s. */
  timeoutMs?: number;
  /** Loads @actions/cache; tests may substitute it. */
  load?: () => Promise<ActionsCache>;
}

const DEFAULT_TIMEOUT_MS = 60_000;

export function createActionsCacheStore(options: ActionsCacheStoreOptions): CacheStore {
  const { logger } = options;
  const env = options.env ?? process.env;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const load = options.load ?? (() => import("@actions/cache"));
  let broken: string | undefined;
  let queue: Promise<unknown> = Promise.resolve();

  /** Runs one library call at a time (so its output is attributed to it), bounded by the timeout. */
  const run = <T>(what: string, call: (cache: ActionsCache) => Promise<T>): Promise<Captured<T>> => {
    const next = queue.then(async () => {
      if (broken) throw new CacheUnavailableError(`cache ${what} skipped: ${broken}`);
      const cache = await load();
      const capture = startCapture();
      const pending = call(cache).finally(() => capture.stop());
      try {
        const value = await withTimeout(pending, timeoutMs);
        return { value, lines: capture.lines };
      } catch (error) {
        if (error instanceof TimeoutError) {
          broken = `the cache service did not answer within ${Math.round(timeoutMs / 1000)} s`;
          pending.catch(() => undefined);
          throw new CacheUnavailableError(`cache ${what}: ${broken}`);
        }
        throw new CacheUnavailableError(`cache ${what} failed: ${describeError(error)}`, { cause: error });
      }
    });
    queue = next.catch(() => undefined);
    return next;
  };

  const fail = (what: string, lines: CapturedLine[], fallback: string): never => {
    const problems = lines.filter((line) => line.kind === "problem").map((line) => line.text);
    const reason = problems.length > 0 ? problems.join("; ") : fallback;
    if (problems.some(isServiceFailure)) broken = `the cache service failed earlier in this run (${reason})`;
    throw new CacheUnavailableError(`cache ${what} failed: ${reason}`);
  };

  const restoreOnce = async (
    paths: string[],
    primaryKey: string,
    restoreKeys: string[],
    lookupOnly: boolean,
  ) => {
    requireService(env, "read");
    const what = lookupOnly ? "lookup" : "restore";
    const { value, lines } = await run(what, (cache) => {
      if (!cache.isFeatureAvailable()) throw new Error(notAvailableMessage(env));
      return cache.restoreCache(paths, primaryKey, restoreKeys, { lookupOnly });
    });
    if (value !== undefined) return value;
    if (lines.some((line) => line.kind === "problem")) fail(what, lines, "");
    return undefined;
  };

  return {
    restore: (paths, primaryKey, restoreKeys = []) => restoreOnce(paths, primaryKey, restoreKeys, false),

    async save(paths, key) {
      requireService(env, "write");
      // Entries are immutable: saving an existing key is refused. Look first (when reads are allowed), so
      // that a state saved before is not reported as a failure.
      if (cacheModeAllows(env, "read") && (await restoreOnce(paths, key, [], true)) === key) {
        logger.debug(`cache: ${key} is already saved`);
        return;
      }
      const { value, lines } = await run("save", (cache) => cache.saveCache(paths, key));
      if (value !== -1) return;
      const detail = lines.find((line) => line.kind === "detail")?.text;
      fail("save", lines, detail ?? "the cache service did not accept the entry");
    },
  };
}

function requireService(env: Record<string, string | undefined>, access: "read" | "write"): void {
  if (!env.ACTIONS_RUNTIME_TOKEN || !(env.ACTIONS_RESULTS_URL || env.ACTIONS_CACHE_URL))
    throw new CacheUnavailableError(notAvailableMessage(env));
  if (!cacheModeAllows(env, access))
    throw new CacheUnavailableError(
      `the runner's cache mode "${env.ACTIONS_CACHE_MODE}" does not allow cache ${access === "read" ? "reads" : "writes"} in this job (for example a pull request from a fork)`,
    );
}

/** The runner's ACTIONS_CACHE_MODE lattice, as @actions/cache reads it (unknown or unset: allowed). */
function cacheModeAllows(env: Record<string, string | undefined>, access: "read" | "write"): boolean {
  const mode = (env.ACTIONS_CACHE_MODE ?? "").trim().toLowerCase();
  if (!["none", "read", "write", "write-only"].includes(mode)) return true;
  return access === "read" ? mode === "read" || mode === "write" : mode === "write" || mode === "write-only";
}

function notAvailableMessage(env: Record<string, string | undefined>): string {
  const missing = ["ACTIONS_RUNTIME_TOKEN", "ACTIONS_RESULTS_URL"].filter((name) => !env[name]);
  return `the Actions cache service is not available to this step (${missing.join(", ") || "service URL"} not set): it works only on GitHub Actions runners`;
}

function isServiceFailure(problem: string): boolean {
  return /Unable to make request|Failed to (GetCacheEntryDownloadURL|CreateCacheEntry|FinalizeCacheEntryUpload)|Rate limited|Cache service responded with 5/.test(
    problem,
  );
}

class TimeoutError extends Error {}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError()), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// ---- what @actions/cache writes while one of its calls runs ----

interface CapturedLine {
  /** problem: a failure it reports; detail: the debug line with the cause of a refused save. */
  kind: "problem" | "detail";
  text: string;
}

interface Captured<T> {
  value: T;
  lines: CapturedLine[];
}

interface Capture {
  lines: CapturedLine[];
  stop(): void;
}

/** Failure annotations and notes of @actions/cache: kept out of the log, reported by the caller. */
const PROBLEM =
  /^(?:::(?:warning|error)[^:]*::)?((?:Failed to (?:restore|save): |Cache reservation failed: |uploadCacheArchiveSDK: |You've hit a rate limit|Cache (?:restore|save) skipped: ).*)$/;
/** Why CreateCacheEntry failed (saveCache hides it behind "another job may be creating this cache"). */
const DETAIL = /^::debug::Failed to reserve cache: (.*)$/;

const captures = new Set<Capture>();
let installed: { original: typeof process.stdout.write; wrapper: typeof process.stdout.write } | undefined;

function startCapture(): Capture {
  const capture: Capture = {
    lines: [],
    stop() {
      captures.delete(capture);
      if (captures.size > 0 || !installed) return;
      // Put the original back unless someone wrapped stdout since (then ours stays, passing all through).
      if (process.stdout.write === installed.wrapper) process.stdout.write = installed.original;
      installed = undefined;
    },
  };
  if (!installed) {
    const original = process.stdout.write;
    const wrapper = function write(this: unknown, chunk: unknown, ...rest: unknown[]): boolean {
      if (captures.size === 0) return original.call(process.stdout, chunk as string, ...(rest as []));
      const text = typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString("utf8");
      const kept = filterLines(text);
      if (kept === text) return original.call(process.stdout, chunk as string, ...(rest as []));
      if (kept.length > 0) return original.call(process.stdout, kept, ...(rest as []));
      const callback = rest.find((arg) => typeof arg === "function") as (() => void) | undefined;
      callback?.();
      return true;
    } as typeof process.stdout.write;
    installed = { original, wrapper };
    process.stdout.write = wrapper;
  }
  captures.add(capture);
  return capture;
}

/** Records the lines of interest for every running capture; returns the text without the problems. */
function filterLines(text: string): string {
  const lines = text.split(/(?<=\n)/);
  const kept: string[] = [];
  for (const line of lines) {
    const bare = line.replace(/\r?\n$/, "");
    const problem = PROBLEM.exec(bare);
    const detail = problem ? undefined : DETAIL.exec(bare);
    const match = problem ?? detail;
    if (match) {
      const entry: CapturedLine = {
        kind: problem ? "problem" : "detail",
        text: unescapeCommand(match[1] ?? ""),
      };
      for (const capture of captures) capture.lines.push(entry);
    }
    if (!problem) kept.push(line);
  }
  return kept.join("");
}

/** Workflow command data escapes %, CR and LF. */
function unescapeCommand(text: string): string {
  return text.replace(/%0D/g, "\r").replace(/%0A/g, "\n").replace(/%25/g, "%").replace(/\s+/g, " ").trim();
}
