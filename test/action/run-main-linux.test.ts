// The adapter on simulated Linux and Windows runners, in plan mode, and when inputs or the engine fail.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runMain } from "../../src/action/run-main.ts";
import { runPost } from "../../src/action/run-post.ts";
import { AscApiError, DriftError } from "../../src/core/errors.ts";
import { defaultInstallDirectory, xcodeProfileDirectories } from "../../src/core/install/paths.ts";
import { createSandbox, type Sandbox } from "./support/action-sandbox.ts";
import { type CannedIdentity, cannedIdentity } from "./support/canned-identity.ts";
import { cannedResult, MAIN_BUNDLE_ID, MAIN_UUID, WIDGET_UUID } from "./support/canned-result.ts";
import { baseInputs, type FakeEngine, fakeEngine } from "./support/scenario.ts";

let identity: CannedIdentity;
let sandbox: Sandbox;

beforeAll(async () => {
  identity = await cannedIdentity();
});

afterEach(() => sandbox.dispose());

async function main(engine: FakeEngine, inputs: Record<string, string> = {}): Promise<void> {
  sandbox.setInputs(baseInputs(inputs));
  await runMain({ provision: engine.provision });
}

describe("main and post on Linux", () => {
  beforeEach(() => {
    sandbox = createSandbox({ runnerOs: "Linux" });
  });

  it("installs profiles into install-dir's default under RUNNER_TEMP and skips the keychain silently", async () => {
    await main(fakeEngine({ result: cannedResult(identity) }));
    expect(sandbox.errors()).toEqual([]);
    const dir = defaultInstallDirectory(sandbox.runnerTemp);
    expect(readdirSync(dir).sort()).toEqual(
      [`${MAIN_UUID}.mobileprovision`, `${WIDGET_UUID}.mobileprovision`].sort(),
    );
    const out = sandbox.outputs();
    expect(out["profile-path"]).toBe(join(dir, `${MAIN_UUID}.mobileprovision`));
    expect(out["keychain-path"]).toBe("");
    expect(existsSync(out["p12-path"]!)).toBe(true);
    expect(existsSync(out["export-options-path"]!)).toBe(true);
    expect(sandbox.security.log()).toEqual([]);
    // keychain defaults to auto: off macOS that is no keychain, with no notice on every Linux run.
    expect(sandbox.notices()).toEqual([]);
    for (const dir of xcodeProfileDirectories(sandbox.home)) expect(existsSync(dir)).toBe(false);

    sandbox.startPost();
    await runPost();
    expect(readdirSync(sandbox.runnerTemp)).toEqual([]);
    expect(sandbox.warnings()).toEqual([]);
  });

  it("skips the keychain without a notice when keychain is false", async () => {
    await main(fakeEngine({ result: cannedResult(identity) }), { keychain: "false" });
    expect(sandbox.notices()).toEqual([]);
    expect(sandbox.security.log()).toEqual([]);
  });

  it("says with a notice that an explicit keychain: true is skipped on Linux", async () => {
    await main(fakeEngine({ result: cannedResult(identity) }), { keychain: "true" });
    expect(sandbox.notices()).toEqual([expect.stringMatching(/^keychain: skipped on Linux/)]);
    expect(sandbox.security.log()).toEqual([]);
  });

  it("installs into a given install-dir and writes no keychain, p12 or profile when install is false", async () => {
    const dir = join(sandbox.root, "profiles here");
    await main(fakeEngine({ result: cannedResult(identity) }), { "install-dir": dir });
    expect(sandbox.outputs()["profile-path"]).toBe(join(dir, `${MAIN_UUID}.mobileprovision`));
    sandbox.dispose();

    sandbox = createSandbox({ runnerOs: "Linux" });
    await main(fakeEngine({ result: cannedResult(identity) }), {
      install: "false",
      "export-options": "false",
    });
    expect(readdirSync(sandbox.runnerTemp)).toEqual([]);
    expect(sandbox.outputs()).toMatchObject({
      "profile-path": "",
      "p12-path": "",
      "profile-uuid": MAIN_UUID,
    });
  });

  it("in plan mode prints the plan, sets plan and changed, and installs nothing", async () => {
    const plan = [
      {
        kind: "create-profile" as const,
        target: `${MAIN_BUNDLE_ID} IOS_APP_STORE`,
        reason: "it was missing",
      },
    ];
    const engine = fakeEngine({ result: cannedResult(identity, { mode: "plan", plan }) });
    await main(engine, { mode: "plan" });
    expect(engine.configs[0]!.mode).toBe("plan");
    expect(sandbox.errors()).toEqual([]);
    expect(JSON.parse(sandbox.outputs().plan!)).toEqual(plan);
    expect(sandbox.outputs().changed).toBe("true");
    expect(sandbox.outputs()["p12-path"]).toBe("");
    expect(readdirSync(sandbox.runnerTemp)).toEqual([]);
    expect(sandbox.rawLog()).toContain(
      `  1. create-profile  ${MAIN_BUNDLE_ID} IOS_APP_STORE  it was missing`,
    );
    expect(sandbox.summary()).toMatch(/would make 1 change/);
    sandbox.startPost();
    await runPost();
    expect(sandbox.rawLog()).toMatch(/nothing to clean up/);
  });

  it("writes a job summary with the resources, actions, expiry dates and the plan", async () => {
    await main(fakeEngine({ result: cannedResult(identity) }));
    const summary = sandbox.summary();
    expect(summary).toContain("### Certificate");
    expect(summary).toContain(identity.sha1);
    expect(summary).toContain(
      `| ${MAIN_BUNDLE_ID} | reused | PUSH_NOTIFICATIONS: reused (already enabled) |`,
    );
    expect(summary).toMatch(/\| create-certificate \| DISTRIBUTION \| no certificate matches the key \|/);
    expect(summary).toContain(MAIN_UUID);
  });

  it("warns when the certificate or a profile expires within 30 days", async () => {
    await main(fakeEngine({ result: cannedResult(identity, { certificateDays: 10, profileDays: 5 }) }));
    const warnings = sandbox.warnings();
    expect(warnings.filter((w) => /signing certificate .* expires in (9|10) days/.test(w))).toHaveLength(1);
    expect(warnings.filter((w) => /profile .* expires in [45] days/.test(w))).toHaveLength(2);
    expect(sandbox.errors()).toEqual([]);
  });
});

