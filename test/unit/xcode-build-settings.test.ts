// The build-settings resolver on small synthetic xcconfigs and settings: levels, conditions, macro
// syntax and operators, includes (required, optional, relative to the including file).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { BuildSettings, type ConditionValues } from "../../src/core/xcode/build-settings.ts";
import { diskFiles } from "../../src/core/xcode/project-files.ts";
import type { SettingAssignment } from "../../src/core/xcode/setting-assignment.ts";
import { parseSettingKey, readXcconfig } from "../../src/core/xcode/xcconfig.ts";

const ios: ConditionValues = { sdk: "iphoneos", config: "Release" };

function level(settings: Record<string, string | string[]>, source = "test"): SettingAssignment[] {
  return Object.entries(settings).map(([key, value]) => ({ ...parseSettingKey(key)!, value, source }));
}

function scope(levels: Record<string, string | string[]>[], conditions = ios): BuildSettings {
  return new BuildSettings(
    levels.map((l) => level(l)),
    conditions,
  );
}

describe("levels and $(inherited)", () => {
  it("a higher level overrides a lower one; $(inherited) and self-reference continue below", () => {
    const s = scope([
      { A: "base", FLAGS: "-a", OTHER: "x" },
      { A: "project", FLAGS: "$(inherited) -b" },
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Xcode's ${NAME} syntax, not a template
      { FLAGS: "$(FLAGS) -c", OTHER: "${inherited} y" },
    ]);
    expect(s.value("A")).toBe("project");
    expect(s.value("FLAGS")).toBe("-a -b -c");
    expect(s.value("OTHER")).toBe("x y");
  });

  it("$(inherited) with nothing below is empty and not an undefined name", () => {
    const s = scope([{ A: "$(inherited)x" }]);
    expect(s.evaluated("A")).toEqual({ value: "x", undefinedNames: [] });
  });

  it("an undefined name is empty and reported; with :default= it takes the default and is not reported", () => {
    const s = scope([{ ID: "$(PREFIX).app$(SUFFIX)", WITH_DEFAULT: "$(PREFIX:default=com.example).app" }]);
    expect(s.evaluated("ID")).toEqual({ value: ".app", undefinedNames: ["PREFIX", "SUFFIX"] });
    expect(s.evaluated("WITH_DEFAULT")).toEqual({ value: "com.example.app", undefinedNames: [] });
  });

  it("lists join with spaces", () => {
    expect(scope([{ L: ["a", "$(B)"], B: "b" }]).value("L")).toBe("a b");
  });
});

describe("conditions", () => {
  it("[sdk=…] matches the platform's SDK (with or without a version); later assignments win", () => {
    const s = (sdk: string) =>
      scope(
        [
          { ID: "generic", "ID[sdk=iphoneos*]": "device", "ID[sdk=iphonesimulator*]": "simulator" },
          { TEAM: "", "TEAM[sdk=iphoneos*]": "T1" },
        ],
        { sdk, config: "Release" },
      );
    expect(s("iphoneos").value("ID")).toBe("device");
    expect(s("iphoneos").value("TEAM")).toBe("T1");
    expect(s("macosx").value("ID")).toBe("generic");
    expect(s("macosx").value("TEAM")).toBe("");
  });

  it("a higher level's plain value beats a lower level's conditional one", () => {
    const s = scope([{ "STYLE[sdk=iphoneos*]": "Automatic" }, { STYLE: "Manual" }]);
    expect(s.value("STYLE")).toBe("Manual");
  });

  it("[config=…], [arch=…], combined conditions, and unknown parameters never match", () => {
    const s = scope([
      {
        X: "plain",
        "X[config=Debug]": "debug",
        "Y[arch=arm64]": "arm",
        "Y[arch=x86_64]": "intel",
        "Z[sdk=iphoneos*][config=Release]": "both",
        "W[foo=bar]": "never",
      },
    ]);
    expect(s.value("X")).toBe("plain");
    expect(s.value("Y")).toBe("arm");
    expect(s.value("Z")).toBe("both");
    expect(s.value("W")).toBe("");
    expect(
      scope([{ X: "plain", "X[config=Debug]": "debug" }], { sdk: "iphoneos", config: "Debug" }).value("X"),
    ).toBe("debug");
  });
});

