// Zero-config from the Xcode project, through the built dist/ against the fake App Store Connect server:
// given only `project` (GitHawk's workspace from ../shared/xcode, copied into the runner's workspace:
// an iOS app embedding a watch app and its extension, a CocoaPods project beside them) and an App Store
// profile type, a cold run creates exactly the three bundle IDs, enables what their entitlements imply,
// creates and installs a profile each, and fails the entitlements check with one table (the app group
// cannot be associated through the API); a warm run writes nothing in one wave of at most 3 requests.
// configure-project changes only the signing settings of the signable targets, and post restores the file.
import { generateKeyPairSync } from "node:crypto";
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse as parsePlist } from "plist";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readProjectSigning } from "../../src/core/xcode/index.ts";
import { type FakeAsc, startFakeAsc } from "../support/fake-asc/index.ts";
import {
  createRunnerEnvironment,
  projectRoot,
  type RunnerEnvironment,
  runStep,
} from "../support/runner-sim.ts";
import { hasSharedXcode, sharedPath } from "../support/shared-dir.ts";

const hasCorpus = hasSharedXcode;

const APP = "com.whoisryannystrom.freetime";
const WATCH = `${APP}.watchkitapp`;
const WATCH_EXTENSION = `${WATCH}.watchkitextension`;
const GROUP = "group.com.whoisryannystrom.freetime";

let fake: FakeAsc;
let caFile: string;
let signingKeyPem: string;

beforeAll(async () => {
  if (!hasCorpus) return;
  if (!existsSync(join(projectRoot, "dist", "main", "index.js")))
    throw new Error("dist/ is missing: npm run build");
  fake = await startFakeAsc({ tls: true });
  caFile = join(createRunnerEnvironment().root, "ca.pem");
  writeFileSync(caFile, fake.caCertPem ?? "");
  signingKeyPem = generateKeyPairSync("rsa", { modulusLength: 2048 })
    .privateKey.export({ type: "pkcs8", format: "pem" })
    .toString();
});
afterAll(async () => {
  await fake?.stop();
});

/** A runner whose workspace holds a copy of GitHawk's checkout (the parts a reader needs). */
function runnerWithGitHawk(): RunnerEnvironment {
  const runner = createRunnerEnvironment("Linux", { NODE_EXTRA_CA_CERTS: caFile });
  cpSync(sharedPath("xcode", "githawk"), join(runner.workspace, "githawk"), { recursive: true });
  return runner;
}

function inputs(extra: Record<string, string> = {}): Record<string, string> {
  return {
    "issuer-id": fake.apiKey.issuerId,
    "key-id": fake.apiKey.keyId,
    "private-key": fake.apiKey.privateKeyPem,
    "api-base-url": fake.url,
    "certificate-private-key": signingKeyPem,
    project: "githawk/Freetime.xcworkspace",
    "profile-type": "IOS_APP_STORE",
    ...extra,
  };
}

const capabilityTypes = (identifier: string): string[] => {
  const bundle = fake.state.bundleIds().find((b) => b.identifier === identifier);
  return bundle
    ? fake.state
        .capabilities(bundle.id)
        .map((c) => c.capabilityType)
        .sort()
    : [];
};

