// One repetition of a scenario against the built action, the way the runner runs it: a fresh fake App
// Store Connect (HTTPS, its own CA trusted through NODE_EXTRA_CA_CERTS), seeded, warmed up by an untimed
// run at zero latency when the scenario is warm, then one timed main step on a fresh runner at the chosen
// latency, its wall time split into phases with the fake's request log.
import type { KeyObject } from "node:crypto";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type FakeAsc, startFakeAsc } from "../../test/support/fake-asc/index.ts";
import { wallClock } from "../../test/support/fake-asc/request-log.ts";
import {
  createRunnerEnvironment,
  projectRoot,
  type RunnerEnvironment,
  runStep,
  type StepRun,
} from "../../test/support/runner-sim.ts";
import type { Scenario, ScenarioContext } from "./scenarios.ts";

export interface Repetition {
  /** The main step's wall time as spawned: process start to exit. */
  wallMs: number;
  requests: number;
  writes: number;
  waves: number;
  /** "GET /v1/profiles" → count. */
  byRoute: Record<string, number>;
  /** Requests per wave, in order. */
  waveSizes: number[];
  phases: Phases;
  changed: string | undefined;
  /** With `project`: the time the run spent reading the Xcode project (every reading, from its log). */
  projectReadMs: number | undefined;
}

/** Where the main step's wall time went, from the fake's log (same clock as the spawn). */
export interface Phases {
  /** Spawn to the first request: Node's start, the bundle's load, inputs, config, token, connection. */
  beforeFirstRequestMs: number;
  /** Inside round-trip waves (first request of a wave sent to its last answer): the latency. */
  inWavesMs: number;
  /** Between waves: the action's own work (plan, CSR, profile parsing) and waits (the race guard). */
  betweenWavesMs: number;
  /** Last answer to exit: the plan when the run is warm (one wave), install, .p12, outputs, summary. */
  afterLastAnswerMs: number;
}

/** A run that did not end as the scenario requires (failed, or not cold/warm as promised). */
export class ScenarioRunError extends Error {}

export async function runRepetition(
  scenario: Scenario,
  options: {
    latencyMs: number;
    signingKey: KeyObject;
    signingKeyPem: string;
    /**
     * Where in the wall-clock second the timed run starts, in [0, 1). A run that creates a certificate
     * waits for the end of the second it was issued in (the race guard), so the wait depends on that
     * phase; without spreading it the runs lock onto one phase (each ends in step with the second).
     */
    phase: number;
  },
): Promise<Repetition> {
  const fake = await startFakeAsc({ tls: true, latencyMs: 0 });
  const runners: RunnerEnvironment[] = [];
  const freshRunner = (): RunnerEnvironment => {
    const runner = createRunnerEnvironment("Linux");
    const caFile = join(runner.root, "fake-asc-ca.pem");
    writeFileSync(caFile, fake.caCertPem ?? "");
    runner.env.NODE_EXTRA_CA_CERTS = caFile;
    scenario.workspace?.(runner.workspace);
    runners.push(runner);
    return runner;
  };
  const inputs = {
    "issuer-id": fake.apiKey.issuerId,
    "key-id": fake.apiKey.keyId,
    "private-key": fake.apiKey.privateKeyPem,
    "api-base-url": fake.url,
    "certificate-private-key": options.signingKeyPem,
    ...scenario.inputs,
  };
  const ctx: ScenarioContext = { fake, signingKey: options.signingKey };
  try {
    await scenario.seed?.(ctx);
    if (scenario.warmUp) {
      const warmUp = await runStep("main", freshRunner(), inputs);
      check(scenario, "warm-up", warmUp, warmUp.code === 0);
    }
    scenario.afterWarmUp?.(ctx);

    fake.setLatency(options.latencyMs);
    const runner = freshRunner();
    await startAtPhase(options.phase);
    fake.clearLog();
    const spawnedAt = wallClock();
    const run = await runStep("main", runner, inputs);
    const stats = fake.stats();
    const changed = run.outputs.changed;
    check(scenario, "timed run", run, run.code === 0);
    check(
      scenario,
      "timed run",
      run,
      scenario.temperature === "warm" ? changed === "false" && stats.writes === 0 : changed === "true",
      scenario.temperature === "warm"
        ? `a warm run must change nothing (changed=${changed}, ${stats.writes} writes)`
        : `a ${scenario.temperature} run must change something (changed=${changed})`,
    );
    return {
      wallMs: run.ms,
      requests: stats.requests,
      writes: stats.writes,
      waves: stats.waves,
      byRoute: stats.byRoute,
      waveSizes: fake.waves().map((w) => w.length),
      phases: phases(fake, spawnedAt, run.ms),
      changed,
      projectReadMs: projectReadMs(run.stdout),
    };
  } finally {
    await fake.stop();
    for (const runner of runners) rmSync(runner.root, { recursive: true, force: true });
  }
}

/** Waits until the wall clock is `phase` (0–1) into a second. */
async function startAtPhase(phase: number): Promise<void> {
  const target = Math.round((((phase % 1) + 1) % 1) * 1000);
  const wait = (target - (Date.now() % 1000) + 1000) % 1000;
  if (wait > 0) await new Promise((done) => setTimeout(done, wait));
}

function phases(fake: FakeAsc, spawnedAt: number, wallMs: number): Phases {
  const waves = fake.waves().map((w) => ({
    start: Math.min(...w.map((e) => e.startedAt)),
    end: Math.max(...w.map((e) => e.endedAt)),
  }));
  const first = waves[0];
  const last = waves[waves.length - 1];
  if (!first || !last)
    return { beforeFirstRequestMs: wallMs, inWavesMs: 0, betweenWavesMs: 0, afterLastAnswerMs: 0 };
  const inWavesMs = waves.reduce((sum, w) => sum + (w.end - w.start), 0);
  return {
    beforeFirstRequestMs: first.start - spawnedAt,
    inWavesMs,
    betweenWavesMs: last.end - first.start - inWavesMs,
    afterLastAnswerMs: spawnedAt + wallMs - last.end,
  };
}

/** The sum of the "Xcode project read … in N ms" lines of a run's log; undefined without any. */
export function projectReadMs(stdout: string): number | undefined {
  const times = [...stdout.matchAll(/Xcode project read .*?in (\d+(?:\.\d+)?) ms/g)].map((m) => Number(m[1]));
  return times.length ? times.reduce((a, b) => a + b, 0) : undefined;
}

function check(scenario: Scenario, what: string, run: StepRun, ok: boolean, why?: string): void {
  if (ok) return;
  const errors = run.stdout
    .split("\n")
    .filter((l) => l.startsWith("::error"))
    .join("\n");
  throw new ScenarioRunError(
    `${scenario.id}: ${what} ${why ?? `exited ${run.code}`}\n${errors}${run.stderr ? `\n${run.stderr.trim()}` : ""}`,
  );
}

export const distMain = join(projectRoot, "dist", "main", "index.js");
