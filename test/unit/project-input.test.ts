// The `project` inputs and parseConfig with a project: bundle IDs and capabilities read from the Xcode
// project (GitHawk's workspace in ../shared/xcode, copied to a temp folder where a test edits it), the
// `bundle-ids` and `capabilities` inputs overriding or adding, every problem reported with the others,
// and the reading for the account's team.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Config } from "../../src/core/config.ts";
import { parseConfig, type RawInputs } from "../../src/core/config-parse.ts";
import { InputError, type InputProblem } from "../../src/core/errors.ts";
import { configForTeam } from "../../src/core/project-config.ts";
import { parseProjectBundleIds, parseProjectInputs } from "../../src/core/project-input.ts";
import { projectReport } from "../../src/core/xcode/project-desired-state.ts";
import { testKeys } from "../support/keys.ts";
import { hasSharedXcode, sharedPath } from "../support/shared-dir.ts";

const hasCorpus = hasSharedXcode;
const APP = "com.whoisryannystrom.freetime";
const WATCH = `${APP}.watchkitapp`;
const WATCH_EXTENSION = `${WATCH}.watchkitextension`;

function collect(): { problems: InputProblem[]; problem: (input: string, message: string) => void } {
  const problems: InputProblem[] = [];
  return { problems, problem: (input, message) => problems.push({ input, message }) };
}

describe("parseProjectBundleIds", () => {
  it("reads `Target: id` lines (names with spaces) as overrides and plain identifiers as additions", () => {
    const { problems, problem } = collect();
    const parsed = parseProjectBundleIds(
      "FreetimeWatch Extension: com.example.watch.ext\ncom.example.extra, com.example.extra\nFreetime:com.example.app",
      problem,
    );
    expect(parsed).toEqual({
      overrides: { "FreetimeWatch Extension": "com.example.watch.ext", Freetime: "com.example.app" },
      extra: ["com.example.extra"],
    });
    expect(problems).toEqual([]);
  });

  it("reports a target given two bundle IDs and a line without one", () => {
    const { problems, problem } = collect();
    parseProjectBundleIds("App: com.a\nApp: com.b\nApp:", problem);
    expect(problems.map((p) => p.input)).toEqual(["bundle-ids", "bundle-ids"]);
    expect(problems[0]!.message).toContain('target "App" is given two bundle IDs');
  });
});

describe("parseProjectInputs", () => {
  const get = (values: Record<string, string>) => (name: string) => values[name] ?? "";

  it("without `project`: nothing, and `targets` or `configure-project: true` are problems", () => {
    const { problems, problem } = collect();
    expect(
      parseProjectInputs(get({ targets: "App", "configure-project": "true" }), "/w", problem),
    ).toBeUndefined();
    expect(problems.map((p) => p.input)).toEqual(["targets", "configure-project"]);
  });

  it("names a path that is no Xcode project, a missing project and a bad entitlements-check", () => {
    const { problems, problem } = collect();
    parseProjectInputs(get({ project: "App/Info.plist", "entitlements-check": "maybe" }), "/w", problem);
    parseProjectInputs(get({ project: "nowhere/App.xcworkspace" }), "/w", problem);
    expect(problems.map((p) => p.input)).toEqual(["entitlements-check", "project", "project"]);
    expect(problems[1]!.message).toContain("not an Xcode project");
    expect(problems[2]!.message).toContain("no Xcode workspace at /w/nowhere/App.xcworkspace");
    expect(problems[2]!.message).toContain("actions/checkout");
  });
});

