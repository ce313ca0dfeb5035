import { existsSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { parse as parsePlist } from "plist";
import { describe, expect, it } from "vitest";
import { secretForms } from "../../src/core/secret-forms.ts";
import { readPkcs12 } from "../../src/core/signing/pkcs12.ts";
import { readProvisioningProfile } from "../../src/core/signing/provisioning-profile.ts";
import { useDistFake } from "../support/dist-fake.ts";
import { setUpFakeSecurity } from "../support/fake-security/fake-security-harness.ts";
import {
  createRunnerEnvironment,
  type RunnerEnvironment,
  runStep,
  type StepRun,
} from "../support/runner-sim.ts";

const asc = useDistFake();

function inputs(bundleIds: string, extra: Record<string, string> = {}): Record<string, string> {
  return asc.inputs({ "bundle-ids": bundleIds, ...extra });
}

/** Every file below a folder, recursively. */
function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)],
  );
}

/** What the log shows: `::add-mask::` commands carry secrets to the runner by design and are not shown. */
function visible(text: string): string {
  return text
    .split("\n")
    .filter((line) => !line.startsWith("::add-mask::"))
    .join("\n");
}

/** Secrets and their derived forms, to be found nowhere. */
function secretNeedles(run: StepRun[]): string[] {
  const jwts = run.flatMap(
    (r) => visible(`${r.stdout}\n${r.stderr}`).match(/eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+/g) ?? [],
  );
  expect(jwts).toEqual([]);
  return [asc.fake.apiKey.privateKeyPem, asc.signingKeyPem].flatMap((s) => [s, ...secretForms(s)]);
}

/** No secret in what a run shows: logs, outputs (but the masked p12-password), state, summary. */
function expectNoSecretsIn(main: StepRun, post: StepRun): void {
  const { "p12-password": _masked, ...publicOutputs } = main.outputs;
  expectNoSecrets(
    {
      "main stdout": visible(main.stdout),
      "main stderr": main.stderr,
      "post stdout": visible(post.stdout),
      "post stderr": post.stderr,
      outputs: JSON.stringify(publicOutputs),
      state: JSON.stringify(main.state),
      summary: main.summary,
    },
    secretNeedles([main, post]),
  );
}

function expectNoSecrets(haystacks: Record<string, string>, needles: string[]): void {
  const found: string[] = [];
  for (const [where, hay] of Object.entries(haystacks))
    for (const needle of needles)
      if (hay.includes(needle)) found.push(`${where}: a secret form of ${needle.length} chars`);
  expect(found).toEqual([]);
}

async function mainThenPost(
  runner: RunnerEnvironment,
  raw: Record<string, string>,
): Promise<[StepRun, StepRun]> {
  const main = await runStep("main", runner, raw);
  const post = await runStep("post", runner, raw, main.state);
  return [main, post];
}

