// Apple's per-key rate limit: a rolling hour (`X-Rate-Limit: user-hour-lim:<lim>;user-hour-rem:<rem>;` on
// every response) and, optionally, a burst limit on requests in flight at once. Past either: 429.
// Retry-After is the fake's assumption: Apple's 429s have not been seen to carry one; the fake sends the
// seconds until a slot of the hour frees (1 for a burst) so that clients honouring it can be tested.

const HOUR_MS = 3_600_000;

export type Admission =
  | { ok: true; header: string }
  | { ok: false; header: string; retryAfterSeconds: number };

export class RateLimiter {
  readonly #limit: number;
  readonly #burst: number | undefined;
  readonly #now: () => number;
  readonly #hits = new Map<string, number[]>();
  readonly #inFlight = new Map<string, number>();

  constructor(limitPerHour: number, burstLimit: number | undefined, now: () => number) {
    this.#limit = limitPerHour;
    this.#burst = burstLimit;
    this.#now = now;
  }

  /** Counts a request that starts now; call `end` when its response is sent, admitted or not. */
  begin(keyId: string): Admission {
    const inFlight = (this.#inFlight.get(keyId) ?? 0) + 1;
    this.#inFlight.set(keyId, inFlight);
    const now = this.#now();
    const hits = this.#window(keyId, now);
    if (this.#burst !== undefined && inFlight > this.#burst) {
      return { ok: false, header: this.#header(hits.length), retryAfterSeconds: 1 };
    }
    if (hits.length >= this.#limit) {
      const frees = (hits[0] ?? now) + HOUR_MS - now;
      return {
        ok: false,
        header: this.#header(hits.length),
        retryAfterSeconds: Math.max(1, Math.ceil(frees / 1000)),
      };
    }
    hits.push(now);
    return { ok: true, header: this.#header(hits.length) };
  }

  end(keyId: string): void {
    const inFlight = (this.#inFlight.get(keyId) ?? 1) - 1;
    if (inFlight <= 0) this.#inFlight.delete(keyId);
    else this.#inFlight.set(keyId, inFlight);
  }

  #window(keyId: string, now: number): number[] {
    const hits = (this.#hits.get(keyId) ?? []).filter((t) => t > now - HOUR_MS);
    this.#hits.set(keyId, hits);
    return hits;
  }

  #header(used: number): string {
    return `user-hour-lim:${this.#limit};user-hour-rem:${Math.max(0, this.#limit - used)};`;
  }
}
