// Every request the fake received (faulted, 401 and 429 ones too), for assertions: how many requests and
// writes a run made, and how many round-trip waves deep it was.

export interface RequestLogEntry {
  seq: number;
  method: string;
  path: string;
  query: Record<string, string>;
  /** 0 when no response was sent (a reset or timeout fault, or the fake stopped). */
  status: number;
  /** Wall-clock milliseconds (sub-millisecond precision). */
  startedAt: number;
  endedAt: number;
  /** POST, PATCH or DELETE. */
  write: boolean;
  keyId?: string;
  requestBody?: unknown;
  /** The fault kind injected into this request, e.g. "502 after". */
  fault?: string;
  /** Why a 401 was answered (Apple's body does not say; the log does). */
  rejection?: string;
}

export interface RequestStats {
  requests: number;
  writes: number;
  waves: number;
  /** "GET /v1/profiles/{id}" → count. */
  byRoute: Record<string, number>;
}

export const wallClock = (): number => performance.timeOrigin + performance.now();

export class RequestLog {
  readonly entries: RequestLogEntry[] = [];
  #seq = 0;

  start(method: string, path: string, query: Record<string, string>): RequestLogEntry {
    const entry: RequestLogEntry = {
      seq: ++this.#seq,
      method,
      path,
      query,
      status: 0,
      startedAt: wallClock(),
      endedAt: 0,
      write: method === "POST" || method === "PATCH" || method === "DELETE",
    };
    this.entries.push(entry);
    return entry;
  }

  finish(entry: RequestLogEntry, status: number): void {
    entry.status = status;
    entry.endedAt = wallClock();
  }

  clear(): void {
    this.entries.length = 0;
  }

  /**
   * Requests grouped into round-trip waves: sorted by start, a request joins the current wave if it started
   * before every request of that wave had ended; otherwise it starts the next wave.
   */
  waves(): RequestLogEntry[][] {
    const sorted = [...this.entries].sort((a, b) => a.startedAt - b.startedAt || a.seq - b.seq);
    const waves: RequestLogEntry[][] = [];
    let current: RequestLogEntry[] = [];
    let lastEnd = Number.NEGATIVE_INFINITY;
    for (const entry of sorted) {
      const end = entry.endedAt || Number.POSITIVE_INFINITY;
      if (current.length > 0 && entry.startedAt < lastEnd) {
        current.push(entry);
        lastEnd = Math.max(lastEnd, end);
      } else {
        if (current.length > 0) waves.push(current);
        current = [entry];
        lastEnd = end;
      }
    }
    if (current.length > 0) waves.push(current);
    return waves;
  }

  stats(templateOf: (path: string) => string | undefined): RequestStats {
    const byRoute: Record<string, number> = {};
    for (const e of this.entries) {
      const key = `${e.method} ${templateOf(e.path) ?? e.path}`;
      byRoute[key] = (byRoute[key] ?? 0) + 1;
    }
    return {
      requests: this.entries.length,
      writes: this.entries.filter((e) => e.write).length,
      waves: this.waves().length,
      byRoute,
    };
  }
}
