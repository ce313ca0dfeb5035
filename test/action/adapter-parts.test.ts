// The adapter's small pieces: masking, the state round trip, the process Exec, log groups, post's
// tolerance of a bad record.
import { afterEach, describe, expect, it } from "vitest";
import { createProcessExec } from "../../src/action/exec.ts";
import { createActionsLogger } from "../../src/action/logger.ts";
import { createActionsMasker } from "../../src/action/masker.ts";
import { runPost } from "../../src/action/run-post.ts";
import { loadCleanupRecord, STATE_KEY, StateFileRecorder } from "../../src/action/state.ts";
import { createSandbox, type Sandbox } from "./support/action-sandbox.ts";

describe("masker", () => {
  it("registers a multi-line secret whole and line by line, once, and never an empty value", () => {
    const masked: string[] = [];
    const masker = createActionsMasker((s) => masked.push(s));
    masker.mask("line one\r\nline two\n");
    masker.mask("line one");
    masker.mask("   ");
    expect(masked).toEqual(["line one\r\nline two\n", "line one", "line two"]);
  });
});

describe("cleanup state", () => {
  it("saves the whole record after every entry and reads it back", () => {
    const saved: Array<[string, string]> = [];
    const recorder = new StateFileRecorder((name, value) => saved.push([name, value]), true);
    recorder.record({ kind: "file", path: "/a" });
    recorder.record({ kind: "keychain", path: "/k", previousSearchList: ["/l"] });
    expect(saved).toHaveLength(3);
    expect(saved.every(([name]) => name === STATE_KEY)).toBe(true);
    expect(loadCleanupRecord(() => saved.at(-1)![1])).toEqual({
      version: 1,
      cleanup: true,
      entries: [
        { kind: "file", path: "/a" },
        { kind: "keychain", path: "/k", previousSearchList: ["/l"] },
      ],
    });
    expect(loadCleanupRecord(() => "")).toBeUndefined();
    expect(() =>
      loadCleanupRecord(() => '{"version":1,"cleanup":true,"entries":[{"kind":"rm -rf"}]}'),
    ).toThrow();
  });
});

describe("post with a damaged record", () => {
  let sandbox: Sandbox;
  afterEach(() => sandbox.dispose());

  it("warns and does not fail the job", async () => {
    sandbox = createSandbox({ runnerOs: "Linux" });
    sandbox.setEnv(`STATE_${STATE_KEY}`, "{not json");
    await runPost();
    expect(sandbox.warnings()).toHaveLength(1);
    expect(sandbox.warnings()[0]).toMatch(/^asc-provision post: /);
    expect(sandbox.errors()).toEqual([]);
    expect(process.exitCode ?? 0).toBe(0);
  });
});

describe("process exec", () => {
  const exec = createProcessExec({ timeoutMs: 5_000 });
  const node = process.execPath;

  it("writes the input to stdin and passes arguments without a shell", async () => {
    const script =
      "let d='';process.stdin.on('data',c=>d+=c).on('end',()=>{process.stdout.write(JSON.stringify([d,process.argv.slice(1)]));process.exitCode=3})";
    const result = await exec.run(node, ["-e", script, "$(echo hi)", "a b;c"], { input: "secret\n" });
    expect(result.code).toBe(3);
    expect(JSON.parse(result.stdout)).toEqual(["secret\n", ["$(echo hi)", "a b;c"]]);
  });

  it("rejects when the command does not exist", async () => {
    await expect(exec.run("/nonexistent/security", [])).rejects.toThrow(/ENOENT/);
  });

  it("stops a command that outlives its timeout", async () => {
    const quick = createProcessExec({ timeoutMs: 300 });
    const result = await quick.run(node, ["-e", "setTimeout(() => {}, 60_000)"]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/did not finish/);
  });
});

describe("logger", () => {
  it("opens one group at a time: a nested group is a plain line", async () => {
    const calls: string[] = [];
    const logger = createActionsLogger({
      debug: (m) => calls.push(`debug:${m}`),
      info: (m) => calls.push(`info:${m}`),
      warning: (m) => calls.push(`warning:${String(m)}`),
      error: (m) => calls.push(`error:${String(m)}`),
      startGroup: (n) => calls.push(`start:${n}`),
      endGroup: () => calls.push("end"),
    });
    await logger.group("outer", async () => {
      await logger.group("inner", async () => logger.info("x"));
    });
    await expect(logger.group("failing", async () => Promise.reject(new Error("boom")))).rejects.toThrow(
      "boom",
    );
    expect(calls).toEqual(["start:outer", "info:— inner", "info:x", "end", "start:failing", "end"]);
  });
});
