// The wrappers (the reusable workflow and the composite action) checked against action.yml and run the
// way the runner runs them, as far as that can be done off GitHub: every input a wrapper declares and
// passes on has an action input of the same name and default; what the action offers is exposed or
// deliberately kept back; outputs flow step -> job -> workflow (or step -> composite) under the same
// names; and the steps are executed (expressions evaluated as the runner does, the bash scripts run with
// a stand-in xcodebuild) with the asc-provision step replaced by its outputs.
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { parseCommandFile, projectRoot } from "../support/runner-sim.ts";
import { type Contexts, condition, interpolate } from "../support/workflow-expression.ts";

const ACTION = "asc-provision/asc-provision@v1";

interface InputSpec {
  description?: string;
  required?: boolean;
  default?: string | boolean | number;
  type?: string;
}
interface Step {
  id?: string;
  name?: string;
  if?: string;
  uses?: string;
  run?: string;
  shell?: string;
  with?: Record<string, string>;
  env?: Record<string, string>;
}
interface ActionYml {
  inputs: Record<string, InputSpec>;
  outputs: Record<string, { description: string; value?: string }>;
  runs: { using: string; steps?: Step[] };
}
interface ReusableYml {
  on: {
    workflow_call: {
      inputs: Record<string, InputSpec>;
      secrets: Record<string, { required?: boolean }>;
      outputs: Record<string, { value: string }>;
    };
  };
  jobs: Record<string, { environment?: string; outputs: Record<string, string>; steps: Step[] }>;
}

const load = <T>(path: string): T => parse(readFileSync(join(projectRoot, path), "utf8")) as T;
const action = load<ActionYml>("action.yml");
const reusable = load<ReusableYml>(".github/workflows/reusable-signing.yml");
const composite = load<ActionYml>("composite/release-signing/action.yml");
const call = reusable.on.workflow_call;
const job = reusable.jobs.signing!;

/** What a wrapper keeps at the action's default because its own steps depend on it. */
const RUNNER_SETUP = ["install", "install-dir", "keychain", "keychain-default", "export-options", "cleanup"];
/** Inputs on their way out of action.yml; no wrapper may offer them. */
const REMOVED = ["cache-passphrase"];
/** Outputs that are paths on the job's runner (or a password): meaningless to another job. */
const RUNNER_LOCAL_OUTPUTS = [
  "profile-path",
  "keychain-path",
  "p12-path",
  "p12-password",
  "export-options-path",
];
const SECRET_INPUTS = [
  "private-key",
  "certificate-private-key",
  "certificate-p12",
  "certificate-p12-password",
];
/** The environment-secret name of a secret input (environment secret names have no hyphens). */
const envSecretName = (input: string): string => `ASC_${input.toUpperCase().replaceAll("-", "_")}`;

const ascStep = (steps: Step[]): Step => {
  const found = steps.filter((s) => s.uses === ACTION);
  expect(found).toHaveLength(1);
  return found[0]!;
};
const sorted = (xs: Iterable<string>): string[] => [...xs].sort();
const actionDefault = (name: string): string => String(action.inputs[name]?.default ?? "");

function expectSameInputs(own: Record<string, InputSpec>, wrapperOnly: string[], passed: Step): void {
  const offered = Object.keys(own).filter((n) => !wrapperOnly.includes(n));
  for (const name of offered) {
    expect(action.inputs, `${name} is an input of action.yml`).toHaveProperty([name]);
    expect(String(own[name]!.default ?? ""), `${name}: the action's default`).toBe(actionDefault(name));
    expect(Boolean(own[name]!.required), `${name}: required as in action.yml`).toBe(
      Boolean(action.inputs[name]!.required),
    );
  }
  for (const name of REMOVED) expect(offered).not.toContain(name);
  // Every action input is either passed on or deliberately left at its default.
  expect(
    sorted(Object.keys(action.inputs).filter((n) => !Object.keys(passed.with ?? {}).includes(n))),
  ).toEqual(
    sorted(Object.keys(action.inputs).filter((n) => RUNNER_SETUP.includes(n) || REMOVED.includes(n))),
  );
  for (const name of Object.keys(passed.with ?? {})) expect(action.inputs).toHaveProperty([name]);
}

