// App Store Connect's hourly request budget (`X-Rate-Limit: user-hour-lim:3600;user-hour-rem:N;`) and the
// pacer that serialises requests once the budget runs low, instead of bursting into 429s.
import type { Clock, Sleep } from "../ports.ts";

export interface RateLimitInfo {
  limit: number;
  remaining: number;
}

/** Parses `user-hour-lim:3600;user-hour-rem:N;`; undefined when the header is absent or unreadable. */
export function parseRateLimit(header: string | string[] | undefined): RateLimitInfo | undefined {
  const value = Array.isArray(header) ? header.join(";") : header;
  if (!value) return undefined;
  const fields = new Map<string, number>();
  for (const part of value.split(";")) {
    const [key, raw] = part.split(":").map((piece) => piece.trim());
    if (!key || raw === undefined || !/^\d+$/.test(raw)) continue;
    fields.set(key.toLowerCase(), Number(raw));
  }
  const limit = fields.get("user-hour-lim");
  const remaining = fields.get("user-hour-rem");
  if (limit === undefined || remaining === undefined) return undefined;
  return { limit, remaining };
}

/** Low: at most 10 % of the hourly limit left, or fewer than 50 requests. */
export function isBudgetLow(info: RateLimitInfo): boolean {
  return info.remaining <= info.limit * 0.1 || info.remaining < 50;
}

/** The spacing between paced requests. */
export const DEFAULT_PACING_INTERVAL_MS = 250;

/**
 * Runs tasks as they come; once the client turns pacing on (low budget, or a 429), one at a time, each
 * at least `intervalMs` after the previous request ended.
 */
export class RequestPacer {
  readonly #sleep: Sleep;
  readonly #clock: Clock;
  readonly #intervalMs: number;
  #tail: Promise<void> = Promise.resolve();
  #lastEnd: number | undefined;
  pacing = false;
  /** Tasks that went through the paced queue. */
  paced = 0;

  constructor(sleep: Sleep, clock: Clock, intervalMs = DEFAULT_PACING_INTERVAL_MS) {
    this.#sleep = sleep;
    this.#clock = clock;
    this.#intervalMs = intervalMs;
  }

  run<T>(task: () => Promise<T>): Promise<T> {
    const timed = (): Promise<T> =>
      task().finally(() => {
        this.#lastEnd = this.#clock.now();
      });
    if (!this.pacing) return timed();
    this.paced += 1;
    const result = this.#tail.then(async () => {
      const wait = this.#lastEnd === undefined ? 0 : this.#lastEnd + this.#intervalMs - this.#clock.now();
      if (wait > 0) await this.#sleep(wait);
      return timed();
    });
    this.#tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}