describe("dist on a Linux runner", () => {
  it("provisions, installs under RUNNER_TEMP, writes outputs and summary, and post removes everything", async () => {
    const runner = createRunnerEnvironment("Linux", { NODE_EXTRA_CA_CERTS: asc.caFile, RUNNER_DEBUG: "1" });
    const raw = inputs("com.e2e.linux\ncom.e2e.linux.widget", { capabilities: "PUSH_NOTIFICATIONS" });
    const main = await runStep("main", runner, raw);
    expect(main.code, main.stdout + main.stderr).toBe(0);
    const o = main.outputs;
    expect(o["team-id"]).toMatch(/^[A-Z0-9]{10}$/);
    expect(o["certificate-sha1"]).toMatch(/^[0-9A-F]{40}$/);
    expect(o["signing-identity"]).toContain("Apple Distribution");
    expect(o.changed).toBe("true");
    expect(o.degraded).toBe("false");
    const profiles = JSON.parse(o.profiles!) as Array<{ bundleId: string; uuid: string; path: string }>;
    expect(profiles.map((p) => p.bundleId)).toEqual(["com.e2e.linux", "com.e2e.linux.widget"]);
    for (const p of profiles) {
      expect(p.path).toBe(join(runner.runnerTemp, "asc-provision", "profiles", `${p.uuid}.mobileprovision`));
      expect(readProvisioningProfile(readFileSync(p.path)).uuid).toBe(p.uuid);
    }
    expect(o["profile-uuid"]).toBe(profiles[0]!.uuid);
    const p12 = readPkcs12(readFileSync(o["p12-path"]!).toString("base64"), o["p12-password"]!, {
      readFile: () => undefined,
    });
    expect(p12.certificateDer).toBeDefined();
    expect(statSync(o["p12-path"]!).mode & 0o777).toBe(0o600);
    const exportOptions = parsePlist(readFileSync(o["export-options-path"]!, "utf8")) as Record<
      string,
      unknown
    >;
    expect(exportOptions).toMatchObject({
      method: "app-store-connect",
      signingStyle: "manual",
      teamID: o["team-id"],
    });
    expect(exportOptions.provisioningProfiles).toMatchObject({ "com.e2e.linux": expect.any(String) });
    expect(JSON.parse(o.plan!).map((s: { kind: string }) => s.kind)).toContain("create-profile");
    expect(main.summary).toContain("com.e2e.linux");
    expect(main.summary).toMatch(/created/);

    const post = await runStep("post", runner, raw, main.state);
    expect(post.code, post.stdout + post.stderr).toBe(0);
    expect(files(runner.runnerTemp)).toEqual([]);
    expect(files(runner.home)).toEqual([]);

    expectNoSecretsIn(main, post);
    expect(main.stdout).toContain(`::add-mask::`);
    rmSync(runner.root, { recursive: true, force: true });
  });

  it("a warm second run makes no write and reports changed=false", async () => {
    const runner = createRunnerEnvironment("Linux", { NODE_EXTRA_CA_CERTS: asc.caFile });
    const raw = inputs("com.e2e.warm");
    await mainThenPost(runner, raw);
    asc.fake.clearLog();
    const [main, post] = await mainThenPost(runner, raw);
    expect(main.code).toBe(0);
    expect(main.outputs.changed).toBe("false");
    expect(asc.fake.stats().writes).toBe(0);
    expect(post.code).toBe(0);
    rmSync(runner.root, { recursive: true, force: true });
  });

  it("fails once, naming every bad input, before any request", async () => {
    const runner = createRunnerEnvironment("Linux", { NODE_EXTRA_CA_CERTS: asc.caFile });
    asc.fake.clearLog();
    const [main, post] = await mainThenPost(
      runner,
      inputs("not a bundle id", { "profile-type": "IOS_APP_SOTRE", mode: "yolo" }),
    );
    expect(main.code).toBe(1);
    const errors = main.stdout.split("\n").filter((l) => l.startsWith("::error::"));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/asc-provision: 3 input problems/);
    for (const input of ["bundle-ids", "profile-type", "mode"]) expect(errors[0]).toContain(`\`${input}\``);
    expect(asc.fake.stats().requests).toBe(0);
    expect(post.code).toBe(0);
    rmSync(runner.root, { recursive: true, force: true });
  });
});

describe("dist on a macOS runner (stand-in security)", () => {
  it("installs profiles into both Xcode folders and a temporary keychain, and post restores everything", async () => {
    const runner = createRunnerEnvironment("macOS", { NODE_EXTRA_CA_CERTS: asc.caFile, RUNNER_DEBUG: "1" });
    const security = setUpFakeSecurity(runner.root, runner.home);
    Object.assign(runner.env, security.env);
    const searchBefore = security.state().searchList;
    const raw = inputs("com.e2e.mac", { "profile-type": "MAC_APP_STORE" });
    const main = await runStep("main", runner, raw);
    expect(main.code, main.stdout + main.stderr).toBe(0);
    const uuid = main.outputs["profile-uuid"]!;
    for (const dir of [
      join(runner.home, "Library", "Developer", "Xcode", "UserData", "Provisioning Profiles"),
      join(runner.home, "Library", "MobileDevice", "Provisioning Profiles"),
    ])
      expect(existsSync(join(dir, `${uuid}.provisionprofile`))).toBe(true);
    const keychain = main.outputs["keychain-path"]!;
    expect(keychain).toMatch(/asc-provision-[0-9a-f]+\.keychain-db$/);
    expect(security.state().searchList).toContain(keychain);
    const log = security.log();
    expect(log.flatMap((c) => c.violations)).toEqual([]);
    const calls = log.map((c) => c.argv[0]);
    expect(calls).toEqual(
      expect.arrayContaining(["create-keychain", "import", "set-key-partition-list", "list-keychains"]),
    );

    const post = await runStep("post", runner, raw, main.state);
    expect(post.code, post.stdout + post.stderr).toBe(0);
    expect(security.state().searchList).toEqual(searchBefore);
    expect(files(join(runner.home, "Library"))).toEqual([]);
    expect(files(runner.runnerTemp)).toEqual([]);
    expectNoSecretsIn(main, post);
    rmSync(runner.root, { recursive: true, force: true });
  });
});