describe("the reusable workflow", () => {
  const wrapperOnly = ["environment", "runs-on", "build-command", "artifact-name", "artifact-path"];
  const step = ascStep(job.steps);

  it("offers every action input a release pipeline sets, under the action's names and defaults", () => {
    expectSameInputs(call.inputs, wrapperOnly, step);
    for (const name of Object.keys(call.inputs).filter((n) => !wrapperOnly.includes(n)))
      expect(step.with?.[name], name).toBe(`\${{ inputs.${name} }}`);
    for (const name of ["api-base-url", "certificate-type", "capabilities", "devices", "device-selection"])
      expect(Object.keys(call.inputs)).toContain(name);
    for (const name of ["profile-name", "mode", "wwdr-certificates"])
      expect(Object.keys(call.inputs)).toContain(name);
  });

  it("takes the keys as secrets by the action's names, or as environment secrets (ASC_*)", () => {
    expect(sorted(Object.keys(call.secrets))).toEqual(
      sorted(SECRET_INPUTS.flatMap((n) => [n, envSecretName(n)])),
    );
    for (const name of SECRET_INPUTS)
      expect(step.with?.[name]).toBe(`\${{ secrets.${name} || secrets.${envSecretName(name)} }}`);
    // The action says which key is missing; the wrapper cannot require one of two names.
    for (const s of Object.values(call.secrets)) expect(s.required).toBe(false);
  });

  it("runs in the environment the caller names (protected secrets, required reviewers)", () => {
    expect(call.inputs.environment).toMatchObject({ type: "string", default: "" });
    expect(job.environment).toBe(`\${{ inputs.environment }}`);
  });

  it("passes the action's outputs through the job under the same names, less the runner-local ones", () => {
    for (const [name, out] of Object.entries(call.outputs)) {
      expect(out.value).toBe(`\${{ jobs.signing.outputs.${name} }}`);
      expect(job.outputs[name]).toBe(`\${{ steps.${step.id}.outputs.${name} }}`);
    }
    expect(sorted(Object.keys(job.outputs))).toEqual(sorted(Object.keys(call.outputs)));
    expect(sorted(Object.keys(call.outputs))).toEqual(
      sorted(Object.keys(action.outputs).filter((n) => !RUNNER_LOCAL_OUTPUTS.includes(n))),
    );
  });

  /** The job as the runner evaluates it: the action step's `with`, which steps run, the workflow outputs. */
  function runJob(inputs: Record<string, string>, secrets: Record<string, string>) {
    const withDefaults = Object.fromEntries(
      Object.entries(call.inputs).map(([n, spec]) => [n, inputs[n] ?? String(spec.default ?? "")]),
    );
    const stepOutputs = { "team-id": "ABCDE12345", "profile-uuid": "U-1", plan: "[]", changed: "false" };
    const ctx: Contexts = { inputs: withDefaults, secrets, steps: {}, jobs: {} };
    const given = Object.fromEntries(
      Object.entries(step.with ?? {}).map(([k, v]) => [k, interpolate(v, ctx)]),
    );
    ctx.steps = { [step.id!]: { outputs: stepOutputs } };
    const ran = job.steps.filter((s) => condition(s.if, ctx)).map((s) => s.name ?? s.uses);
    const jobOutputs = Object.fromEntries(
      Object.entries(job.outputs).map(([k, v]) => [k, interpolate(v, ctx)]),
    );
    const outputs = Object.fromEntries(
      Object.entries(call.outputs).map(([k, v]) => [
        k,
        interpolate(v.value, { jobs: { signing: { outputs: jobOutputs } } }),
      ]),
    );
    return { given, ran, outputs, ctx };
  }

  it("hands the caller's values and secrets to the action, and an environment secret when none is passed", () => {
    const { given } = runJob(
      { "issuer-id": "I", "key-id": "K", "bundle-ids": "com.example.app", "device-selection": "Phone A" },
      {
        "private-key": "P8",
        ASC_PRIVATE_KEY: "ignored",
        ASC_CERTIFICATE_P12: "P12",
        ASC_CERTIFICATE_P12_PASSWORD: "pw",
      },
    );
    expect(given).toMatchObject({
      "issuer-id": "I",
      "bundle-ids": "com.example.app",
      "device-selection": "Phone A",
      "api-base-url": actionDefault("api-base-url"),
      mode: "apply",
      "private-key": "P8",
      "certificate-private-key": "",
      "certificate-p12": "P12",
      "certificate-p12-password": "pw",
    });
  });

  it("passes the zero-config inputs on: project, targets, configuration, entitlements check", () => {
    const { given } = runJob(
      {
        "issuer-id": "I",
        "key-id": "K",
        project: "App.xcodeproj",
        targets: "App",
        "entitlements-check": "warn",
      },
      { "private-key": "P8" },
    );
    expect(given).toMatchObject({
      project: "App.xcodeproj",
      targets: "App",
      configuration: "Release",
      "entitlements-check": "warn",
      "configure-project": "false",
      "bundle-ids": "",
    });
  });

  it("builds and uploads in apply mode, provisions only in plan mode; outputs reach the caller", () => {
    const base = {
      "issuer-id": "I",
      "key-id": "K",
      "bundle-ids": "b",
      "build-command": "make",
      "artifact-path": "x",
    };
    const apply = runJob(base, {});
    expect(apply.ran).toEqual([
      "actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683",
      "Provision signing",
      "Build",
      "Upload",
    ]);
    expect(apply.outputs).toMatchObject({ "team-id": "ABCDE12345", "profile-uuid": "U-1", changed: "false" });
    const plan = runJob({ ...base, mode: "plan" }, {});
    expect(plan.ran).not.toContain("Build");
    expect(plan.ran).not.toContain("Upload");
    expect(runJob({ ...base, "build-command": "" }, {}).ran).not.toContain("Build");
  });

  it("runs the build command with the outputs in its environment", () => {
    const build = job.steps.find((s) => s.name === "Build")!;
    const { ctx } = runJob(
      {
        "issuer-id": "I",
        "key-id": "K",
        "bundle-ids": "b",
        "build-command": 'echo "$ASC_TEAM_ID/$ASC_PROFILE_UUID"',
      },
      {},
    );
    const env = Object.fromEntries(Object.entries(build.env ?? {}).map(([k, v]) => [k, interpolate(v, ctx)]));
    const result = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", build.run!], {
      env: { PATH: process.env.PATH ?? "", ...env },
      encoding: "utf8",
    });
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toBe("ABCDE12345/U-1");
  });
});

