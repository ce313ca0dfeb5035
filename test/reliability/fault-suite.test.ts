// Fault suite: 100 cold-and-warm pairs (200 faulted runs) against the fake with ~30 % of requests faulted
// (500, Apple's 502 "Could not process this request", 503, an HTML 502 page, a cut-off JSON body, resets,
// held-then-dropped requests), before or after the write took effect; then pairs whose faults are
// requests held past the client's own timeout. Each faulted run ends in the right state or a typed error
// naming the cause; a clean run after it converges and the run after that makes zero writes; the account
// never holds a duplicate bundle ID, certificate or profile. Each pair has its own account and its seed
// picks the configuration and the faults: a failure names its seed, replay it with FAULT_REPLAY=<seed>.
import { afterAll, describe, expect, it } from "vitest";
import { closeSharedAgent } from "./support/engine-run.ts";
import { type FaultMix, newTotals, runPairs, summaryLine } from "./support/fault-pairs.ts";

const BASE_SEED = Number(process.env.FAULT_SEED_BASE ?? 7_000);
const REPLAY = process.env.FAULT_REPLAY?.split(",").map(Number);
const seeds = (count: number, offset: number): number[] =>
  REPLAY ?? Array.from({ length: count }, (_, i) => BASE_SEED + offset + i);
const LANES = 4;

const SERVER_FAULTS: FaultMix = {
  name: "server faults",
  rate: 0.3,
  kinds: ["500", "502", "503", "html502", "nonjson", "reset", "timeout"],
  holdMs: 200,
  clientTimeoutMs: 2_000,
};

const CLIENT_TIMEOUTS: FaultMix = {
  name: "client timeouts",
  rate: 0.2,
  kinds: ["timeout"],
  holdMs: 800,
  clientTimeoutMs: 300,
};

afterAll(() => closeSharedAgent());

describe("fault suite", () => {
  it.each([
    [SERVER_FAULTS.name, SERVER_FAULTS, seeds(100, 0)],
    [CLIENT_TIMEOUTS.name, CLIENT_TIMEOUTS, seeds(8, 50_000)],
  ] as const)(
    "%s: every faulted run converges, loses nothing, duplicates nothing",
    {
      timeout: 180_000,
    },
    async (_name, mix, pairSeeds) => {
      const totals = newTotals();
      const started = performance.now();
      const problems = await runPairs([...pairSeeds], mix, totals, LANES);
      console.log(
        summaryLine(mix.name, pairSeeds.length, totals, problems.length, performance.now() - started),
      );
      expect(problems, problems.join("\n")).toEqual([]);
      expect(totals.faultedRuns).toBe(pairSeeds.length * 2);
      // The suite really went through the failure paths.
      if (!REPLAY) {
        expect(totals.faultsInjected).toBeGreaterThan(pairSeeds.length);
        expect(totals.retries).toBeGreaterThan(0);
      }
    },
  );
});
