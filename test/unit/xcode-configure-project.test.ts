// configure-project: manual signing written into each signable target's configuration, every other
// byte of the project file unchanged (diffed line by line), the result evaluating as Xcode would, and a
// second run changing nothing.
import { readFileSync } from "node:fs";
import { parse } from "@bacons/xcode/json";
import { describe, expect, it } from "vitest";
import type { ProfileType } from "../../src/core/asc/types.ts";
import { configureProjectSigning, type SigningEdit } from "../../src/core/xcode/configure-project.ts";
import { diskFiles, type ProjectFiles } from "../../src/core/xcode/project-files.ts";
import { readProjectSigning } from "../../src/core/xcode/signable-targets.ts";
import { hasSharedXcode, sharedPath } from "../support/shared-dir.ts";

const corpus = (...parts: string[]) => sharedPath("xcode", ...parts);
const hasCorpus = hasSharedXcode;

const SIGNING_LINE =
  /^\s*"?(CODE_SIGN_STYLE|DEVELOPMENT_TEAM|CODE_SIGN_IDENTITY|PROVISIONING_PROFILE_SPECIFIER)(\[[^\]]*\])?"? = .*;$/;

/** Every line that differs is a signing-setting line: replaced (same key) or added. */
function assertOnlySigningLinesChanged(before: string, after: string): { replaced: number; added: number } {
  const a = before.split("\n");
  const b = after.split("\n");
  let i = 0;
  let j = 0;
  let replaced = 0;
  let added = 0;
  while (i < a.length || j < b.length) {
    if (a[i] === b[j]) {
      i++;
      j++;
      continue;
    }
    const out = SIGNING_LINE.exec(b[j] ?? "");
    const orig = SIGNING_LINE.exec(a[i] ?? "");
    if (!out)
      throw new Error(
        `line ${j + 1} changed and is not a signing setting: ${JSON.stringify(b[j])} (was ${JSON.stringify(a[i])})`,
      );
    if (orig && orig[1] === out[1] && orig[2] === out[2]) {
      replaced++;
      i++;
    } else added++;
    j++;
  }
  return { replaced, added };
}

function signingFor(bundleId: string) {
  return {
    team: "ABCDE12345",
    identity: "Apple Distribution",
    profileSpecifier: `asc ${bundleId} IOS_APP_STORE`,
  };
}

describe.skipIf(!hasCorpus)("configure-project on the corpus", () => {
  const cases: [string, string, ProfileType, string][] = [
    [
      "duckduckgo-ios/DuckDuckGo-iOS.xcodeproj",
      "duckduckgo-ios/DuckDuckGo-iOS.xcodeproj",
      "IOS_APP_STORE",
      "Alpha",
    ],
    ["githawk/Freetime.xcworkspace", "githawk/Freetime.xcodeproj", "IOS_APP_STORE", "Release"],
    [
      "home-assistant-ios/HomeAssistant.xcodeproj",
      "home-assistant-ios/HomeAssistant.xcodeproj",
      "IOS_APP_STORE",
      "Release",
    ],
    [
      "home-assistant-ios/HomeAssistant.xcodeproj",
      "home-assistant-ios/HomeAssistant.xcodeproj",
      "MAC_CATALYST_APP_STORE",
      "Release",
    ],
    ["utm/UTM.xcodeproj", "utm/UTM.xcodeproj", "MAC_APP_STORE", "Release"],
  ];
  for (const [path, xcodeproj, profileType, configuration] of cases) {
    it(`${path} ${profileType} ${configuration}: only the signing settings change, and they take effect`, () => {
      const pbxprojPath = corpus(xcodeproj, "project.pbxproj");
      const before = readFileSync(pbxprojPath, "utf8");
      const signing = readProjectSigning(corpus(path), { profileType, configuration });
      expect(signing.problems).toEqual([]);
      const edits: SigningEdit[] = signing.signable.map((t) => ({
        buildConfigurationId: t.buildConfigurationId,
        sdk: t.sdk,
        configuration: t.configuration,
        signing: signingFor(t.bundleId),
      }));
      const { text: after, changes } = configureProjectSigning(before, edits);
      const counted = assertOnlySigningLinesChanged(before, after);
      expect(counted.replaced + counted.added).toBe(changes.length);
      expect(changes.length).toBeGreaterThanOrEqual(signing.signable.length);

      // The parsed objects are identical except the signing keys of the edited configurations.
      const strip = (objects: Record<string, Record<string, unknown>>) => {
        for (const object of Object.values(objects)) {
          const settings = object.buildSettings as Record<string, unknown> | undefined;
          if (!settings || !edits.some((e) => objects[e.buildConfigurationId] === object)) continue;
          for (const key of Object.keys(settings)) if (SIGNING_LINE.test(`${key} = x;`)) delete settings[key];
        }
        return objects;
      };
      const parsedBefore = parse(before) as unknown as { objects: Record<string, Record<string, unknown>> };
      const parsedAfter = parse(after) as unknown as { objects: Record<string, Record<string, unknown>> };
      expect(strip(parsedAfter.objects)).toEqual(strip(parsedBefore.objects));

      // Read back as Xcode would: every signable target now resolves to the manual signing written.
      const files: ProjectFiles = { readText: (p) => (p === pbxprojPath ? after : diskFiles.readText(p)) };
      const reread = readProjectSigning(corpus(path), { profileType, configuration, files });
      for (const target of reread.signable) {
        const { team, identity, profileSpecifier } = signingFor(target.bundleId);
        expect(target.currentSigning, target.target).toEqual({
          style: "Manual",
          team,
          identity,
          profileSpecifier,
        });
      }
      // Nothing else about the targets changed.
      expect(reread.signable.map((t) => [t.target, t.bundleId, t.entitlementsSetting])).toEqual(
        signing.signable.map((t) => [t.target, t.bundleId, t.entitlementsSetting]),
      );

      // A second run changes nothing.
      const again = configureProjectSigning(after, edits);
      expect(again.changes).toEqual([]);
      expect(again.text).toBe(after);
    });
  }
});

