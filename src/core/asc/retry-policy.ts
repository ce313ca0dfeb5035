// When a failed request may be sent again, and how long to wait first. Pure: the client supplies the
// attempt number, the random source and the clock.

export interface RetryOptions {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** The longest a 429's Retry-After is honoured; beyond it the request fails at once. */
  maxRateLimitWaitMs: number;
}

export const DEFAULT_RETRY: RetryOptions = {
  maxAttempts: 5,
  baseDelayMs: 500,
  maxDelayMs: 8000,
  maxRateLimitWaitMs: 60_000,
};

export type Method = "GET" | "POST" | "PATCH" | "DELETE";

export const isWrite = (method: Method): boolean => method !== "GET";

/** What went wrong with one attempt. */
export type Failure =
  /** An HTTP answer that is not a success (or a success whose body cannot be read). */
  | { kind: "status"; status: number }
  /** Nothing reached the server: connection refused, DNS failure, connect timeout. */
  | { kind: "not-sent" }
  /** The request may have reached the server: reset, closed socket, timeout waiting for the answer. */
  | { kind: "sent" }
  /** TLS verification failed: a configuration problem, not a transient one. */
  | { kind: "tls" };

export type RetryDecision =
  | { action: "retry" }
  | { action: "fail" }
  /** A write that may have taken effect: never repeat it blindly; the caller re-reads. */
  | { action: "outcome-unknown" };

/** The decision for one failed attempt, not counting the attempt budget (the client checks that). */
export function decideRetry(method: Method, failure: Failure): RetryDecision {
  switch (failure.kind) {
    case "tls":
      return { action: "fail" };
    case "not-sent":
      return { action: "retry" };
    case "sent":
      return isWrite(method) ? { action: "outcome-unknown" } : { action: "retry" };
    case "status":
      // Apple refuses a 429 before processing it: safe to repeat, writes included.
      if (failure.status === 429) return { action: "retry" };
      // 5xx, and a success whose body could not be read (a proxy's page, a truncated answer).
      if (failure.status >= 500 || (failure.status >= 200 && failure.status < 300)) {
        return isWrite(method) ? { action: "outcome-unknown" } : { action: "retry" };
      }
      return { action: "fail" };
  }
}

/** Exponential backoff with full jitter: a random delay in [0, min(max, base · 2^(attempt-1))). */
export function backoffDelay(attempt: number, options: RetryOptions, random: () => number): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}

/** Backoff for a 429 without Retry-After: at least half the exponential delay, so retries really wait. */
export function rateLimitBackoffDelay(attempt: number, options: RetryOptions, random: () => number): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(ceiling / 2 + (random() * ceiling) / 2);
}

/** Retry-After as milliseconds from now: delta seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(header: string | string[] | undefined, nowMs: number): number | undefined {
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}
