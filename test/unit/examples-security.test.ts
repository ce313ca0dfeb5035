// The examples users copy keep the keys away from branches that should not have them
// (docs/security-model.md): a job that may change App Store Connect (mode apply, the default) runs in a
// GitHub environment, where required reviewers and branch rules guard the secrets; a pull-request job
// runs `mode: readonly` and also reads its keys from an environment; nothing runs on
// pull_request_target (a fork's pull request with the base repository's secrets).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { projectRoot } from "../support/runner-sim.ts";

interface Job {
  environment?: string | { name: string };
  steps?: { uses?: string; with?: Record<string, string> }[];
}
interface Workflow {
  on: Record<string, unknown> | string | string[];
  jobs: Record<string, Job>;
}

const examples = readdirSync(join(projectRoot, "examples")).filter((f) => f.endsWith(".yml"));
const load = (file: string): Workflow =>
  parse(readFileSync(join(projectRoot, "examples", file), "utf8")) as Workflow;
const triggers = (w: Workflow): string[] =>
  typeof w.on === "string" ? [w.on] : Array.isArray(w.on) ? w.on : Object.keys(w.on);
const environmentOf = (job: Job): string =>
  typeof job.environment === "string" ? job.environment : (job.environment?.name ?? "");

/** Every (job, mode) that runs asc-provision in the workflow. */
function ascJobs(w: Workflow): { name: string; job: Job; mode: string }[] {
  return Object.entries(w.jobs).flatMap(([name, job]) =>
    (job.steps ?? [])
      .filter((s) => s.uses?.startsWith("asc-provision/asc-provision@"))
      .map((s) => ({ name, job, mode: (s.with?.mode ?? "apply").toLowerCase() })),
  );
}

describe("examples and their keys", () => {
  it("finds the examples and their asc-provision jobs", () => {
    expect(examples.length).toBeGreaterThanOrEqual(7);
    for (const file of examples) expect(ascJobs(load(file)).length, file).toBeGreaterThan(0);
  });

  it.each(examples)("%s: every job that may change App Store Connect runs in an environment", (file) => {
    for (const { name, job, mode } of ascJobs(load(file)))
      if (mode === "apply") expect(environmentOf(job), `${file}: job ${name}`).not.toBe("");
  });

  it.each(examples)("%s: pull requests run readonly, with keys from an environment", (file) => {
    const w = load(file);
    expect(triggers(w)).not.toContain("pull_request_target");
    if (!triggers(w).includes("pull_request")) return;
    for (const { name, job, mode } of ascJobs(w)) {
      expect(mode, `${file}: job ${name}`).toBe("readonly");
      expect(environmentOf(job), `${file}: job ${name}`).not.toBe("");
    }
  });

  it("has a pull-request example, so the rule above is exercised", () => {
    expect(examples.filter((f) => triggers(load(f)).includes("pull_request"))).not.toEqual([]);
  });
});