describe("configure-project on small files", () => {
  const file = (settings: string) =>
    `// !$*UTF8*$!\n{\n\tobjects = {\n\n/* Begin XCBuildConfiguration section */\n\t\tC1 /* Release */ = {\n\t\t\tisa = XCBuildConfiguration;\n\t\t\tbuildSettings = ${settings};\n\t\t\tname = Release;\n\t\t};\n/* End XCBuildConfiguration section */\n\t};\n\trootObject = C1 /* Release */;\n}\n`;
  const edit = (
    signing = {
      team: "T1",
      identity: 'Apple Distribution: Jane "J" Doe (T1)',
      profileSpecifier: "App Store",
    },
  ): SigningEdit[] => [{ buildConfigurationId: "C1", sdk: "iphoneos", configuration: "Release", signing }];

  it("adds missing keys in sorted order with the neighbours' indentation; quotes what Xcode quotes", () => {
    const before = file(
      '{\n\t\t\t\tALPHA = 1;\n\t\t\t\t"CODE_SIGN_IDENTITY[sdk=macosx*]" = "Mac Developer";\n\t\t\t\tINFOPLIST_FILE = "App/Info.plist";\n\t\t\t\tZED = 2;\n\t\t\t}',
    );
    const { text } = configureProjectSigning(before, edit());
    expect(text).toBe(
      file(
        '{\n\t\t\t\tALPHA = 1;\n\t\t\t\tCODE_SIGN_IDENTITY = "Apple Distribution: Jane \\"J\\" Doe (T1)";\n\t\t\t\t"CODE_SIGN_IDENTITY[sdk=macosx*]" = "Mac Developer";\n\t\t\t\tCODE_SIGN_STYLE = Manual;\n\t\t\t\tDEVELOPMENT_TEAM = T1;\n\t\t\t\tINFOPLIST_FILE = "App/Info.plist";\n\t\t\t\tPROVISIONING_PROFILE_SPECIFIER = "App Store";\n\t\t\t\tZED = 2;\n\t\t\t}',
      ),
    );
    // The macOS-only identity is not the iOS build's: left alone.
  });

  it("replaces existing values, including conditional ones the SDK matches (they would win over the plain key)", () => {
    const before = file(
      '{\n\t\t\t\tCODE_SIGN_IDENTITY = "iPhone Developer";\n\t\t\t\t"CODE_SIGN_IDENTITY[sdk=iphoneos*]" = "iPhone Developer";\n\t\t\t\tCODE_SIGN_STYLE = Automatic;\n\t\t\t\tDEVELOPMENT_TEAM = OLD;\n\t\t\t\tPROVISIONING_PROFILE_SPECIFIER = "";\n\t\t\t}',
    );
    const { text, changes } = configureProjectSigning(
      before,
      edit({ team: "T1", identity: "Apple Distribution", profileSpecifier: "p" }),
    );
    expect(text).toBe(
      file(
        '{\n\t\t\t\tCODE_SIGN_IDENTITY = "Apple Distribution";\n\t\t\t\t"CODE_SIGN_IDENTITY[sdk=iphoneos*]" = "Apple Distribution";\n\t\t\t\tCODE_SIGN_STYLE = Manual;\n\t\t\t\tDEVELOPMENT_TEAM = T1;\n\t\t\t\tPROVISIONING_PROFILE_SPECIFIER = p;\n\t\t\t}',
      ),
    );
    expect(changes.map((c) => [c.key, c.from, c.to])).toEqual([
      ["CODE_SIGN_IDENTITY", '"iPhone Developer"', '"Apple Distribution"'],
      ["CODE_SIGN_IDENTITY[sdk=iphoneos*]", '"iPhone Developer"', '"Apple Distribution"'],
      ["CODE_SIGN_STYLE", "Automatic", "Manual"],
      ["DEVELOPMENT_TEAM", "OLD", "T1"],
      ["PROVISIONING_PROFILE_SPECIFIER", '""', "p"],
    ]);
  });

  it("empty and single-line buildSettings dictionaries", () => {
    const signing = { team: "T1", identity: "Apple Distribution", profileSpecifier: "p" };
    expect(configureProjectSigning(file("{\n\t\t\t}"), edit(signing)).text).toBe(
      file(
        '{\n\t\t\t\tCODE_SIGN_IDENTITY = "Apple Distribution";\n\t\t\t\tCODE_SIGN_STYLE = Manual;\n\t\t\t\tDEVELOPMENT_TEAM = T1;\n\t\t\t\tPROVISIONING_PROFILE_SPECIFIER = p;\n\t\t\t}',
      ),
    );
    expect(configureProjectSigning(file("{A = b; }"), edit(signing)).text).toBe(
      file(
        '{A = b; CODE_SIGN_IDENTITY = "Apple Distribution"; CODE_SIGN_STYLE = Manual; DEVELOPMENT_TEAM = T1; PROVISIONING_PROFILE_SPECIFIER = p; }',
      ),
    );
  });

  it("an unknown configuration id, and two different signings for one configuration, are errors", () => {
    const before = file("{\n\t\t\t}");
    expect(() => configureProjectSigning(before, [{ ...edit()[0]!, buildConfigurationId: "NOPE" }])).toThrow(
      /object NOPE not found/,
    );
    expect(() =>
      configureProjectSigning(before, [
        ...edit(),
        { ...edit()[0]!, signing: { team: "T2", identity: "x", profileSpecifier: "y" } },
      ]),
    ).toThrow(/two different signings/);
  });
});
