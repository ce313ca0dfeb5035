// One engine run against a fake App Store Connect server with a client the suite controls: injected sleep
// and clock, short timeouts, a shared keep-alive agent. Never throws: the outcome says what happened,
// with the client's stats and the requests this run made (sliced from the fake's live log).
import { Agent, type Dispatcher } from "undici";
import { AscClient, type AscClientStats } from "../../../src/core/asc/http.ts";
import type { RetryOptions } from "../../../src/core/asc/retry-policy.ts";
import { parseConfig, type RawInputs } from "../../../src/core/config-parse.ts";
import {
  type Clock,
  type Logger,
  noMasking,
  type Sleep,
  silentLogger,
  systemClock,
} from "../../../src/core/ports.ts";
import { provision } from "../../../src/core/provision.ts";
import type { ProvisionResult } from "../../../src/core/result.ts";
import type { FakeAsc, RequestLogEntry } from "../../support/fake-asc/index.ts";

export interface EngineRunOptions {
  /** Raw action inputs on top of the defaults (the fake's key, `com.example.app`, the test signing key). */
  inputs?: RawInputs;
  /** For the client's backoff and 429 waits; default: resolves at once. */
  sleep?: Sleep;
  /** For the engine's certificate-race wait; default: the client's sleep. */
  engineSleep?: Sleep;
  clock?: Clock;
  timeoutMs?: number;
  retry?: Partial<RetryOptions>;
  pacingIntervalMs?: number;
  logger?: Logger;
  /** Default: the shared undici Agent (`sharedAgent`). */
  dispatcher?: Dispatcher;
}

export interface EngineRunOutcome {
  result: ProvisionResult | undefined;
  error: unknown;
  stats: AscClientStats;
  /** What the fake received during this run (meaningful when nothing else ran on that fake meanwhile). */
  requests: RequestLogEntry[];
  writes: number;
}

export const immediateSleep: Sleep = () => Promise.resolve();

/** A sleep that returns at once and remembers every duration asked for. */
export function recordingSleep(): { sleep: Sleep; calls: number[] } {
  const calls: number[] = [];
  return {
    calls,
    sleep: (ms) => {
      calls.push(ms);
      return Promise.resolve();
    },
  };
}

/** A clock the test moves; `sleep` advances it instead of waiting. */
export function manualClock(start = Date.now()): { clock: Clock; sleep: Sleep; advance(ms: number): void } {
  let now = start;
  return {
    clock: { now: () => now },
    sleep: (ms) => {
      now += Math.max(0, ms);
      return Promise.resolve();
    },
    advance: (ms) => {
      now += ms;
    },
  };
}

import { fakeInputs } from "../../support/engine-harness.ts";

export { fakeInputs };

let shared: Agent | undefined;

/** One keep-alive undici Agent for the fakes on loopback (closed by `closeSharedAgent`); it trusts no test CA. */
export function sharedAgent(): Agent {
  shared ??= new Agent({ connections: 16 });
  return shared;
}

export async function closeSharedAgent(): Promise<void> {
  await shared?.close();
  shared = undefined;
}

/** A client for `inputs`, wired like provision() wires its own, with the suite's sleep, clock and timeouts. */
export function makeClient(inputs: RawInputs, options: EngineRunOptions = {}): AscClient {
  const config = parseConfig(inputs, { readFile: () => undefined, masker: noMasking });
  return new AscClient({
    issuerId: config.apiKey.issuerId,
    keyId: config.apiKey.keyId,
    privateKey: config.apiKey.privateKey,
    baseUrl: config.apiKey.baseUrl,
    clock: options.clock ?? systemClock,
    sleep: options.sleep ?? immediateSleep,
    logger: options.logger ?? silentLogger,
    dispatcher: options.dispatcher ?? sharedAgent(),
    timeoutMs: options.timeoutMs ?? 5_000,
    ...(options.retry ? { retry: options.retry } : {}),
    ...(options.pacingIntervalMs !== undefined ? { pacingIntervalMs: options.pacingIntervalMs } : {}),
  });
}

/** parseConfig + provision against `fake`; the outcome carries the result or the error. */
export async function runEngine(fake: FakeAsc, options: EngineRunOptions = {}): Promise<EngineRunOutcome> {
  const inputs = fakeInputs(fake, options.inputs);
  const from = fake.log.length;
  let client: AscClient | undefined;
  let result: ProvisionResult | undefined;
  let error: unknown;
  try {
    client = makeClient(inputs, options);
    const config = parseConfig(inputs, { readFile: () => undefined, masker: noMasking });
    result = await provision(config, {
      client,
      logger: options.logger ?? silentLogger,
      masker: noMasking,
      clock: options.clock ?? systemClock,
      sleep: options.engineSleep ?? options.sleep ?? immediateSleep,
    });
  } catch (thrown) {
    error = thrown;
  }
  // A failed run can leave requests of the same wave in flight: let the fake answer them first.
  const to = fake.log.length;
  await answered(fake, from, to);
  const requests = fake.log.slice(from, to);
  return {
    result,
    error,
    stats: client?.stats ?? {
      requests: 0,
      retries: 0,
      rateLimitWaits: 0,
      pacedRequests: 0,
      tokensMinted: 0,
    },
    requests,
    writes: requests.filter((r) => r.write).length,
  };
}

/** Waits (at most 3 s) until the fake has answered or dropped the requests logged in [from, to). */
async function answered(fake: FakeAsc, from: number, to: number): Promise<void> {
  const deadline = Date.now() + 3_000;
  while (fake.log.slice(from, to).some((e) => e.endedAt === 0) && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 5));
}

/** A one-line description of an outcome for assertion messages. */
export function describeOutcome(outcome: EngineRunOutcome): string {
  if (outcome.error !== undefined) {
    const e = outcome.error;
    return `${e instanceof Error ? e.name : typeof e}: ${e instanceof Error ? e.message : String(e)}`;
  }
  return `ok, plan: ${outcome.result?.plan.map((s) => s.kind).join(", ") || "(none)"}`;
}
