// Cold-and-warm pairs under random faults, each on its own account so that its seed alone replays it:
// a faulted cold run, two clean runs (the first converges, the second writes nothing), a change to the
// account (a new device, an expired profile, a revoked certificate, a new capability), a faulted warm run,
// two clean runs again, and after each the account checked for duplicates and orphans.
import type { RawInputs } from "../../../src/core/config-parse.ts";
import { AscApiError } from "../../../src/core/errors.ts";
import type { ProvisionResult } from "../../../src/core/result.ts";
import type { FaultKind } from "../../support/fake-asc/faults.ts";
import { type FakeAsc, startFakeAsc } from "../../support/fake-asc/index.ts";
import { testKeys } from "../../support/keys.ts";
import { duplicateBundleIds, duplicateCertificates, orphanProfiles } from "./account-invariants.ts";
import { describeOutcome, type EngineRunOutcome, runEngine } from "./engine-run.ts";
import { type FaultScenario, faultScenario, perturb, seedDevices } from "./fault-scenarios.ts";

export interface FaultMix {
  name: string;
  /** Probability that a request is faulted. */
  rate: number;
  kinds: FaultKind[];
  /** How long a `timeout` fault holds the request before dropping the connection. */
  holdMs: number;
  /** The client's per-attempt timeout. */
  clientTimeoutMs: number;
}

export interface FaultTotals {
  faultedRuns: number;
  cleanRuns: number;
  faultsInjected: number;
  /** Client retries during the faulted runs. */
  retries: number;
  /** Faulted runs that ended in a typed error. */
  errors: number;
  errorsByCode: Record<string, number>;
}

export const newTotals = (): FaultTotals => ({
  faultedRuns: 0,
  cleanRuns: 0,
  faultsInjected: 0,
  retries: 0,
  errors: 0,
  errorsByCode: {},
});

export function summaryLine(
  name: string,
  accounts: number,
  t: FaultTotals,
  problems: number,
  ms: number,
): string {
  const codes = Object.entries(t.errorsByCode)
    .map(([code, n]) => `${code} ${n}`)
    .join(", ");
  return `fault suite (${name}): ${t.faultedRuns} faulted runs + ${t.cleanRuns} clean runs on ${accounts} accounts, ${t.faultsInjected} faults injected, ${t.retries} client retries, ${t.errors} faulted runs ended in a typed error${codes ? ` (${codes})` : ""}, ${problems} problems, ${(ms / 1000).toFixed(1)} s`;
}

/** Retries as in production (5 attempts), without the waiting: the client's sleep resolves at once. */
const RETRY = { maxAttempts: 5 };
/** What a typed error must say about its cause. */
const CAUSE =
  /\b50[023]\b|HTTP 5\d\d|not JSON|could not talk to|did not answer|connection broke|Could not process this request|unexpected error/i;
/** More requests than this in one run would be a retry storm. */
const MAX_REQUESTS_PER_RUN = 80;

interface PairContext {
  fake: FakeAsc;
  mix: FaultMix;
  totals: FaultTotals;
}

const profileNames = (result: ProvisionResult): Map<string, string> =>
  new Map(result.profiles.map((p) => [p.name, p.uuid]));

const resourcesOf = (result: ProvisionResult) => ({
  certificate: result.certificate?.id,
  bundleIds: result.bundleIds.map((b) => `${b.identifier}=${b.id}`),
  profiles: result.profiles.map((p) => `${p.name}=${p.uuid}`),
});

/** Runs `inputs` once with random faults from `seed`; checks the outcome and returns it. */
async function faultedRun(
  ctx: PairContext,
  inputs: RawInputs,
  seed: number,
  problems: string[],
): Promise<EngineRunOutcome> {
  const { fake, mix, totals } = ctx;
  const before = fake.faults.injected;
  fake.faults.random({ rate: mix.rate, seed, kinds: mix.kinds, when: "either", holdMs: mix.holdMs });
  const outcome = await runEngine(fake, { inputs, timeoutMs: mix.clientTimeoutMs, retry: RETRY });
  fake.faults.clear();
  totals.faultedRuns += 1;
  totals.faultsInjected += fake.faults.injected - before;
  totals.retries += outcome.stats.retries;
  if (outcome.stats.requests > MAX_REQUESTS_PER_RUN)
    problems.push(`faulted run made ${outcome.stats.requests} requests (retry storm?)`);
  if (outcome.error !== undefined) {
    totals.errors += 1;
    const error = outcome.error;
    if (!(error instanceof AscApiError)) {
      problems.push(`faulted run threw an untyped error: ${describeOutcome(outcome)}`);
    } else {
      totals.errorsByCode[error.code] = (totals.errorsByCode[error.code] ?? 0) + 1;
      if (!CAUSE.test(error.message)) problems.push(`error does not name its cause: ${error.message}`);
    }
  }
  return outcome;
}

