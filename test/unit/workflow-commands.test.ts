// workflowCommands against the real @actions/core 3.0.1 as the oracle: the same calls on both, with the
// same environment, must write the same stdout, the same GITHUB_OUTPUT/GITHUB_STATE files, set the same
// process.exitCode, return the same values and throw the same errors. Only the random heredoc delimiter
// (ghadelimiter_<uuid>) and the per-run temporary directory are normalised.
import crypto from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { syncBuiltinESMExports } from "node:module";
import { EOL, tmpdir } from "node:os";
import { join } from "node:path";
import * as actionsCore from "@actions/core";
import { afterEach, describe, expect, it } from "vitest";
import type { ActionsCore } from "../../src/action/actions-core.ts";
import { workflowCommands } from "../../src/action/workflow-commands.ts";

type FileMode = "file" | "missing" | "empty" | "unset";

interface Scenario {
  name: string;
  env?: Record<string, string>;
  output?: FileMode;
  state?: FileMode;
  /** Forces randomUUID (in both implementations) so that a collision with the delimiter can be staged. */
  uuid?: string;
  run: (core: ActionsCore) => unknown;
}

interface Observation {
  stdout: string;
  exitCode: typeof process.exitCode;
  returned: unknown;
  thrown: string | undefined;
  outputFile: string | null;
  stateFile: string | null;
}

const DELIMITER = /ghadelimiter_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const FIXED_UUID = "00000000-0000-4000-8000-000000000000";
const FIXED_DELIMITER = `ghadelimiter_${FIXED_UUID}`;
const tempDirs: string[] = [];

