// Tokens: a run that outlives a token's 20 minutes keeps working on fresh tokens, never sending an expired
// one; a runner clock a few minutes slow costs one 401 and one new token; a revoked key fails clearly
// without a retry storm. Time is simulated: every answer moves the shared clock forward by 5.5 minutes.
import { Agent, type Dispatcher } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import { AscApiError } from "../../src/core/errors.ts";
import { type Logger, silentLogger } from "../../src/core/ports.ts";
import { type FakeAsc, startFakeAsc } from "../support/fake-asc/index.ts";
import { describeOutcome, immediateSleep, manualClock, runEngine } from "./support/engine-run.ts";

const MINUTE = 60_000;
const STEP_MS = 5.5 * MINUTE;
let fake: FakeAsc | undefined;
const stopRecording: (() => void)[] = [];

afterEach(async () => {
  for (const stop of stopRecording.splice(0)) stop();
  await fake?.stop();
  fake = undefined;
});

interface SentToken {
  jwt: string;
  iat: number;
  exp: number;
  /** Simulated time when the request was dispatched (ms). */
  sentAt: number;
}

const claims = (jwt: string): { iat: number; exp: number } =>
  JSON.parse(Buffer.from(jwt.split(".")[1] ?? "", "base64url").toString("utf8"));

/** A dispatcher whose requests' bearer tokens are recorded with the simulated time each request left. */
function recordingAgent(now: () => number): { dispatcher: Dispatcher; sent: SentToken[] } {
  const sent: SentToken[] = [];
  const agent = new Agent();
  const dispatcher = agent.compose((dispatch) => (options, handler) => {
    const headers = options.headers as Record<string, string> | undefined;
    const jwt = /^Bearer (.+)$/.exec(String(headers?.authorization ?? ""))?.[1];
    if (jwt) sent.push({ jwt, ...claims(jwt), sentAt: now() });
    return dispatch(options, handler);
  });
  stopRecording.push(() => void agent.close());
  return { dispatcher, sent };
}

/** A logger that moves the clock forward on every answer the client logs ("GET /v1/... 200 12 ms"). */
function advancingLogger(advance: () => void): Logger {
  return {
    ...silentLogger,
    debug: (message) => {
      if (/^(GET|POST|PATCH|DELETE) \S+ \d{3} /.test(message)) advance();
    },
  };
}

describe("tokens", () => {
  it("a run longer than a token's life keeps working on new tokens, never sending an expired one", async () => {
    const time = manualClock(Date.UTC(2026, 2, 2, 8, 0, 0));
    // 40 requests an hour: the budget is low from the first answer, so requests go one at a time and
    // each is checked by the fake at the simulated time it was sent.
    fake = await startFakeAsc({ now: time.clock.now, rateLimitPerHour: 40, latencyMs: 30 });
    const { dispatcher, sent } = recordingAgent(time.clock.now);
    const start = time.clock.now();
    const run = await runEngine(fake, {
      inputs: { "bundle-ids": "com.token.long\ncom.token.long.widget", "profile-type": "IOS_APP_STORE" },
      clock: time.clock,
      sleep: time.sleep,
      engineSleep: immediateSleep,
      dispatcher,
      logger: advancingLogger(() => time.advance(STEP_MS)),
    });
    expect(run.result, describeOutcome(run)).toBeDefined();
    expect(time.clock.now() - start).toBeGreaterThan(40 * MINUTE);
    expect(run.stats.tokensMinted).toBeGreaterThanOrEqual(3);
    expect(new Set(sent.map((t) => t.jwt)).size).toBe(run.stats.tokensMinted);
    for (const t of sent) {
      expect(t.exp - t.iat).toBeLessThanOrEqual(20 * 60);
      expect(t.exp * 1000, "a token was sent after its exp").toBeGreaterThan(t.sentAt);
    }
    // The fake checked every token against the same clock: none was refused (none had expired).
    expect(run.requests.filter((r) => r.status === 401)).toEqual([]);
    expect(run.requests.every((r) => r.keyId === fake!.apiKey.keyId)).toBe(true);
  });

  it("a runner clock 3 minutes slow costs one 401 and one new token, then the run goes on", async () => {
    const time = manualClock(Date.UTC(2026, 2, 2, 8, 0, 0));
    fake = await startFakeAsc({
      now: () => time.clock.now() + 3 * MINUTE,
      rateLimitPerHour: 40,
      latencyMs: 30,
    });
    const { dispatcher, sent } = recordingAgent(time.clock.now);
    const run = await runEngine(fake, {
      inputs: { "bundle-ids": "com.token.skew" },
      clock: time.clock,
      sleep: time.sleep,
      engineSleep: immediateSleep,
      dispatcher,
      logger: advancingLogger(() => time.advance(STEP_MS)),
    });
    expect(run.result, describeOutcome(run)).toBeDefined();
    const refused = run.requests.filter((r) => r.status === 401);
    expect(refused.length).toBeGreaterThanOrEqual(1);
    for (const r of refused) expect(r.rejection).toMatch(/"exp" claim/);
    // Each refusal was followed by a new token, not by the same token again.
    const refusedTokens = sent.filter((t) => t.exp * 1000 <= t.sentAt + 3 * MINUTE).map((t) => t.jwt);
    expect(refusedTokens.length).toBe(refused.length);
    expect(run.stats.tokensMinted).toBeGreaterThanOrEqual(2);
    expect(run.stats.requests).toBe(run.requests.length);
  });

  it("a revoked key fails clearly, each request tried at most twice, nothing written", async () => {
    fake = await startFakeAsc({ latencyMs: 10 });
    fake.revokeApiKey(fake.apiKey.keyId);
    const run = await runEngine(fake, { inputs: { "bundle-ids": "com.token.revoked" } });
    expect(run.error).toBeInstanceOf(AscApiError);
    const error = run.error as AscApiError;
    expect(error.status).toBe(401);
    expect(error.message).toMatch(
      /rejected the API key .*`issuer-id`, `key-id` .*`private-key` is the \.p8 of that key, that the key is not revoked/,
    );
    expect(run.requests.every((r) => r.status === 401 && /revoked/.test(r.rejection ?? ""))).toBe(true);
    // The first wave's reads each went out once with the first token and once with a new one; no more.
    const perRequest = new Map<string, number>();
    for (const r of run.requests) {
      const key = `${r.method} ${r.path} ${JSON.stringify(r.query)}`;
      perRequest.set(key, (perRequest.get(key) ?? 0) + 1);
    }
    expect(Math.max(...perRequest.values())).toBeLessThanOrEqual(2);
    expect(perRequest.size).toBeLessThanOrEqual(4);
    expect(run.stats.tokensMinted).toBeLessThanOrEqual(2);
    expect(run.writes).toBe(0);
  });
});