describe("the composite action", () => {
  const wrapperOnly = [
    "project",
    "workspace",
    "read-project",
    "scheme",
    "configuration",
    "destination",
    "signing-overrides",
    "output-directory",
  ];
  const steps = composite.runs.steps ?? [];
  const step = ascStep(steps);
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it("offers the action's inputs under the same names and defaults, a .p12 as well as a PEM key", () => {
    expect(composite.runs.using).toBe("composite");
    expectSameInputs(composite.inputs, wrapperOnly, step);
    for (const name of Object.keys(composite.inputs).filter((n) => !wrapperOnly.includes(n)))
      expect(step.with?.[name], name).toBe(`\${{ inputs.${name} }}`);
    for (const name of ["certificate-private-key", "certificate-p12", "certificate-p12-password"])
      expect(composite.inputs[name]).toMatchObject({ required: false, default: "" });
  });

  it("passes the action's outputs on under the same names", () => {
    for (const [name, out] of Object.entries(composite.outputs)) {
      if (name === "archive-path" || name === "export-path") continue;
      expect(action.outputs).toHaveProperty([name]);
      expect(out.value).toBe(`\${{ steps.${step.id}.outputs.${name} }}`);
    }
    expect(composite.outputs["p12-password"]).toBeUndefined();
  });

  /** Runs the composite's steps as the runner does, with the action step replaced by `signingOutputs`. */
  function runComposite(inputs: Record<string, string>, signingOutputs: Record<string, string>) {
    dir = mkdtempSync(join(tmpdir(), "asc-composite-"));
    const bin = join(dir, "bin");
    const runnerTemp = join(dir, "runner-temp");
    mkdirSync(bin);
    mkdirSync(runnerTemp);
    const calls = join(dir, "xcodebuild.calls");
    // A stand-in xcodebuild: records its arguments (one per line, a blank line per call), makes the folders.
    writeFileSync(
      join(bin, "xcodebuild"),
      `#!/usr/bin/env bash\nprintf '%s\\n' "$@" >> "${calls}"; echo >> "${calls}"\nprev=""\nfor a in "$@"; do\n  if [ "$prev" = -archivePath ] && [ "$1" = archive ]; then mkdir -p "$a"; fi\n  if [ "$prev" = -exportPath ]; then mkdir -p "$a"; fi\n  prev="$a"\ndone\n`,
    );
    chmodSync(join(bin, "xcodebuild"), 0o755);
    const all = Object.fromEntries(
      Object.entries(composite.inputs).map(([n, spec]) => [n, inputs[n] ?? String(spec.default ?? "")]),
    );
    const ctx: Contexts = { inputs: all, steps: {} };
    const stepsCtx = ctx.steps as Record<string, { outputs: Record<string, string> }>;
    let given: Record<string, string> = {};
    const ran: string[] = [];
    for (const s of steps) {
      if (!condition(s.if, ctx)) continue;
      ran.push(s.name ?? "");
      if (s.uses === ACTION) {
        given = Object.fromEntries(Object.entries(s.with ?? {}).map(([k, v]) => [k, interpolate(v, ctx)]));
        stepsCtx[s.id!] = { outputs: signingOutputs };
        continue;
      }
      expect(s.shell).toBe("bash");
      const output = join(dir, `${s.id}.output`);
      writeFileSync(output, "");
      const script = join(dir, `${s.id}.sh`);
      writeFileSync(script, s.run!);
      const env = Object.fromEntries(Object.entries(s.env ?? {}).map(([k, v]) => [k, interpolate(v, ctx)]));
      // GitHub's `shell: bash`: bash --noprofile --norc -eo pipefail {0}
      const result = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", script], {
        env: {
          PATH: `${bin}:${process.env.PATH ?? ""}`,
          RUNNER_TEMP: runnerTemp,
          GITHUB_OUTPUT: output,
          ...env,
        },
        encoding: "utf8",
      });
      expect(result.stderr).toBe("");
      expect(result.status).toBe(0);
      if (s.id) stepsCtx[s.id] = { outputs: parseCommandFile(readFileSync(output, "utf8")) };
    }
    const outputs = Object.fromEntries(
      Object.entries(composite.outputs).map(([k, v]) => [k, interpolate(v.value!, ctx)]),
    );
    let xcodebuild: string[][] = [];
    try {
      xcodebuild = readFileSync(calls, "utf8")
        .split("\n\n")
        .filter((c) => c.trim() !== "")
        .map((c) => c.split("\n").filter((a) => a !== ""));
    } catch {}
    return { given, ran, outputs, xcodebuild, runnerTemp };
  }

  const signed = {
    "team-id": "ABCDE12345",
    "signing-identity": "Apple Distribution: Example Ltd (ABCDE12345)",
    "profile-uuid": "6f1c1d6e-0000-4000-8000-000000000001",
    "keychain-path": "/tmp/k.keychain-db",
    "export-options-path": "/tmp/ExportOptions.plist",
    plan: "[]",
    changed: "false",
  };

  it("archives and exports with a .p12: the key reaches the action, the identity reaches xcodebuild", () => {
    const run = runComposite(
      {
        "issuer-id": "I",
        "key-id": "K",
        "private-key": "P8",
        "certificate-p12": "MIIP12",
        "certificate-p12-password": "pw",
        "bundle-ids": "com.example.app",
        scheme: "App",
        project: "App.xcodeproj",
      },
      signed,
    );
    expect(run.given).toMatchObject({
      "certificate-p12": "MIIP12",
      "certificate-p12-password": "pw",
      "certificate-private-key": "",
    });
    expect(run.ran).toEqual(["Provision signing", "Archive", "Export"]);
    const archive = join(run.runnerTemp, "release-signing", "App.xcarchive");
    expect(run.xcodebuild).toEqual([
      [
        "archive",
        "-project",
        "App.xcodeproj",
        "-scheme",
        "App",
        "-configuration",
        "Release",
        "-destination",
        "generic/platform=iOS",
        "-archivePath",
        archive,
        "OTHER_CODE_SIGN_FLAGS=--keychain /tmp/k.keychain-db",
        "CODE_SIGN_STYLE=Manual",
        "DEVELOPMENT_TEAM=ABCDE12345",
        "CODE_SIGN_IDENTITY=Apple Distribution: Example Ltd (ABCDE12345)",
        "PROVISIONING_PROFILE_SPECIFIER=6f1c1d6e-0000-4000-8000-000000000001",
      ],
      [
        "-exportArchive",
        "-archivePath",
        archive,
        "-exportOptionsPlist",
        "/tmp/ExportOptions.plist",
        "-exportPath",
        join(run.runnerTemp, "release-signing", "export"),
      ],
    ]);
    expect(run.outputs).toMatchObject({
      "archive-path": archive,
      "export-path": join(run.runnerTemp, "release-signing", "export"),
      "team-id": "ABCDE12345",
      changed: "false",
    });
  });

  it("hands the project it builds to the action only with read-project (zero-config)", () => {
    const inputs = {
      "issuer-id": "I",
      "key-id": "K",
      "private-key": "P8",
      "certificate-private-key": "PEM",
      scheme: "App",
      project: "App.xcodeproj",
      workspace: "App.xcworkspace",
      configuration: "Beta",
    };
    const listed = runComposite({ ...inputs, "bundle-ids": "com.example.app" }, signed);
    expect(listed.given).toMatchObject({
      project: "",
      configuration: "Beta",
      "bundle-ids": "com.example.app",
    });
    const read = runComposite({ ...inputs, "read-project": "true", "configure-project": "true" }, signed);
    expect(read.given).toMatchObject({
      project: "App.xcworkspace",
      configuration: "Beta",
      "bundle-ids": "",
      "configure-project": "true",
      "entitlements-check": "fail",
    });
  });

  it("stops before archiving in plan mode, and still gives the plan", () => {
    const plan = '[{"kind":"create-profile","target":"com.example.app","reason":"missing"}]';
    const run = runComposite(
      {
        "issuer-id": "I",
        "key-id": "K",
        "private-key": "P8",
        "certificate-private-key": "PEM",
        "bundle-ids": "b",
        scheme: "App",
        mode: "plan",
      },
      { plan, changed: "true" },
    );
    expect(run.given).toMatchObject({ mode: "plan", "certificate-private-key": "PEM" });
    expect(run.ran).toEqual(["Provision signing"]);
    expect(run.xcodebuild).toEqual([]);
    expect(run.outputs).toMatchObject({ plan, changed: "true", "archive-path": "", "export-path": "" });
  });

  it("leaves the signing settings to the project when signing-overrides is false", () => {
    const run = runComposite(
      {
        "issuer-id": "I",
        "key-id": "K",
        "private-key": "P8",
        "certificate-private-key": "PEM",
        "bundle-ids": "b",
        scheme: "App",
        workspace: "App.xcworkspace",
        "signing-overrides": "false",
        "profile-type": "MAC_APP_STORE",
      },
      signed,
    );
    const archive = run.xcodebuild[0]!;
    expect(archive).toContain("App.xcworkspace");
    expect(archive).toContain("generic/platform=macOS");
    expect(
      archive.filter((a) =>
        /^(CODE_SIGN_STYLE|DEVELOPMENT_TEAM|CODE_SIGN_IDENTITY|PROVISIONING_PROFILE_SPECIFIER)=/.test(a),
      ),
    ).toEqual([]);
  });
});

describe("the expression subset the wrappers use", () => {
  it("evaluates as the runner does", () => {
    const ctx: Contexts = { inputs: { mode: "Plan", empty: "" }, secrets: { B: "b" } };
    expect(interpolate(`\${{ secrets.a || secrets.B }}`, ctx)).toBe("b");
    expect(interpolate(`\${{ secrets.a }}`, ctx)).toBe("");
    expect(condition("inputs.mode != 'plan'", ctx)).toBe(false); // case-insensitive, like GitHub
    expect(condition("inputs.empty != '' && inputs.mode == 'plan'", ctx)).toBe(false);
    expect(condition(`\${{ !(inputs.empty) }}`, ctx)).toBe(true);
    expect(condition(undefined, ctx)).toBe(true);
    expect(() => interpolate(`\${{ vars.X }}`, ctx)).toThrow(/unknown context vars/);
    expect(() => condition("contains(inputs.mode, 'p')", ctx)).toThrow();
  });
});
