// action.yml is the source of truth: the inputs read by src/action/inputs.ts and the outputs written by
// src/action/outputs.ts are exactly its names, with its defaults and required flags.
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  ACTION_NAME,
  INPUT_DEFAULTS,
  INPUT_NAMES,
  OUTPUT_NAMES,
  REMOVED_INPUTS,
  REQUIRED_INPUTS,
} from "../../src/action/action-metadata.ts";
import { readInputs } from "../../src/action/inputs.ts";
import { buildOutputs } from "../../src/action/outputs.ts";
import type { InputProblem } from "../../src/core/errors.ts";
import { emptyInstallReport } from "../../src/core/install/install-on-runner.ts";
import { noMasking } from "../../src/core/ports.ts";
import { projectRoot } from "../support/runner-sim.ts";
import { type ActionYml, readActionYml } from "./support/action-yml.ts";
import { cannedIdentity } from "./support/canned-identity.ts";
import { cannedResult } from "./support/canned-result.ts";

let yml: ActionYml;

beforeAll(() => {
  yml = readActionYml(join(projectRoot, "action.yml"));
});

describe("action.yml", () => {
  it("declares the node24 main and post bundles, post always", () => {
    expect(yml.top.name).toBe(ACTION_NAME);
    expect(yml.scalars.runs).toEqual({
      using: "node24",
      main: "dist/main/index.js",
      post: "dist/post/index.js",
      "post-if": "always()",
    });
    expect(yml.scalars.branding).toEqual({ icon: "shield", color: "blue" });
  });

  it("has a description for every input and output", () => {
    for (const [name, entry] of [
      ...Object.entries(yml.sections.inputs ?? {}),
      ...Object.entries(yml.sections.outputs ?? {}),
    ])
      expect(entry.description?.length ?? 0, name).toBeGreaterThan(10);
  });

  it("has the defaults and required flags of action-metadata.ts", () => {
    const inputs = yml.sections.inputs ?? {};
    expect(Object.keys(inputs)).toEqual(INPUT_NAMES);
    for (const name of INPUT_NAMES) expect(inputs[name]?.default ?? "", name).toBe(INPUT_DEFAULTS[name]);
    const required = Object.entries(inputs)
      .filter(([, e]) => e.required === "true")
      .map(([name]) => name);
    expect(required).toEqual(REQUIRED_INPUTS);
  });
});

describe("the adapter", () => {
  it("reads exactly the inputs of action.yml, each once", () => {
    const asked: string[] = [];
    const problems: InputProblem[] = [];
    const raw = readInputs(
      (name) => {
        asked.push(name);
        return "";
      },
      problems,
      noMasking,
    );
    expect(asked).toEqual([...Object.keys(yml.sections.inputs ?? {}), ...Object.keys(REMOVED_INPUTS)]);
    expect(problems).toEqual([]);
    expect(raw["profile-type"]).toBe("IOS_APP_STORE");
    expect(raw.keychain).toBe("auto");
  });

  it("keeps a given value over the default", () => {
    const raw = readInputs((name) => (name === "min-days-valid" ? "7" : ""), [], noMasking);
    expect(raw["min-days-valid"]).toBe("7");
  });

  it("writes exactly the outputs of action.yml", async () => {
    const outputs = buildOutputs(cannedResult(await cannedIdentity()), emptyInstallReport(), undefined);
    expect(Object.keys(outputs).sort()).toEqual(Object.keys(yml.sections.outputs ?? {}).sort());
    expect([...OUTPUT_NAMES].sort()).toEqual(Object.keys(yml.sections.outputs ?? {}).sort());
  });
});