describe.skipIf(!hasCorpus)("dist with `project` (GitHawk, IOS_APP_STORE)", () => {
  it("cold: the three bundle IDs, their capabilities, a profile each; the entitlements check fails with one table; warm: no write, one wave", async () => {
    const runner = runnerWithGitHawk();
    fake.clearLog();
    const cold = await runStep("main", runner, inputs());

    // Exactly the bundle IDs the app, its watch app and the watch extension need.
    expect(
      fake.state
        .bundleIds()
        .map((b) => b.identifier)
        .sort(),
    ).toEqual([APP, WATCH, WATCH_EXTENSION]);
    // What the entitlements imply, enabled with one request each: iCloud (key-value store) and App
    // Groups on the app, App Groups on both watch targets (Apple adds Game Center and In-App Purchase to
    // every new iOS bundle ID by itself, and so does the fake).
    expect(fake.stats().byRoute["POST /v1/bundleIdCapabilities"]).toBe(4);
    expect(capabilityTypes(APP)).toEqual(["APP_GROUPS", "GAME_CENTER", "ICLOUD", "IN_APP_PURCHASE"]);
    expect(capabilityTypes(WATCH)).toEqual(["APP_GROUPS", "GAME_CENTER", "IN_APP_PURCHASE"]);
    expect(capabilityTypes(WATCH_EXTENSION)).toEqual(["APP_GROUPS", "GAME_CENTER", "IN_APP_PURCHASE"]);

    // A profile each, installed, with its target; ExportOptions covers all three.
    const profiles = JSON.parse(cold.outputs.profiles ?? "[]") as Array<Record<string, string>>;
    expect(profiles.map((p) => [p.target, p.bundleId])).toEqual([
      ["Freetime", APP],
      ["FreetimeWatch", WATCH],
      ["FreetimeWatch Extension", WATCH_EXTENSION],
    ]);
    for (const p of profiles) expect(existsSync(p.path!), p.path).toBe(true);
    expect(fake.stats().byRoute["POST /v1/profiles"]).toBe(3);
    const exportOptions = parsePlist(readFileSync(cold.outputs["export-options-path"]!, "utf8")) as {
      provisioningProfiles: Record<string, string>;
    };
    expect(Object.keys(exportOptions.provisioningProfiles).sort()).toEqual([APP, WATCH, WATCH_EXTENSION]);

    // The app group cannot be associated through the API: the check fails, one table, in the summary.
    expect(cold.code, cold.stdout + cold.stderr).toBe(1);
    const errors = cold.stdout.split("\n").filter((l) => l.startsWith("::error::"));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain("com.apple.security.application-groups");
    expect(cold.summary).toContain("### Xcode project");
    expect(cold.summary).toContain("### Entitlements check");
    const tableRows = cold.summary.split("\n").filter((l) => l.startsWith("| Freetime"));
    const groupRows = tableRows.filter((l) => l.includes("com.apple.security.application-groups"));
    expect(groupRows.map((l) => l.split(" | ")[0])).toEqual([
      "| Freetime",
      "| FreetimeWatch",
      "| FreetimeWatch Extension",
    ]);
    for (const row of groupRows) expect(row).toContain(`associate ${GROUP} with`);
    // $(TeamIdentifierPrefix) was expanded with the account's team (FAKE7EAM42), not the project's
    // 523C4DWBTH: the profile's TEAM.* allows the key-value store identifier.
    expect(cold.summary).not.toContain("ubiquity-kvstore-identifier | ");
    expect(cold.summary).toMatch(/ICLOUD ICLOUD_VERSION=XCODE_6 \(entitlements\)/);

    // Warm: nothing to write, one round trip of at most three reads.
    await runStep("post", runner, inputs(), cold.state);
    // With Apple-like latency, so that requests made together overlap and count as one round trip.
    fake.setLatency(200);
    fake.clearLog();
    const warm = await runStep("main", runner, inputs({ "entitlements-check": "warn" })).finally(() =>
      fake.setLatency(0),
    );
    expect(warm.code, warm.stdout + warm.stderr).toBe(0);
    expect(fake.stats().writes).toBe(0);
    expect(fake.stats().requests).toBeLessThanOrEqual(3);
    expect(fake.waves()).toHaveLength(1);
    expect(warm.outputs.changed).toBe("false");
    expect(warm.stdout).toMatch(/::warning::.*application-groups/);
    expect(warm.summary).toContain("### Entitlements check");
    await runStep("post", runner, inputs(), warm.state);
    rmSync(runner.root, { recursive: true, force: true });
  });

  it("configure-project writes only the signable targets' signing settings, and post restores the file", async () => {
    const runner = runnerWithGitHawk();
    const pbxproj = join(runner.workspace, "githawk", "Freetime.xcodeproj", "project.pbxproj");
    const before = readFileSync(pbxproj, "utf8");
    const raw = inputs({ "configure-project": "true", "entitlements-check": "off" });
    const main = await runStep("main", runner, raw);
    expect(main.code, main.stdout + main.stderr).toBe(0);
    const after = readFileSync(pbxproj, "utf8");
    expect(after).not.toBe(before);

    // Without the four signing settings' lines, the file is byte for byte what it was.
    const signing =
      /^\s*"?(CODE_SIGN_IDENTITY|CODE_SIGN_STYLE|DEVELOPMENT_TEAM|PROVISIONING_PROFILE_SPECIFIER)(\[[^\]]*\])?"? = .*;$/;
    const withoutSigning = (text: string) =>
      text
        .split("\n")
        .filter((l) => !signing.test(l))
        .join("\n");
    expect(withoutSigning(after)).toBe(withoutSigning(before));

    // Read back: the signable targets' Release signs manually with our team, identity and profiles; the
    // Debug configuration and the test target are as they were.
    const workspacePath = join(runner.workspace, "githawk", "Freetime.xcworkspace");
    const read = (configuration: string) =>
      readProjectSigning(workspacePath, { profileType: "IOS_APP_STORE", configuration });
    const profiles = JSON.parse(main.outputs.profiles ?? "[]") as Array<Record<string, string>>;
    const release = read("Release");
    expect(release.signable.map((t) => [t.target, t.currentSigning])).toEqual(
      profiles.map((p) => [
        p.target,
        {
          style: "Manual",
          team: "FAKE7EAM42",
          identity: main.outputs["signing-identity"],
          profileSpecifier: p.name,
        },
      ]),
    );
    const debugAfter = read("Debug").signable.map((t) => t.currentSigning);
    writeFileSync(pbxproj, before);
    const debugBefore = read("Debug").signable.map((t) => t.currentSigning);
    writeFileSync(pbxproj, after);
    expect(debugAfter).toEqual(debugBefore);
    expect(after.match(/FreetimeTests/g)?.length).toBe(before.match(/FreetimeTests/g)?.length);
    expect(main.summary).toContain("### Project signing written");

    const post = await runStep("post", runner, raw, main.state);
    expect(post.code).toBe(0);
    expect(post.stdout).toContain(`restored ${pbxproj}`);
    expect(readFileSync(pbxproj, "utf8")).toBe(before);
    rmSync(runner.root, { recursive: true, force: true });
  });

  it("reports project input problems with the others, before any request", async () => {
    const runner = runnerWithGitHawk();
    fake.clearLog();
    const main = await runStep(
      "main",
      runner,
      inputs({ targets: "Freetime\nNoSuchApp", "bundle-ids": "Ghost: com.example.ghost", mode: "yolo" }),
    );
    expect(main.code).toBe(1);
    const error = main.stdout.split("\n").find((l) => l.startsWith("::error::")) ?? "";
    expect(error).toMatch(/3 input problems/);
    expect(error).toContain('`targets`: no target "NoSuchApp"');
    expect(error).toContain('`bundle-ids`: no target "Ghost"');
    expect(error).toContain("`mode`");
    expect(fake.stats().requests).toBe(0);

    const missing = await runStep("main", runner, inputs({ project: "nowhere/App.xcodeproj" }));
    expect(missing.code).toBe(1);
    expect(missing.stdout).toMatch(/::error::.*`project`: no Xcode project at .*nowhere\/App\.xcodeproj/);
    expect(fake.stats().requests).toBe(0);
    rmSync(runner.root, { recursive: true, force: true });
  });
});