/** Two clean runs: the first converges, the second makes zero writes and names the same resources. */
async function cleanRuns(
  ctx: PairContext,
  inputs: RawInputs,
  faulted: EngineRunOutcome,
  problems: string[],
): Promise<ProvisionResult | undefined> {
  const { fake, totals } = ctx;
  const first = await runEngine(fake, { inputs, retry: RETRY });
  const second = await runEngine(fake, { inputs, retry: RETRY });
  totals.cleanRuns += 2;
  if (!first.result) {
    problems.push(`clean run after the faulted one failed: ${describeOutcome(first)}`);
    return undefined;
  }
  if (!second.result) {
    problems.push(`second clean run failed: ${describeOutcome(second)}`);
    return undefined;
  }
  if (second.writes !== 0)
    problems.push(
      `second clean run made ${second.writes} writes: ${second.requests
        .filter((r) => r.write)
        .map((r) => `${r.method} ${r.path}`)
        .join(", ")}`,
    );
  if (JSON.stringify(resourcesOf(second.result)) !== JSON.stringify(resourcesOf(first.result)))
    problems.push("the two clean runs name different resources");
  // A faulted run that succeeded left the account right: the clean run after it changes nothing.
  if (faulted.result) {
    if (first.writes !== 0)
      problems.push(
        `the faulted run succeeded but the clean run after it still made ${first.writes} writes (${first.result.plan.map((s) => `${s.kind} ${s.target}: ${s.reason}`).join("; ")})`,
      );
    if (JSON.stringify(resourcesOf(faulted.result)) !== JSON.stringify(resourcesOf(first.result)))
      problems.push("the faulted run succeeded but returned other resources than the clean run finds");
  }
  return first.result;
}

function accountProblems(fake: FakeAsc, scenario: FaultScenario, returned: ProvisionResult): string[] {
  return [
    ...duplicateBundleIds(fake, scenario.bundleIds),
    ...duplicateCertificates(fake, testKeys().signingKey),
    ...orphanProfiles(fake, profileNames(returned)),
  ];
}

/** One pair on its own account; returns its problems, each naming the seed and how to replay it. */
async function pair(seed: number, mix: FaultMix, totals: FaultTotals): Promise<string[]> {
  const scenario = faultScenario(seed);
  const fake = await startFakeAsc();
  const ctx: PairContext = { fake, mix, totals };
  const problems: string[] = [];
  const fail = (stage: string, list: string[]) => {
    for (const p of list) problems.push(`${stage}: ${p}`);
  };
  try {
    seedDevices(fake, scenario);
    const coldProblems: string[] = [];
    const cold = await faultedRun(ctx, scenario.inputs, seed, coldProblems);
    const afterCold = await cleanRuns(ctx, scenario.inputs, cold, coldProblems);
    if (afterCold) coldProblems.push(...accountProblems(fake, scenario, afterCold));
    fail(`cold run (${describeOutcome(cold)})`, coldProblems);
    if (afterCold) await warmHalf(ctx, scenario, seed, afterCold, fail);
  } catch (error) {
    problems.push(`harness error: ${error instanceof Error ? error.stack : String(error)}`);
  } finally {
    await fake.stop();
  }
  return problems.map(
    (p) =>
      `seed ${seed} [${mix.name}; ${scenario.label}] ${p} — replay: FAULT_REPLAY=${seed} npx vitest run test/reliability/fault-suite.test.ts -t "${mix.name}"`,
  );
}

/** The account changed, then a faulted warm run and its clean runs. */
async function warmHalf(
  ctx: PairContext,
  scenario: FaultScenario,
  seed: number,
  afterCold: ProvisionResult,
  fail: (stage: string, list: string[]) => void,
): Promise<void> {
  const { fake } = ctx;
  const warmInputs = perturb(fake, scenario, seed, {
    mainProfileId: afterCold.profiles[0]!.id,
    certificateId: afterCold.certificate!.id,
  });
  const warmProblems: string[] = [];
  const warm = await faultedRun(ctx, warmInputs, seed + 0x10000, warmProblems);
  const afterWarm = await cleanRuns(ctx, warmInputs, warm, warmProblems);
  if (afterWarm) warmProblems.push(...accountProblems(fake, scenario, afterWarm));
  fail(`warm run after ${scenario.perturbation} (${describeOutcome(warm)})`, warmProblems);
}

/** Runs the pairs of `seeds`, `lanes` at a time; returns every problem found. */
export async function runPairs(
  seeds: number[],
  mix: FaultMix,
  totals: FaultTotals,
  lanes: number,
): Promise<string[]> {
  const queue = [...seeds];
  const problems: string[] = [];
  await Promise.all(
    Array.from({ length: Math.min(lanes, queue.length) }, async () => {
      for (let seed = queue.shift(); seed !== undefined; seed = queue.shift())
        problems.push(...(await pair(seed, mix, totals)));
    }),
  );
  return problems;
}