describe("failures", () => {
  beforeEach(() => {
    sandbox = createSandbox({ runnerOs: "Linux" });
  });

  it("reports every input problem in one setFailed, before calling the engine", async () => {
    const engine = fakeEngine({ result: cannedResult(identity) });
    await main(engine, {
      "issuer-id": "",
      "key-id": "short",
      keychain: "maybe",
      "install-dir": "relative/dir",
    });
    expect(engine.configs).toEqual([]);
    const errors = sandbox.errors();
    expect(errors).toHaveLength(1);
    for (const input of ["issuer-id", "key-id", "keychain", "install-dir"])
      expect(errors[0]).toContain(`\`${input}\``);
    expect(errors[0]).toMatch(/^asc-provision: 4 input problems:/);
    expect(sandbox.outputFileText()).toBe("");
    expect(process.exitCode).toBe(1);
  });

  it("reports an App Store Connect error once, with the action's name and Apple's code", async () => {
    const error = new AscApiError({
      status: 403,
      code: "FORBIDDEN.REQUIRED_AGREEMENTS_MISSING_OR_EXPIRED",
      title: "A required agreement is missing or has expired.",
      method: "GET",
      path: "/v1/bundleIds",
    });
    await main(fakeEngine({ error }));
    expect(sandbox.errors()).toEqual([`asc-provision: ${error.message}`]);
    expect(readdirSync(sandbox.runnerTemp)).toEqual([]);
  });

  it("reports readonly drift as the failure", async () => {
    await main(
      fakeEngine({ error: new DriftError("readonly: 1 change needed: create-profile com.example.app") }),
      {
        mode: "readonly",
      },
    );
    expect(sandbox.errors()).toEqual([
      "asc-provision: readonly: 1 change needed: create-profile com.example.app",
    ]);
  });

  it("readonly drift with its plan: outputs and summary are written before the failure, nothing installed", async () => {
    const plan = [{ kind: "create-profile" as const, target: "com.example.app", reason: "no profile yet" }];
    const result = {
      ...cannedResult(identity),
      mode: "readonly" as const,
      profiles: [],
      plan,
      changed: true,
    };
    await main(fakeEngine({ error: new DriftError("readonly: 1 change needed", result) }), {
      mode: "readonly",
    });
    expect(sandbox.errors()).toEqual(["asc-provision: readonly: 1 change needed"]);
    const out = sandbox.outputs();
    expect(out.changed).toBe("true");
    expect(JSON.parse(out.plan!)).toEqual(plan);
    expect(out["p12-path"]).toBe("");
    expect(sandbox.summary()).toContain("Mode `readonly`");
    expect(sandbox.summary()).toContain("| create-profile | com.example.app | no profile yet |");
    expect(readdirSync(sandbox.runnerTemp)).toEqual([]);
  });

  it("a failure before any result still leaves a summary naming it", async () => {
    await main(fakeEngine({ error: new Error("boom: App Store Connect said no") }));
    expect(sandbox.errors()).toEqual(["asc-provision: boom: App Store Connect said no"]);
    expect(sandbox.summary()).toContain("**Failed:** boom: App Store Connect said no");
    expect(sandbox.outputs()).toEqual({});
  });

  it("never reports [object Object] for a thrown non-Error", async () => {
    await main(fakeEngine({ error: { reason: "socket hang up" } }));
    expect(sandbox.errors()).toEqual(['asc-provision: {"reason":"socket hang up"}']);
  });
});

describe("Windows", () => {
  beforeEach(() => {
    sandbox = createSandbox({ runnerOs: "Windows" });
  });

  it("installs profiles under RUNNER_TEMP and never runs security", async () => {
    await main(fakeEngine({ result: cannedResult(identity, { profileType: "MAC_APP_STORE" }) }));
    const path = sandbox.outputs()["profile-path"]!;
    expect(path).toBe(join(defaultInstallDirectory(sandbox.runnerTemp), `${MAIN_UUID}.provisionprofile`));
    expect(readFileSync(path).length).toBeGreaterThan(0);
    expect(sandbox.security.log()).toEqual([]);
  });
});
