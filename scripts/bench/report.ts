// The benchmark's figures: medians and ranges over repetitions, the targets of issue 6 checked against
// them, and the Markdown table.
import type { Phases, Repetition } from "./measure.ts";
import { PROJECT_READ_TARGET_MS, type Scenario } from "./scenarios.ts";

/** The latency the wall-time targets are stated for. */
export const TARGET_LATENCY_MS = 300;
export const TARGETS = {
  warmMaxRequests: 3,
  warmMaxRequestsWithDevices: 4,
  coldSingleMaxWaves: 4,
  warmMaxWallMs: 650,
  coldMaxWallMs: 1600,
} as const;

export interface Spread {
  median: number;
  min: number;
  max: number;
}

export interface TargetCheck {
  target: string;
  /** undefined: not applicable in this run (e.g. the latency is not 300 ms). */
  pass: boolean | undefined;
  measured: string;
}

export interface ScenarioResult {
  id: string;
  number: string;
  title: string;
  temperature: Scenario["temperature"];
  bundleIds: number;
  requests: Spread;
  writes: Spread;
  waves: Spread;
  wallMs: Spread;
  /** Medians of each phase of the wall time. */
  phasesMs: Phases;
  byRoute: Record<string, number>;
  waveSizes: number[];
  repetitions: Repetition[];
  targets: TargetCheck[];
  error?: string;
}

export function spread(values: readonly number[]): Spread {
  if (values.length === 0) return { median: Number.NaN, min: Number.NaN, max: Number.NaN };
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]! };
}

export function scenarioResult(
  scenario: Scenario,
  repetitions: Repetition[],
  error: string | undefined,
): ScenarioResult {
  const last = repetitions[repetitions.length - 1];
  return {
    id: scenario.id,
    number: scenario.number,
    title: scenario.title,
    temperature: scenario.temperature,
    bundleIds: scenario.bundleIds.length,
    requests: spread(repetitions.map((r) => r.requests)),
    writes: spread(repetitions.map((r) => r.writes)),
    waves: spread(repetitions.map((r) => r.waves)),
    wallMs: spread(repetitions.map((r) => r.wallMs)),
    phasesMs: {
      beforeFirstRequestMs: spread(repetitions.map((r) => r.phases.beforeFirstRequestMs)).median,
      inWavesMs: spread(repetitions.map((r) => r.phases.inWavesMs)).median,
      betweenWavesMs: spread(repetitions.map((r) => r.phases.betweenWavesMs)).median,
      afterLastAnswerMs: spread(repetitions.map((r) => r.phases.afterLastAnswerMs)).median,
    },
    byRoute: last?.byRoute ?? {},
    waveSizes: last?.waveSizes ?? [],
    repetitions,
    targets: [],
    ...(error ? { error } : {}),
  };
}

const sortedRoutes = (byRoute: Record<string, number>): string =>
  JSON.stringify(Object.entries(byRoute).sort(([a], [b]) => a.localeCompare(b)));

/** The same requests, route by route (their order in the log varies with concurrency). */
export const sameRoutes = (a: Record<string, number>, b: Record<string, number>): boolean =>
  sortedRoutes(a) === sortedRoutes(b);

const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

/**
 * The targets of issue 6 that apply to each scenario: counts on the worst repetition, wall time on the
 * median.
 */