afterEach(() => {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function setFileVar(name: "GITHUB_OUTPUT" | "GITHUB_STATE", mode: FileMode, dir: string): string | undefined {
  const path = join(dir, name.toLowerCase());
  if (mode === "unset") return undefined;
  if (mode === "empty") process.env[name] = "";
  else process.env[name] = path;
  if (mode === "file") writeFileSync(path, "");
  return mode === "file" ? path : undefined;
}

function withFixedUuid<T>(uuid: string | undefined, body: () => T): T {
  if (uuid === undefined) return body();
  const original = crypto.randomUUID;
  crypto.randomUUID = () => uuid as ReturnType<typeof crypto.randomUUID>;
  syncBuiltinESMExports();
  try {
    return body();
  } finally {
    crypto.randomUUID = original;
    syncBuiltinESMExports();
  }
}

/** Runs one scenario against one implementation and restores env, stdout and exitCode afterwards. */
function observe(core: ActionsCore, scenario: Scenario): Observation {
  const dir = mkdtempSync(join(tmpdir(), "workflow-commands-"));
  tempDirs.push(dir);
  const savedEnv = { ...process.env };
  const savedWrite = process.stdout.write;
  const savedExitCode = process.exitCode;
  const chunks: string[] = [];
  try {
    for (const key of Object.keys(process.env)) {
      if (/^(INPUT_|STATE_|GITHUB_OUTPUT$|GITHUB_STATE$)/.test(key)) delete process.env[key];
    }
    Object.assign(process.env, scenario.env ?? {});
    const outputPath = setFileVar("GITHUB_OUTPUT", scenario.output ?? "unset", dir);
    const statePath = setFileVar("GITHUB_STATE", scenario.state ?? "unset", dir);
    process.exitCode = undefined;
    process.stdout.write = ((chunk: string | Uint8Array) => {
      chunks.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
      return true;
    }) as typeof process.stdout.write;
    let returned: unknown;
    let thrown: string | undefined;
    try {
      returned = withFixedUuid(scenario.uuid, () => scenario.run(core));
    } catch (error) {
      thrown = `${(error as Error).constructor.name}: ${(error as Error).message}`;
    }
    const exitCode = process.exitCode;
    process.stdout.write = savedWrite;
    const normalise = (s: string) => s.replaceAll(dir, "<dir>").replace(DELIMITER, "ghadelimiter_<uuid>");
    const read = (path: string | undefined) =>
      path && existsSync(path) ? normalise(readFileSync(path, "utf8")) : null;
    return {
      stdout: normalise(chunks.join("")),
      exitCode,
      returned,
      thrown: thrown === undefined ? undefined : normalise(thrown),
      outputFile: read(outputPath),
      stateFile: read(statePath),
    };
  } finally {
    process.stdout.write = savedWrite;
    process.exitCode = savedExitCode;
    for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
    Object.assign(process.env, savedEnv);
  }
}

/** Module specifiers of static imports/re-exports, bare imports and dynamic imports, outside comments. */
function importSpecifiers(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
  return [
    ...code.matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom\s*["']([^"']+)["']/gm),
    ...code.matchAll(/^\s*import\s*["']([^"']+)["']/gm),
    ...code.matchAll(/\b(?:import|require)\s*\(\s*["']([^"']+)["']/g),
  ].map((m) => m[1] ?? "");
}

const tricky = "50% done\r\nline two: a, b\nüñíçødé ✓ 🚀";
const allProperties = {
  title: "Title: with, punctuation%",
  file: "src/a,b:c.ts",
  startLine: 3,
  endLine: 7,
  startColumn: 2,
  endColumn: 9,
};

const scenarios: Scenario[] = [
  // Logging and annotations
  { name: "info plain", run: (c) => c.info("hello") },
  { name: "info with %, CR, LF, unicode (not escaped)", run: (c) => c.info(tricky) },
  { name: "info empty", run: (c) => c.info("") },
  { name: "debug escaped", run: (c) => c.debug(tricky) },
  { name: "setSecret multi-line", run: (c) => c.setSecret("-----BEGIN-----\nabc%def\r\n-----END-----") },
  { name: "setSecret empty", run: (c) => c.setSecret("") },
  { name: "notice plain", run: (c) => c.notice("a notice") },
  { name: "warning escaped", run: (c) => c.warning(tricky) },
  { name: "error with all properties", run: (c) => c.error(tricky, allProperties) },
  { name: "warning with all properties", run: (c) => c.warning("w", allProperties) },
  { name: "notice with title only", run: (c) => c.notice("n", { title: "T" }) },
  { name: "warning with file and startLine", run: (c) => c.warning("w", { file: "x.ts", startLine: 12 }) },
  { name: "error with startLine 0 (falsy, dropped)", run: (c) => c.error("e", { startLine: 0, title: "t" }) },
  { name: "error with only undefined properties", run: (c) => c.error("e", { title: undefined }) },
  { name: "error with empty properties", run: (c) => c.error("e", {}) },
  { name: "error with an Error", run: (c) => c.error(new TypeError("bad\nthing: 100%")) },
  { name: "warning with an Error and properties", run: (c) => c.warning(new Error("w"), { title: "x" }) },
  { name: "setFailed string", run: (c) => c.setFailed("asc-provision: it broke: 100%\nsee above") },
  { name: "setFailed Error", run: (c) => c.setFailed(new RangeError("out of range")) },
  {
    name: "startGroup/endGroup",
    run: (c) => {
      c.startGroup("Group: a, b 50%\nx");
      c.info("in");
      c.endGroup();
    },
  },
  { name: "startGroup empty name", run: (c) => c.startGroup("") },
  // Inputs
  { name: "getInput plain", env: { INPUT_MODE: "apply" }, run: (c) => c.getInput("mode") },
  { name: "getInput unset", run: (c) => c.getInput("mode") },
  { name: "getInput name with spaces", env: { INPUT_MY_INPUT: "x" }, run: (c) => c.getInput("my input") },
  {
    name: "getInput name with dashes",
    env: { "INPUT_BUNDLE-IDS": " a\nb " },
    run: (c) => c.getInput("bundle-ids"),
  },
  { name: "getInput trims by default", env: { INPUT_X: "  v \n\t" }, run: (c) => c.getInput("x") },
  {
    name: "getInput trimWhitespace true",
    env: { INPUT_X: "  v " },
    run: (c) => c.getInput("x", { trimWhitespace: true }),
  },
  {
    name: "getInput trimWhitespace false",
    env: { INPUT_X: "  v \n" },
    run: (c) => c.getInput("x", { trimWhitespace: false }),
  },
  { name: "getInput required and missing", run: (c) => c.getInput("private key", { required: true }) },
  {
    name: "getInput required and empty",
    env: { "INPUT_ISSUER-ID": "" },
    run: (c) => c.getInput("issuer-id", { required: true }),
  },
  {
    name: "getInput required and whitespace only",
    env: { INPUT_X: "   " },
    run: (c) => c.getInput("x", { required: true }),
  },
  {
    name: "getInput required and present, untrimmed",
    env: { INPUT_X: " v " },
    run: (c) => c.getInput("x", { required: true, trimWhitespace: false }),
  },
  { name: "getInput unicode", env: { INPUT_X: "ünï ✓" }, run: (c) => c.getInput("x") },
  // State
  { name: "getState set", env: { STATE_created: "a,b" }, run: (c) => c.getState("created") },
  { name: "getState unset", run: (c) => c.getState("created") },
  { name: "getState is case-sensitive", env: { STATE_CREATED: "x" }, run: (c) => c.getState("created") },
  // setOutput / saveState through files
  { name: "setOutput plain (file)", output: "file", run: (c) => c.setOutput("profile-uuid", "abc") },
  { name: "setOutput multi-line (file)", output: "file", run: (c) => c.setOutput("pem", tricky) },
  { name: "setOutput object (file)", output: "file", run: (c) => c.setOutput("o", { a: [1, "b"], c: null }) },
  {
    name: "setOutput number and boolean (file)",
    output: "file",
    run: (c) => {
      c.setOutput("n", 3);
      c.setOutput("b", false);
    },
  },
  { name: "setOutput empty string (file)", output: "file", run: (c) => c.setOutput("e", "") },
  {
    name: "setOutput undefined and null (file)",
    output: "file",
    run: (c) => {
      c.setOutput("u", undefined);
      c.setOutput("z", null);
    },
  },
  {
    name: "setOutput boxed String (file)",
    output: "file",
    run: (c) => c.setOutput("s", new String("boxed")),
  },
  {
    name: "setOutput value with a delimiter-looking string (file)",
    output: "file",
    run: (c) => c.setOutput("v", `x\nghadelimiter_${crypto.randomUUID()}\ny<<EOF`),
  },
  {
    name: "setOutput key with a delimiter-looking string (file)",
    output: "file",
    run: (c) => c.setOutput(`k<<ghadelimiter_${crypto.randomUUID()}`, "v"),
  },
  { name: "setOutput, file missing", output: "missing", run: (c) => c.setOutput("x", "y") },
  { name: "saveState plain (file)", state: "file", run: (c) => c.saveState("created", "a,b") },
  {
    name: "saveState object (file)",
    state: "file",
    run: (c) => c.saveState("record", { files: ["/tmp/a b"] }),
  },
  { name: "saveState multi-line (file)", state: "file", run: (c) => c.saveState("s", tricky) },
  { name: "saveState, file missing", state: "missing", run: (c) => c.saveState("x", "y") },
  {
    name: "setOutput and saveState to their own files",
    output: "file",
    state: "file",
    run: (c) => {
      c.setOutput("o", "1");
      c.saveState("s", "2");
      c.setOutput("o2", "3");
    },
  },
  // Delimiter collisions, staged by fixing randomUUID in both implementations
  {
    name: "setOutput value containing the delimiter",
    output: "file",
    uuid: FIXED_UUID,
    run: (c) => c.setOutput("v", `a ${FIXED_DELIMITER} b`),
  },
  {
    name: "setOutput key containing the delimiter",
    output: "file",
    uuid: FIXED_UUID,
    run: (c) => c.setOutput(`k${FIXED_DELIMITER}`, "v"),
  },
  {
    name: "saveState value containing the delimiter",
    state: "file",
    uuid: FIXED_UUID,
    run: (c) => c.saveState("s", { d: FIXED_DELIMITER }),
  },
  // Legacy stdout commands (no file variable, or an empty one)
  { name: "setOutput plain (stdout)", run: (c) => c.setOutput("profile-uuid", "abc") },
  { name: "setOutput escaped (stdout)", run: (c) => c.setOutput("na:me,x%", tricky) },
  { name: "setOutput object (stdout)", run: (c) => c.setOutput("o", { a: "b:c,d" }) },
  { name: "setOutput undefined (stdout)", run: (c) => c.setOutput("u", undefined) },
  { name: "setOutput empty name (stdout)", run: (c) => c.setOutput("", "v") },
  { name: "setOutput with GITHUB_OUTPUT empty (stdout)", output: "empty", run: (c) => c.setOutput("x", "y") },
  { name: "saveState plain (stdout)", run: (c) => c.saveState("created", "a,b") },
  { name: "saveState escaped (stdout)", run: (c) => c.saveState("k:1", tricky) },
  { name: "saveState with GITHUB_STATE empty (stdout)", state: "empty", run: (c) => c.saveState("x", 1) },
  // A realistic sequence
  {
    name: "a whole run",
    env: { "INPUT_ISSUER-ID": " 69a6de7f ", INPUT_MODE: "apply" },
    output: "file",
    state: "file",
    run: (c) => {
      const inputs = [c.getInput("issuer-id", { required: true }), c.getInput("mode")];
      c.setSecret("secret-value");
      c.startGroup("Certificate");
      c.info("reused certificate ABC123");
      c.debug("GET /v1/certificates 200");
      c.endGroup();
      c.warning("profile expires in 10 days", { title: "asc-provision" });
      c.setOutput("certificate-id", "ABC123");
      c.saveState("created", ["/tmp/a.mobileprovision"]);
      c.setFailed(new Error("asc-provision: readonly mode: 1 change needed"));
      return inputs;
    },
  },
];

describe("workflowCommands matches @actions/core 3.0.1", () => {
  it.each(scenarios.map((s) => [s.name, s] as const))("%s", (_name, scenario) => {
    const expected = observe(actionsCore, scenario);
    const actual = observe(workflowCommands, scenario);
    expect(actual).toEqual(expected);
  });
});

describe("the oracle comparison observes what it claims to", () => {
  const find = (name: string): Scenario => scenarios.find((s) => s.name === name)!;

  it("captures escaped annotation commands on stdout", () => {
    const seen = observe(workflowCommands, find("error with all properties"));
    expect(seen.stdout).toBe(
      "::error title=Title%3A with%2C punctuation%25,file=src/a%2Cb%3Ac.ts,line=3,endLine=7,col=2,endColumn=9" +
        `::50%25 done%0D%0Aline two: a, b%0Aüñíçødé ✓ 🚀${EOL}`,
    );
    expect(observe(workflowCommands, find("error with only undefined properties")).stdout).toBe(
      `::error ::e${EOL}`,
    );
  });

  it("captures the output file, the exit code, returned values and errors", () => {
    const run = observe(workflowCommands, find("a whole run"));
    expect(run.outputFile).toBe(
      `certificate-id<<ghadelimiter_<uuid>${EOL}ABC123${EOL}ghadelimiter_<uuid>${EOL}`,
    );
    expect(run.stateFile).toContain('["/tmp/a.mobileprovision"]');
    expect(run.exitCode).toBe(1);
    expect(run.returned).toEqual(["69a6de7f", "apply"]);
    expect(observe(workflowCommands, find("getInput required and missing")).thrown).toBe(
      "Error: Input required and not supplied: private key",
    );
    expect(observe(workflowCommands, find("setOutput value containing the delimiter")).thrown).toBe(
      'Error: Unexpected input: value should not contain the delimiter "ghadelimiter_<uuid>"',
    );
    expect(observe(workflowCommands, find("setOutput, file missing")).thrown).toBe(
      "Error: Missing file at path: <dir>/github_output",
    );
  });

  it("leaves process.env, stdout and exitCode as they were", () => {
    const write = process.stdout.write;
    const exitCode = process.exitCode;
    const env = { ...process.env };
    observe(workflowCommands, find("a whole run"));
    expect(process.stdout.write).toBe(write);
    expect(process.exitCode).toBe(exitCode);
    expect({ ...process.env }).toEqual(env);
  });
});

describe("workflowCommands", () => {
  it("closes each heredoc with its own opening delimiter, fresh for every call", () => {
    const dir = mkdtempSync(join(tmpdir(), "workflow-commands-"));
    tempDirs.push(dir);
    const file = join(dir, "output");
    writeFileSync(file, "");
    const saved = process.env.GITHUB_OUTPUT;
    process.env.GITHUB_OUTPUT = file;
    try {
      workflowCommands.setOutput("a", "1\n2");
      workflowCommands.setOutput("b", "3");
    } finally {
      if (saved === undefined) delete process.env.GITHUB_OUTPUT;
      else process.env.GITHUB_OUTPUT = saved;
    }
    const heredoc = /^(\w+)<<(ghadelimiter_[0-9a-f-]{36})\n([\s\S]*?)\n\2$/gm;
    const blocks = [...readFileSync(file, "utf8").matchAll(heredoc)].map((m) => [m[1], m[2], m[3]]);
    expect(blocks.map(([key, , value]) => [key, value])).toEqual([
      ["a", "1\n2"],
      ["b", "3"],
    ]);
    expect(blocks[0]?.[1]).not.toBe(blocks[1]?.[1]);
  });

  it("imports no npm package, only node: built-ins and sibling modules", () => {
    const source = readFileSync(new URL("../../src/action/workflow-commands.ts", import.meta.url), "utf8");
    const specifiers = importSpecifiers(source);
    expect(specifiers).toContain("node:crypto");
    for (const specifier of specifiers) expect(specifier).toMatch(/^(node:|\.\/)/);
  });

  it("the import scan sees every import form and ignores comments", () => {
    const sample = [
      '// import { x } from "in-a-comment";',
      '/* import "in-a-block"; */',
      'import { a,\n  b } from "undici";',
      'import type { T } from "@actions/core";',
      'import "reflect-metadata";',
      'export { c } from "./sibling.ts";',
      'const m = await import("jose");',
    ].join("\n");
    expect(importSpecifiers(sample)).toEqual([
      "undici",
      "@actions/core",
      "./sibling.ts",
      "reflect-metadata",
      "jose",
    ]);
  });
});