describe("macro syntax and operators", () => {
  it("$(X), {X} in braces, bare $X, and names built from other macros", () => {
    const s = scope([
      {
        TEAM: "QMQ",
        TARGET_NAME: "Extensions-PushProvider",
        STYLE_QMQ_Extensions_PushProvider: "Manual",
        STYLE_DEFAULT: "Automatic",
        STYLE: "$(STYLE_$(TEAM)_$(TARGET_NAME:c99extidentifier):default=$STYLE_DEFAULT)",
        OTHER: "$(STYLE_$(TEAM)_Nope:default=$STYLE_DEFAULT)",
        // biome-ignore lint/suspicious/noTemplateCurlyInString: Xcode's ${NAME} syntax, not a template
        BRACES: "${TEAM}.x",
      },
    ]);
    expect(s.value("STYLE")).toBe("Manual");
    expect(s.value("OTHER")).toBe("Automatic");
    expect(s.value("BRACES")).toBe("QMQ.x");
  });

  it(":rfc1034identifier and :c99extidentifier as swift-build mangles them", () => {
    const s = scope([
      {
        NAME: "Pods-FreetimeWatch Extension",
        R: "org.cocoapods.$(NAME:rfc1034identifier)",
        C: "$(NAME:c99extidentifier)",
        D: "$(LEAD:c99extidentifier)|$(LEAD:rfc1034identifier)|$(DOTS:rfc1034identifier)",
        LEAD: "9lives",
        DOTS: "a.b_c",
      },
    ]);
    expect(s.value("R")).toBe("org.cocoapods.Pods-FreetimeWatch-Extension");
    expect(s.value("C")).toBe("Pods_FreetimeWatch_Extension");
    expect(s.value("D")).toBe("_9lives|-lives|a-b-c");
  });

  it(":lower, :upper, path operators, chained operators", () => {
    const s = scope([
      {
        P: "dir/sub/File.name.ext",
        N: "MyApp",
        X: "$(N:lower).$(N:upper)|$(P:file)|$(P:dir)|$(P:base)|$(P:suffix)|$(N:lower:rfc1034identifier)",
      },
    ]);
    expect(s.value("X")).toBe("myapp.MYAPP|File.name.ext|dir/sub/|File.name|.ext|myapp");
  });

  it("a self-referencing cycle terminates", () => {
    const s = scope([{ A: "$(B)", B: "$(A)x" }]);
    expect(typeof s.value("A")).toBe("string");
  });

  it("with(): values supplied while signing sit above every level", () => {
    const s = scope([{ ID: "com.x", GROUP: "$(TeamIdentifierPrefix)$(ID)" }]).with({
      TeamIdentifierPrefix: "T.",
    });
    expect(s.expand("$(GROUP) $(AppIdentifierPrefix)")).toEqual({
      value: "T.com.x ",
      undefinedNames: ["AppIdentifierPrefix"],
    });
  });
});

describe("xcconfig files", () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("includes relative to the including file, optional includes skipped (even outside the repository), order kept", () => {
    dir = mkdtempSync(join(tmpdir(), "xcconfig-"));
    mkdirSync(join(dir, "Config", "Shared"), { recursive: true });
    writeFileSync(
      join(dir, "Config", "App.xcconfig"),
      [
        "// comment",
        '#include "Shared/Base.xcconfig"',
        '#include? "Missing.xcconfig"',
        '#include? "/nonexistent/outside/repo.xcconfig"',
        "PRODUCT_BUNDLE_IDENTIFIER = $(PREFIX).app // trailing comment",
        "PREFIX = com.later;",
        "URL = https:/$()/example.com",
        "FLAG[sdk=iphoneos*][config=Release] = yes",
        "",
      ].join("\n"),
    );
    writeFileSync(
      join(dir, "Config", "Shared", "Base.xcconfig"),
      '#include "Inner.xcconfig"\nPREFIX = com.base\n',
    );
    writeFileSync(join(dir, "Config", "Shared", "Inner.xcconfig"), "INNER = 1\n");
    const read = readXcconfig(join(dir, "Config", "App.xcconfig"), diskFiles);
    expect(read.files).toEqual([
      join(dir, "Config", "App.xcconfig"),
      join(dir, "Config", "Shared", "Base.xcconfig"),
      join(dir, "Config", "Shared", "Inner.xcconfig"),
    ]);
    expect(read.skippedOptional).toEqual([
      join(dir, "Config", "Missing.xcconfig"),
      "/nonexistent/outside/repo.xcconfig",
    ]);
    expect(read.warnings).toEqual([]);
    expect(read.assignments.map((a) => a.name)).toEqual([
      "INNER",
      "PREFIX",
      "PRODUCT_BUNDLE_IDENTIFIER",
      "PREFIX",
      "URL",
      "FLAG",
    ]);
    const s = new BuildSettings([read.assignments], ios);
    expect(s.value("PRODUCT_BUNDLE_IDENTIFIER")).toBe("com.later.app");
    expect(s.value("URL")).toBe("https://example.com");
    expect(s.value("FLAG")).toBe("yes");
    expect(s.value("INNER")).toBe("1");
  });

  it("a missing required include or base file is a warning, not a crash; circular includes stop", () => {
    dir = mkdtempSync(join(tmpdir(), "xcconfig-"));
    writeFileSync(join(dir, "A.xcconfig"), '#include "B.xcconfig"\n#include "Gone.xcconfig"\nA = 1\n');
    writeFileSync(join(dir, "B.xcconfig"), '#include "A.xcconfig"\nB = 2\n');
    const read = readXcconfig(join(dir, "A.xcconfig"), diskFiles);
    expect(read.assignments.map((a) => `${a.name}=${a.value}`)).toEqual(["B=2", "A=1"]);
    expect(read.warnings.join("\n")).toMatch(/circular[\s\S]*Gone\.xcconfig" not found/);
    expect(readXcconfig(join(dir, "Nope.xcconfig"), diskFiles).warnings[0]).toContain("not found");
  });
});
