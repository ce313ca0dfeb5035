// Rate limits: a 429 is waited out for exactly as long as Retry-After says; a low X-Rate-Limit budget makes
// the client send one request at a time instead of bursting; a budget that frees too late fails at once
// saying how long to wait. The fake's rolling hour runs on a clock the test moves (the client's sleep
// moves it too), so nothing here waits for real.
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { AscApiError } from "../../src/core/errors.ts";
import { realSleep, type Sleep } from "../../src/core/ports.ts";
import { type FakeAsc, type RequestLogEntry, startFakeAsc } from "../support/fake-asc/index.ts";
import {
  closeSharedAgent,
  describeOutcome,
  fakeInputs,
  immediateSleep,
  makeClient,
  manualClock,
  runEngine,
} from "./support/engine-run.ts";

const HOUR_MS = 3_600_000;
let fake: FakeAsc | undefined;

afterEach(async () => {
  await fake?.stop();
  fake = undefined;
});
afterAll(() => closeSharedAgent());

/** A clock shared by the fake and the client; sleeping moves it and is recorded. */
function simulatedTime() {
  const time = manualClock(Date.UTC(2026, 0, 5, 9, 0, 0));
  const sleeps: number[] = [];
  const sleep: Sleep = (ms) => {
    sleeps.push(ms);
    return time.sleep(ms);
  };
  return { ...time, sleep, sleeps };
}

/** Spends `count` requests of the key's hourly budget at the current time. */
async function spendBudget(account: FakeAsc, count: number, time: ReturnType<typeof simulatedTime>) {
  const client = makeClient(fakeInputs(account), {
    clock: time.clock,
    sleep: time.sleep,
    pacingIntervalMs: 0,
  });
  for (let i = 0; i < count; i++) await client.get("/v1/bundleIds", { limit: 1 });
}

/** True when no two requests overlapped in time. */
function serial(entries: RequestLogEntry[]): boolean {
  const sorted = [...entries].sort((a, b) => a.startedAt - b.startedAt);
  return sorted.every((e, i) => i === 0 || e.startedAt >= sorted[i - 1]!.endedAt);
}

describe("rate limits", () => {
  it("waits out a 429 for exactly the Retry-After it was given, then completes", async () => {
    const time = simulatedTime();
    fake = await startFakeAsc({ rateLimitPerHour: 25, now: time.clock.now });
    await spendBudget(fake, 25, time);
    // The hour's first request frees its slot in 7 s.
    time.advance(HOUR_MS - 7_000);
    time.sleeps.length = 0;

    const run = await runEngine(fake, {
      inputs: { "bundle-ids": "com.ratelimit.wait" },
      clock: time.clock,
      sleep: time.sleep,
      engineSleep: immediateSleep,
    });
    expect(run.result, describeOutcome(run)).toBeDefined();
    const limited = run.requests.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    // Every 429 was waited out with the 7 s its Retry-After asked for; no other long wait.
    expect(time.sleeps.filter((ms) => ms === 7_000)).toHaveLength(limited.length);
    expect(time.sleeps.every((ms) => ms === 7_000 || ms < 1_000)).toBe(true);
    expect(run.stats.rateLimitWaits).toBe(limited.length);
    expect(run.result!.profiles[0]?.outcome).toBe("created");
  });

  it("waits out the 1 s Retry-After of a burst limit and completes", async () => {
    fake = await startFakeAsc({ burstLimit: 1, latencyMs: 10 });
    const sleeps: number[] = [];
    const run = await runEngine(fake, {
      inputs: { "bundle-ids": "com.ratelimit.burst" },
      sleep: (ms) => {
        sleeps.push(ms);
        return Promise.resolve();
      },
    });
    expect(run.result, describeOutcome(run)).toBeDefined();
    expect(run.requests.some((r) => r.status === 429)).toBe(true);
    expect(sleeps).toContain(1_000);
    // After the first 429 the client paces itself: the rest went one at a time.
    expect(run.stats.pacedRequests).toBeGreaterThan(0);
  });

  it("sends one request at a time once the hourly budget runs low, instead of bursting", async () => {
    // Control: plenty of budget, the cold run's writes go out together.
    fake = await startFakeAsc({ latencyMs: 15 });
    const control = await runEngine(fake, {
      inputs: { "bundle-ids": "com.ratelimit.control" },
      sleep: realSleep,
    });
    expect(control.result, describeOutcome(control)).toBeDefined();
    expect(control.stats.pacedRequests).toBe(0);
    expect(serial(control.requests.filter((r) => r.write))).toBe(false);
    await fake.stop();

    // 40 an hour: every answer reports fewer than 50 left, so after the first wave the client paces.
    fake = await startFakeAsc({ latencyMs: 15, rateLimitPerHour: 40 });
    const run = await runEngine(fake, {
      inputs: { "bundle-ids": "com.ratelimit.paced" },
      sleep: realSleep,
      engineSleep: immediateSleep,
      pacingIntervalMs: 5,
    });
    expect(run.result, describeOutcome(run)).toBeDefined();
    const [firstWave, ...rest] = fake.waves();
    expect(firstWave!.length).toBeGreaterThan(1); // the reads went out together before any budget was known
    const later = rest.flat();
    expect(later.length).toBeGreaterThanOrEqual(3);
    expect(serial(later), later.map((r) => `${r.method} ${r.path}`).join(", ")).toBe(true);
    expect(run.stats.pacedRequests).toBe(later.length);
    expect(run.requests.some((r) => r.status === 429)).toBe(false);
  });

  it("fails at once, saying how long to wait, when the budget frees too late", async () => {
    const time = simulatedTime();
    fake = await startFakeAsc({ rateLimitPerHour: 25, now: time.clock.now });
    await spendBudget(fake, 25, time);
    time.advance(10 * 60_000); // the hour's first slot frees in 50 minutes
    time.sleeps.length = 0;

    const run = await runEngine(fake, {
      inputs: { "bundle-ids": "com.ratelimit.exhausted" },
      clock: time.clock,
      sleep: time.sleep,
    });
    expect(run.error).toBeInstanceOf(AscApiError);
    const error = run.error as AscApiError;
    expect(error.status).toBe(429);
    expect(error.message).toMatch(/rate limit .*exhausted .*wait 50 min.*run the job again in 50 min/);
    // No request was retried and nothing was waited for.
    expect(run.requests.every((r) => r.status === 429)).toBe(true);
    expect(new Set(run.requests.map((r) => `${r.path}?${JSON.stringify(r.query)}`)).size).toBe(
      run.requests.length,
    );
    expect(time.sleeps.filter((ms) => ms >= 1_000)).toEqual([]);
    expect(run.writes).toBe(0);
  });
});
