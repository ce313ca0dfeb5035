// `npm run bench [-- --latency 300 --runs 5 --scenario warm,1b --json .bench/results.json]`
//
// The built action (dist/main, as the GitHub runner runs it) against the project's fake App Store
// Connect with a fixed latency per response: per scenario the requests, round-trip waves and writes the
// fake saw, and the main step's wall time (process start to exit) over repeated runs, each on a fresh
// account. Checks the targets of issue 6, prints a Markdown table and
// writes the figures as JSON. Exits 1 when a scenario fails to run (a missed target is reported, not fatal).
import { generateKeyPairSync } from "node:crypto";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg } from "node:os";
import { dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { projectRoot } from "../test/support/runner-sim.ts";
import { distStamp, waitForStableDist } from "./bench/dist-watch.ts";
import { distMain, type Repetition, runRepetition } from "./bench/measure.ts";
import { checkTargets, markdownTable, type ScenarioResult, scenarioResult } from "./bench/report.ts";
import { SCENARIOS, selectScenarios } from "./bench/scenarios.ts";

const USAGE = `Usage: npm run bench -- [options]
  --latency MS        fake App Store Connect latency per response (default 300)
  --runs N            timed runs per scenario, each on a fresh account (default 5)
  --scenario LIST     comma-separated ids, numbers or id parts (default all): ${SCENARIOS.map((s) => s.id).join(", ")}
  --json PATH         where to write the results (default .bench/results.json)`;

function positiveInteger(name: string, value: string, min: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) {
    console.error(`--${name}: expected an integer ≥ ${min}, got "${value}"\n\n${USAGE}`);
    process.exit(2);
  }
  return n;
}

const { values } = parseArgs({
  options: {
    latency: { type: "string", default: "300" },
    runs: { type: "string", default: "5" },
    scenario: { type: "string" },
    json: { type: "string", default: join(".bench", "results.json") },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const latencyMs = positiveInteger("latency", values.latency, 0);
const runs = positiveInteger("runs", values.runs, 1);
const jsonPath = resolve(projectRoot, values.json);
const scenarios = selectScenarios(values.scenario);
if (scenarios.length === 0) {
  console.error(`--scenario "${values.scenario}" matches no scenario.\n\n${USAGE}`);
  process.exit(2);
}
if (!existsSync(distMain)) {
  console.error("dist/main/index.js is missing: run `npm run build` first.");
  process.exit(1);
}

const distAtStart = distStamp();

const { privateKey: signingKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const signingKeyPem = signingKey.export({ type: "pkcs8", format: "pem" }).toString();
const startedAt = new Date();

const results: ScenarioResult[] = [];
for (const scenario of scenarios) {
  const unavailable = scenario.unavailable?.();
  if (unavailable) {
    process.stderr.write(`${scenario.number} ${scenario.id}: skipped: ${unavailable}\n`);
    continue;
  }
  process.stderr.write(`${scenario.number} ${scenario.id}:`);
  const repetitions: Repetition[] = [];
  let error: string | undefined;
  let rebuilds = 0;
  for (let i = 0; i < runs && !error; i++) {
    const stamp = distStamp();
    try {
      const phase = (i + 0.5) / runs;
      const rep = await runRepetition(scenario, { latencyMs, signingKey, signingKeyPem, phase });
      repetitions.push(rep);
      process.stderr.write(` ${Math.round(rep.wallMs)} ms`);
    } catch (e) {
      // dist/ rebuilt under the run (another `npm run build`): wait for the new build and repeat.
      const now = distStamp();
      if ((now !== stamp || now === "missing") && rebuilds++ < 3) {
        process.stderr.write(" (dist/ rebuilt under the run, waiting for it)");
        await waitForStableDist();
        i--;
        continue;
      }
      error = e instanceof Error ? e.message : String(e);
      process.stderr.write(` error\n${error}\n`);
    }
  }
  process.stderr.write("\n");
  results.push(scenarioResult(scenario, repetitions, error));
}
checkTargets(results, scenarios, latencyMs);

const distChanged = distStamp() !== distAtStart;
if (distChanged)
  console.warn("warning: dist/main changed while the benchmark ran: the figures mix two builds.");
const table = markdownTable(results, { latencyMs, runs });
console.log(`\n${table}\n`);

mkdirSync(dirname(jsonPath), { recursive: true });
writeFileSync(
  jsonPath,
  `${JSON.stringify(
    {
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      node: process.version,
      cpus: availableParallelism(),
      cpuModel: cpus()[0]?.model ?? "",
      loadAverageAtEnd: loadavg(),
      latencyMs,
      runs,
      distChanged,
      scenarios: results,
      markdown: table,
    },
    null,
    2,
  )}\n`,
);
console.log(`results: ${jsonPath}`);
process.exit(results.some((r) => r.error) ? 1 : 0);
