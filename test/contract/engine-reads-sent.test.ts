// provision's onReadsSent: the moment CPU-heavy work (the .p12's key derivations, the planning code) may
// start without holding back the reads: once they are on the wire, before any answer, once per run.
import { afterAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/core/config-parse.ts";
import { noMasking, silentLogger } from "../../src/core/ports.ts";
import { provision } from "../../src/core/provision.ts";
import { fakeInputs } from "../support/engine-harness.ts";
import { type FakeAsc, startFakeAsc } from "../support/fake-asc/index.ts";

const fakes: FakeAsc[] = [];
afterAll(async () => {
  for (const fake of fakes) await fake.stop();
});

describe("provision: onReadsSent", () => {
  it("fires once, after the reads went out and before the first answer, on a cold and a warm run", async () => {
    const fake = await startFakeAsc({ latencyMs: 150 });
    fakes.push(fake);
    const config = parseConfig(fakeInputs(fake), { readFile: () => undefined, masker: noMasking });
    for (const temperature of ["cold", "warm"]) {
      fake.clearLog();
      const calls: number[] = [];
      const result = await provision(config, {
        logger: silentLogger,
        masker: noMasking,
        onReadsSent: () => calls.push(Date.now()),
      });
      expect(result.changed, temperature).toBe(temperature === "cold");
      expect(calls, temperature).toHaveLength(1);
      const reads = fake.waves()[0]!;
      expect(reads.map((r) => r.method)).toEqual(["GET", "GET", "GET"]);
      // Before any of the reads was answered (each answer takes 150 ms).
      expect(calls[0]!, temperature).toBeLessThan(Math.min(...reads.map((r) => r.endedAt)));
    }
  });
});
