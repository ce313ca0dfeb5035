// The benchmark's scenarios (scripts/bench/scenarios.ts) at the engine level: requests, round-trip waves
// and writes from the fake's log at 20 ms latency, so a regression in round trips fails CI. Wall time is
// the benchmark's business (`npm run bench`), never asserted here. The single-target cold/warm runs and
// the warm run of five bundle IDs are asserted in engine-warm-cold.test.ts; this file covers the rest:
// cold with an existing certificate, an app with four extensions, ad hoc with 100 devices, a large team,
// and a repair among five targets.
import { beforeAll, describe, expect, it } from "vitest";
import {
  AD_HOC_DEVICES,
  FIVE_TARGETS,
  REPAIRED_TARGET,
  type ScenarioContext,
  scenario,
} from "../../scripts/bench/scenarios.ts";
import type { RawInputs } from "../../src/core/config-parse.ts";
import type { ProvisionResult } from "../../src/core/result.ts";
import { type Harness, startHarness } from "../support/engine-harness.ts";
import type { RequestStats } from "../support/fake-asc/index.ts";
import { testKeys } from "../support/keys.ts";

const LATENCY_MS = 20;

interface Measured {
  result: ProvisionResult;
  stats: RequestStats;
  waveSizes: number[];
}

/**
 * A fresh fake for the scenario, seeded and (when warm) brought up to date by an untimed run; `measure()`
 * makes the measured run and returns its log figures.
 */
function useScenario(id: string): { h: Harness; ctx: () => ScenarioContext; measure(): Promise<Measured> } {
  const s = scenario(id);
  const h = startHarness({ latencyMs: LATENCY_MS });
  const ctx = (): ScenarioContext => ({ fake: h.fake, signingKey: testKeys().signingKey });
  const inputs: RawInputs = s.inputs;
  beforeAll(async () => {
    await s.seed?.(ctx());
    if (s.warmUp) {
      h.fake.setLatency(0);
      await h.run(inputs);
      h.fake.setLatency(LATENCY_MS);
    }
    s.afterWarmUp?.(ctx());
  });
  return {
    h,
    ctx,
    async measure() {
      h.fake.clearLog();
      const result = await h.run(inputs);
      const measured = {
        result,
        stats: h.fake.stats(),
        waveSizes: h.fake.waves().map((w) => w.length),
      };
      expect(h.fake.specViolations).toEqual([]);
      return measured;
    },
  };
}

const READS = { "GET /v1/bundleIds": 1, "GET /v1/certificates": 1, "GET /v1/profiles": 1 };

describe("bench 1b: cold, one bundle ID, the certificate already exists", () => {
  const sc = useScenario("cold-1-cert");

  it("adopts the certificate and creates bundle ID and profile in 3 waves of 5 requests", async () => {
    const { result, stats, waveSizes } = await sc.measure();
    expect(result.certificate?.outcome).toBe("reused");
    expect(result.plan.map((s) => s.kind).sort()).toEqual(["create-bundle-id", "create-profile"]);
    expect(stats).toMatchObject({ requests: 5, writes: 2, waves: 3 });
    expect(stats.byRoute).toEqual({ ...READS, "POST /v1/bundleIds": 1, "POST /v1/profiles": 1 });
    expect(waveSizes).toEqual([3, 1, 1]);
  });
});

describe("bench 3: cold, an app with four extensions", () => {
  const sc = useScenario("cold-5");

  it("creates five bundle IDs, their capabilities and profiles in 4 waves, each write wave fully concurrent", async () => {
    const { result, stats, waveSizes } = await sc.measure();
    expect(result.profiles.map((p) => [p.bundleId, p.outcome])).toEqual(
      FIVE_TARGETS.map((b) => [b, "created"]),
    );
    expect(stats).toMatchObject({ requests: 18, writes: 15, waves: 4 });
    expect(stats.byRoute).toEqual({
      ...READS,
      "POST /v1/bundleIds": 5,
      "POST /v1/bundleIdCapabilities": 5,
      "POST /v1/profiles": 5,
    });
    expect(waveSizes).toEqual([3, 5, 5, 5]);
  });
});

describe(`bench 5: ad hoc with ${AD_HOC_DEVICES} registered devices, cold`, () => {
  const sc = useScenario("adhoc-100-cold");

  it("reads the devices in the first wave and creates the profile with every device in 3 waves", async () => {
    const { result, stats, waveSizes } = await sc.measure();
    expect(stats).toMatchObject({ requests: 6, writes: 2, waves: 3 });
    expect(stats.byRoute).toEqual({
      ...READS,
      "GET /v1/devices": 1,
      "POST /v1/bundleIds": 1,
      "POST /v1/profiles": 1,
    });
    expect(waveSizes).toEqual([4, 1, 1]);
    const created = sc
      .ctx()
      .fake.state.profiles()
      .find((p) => p.id === result.profiles[0]?.id);
    expect(created?.deviceIds).toHaveLength(AD_HOC_DEVICES);
  });
});

describe(`bench 5: ad hoc with ${AD_HOC_DEVICES} registered devices, warm`, () => {
  const sc = useScenario("adhoc-100-warm");

  it("reuses everything in one wave of 4 reads", async () => {
    const { result, stats, waveSizes } = await sc.measure();
    expect(result.changed).toBe(false);
    expect(stats).toMatchObject({ requests: 4, writes: 0, waves: 1 });
    expect(stats.byRoute).toEqual({ ...READS, "GET /v1/devices": 1 });
    expect(waveSizes).toEqual([4]);
  });
});

describe("bench 6: warm on a large team costs what it costs on a small one", () => {
  const small = useScenario("warm-1");
  const large = useScenario("warm-large-team");

  it("makes the same requests, one wave, whatever the size of the account", async () => {
    const reference = await small.measure();
    const measured = await large.measure();
    expect(large.ctx().fake.state.profiles().length).toBeGreaterThanOrEqual(1000);
    expect(measured.result.changed).toBe(false);
    expect(measured.stats).toMatchObject({ requests: 3, writes: 0, waves: 1 });
    expect(measured.stats.byRoute).toEqual(reference.stats.byRoute);
    expect(measured.stats.byRoute).toEqual(READS);
  });
});

describe("bench 7: repair of one expired profile among five targets", () => {
  const sc = useScenario("repair-1-of-5");

  it("replaces only the expired profile: one delete and one create after the read, 3 waves", async () => {
    const { result, stats, waveSizes } = await sc.measure();
    expect(result.profiles.map((p) => [p.bundleId, p.outcome])).toEqual(
      FIVE_TARGETS.map((b) => [b, b === REPAIRED_TARGET ? "repaired" : "reused"]),
    );
    expect(stats).toMatchObject({ requests: 5, writes: 2, waves: 3 });
    expect(stats.byRoute).toEqual({ ...READS, "DELETE /v1/profiles/{id}": 1, "POST /v1/profiles": 1 });
    expect(waveSizes).toEqual([3, 1, 1]);
  });
});
