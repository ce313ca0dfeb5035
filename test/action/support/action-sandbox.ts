// A simulated runner for running runMain/runPost in-process: temp HOME and RUNNER_TEMP, GITHUB_OUTPUT /
// GITHUB_STATE / GITHUB_STEP_SUMMARY files, INPUT_* variables as the runner sets them (dashes kept),
// the stand-in `security` first on PATH, stdout captured and masked the way the runner masks it
// (`::add-mask::` registers a value, later lines have it replaced by ***).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as core from "@actions/core";
import { vi } from "vitest";
import { INPUT_DEFAULTS } from "../../../src/action/action-metadata.ts";
import {
  type FakeSecurity,
  type FakeSecurityOptions,
  setUpFakeSecurity,
} from "../../support/fake-security/fake-security-harness.ts";
import { parseCommandFile } from "../../support/runner-sim.ts";

export interface Sandbox {
  root: string;
  home: string;
  runnerTemp: string;
  security: FakeSecurity;
  /** Sets every INPUT_* (action.yml defaults for the ones not given). */
  setInputs(inputs: Record<string, string>): void;
  setEnv(name: string, value: string): void;
  outputs(): Record<string, string>;
  savedState(): Record<string, string>;
  summary(): string;
  outputFileText(): string;
  /** Everything written to stdout and stderr, as the action wrote it. */
  rawLog(): string;
  /** The log as the runner shows it: add-mask lines consumed, registered values replaced by ***. */
  maskedLog(): string;
  /** Messages of `::error::` commands (setFailed). */
  errors(): string[];
  warnings(): string[];
  notices(): string[];
  /** Passes main's saved state to post as STATE_* (as the runner does) and starts a fresh log. */
  startPost(): void;
  dispose(): void;
}

export interface SandboxOptions extends FakeSecurityOptions {
  runnerOs?: "macOS" | "Linux" | "Windows";
}

const unescapeData = (s: string): string =>
  s.replace(/%0D/g, "\r").replace(/%0A/g, "\n").replace(/%25/g, "%");

export function createSandbox(options: SandboxOptions = {}): Sandbox {
  const root = mkdtempSync(join(tmpdir(), "asc-provision-action-"));
  const home = join(root, "home");
  const runnerTemp = join(root, "runner-temp");
  for (const dir of [home, runnerTemp, join(home, "Library", "Keychains")])
    mkdirSync(dir, { recursive: true });
  const files = { output: join(root, "output"), state: join(root, "state"), summary: join(root, "summary") };
  for (const file of Object.values(files)) writeFileSync(file, "");
  const security = setUpFakeSecurity(root, home, options);

  const env: Record<string, string> = {
    HOME: home,
    RUNNER_TEMP: runnerTemp,
    RUNNER_OS: options.runnerOs ?? "macOS",
    GITHUB_ACTIONS: "true",
    GITHUB_OUTPUT: files.output,
    GITHUB_STATE: files.state,
    GITHUB_STEP_SUMMARY: files.summary,
    RUNNER_DEBUG: "",
    ...security.env,
  };
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  // @actions/core's summary keeps the first GITHUB_STEP_SUMMARY it saw for the life of the process (one
  // step on a runner); every sandbox has its own file.
  Object.assign(core.summary, { _filePath: undefined });

  let log: string[] = [];
  const capture = (chunk: string | Uint8Array): boolean => {
    log.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
    return true;
  };
  vi.spyOn(process.stdout, "write").mockImplementation(capture as typeof process.stdout.write);
  vi.spyOn(process.stderr, "write").mockImplementation(capture as typeof process.stderr.write);

  const rawLog = (): string => log.join("");
  const commands = (name: string): string[] =>
    rawLog()
      .split(/\r?\n/)
      .filter((line) => line.startsWith(`::${name}`))
      .map((line) => unescapeData(line.slice(line.indexOf("::", 2) + 2)));

  return {
    root,
    home,
    runnerTemp,
    security,
    setInputs(inputs) {
      for (const [name, value] of Object.entries({ ...INPUT_DEFAULTS, ...inputs }))
        vi.stubEnv(`INPUT_${name.replace(/ /g, "_").toUpperCase()}`, value);
    },
    setEnv: (name, value) => vi.stubEnv(name, value),
    outputs: () => parseCommandFile(readFileSync(files.output, "utf8")),
    savedState: () => parseCommandFile(readFileSync(files.state, "utf8")),
    summary: () => readFileSync(files.summary, "utf8"),
    outputFileText: () => readFileSync(files.output, "utf8"),
    rawLog,
    maskedLog() {
      const masks: string[] = [];
      const shown: string[] = [];
      for (const line of rawLog().split(/\r?\n/)) {
        if (line.startsWith("::add-mask::")) {
          const value = unescapeData(line.slice("::add-mask::".length));
          if (value) masks.push(value);
          continue;
        }
        let masked = line;
        for (const mask of [...masks].sort((a, b) => b.length - a.length))
          masked = masked.split(mask).join("***");
        shown.push(masked);
      }
      return shown.join("\n");
    },
    errors: () => commands("error"),
    warnings: () => commands("warning"),
    notices: () => commands("notice"),
    startPost() {
      for (const [name, value] of Object.entries(parseCommandFile(readFileSync(files.state, "utf8"))))
        vi.stubEnv(`STATE_${name}`, value);
      log = [];
    },
    dispose() {
      vi.restoreAllMocks();
      vi.unstubAllEnvs();
      process.exitCode = 0;
      rmSync(root, { recursive: true, force: true });
    },
  };
}
