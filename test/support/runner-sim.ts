// Runs the built action (dist/main, dist/post) the way the GitHub runner does: every input as INPUT_*
// (action.yml defaults applied), GITHUB_OUTPUT / GITHUB_STATE / GITHUB_STEP_SUMMARY files, RUNNER_TEMP,
// HOME in a temp dir; post gets main's state as STATE_* variables. Used by the e2e tests, the demo and
// the benchmark.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { INPUT_DEFAULTS } from "../../src/action/action-metadata.ts";

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

export interface RunnerEnvironment {
  root: string;
  home: string;
  runnerTemp: string;
  workspace: string;
  runnerOs: "Linux" | "macOS" | "Windows";
  /** Extra variables (PATH with a stand-in `security`, NODE_EXTRA_CA_CERTS, RUNNER_DEBUG...). */
  env: Record<string, string>;
}

export interface StepRun {
  code: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  state: Record<string, string>;
  summary: string;
  ms: number;
}

export function createRunnerEnvironment(
  runnerOs: RunnerEnvironment["runnerOs"] = "Linux",
  env: Record<string, string> = {},
): RunnerEnvironment {
  const root = mkdtempSync(join(tmpdir(), "asc-provision-runner-"));
  const home = join(root, "home");
  const runnerTemp = join(root, "runner-temp");
  const workspace = join(root, "workspace");
  for (const dir of [home, runnerTemp, workspace]) mkdirSync(dir, { recursive: true });
  return { root, home, runnerTemp, workspace, runnerOs, env };
}

/** Parses a GITHUB_OUTPUT / GITHUB_STATE file (`name<<delimiter` blocks and `name=value` lines). */
export function parseCommandFile(text: string): Record<string, string> {
  const result: Record<string, string> = {};
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delimiter] = heredoc;
      const body: string[] = [];
      for (i++; i < lines.length && lines[i] !== delimiter; i++) body.push(lines[i]!);
      result[name!] = body.join("\n");
    } else if (line.includes("=")) {
      const at = line.indexOf("=");
      result[line.slice(0, at)] = line.slice(at + 1);
    }
  }
  return result;
}

let stepCounter = 0;

export async function runStep(
  entry: "main" | "post",
  runner: RunnerEnvironment,
  inputs: Record<string, string>,
  state: Record<string, string> = {},
): Promise<StepRun> {
  const step = join(runner.root, `step-${++stepCounter}-${entry}`);
  mkdirSync(step, { recursive: true });
  const files = { output: join(step, "output"), state: join(step, "state"), summary: join(step, "summary") };
  for (const f of Object.values(files)) writeFileSync(f, "");
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    HOME: runner.home,
    RUNNER_TEMP: runner.runnerTemp,
    RUNNER_OS: runner.runnerOs,
    GITHUB_WORKSPACE: runner.workspace,
    GITHUB_ACTIONS: "true",
    GITHUB_OUTPUT: files.output,
    GITHUB_STATE: files.state,
    GITHUB_STEP_SUMMARY: files.summary,
    ...runner.env,
  };
  const merged = { ...INPUT_DEFAULTS, ...inputs } as Record<string, string>;
  for (const [name, value] of Object.entries(merged))
    env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] = value;
  for (const [name, value] of Object.entries(state)) env[`STATE_${name}`] = value;
  const started = performance.now();
  const child = spawn(process.execPath, [join(projectRoot, "dist", entry, "index.js")], {
    cwd: runner.workspace,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  const code = await new Promise<number>((done) => child.on("close", (c) => done(c ?? 1)));
  return {
    code,
    stdout,
    stderr,
    outputs: parseCommandFile(readFileSync(files.output, "utf8")),
    state: parseCommandFile(readFileSync(files.state, "utf8")),
    summary: readFileSync(files.summary, "utf8"),
    ms: performance.now() - started,
  };
}
