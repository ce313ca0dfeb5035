// AscClient retries: 429, 5xx, resets, timeouts, refused connections, and the hourly budget.
import { afterAll, afterEach, describe, expect, it } from "vitest";
import {
  ascError,
  assertNoSecretsLeaked,
  freePort,
  type Handler,
  type Harness,
  makeClient,
  startServer,
  type TestServer,
} from "../support/asc-test-kit.ts";

let server: TestServer | undefined;
let harness: Harness | undefined;

async function setUp(handler: Handler, options: Parameters<typeof makeClient>[1] = {}): Promise<Harness> {
  server = await startServer(handler);
  harness = makeClient(server.url, options);
  return harness;
}

afterEach(async () => {
  await harness?.close();
  await server?.close();
  harness = undefined;
  server = undefined;
});
afterAll(() => assertNoSecretsLeaked());

const rateLimited = (headers: Record<string, string> = {}) => ({
  status: 429,
  headers,
  body: {
    errors: [
      { status: "429", code: "RATE_LIMIT_EXCEEDED", title: "The request rate limit has been reached." },
    ],
  },
});
const unavailable = {
  status: 503,
  body: { errors: [{ status: "503", code: "UNAVAILABLE", title: "down" }] },
};

describe("429", () => {
  it("waits Retry-After seconds, then succeeds (writes included)", async () => {
    const h = await setUp((_r, i) =>
      i === 0 ? rateLimited({ "retry-after": "7" }) : { status: 201, body: { data: {} } },
    );
    await h.client.post("/v1/devices", {});
    expect(h.sleeps).toEqual([7000]);
    expect(server!.requests).toHaveLength(2);
    expect(h.client.stats).toMatchObject({ requests: 2, retries: 1, rateLimitWaits: 1 });
  });

  it("backs off with jitter without Retry-After", async () => {
    const h = await setUp((_r, i) => (i < 2 ? rateLimited() : { body: { data: [] } }));
    await h.client.get("/v1/devices");
    // random() = 0.5: half the exponential delay plus half of the other half.
    expect(h.sleeps).toEqual([375, 750]);
    expect(h.client.stats.rateLimitWaits).toBe(2);
  });

  it("fails at once when Retry-After is longer than the wait limit, saying how long to wait", async () => {
    const h = await setUp(() => rateLimited({ "retry-after": "600" }));
    const error = await ascError(h.client.get("/v1/devices"));
    expect(error.status).toBe(429);
    expect(error.code).toBe("RATE_LIMIT_EXCEEDED");
    expect(error.message).toContain("wait 10 min");
    expect(error.message).toContain("60 s");
    expect(h.sleeps).toEqual([]);
    expect(server!.requests).toHaveLength(1);
  });

  it("gives up after maxAttempts", async () => {
    const h = await setUp(() => rateLimited({ "retry-after": "1" }), { retry: { maxAttempts: 3 } });
    const error = await ascError(h.client.get("/v1/devices"));
    expect(error.status).toBe(429);
    expect(error.message).toContain("rate limit");
    expect(error.message).toContain("after 3 attempts");
    expect(server!.requests).toHaveLength(3);
  });
});