describe.skipIf(!hasCorpus)("parseConfig with `project` (GitHawk)", () => {
  let workspace: string;
  beforeAll(() => {
    workspace = mkdtempSync(join(tmpdir(), "asc-provision-project-"));
    cpSync(sharedPath("xcode", "githawk"), join(workspace, "githawk"), { recursive: true });
  });
  afterAll(() => {
    rmSync(workspace, { recursive: true, force: true });
  });

  function inputs(overrides: RawInputs = {}): RawInputs {
    const { apiKeyPem, signingKeyPem } = testKeys();
    return {
      "issuer-id": "57246542-96fe-1a63-e053-0824d011072a",
      "key-id": "2X9R4HXF34",
      "private-key": apiKeyPem,
      "certificate-private-key": signingKeyPem,
      project: "githawk/Freetime.xcworkspace",
      ...overrides,
    };
  }
  const parse = (raw: RawInputs): Config =>
    parseConfig(raw, { readFile: () => undefined, masker: { mask() {} }, workspace });
  const problemsOf = (raw: RawInputs): InputProblem[] => {
    try {
      parse(raw);
    } catch (error) {
      if (error instanceof InputError) return error.problems;
      throw error;
    }
    throw new Error("expected an InputError");
  };

  it("takes the bundle IDs (main target first) and the capabilities the entitlements imply", () => {
    const config = parse(inputs());
    expect(config.bundleIds.map((b) => b.identifier)).toEqual([APP, WATCH, WATCH_EXTENSION]);
    expect(config.capabilities).toEqual([
      { bundleId: APP, type: "ICLOUD", settings: { ICLOUD_VERSION: "XCODE_6" } },
      { bundleId: APP, type: "APP_GROUPS", settings: {} },
      { bundleId: WATCH, type: "APP_GROUPS", settings: {} },
      { bundleId: WATCH_EXTENSION, type: "APP_GROUPS", settings: {} },
    ]);
    expect(config.project?.inputs).toMatchObject({
      configuration: "Release",
      entitlementsCheck: "fail",
      configureProject: false,
    });
  });

  it("`bundle-ids` overrides one target and adds an identifier; `capabilities` overrides and adds; the report says which came from where", () => {
    const config = parse(
      inputs({
        "bundle-ids": "FreetimeWatch: com.example.watch\ncom.example.extra",
        capabilities: "ICLOUD ICLOUD_VERSION=XCODE_5\ncom.example.watch: PUSH_NOTIFICATIONS",
      }),
    );
    expect(config.bundleIds.map((b) => b.identifier)).toEqual([
      APP,
      "com.example.watch",
      WATCH_EXTENSION,
      "com.example.extra",
    ]);
    expect(config.capabilities).toContainEqual({
      bundleId: APP,
      type: "ICLOUD",
      settings: { ICLOUD_VERSION: "XCODE_5" },
    });
    expect(config.capabilities).toContainEqual({
      bundleId: "com.example.watch",
      type: "PUSH_NOTIFICATIONS",
      settings: {},
    });
    const report = projectReport(config.project!);
    expect(report.map((t) => [t.target, t.bundleId, t.bundleIdSource])).toEqual([
      ["Freetime", APP, "project"],
      ["FreetimeWatch", "com.example.watch", "bundle-ids"],
      ["FreetimeWatch Extension", WATCH_EXTENSION, "project"],
    ]);
    expect(report[0]!.capabilities.map((c) => [c.request.type, c.source])).toEqual([
      ["ICLOUD", "capabilities"],
      ["APP_GROUPS", "entitlements"],
    ]);
    expect(report[0]!.reported.map((r) => r.kind)).toEqual(["identifiers"]);
  });

  it("reports unknown targets, an unknown override and other input problems together", () => {
    const found = problemsOf(
      inputs({
        targets: "Freetime, Nope",
        "bundle-ids": "Ghost: com.example.ghost\nFreetimeTests: com.example.tests",
        mode: "yolo",
      }),
    );
    expect(found.map((p) => p.input).sort()).toEqual(["bundle-ids", "bundle-ids", "mode", "targets"]);
    expect(found.find((p) => p.input === "targets")!.message).toContain('no target "Nope"');
    expect(found.find((p) => p.message.includes("Ghost"))!.message).toContain('no target "Ghost"');
    expect(found.find((p) => p.message.includes("FreetimeTests"))!.message).toContain("does not sign");
  });

  it("a bundle ID the repository cannot resolve names the target, the setting and the fix; `Target: id` fixes it", () => {
    const copy = join(workspace, "githawk-ci");
    cpSync(join(workspace, "githawk"), copy, { recursive: true });
    const pbxproj = join(copy, "Freetime.xcodeproj", "project.pbxproj");
    writeFileSync(
      pbxproj,
      readFileSync(pbxproj, "utf8").replaceAll(
        `PRODUCT_BUNDLE_IDENTIFIER = ${APP};`,
        'PRODUCT_BUNDLE_IDENTIFIER = "$(CI_BUNDLE_ID)";',
      ),
    );
    const found = problemsOf(inputs({ project: "githawk-ci/Freetime.xcworkspace" }));
    expect(found).toHaveLength(1);
    expect(found[0]!.input).toBe("bundle-ids");
    expect(found[0]!.message).toContain('target "Freetime"');
    expect(found[0]!.message).toContain("$(CI_BUNDLE_ID)");
    expect(found[0]!.message).toContain("`bundle-ids`");
    const fixed = parse(
      inputs({ project: "githawk-ci/Freetime.xcworkspace", "bundle-ids": `Freetime: ${APP}` }),
    );
    expect(fixed.bundleIds.map((b) => b.identifier)).toEqual([APP, WATCH, WATCH_EXTENSION]);
  });

  it("`bundle-id-names` is a problem with a project; `bundle-ids` stays required without one", () => {
    expect(problemsOf(inputs({ "bundle-id-names": "Freetime" })).map((p) => p.input)).toEqual([
      "bundle-id-names",
    ]);
    expect(problemsOf(inputs({ project: "" })).map((p) => p.input)).toEqual(["bundle-ids"]);
  });

  it("reads the entitlements again for the account's team, once, without changing the bundle IDs", () => {
    const config = parse(inputs());
    const kvstore = (c: Config) =>
      c.project!.signing.signable[0]!.entitlements["com.apple.developer.ubiquity-kvstore-identifier"];
    expect(kvstore(config)).toBe(`523C4DWBTH.${APP}`);
    const again = configForTeam(config, "FAKE7EAM42");
    expect(again.reread).toBe(true);
    expect(again.changed).toEqual([]);
    expect(kvstore(again.config)).toBe(`FAKE7EAM42.${APP}`);
    expect(again.config.bundleIds).toEqual(config.bundleIds);
    expect(configForTeam(config, "FAKE7EAM42").config.project).toBe(again.config.project);
    // The project's own team: nothing to read again.
    expect(configForTeam(config, "523C4DWBTH").reread).toBe(false);
  });
});