export function checkTargets(
  results: ScenarioResult[],
  scenarios: readonly Scenario[],
  latencyMs: number,
): void {
  const atTargetLatency = latencyMs === TARGET_LATENCY_MS;
  const small = results.find((r) => r.id === "warm-1" && !r.error);
  for (const result of results) {
    const scenario = scenarios.find((s) => s.id === result.id)!;
    const checks: TargetCheck[] = [];
    if (result.error) {
      checks.push({ target: "runs succeed", pass: false, measured: "failed" });
      result.targets = checks;
      continue;
    }
    if (scenario.temperature === "warm") {
      const max = scenario.withDevices ? TARGETS.warmMaxRequestsWithDevices : TARGETS.warmMaxRequests;
      checks.push({
        target: `1 wave, ≤ ${max} requests`,
        pass: result.waves.max === 1 && result.requests.max <= max,
        measured: `${result.waves.max} wave(s), ${result.requests.max} requests`,
      });
    }
    if (scenario.temperature === "cold" && scenario.bundleIds.length === 1 && !scenario.withDevices) {
      checks.push({
        target: `≤ ${TARGETS.coldSingleMaxWaves} waves`,
        pass: result.waves.max <= TARGETS.coldSingleMaxWaves,
        measured: `${result.waves.max} waves`,
      });
    }
    if (scenario.id === "warm-large-team") {
      const same = small ? sameRoutes(small.byRoute, result.byRoute) : undefined;
      checks.push({
        target: "same requests as the small team (2)",
        pass: same,
        measured: small
          ? `${result.requests.max} vs ${small.requests.max}, ${same ? "same" : "different"} routes`
          : "scenario 2 not run",
      });
    }
    const projectRead = spread(
      result.repetitions.flatMap((r) => (r.projectReadMs === undefined ? [] : [r.projectReadMs])),
    );
    if (scenario.inputs.project)
      checks.push({
        target: `reading the project ≤ ${PROJECT_READ_TARGET_MS} ms`,
        pass: Number.isNaN(projectRead.median) ? false : projectRead.median <= PROJECT_READ_TARGET_MS,
        measured: Number.isNaN(projectRead.median)
          ? "no reading in the log"
          : `median ${ms(projectRead)}, every reading of a run summed`,
      });
    const warm = scenario.temperature === "warm";
    const limit = warm ? TARGETS.warmMaxWallMs : TARGETS.coldMaxWallMs;
    checks.push({
      target: `wall ≤ ${seconds(limit)} at ${TARGET_LATENCY_MS} ms${scenario.temperature === "repair" ? " (as cold)" : ""}`,
      pass: atTargetLatency ? result.wallMs.median <= limit : undefined,
      measured: atTargetLatency ? `median ${seconds(result.wallMs.median)}` : `latency is ${latencyMs} ms`,
    });
    result.targets = checks;
  }
}

const verdict = (checks: TargetCheck[]): string => {
  if (checks.some((c) => c.pass === false)) return "FAIL";
  if (checks.some((c) => c.pass === true)) return "PASS";
  return "n/a";
};

const mark = (c: TargetCheck): string =>
  `${c.pass === undefined ? "n/a" : c.pass ? "PASS" : "FAIL"} ${c.target} (${c.measured})`;

const count = (s: Spread): string =>
  Number.isNaN(s.median) ? "–" : s.min === s.max ? String(s.min) : `${s.median} (${s.min}–${s.max})`;

const ms = (s: Spread): string =>
  Number.isNaN(s.median) ? "–" : `${Math.round(s.median)} ms (${Math.round(s.min)}–${Math.round(s.max)})`;

const round = (n: number): string => (Number.isNaN(n) ? "–" : String(Math.round(n)));

export function markdownTable(results: ScenarioResult[], meta: { latencyMs: number; runs: number }): string {
  const lines = [
    `Fake App Store Connect at ${meta.latencyMs} ms per response (HTTPS on loopback), ${meta.runs} timed run(s) per scenario, each on a fresh account and a fresh runner. Wall: the main step of dist/ as the runner spawns it, process start to exit, median (min–max). Phases (medians, ms): before the first request · inside round-trip waves · between waves · after the last answer.`,
    "",
    "| # | Scenario | Requests | Waves | Writes | Wall | Phases (ms) | Targets | |",
    "| --- | --- | ---: | ---: | ---: | ---: | --- | --- | --- |",
  ];
  for (const r of results) {
    const p = r.phasesMs;
    const phases = r.repetitions.length
      ? [p.beforeFirstRequestMs, p.inWavesMs, p.betweenWavesMs, p.afterLastAnswerMs].map(round).join(" · ")
      : "–";
    lines.push(
      `| ${r.number} | ${r.title}${r.error ? ` — **error**: ${r.error.split("\n")[0]}` : ""} | ${count(r.requests)} | ${count(r.waves)} | ${count(r.writes)} | ${ms(r.wallMs)} | ${phases} | ${r.targets.map(mark).join("; ")} | ${verdict(r.targets)} |`,
    );
  }
  lines.push("", "Requests per scenario (last run), by route, and the size of each wave:", "");
  for (const r of results) {
    const routes = Object.entries(r.byRoute)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([route, n]) => `${route}${n > 1 ? ` ×${n}` : ""}`)
      .join(", ");
    lines.push(`- ${r.number} \`${r.id}\`: ${routes || "–"}; waves [${r.waveSizes.join(", ")}]`);
  }
  return lines.join("\n");
}