describe("5xx and broken connections", () => {
  it("GET: retried with backoff, then succeeds", async () => {
    const h = await setUp((_r, i) => (i < 2 ? unavailable : { body: { data: [] } }));
    await expect(h.client.get("/v1/devices")).resolves.toEqual({ data: [] });
    expect(h.sleeps).toEqual([250, 500]);
    expect(h.client.stats).toMatchObject({ requests: 3, retries: 2 });
  });

  it("GET: bounded by maxAttempts", async () => {
    const h = await setUp(() => unavailable, {
      retry: { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 300 },
    });
    const error = await ascError(h.client.get("/v1/devices"));
    expect(error.status).toBe(503);
    expect(error.outcomeUnknown).toBe(false);
    expect(server!.requests).toHaveLength(4);
    expect(h.sleeps).toEqual([50, 100, 150]);
  });

  it("POST: a 5xx is not repeated and the outcome is unknown", async () => {
    const h = await setUp(() => unavailable);
    const error = await ascError(h.client.post("/v1/profiles", {}));
    expect(error.status).toBe(503);
    expect(error.outcomeUnknown).toBe(true);
    expect(server!.requests).toHaveLength(1);
    expect(h.sleeps).toEqual([]);
  });

  it("GET: a reset connection is retried", async () => {
    const h = await setUp((_r, i) => (i === 0 ? { reset: true } : { body: { data: [] } }));
    await expect(h.client.get("/v1/devices")).resolves.toEqual({ data: [] });
    expect(server!.requests).toHaveLength(2);
  });

  it("DELETE: a reset after sending is not repeated: NETWORK_ERROR with an unknown outcome", async () => {
    const h = await setUp(() => ({ reset: true }));
    const error = await ascError(h.client.delete("/v1/profiles/P1"));
    expect(error.status).toBe(0);
    expect(error.code).toBe("NETWORK_ERROR");
    expect(error.outcomeUnknown).toBe(true);
    expect(error.message).toContain("127.0.0.1");
    expect(server!.requests).toHaveLength(1);
  });

  it("GET: a timeout is retried, then fails with TIMEOUT", async () => {
    const h = await setUp(() => ({ hang: true }), { timeoutMs: 150, retry: { maxAttempts: 2 } });
    const error = await ascError(h.client.get("/v1/devices"));
    expect(error.code).toBe("TIMEOUT");
    expect(error.status).toBe(0);
    expect(server!.requests).toHaveLength(2);
  });

  it("POST: a timeout leaves the outcome unknown and is not repeated", async () => {
    const h = await setUp(() => ({ hang: true }), { timeoutMs: 150 });
    const error = await ascError(h.client.post("/v1/profiles", {}));
    expect(error.code).toBe("TIMEOUT");
    expect(error.outcomeUnknown).toBe(true);
    expect(server!.requests).toHaveLength(1);
  });

  it("POST: a refused connection (nothing sent) is retried", async () => {
    const port = await freePort();
    let started: Promise<TestServer> | undefined;
    // Nothing listens at first; the server comes up during the first backoff.
    harness = makeClient(`http://127.0.0.1:${port}`, {
      sleep: async () => {
        started ??= startServer(() => ({ status: 201, body: { data: { type: "devices", id: "D1" } } }), {
          port,
        });
        server = await started;
      },
    });
    const created = await harness.client.post("/v1/devices", {});
    expect(created.data).toEqual({ type: "devices", id: "D1" });
    expect(server!.requests).toHaveLength(1);
    expect(harness.client.stats).toMatchObject({ requests: 2, retries: 1 });
  });
});

describe("hourly budget", () => {
  it("parses X-Rate-Limit into rateLimit", async () => {
    const h = await setUp(() => ({
      headers: { "x-rate-limit": "user-hour-lim:3600;user-hour-rem:3412;" },
      body: { data: [] },
    }));
    expect(h.client.rateLimit).toBeUndefined();
    await h.client.get("/v1/devices");
    expect(h.client.rateLimit).toEqual({ limit: 3600, remaining: 3412 });
    expect(h.client.stats.pacedRequests).toBe(0);
  });

  it("paces requests one at a time once the budget is low, and says so once", async () => {
    let remaining = 40;
    const h = await setUp(async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      remaining -= 1;
      return {
        headers: { "x-rate-limit": `user-hour-lim:3600;user-hour-rem:${remaining};` },
        body: { data: [] },
      };
    });
    await h.client.get("/v1/devices");
    await Promise.all(Array.from({ length: 4 }, () => h.client.get("/v1/devices")));
    expect(server!.maxInFlight).toBe(1);
    expect(h.client.stats.pacedRequests).toBe(4);
    expect(h.sleeps).toEqual([250, 250, 250, 250]);
    expect(h.logs.filter((l) => l.includes("Pacing"))).toEqual([
      "debug: Pacing App Store Connect requests one at a time (39 of 3600 requests left this hour)",
    ]);
  });

  it("bursts when the budget is comfortable", async () => {
    const h = await setUp(async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      return { headers: { "x-rate-limit": "user-hour-lim:3600;user-hour-rem:3000;" }, body: { data: [] } };
    });
    await h.client.get("/v1/devices");
    await Promise.all(Array.from({ length: 4 }, () => h.client.get("/v1/devices")));
    expect(server!.maxInFlight).toBeGreaterThan(1);
    expect(h.client.stats.pacedRequests).toBe(0);
  });
});
