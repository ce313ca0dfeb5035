// The project reader on small synthetic projects written to temp dirs: base xcconfigs (classic and
// Xcode 16 anchors), platforms (SDKROOT = auto), embedding (platform filters, App Clips, ExtensionKit,
// system extensions, script-embedded products), Mac Catalyst bundle IDs, workspaces, and the errors
// that name the target, the setting and the fix.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { pbxString } from "../../src/core/xcode/pbxproj-spans.ts";
import { diskFiles } from "../../src/core/xcode/project-files.ts";
import { readProjectSigning } from "../../src/core/xcode/signable-targets.ts";
import { readXcodeWorkspace } from "../../src/core/xcode/xcode-project.ts";

type Plist = string | Plist[] | { [key: string]: Plist };

function write(value: Plist, indent = ""): string {
  if (typeof value === "string") return pbxString(value);
  if (Array.isArray(value)) return `(${value.map((v) => `${write(v, `${indent}\t`)}, `).join("")})`;
  const inner = Object.entries(value)
    .map(([k, v]) => `${indent}\t${pbxString(k)} = ${write(v, `${indent}\t`)};\n`)
    .join("");
  return `{\n${inner}${indent}}`;
}

interface TargetSpec {
  name: string;
  productType: string;
  product: string;
  settings: Record<string, Plist>;
  embeds?: { product: string; filter?: string; dst?: string }[];
  dependsOn?: string[];
  script?: string;
  /** Xcode 16: a base xcconfig inside a synchronized folder. */
  anchor?: { folder: string; relativePath: string };
}

/** A project.pbxproj with one configuration per name, a main group and the given targets. */
function pbxproj(opts: {
  projectSettings: Record<string, Plist>;
  projectXcconfig?: string;
  configurations?: string[];
  targets: TargetSpec[];
}): string {
  const objects: Record<string, Plist> = {};
  let counter = 0;
  const id = () => `A${String(++counter).padStart(23, "0")}`;
  const configs = opts.configurations ?? ["Debug", "Release"];
  const mainGroup = id();
  const children: string[] = [];
  let xcconfigRef: string | undefined;
  if (opts.projectXcconfig) {
    const group = id();
    xcconfigRef = id();
    objects[xcconfigRef] = {
      isa: "PBXFileReference",
      path: opts.projectXcconfig.split("/").pop()!,
      sourceTree: "<group>",
    };
    objects[group] = {
      isa: "PBXGroup",
      children: [xcconfigRef],
      path: dirname(opts.projectXcconfig),
      sourceTree: "<group>",
    };
    children.push(group);
  }
  const configList = (settings: Record<string, Plist>, extra?: (c: string) => Record<string, Plist>) => {
    const ids = configs.map((name) => {
      const c = id();
      objects[c] = { isa: "XCBuildConfiguration", buildSettings: settings, name, ...(extra?.(name) ?? {}) };
      return c;
    });
    const list = id();
    objects[list] = {
      isa: "XCConfigurationList",
      buildConfigurations: ids,
      defaultConfigurationName: "Release",
    };
    return list;
  };
  const productRefs = new Map<string, string>();
  for (const t of opts.targets) {
    const ref = id();
    objects[ref] = { isa: "PBXFileReference", path: t.product, sourceTree: "BUILT_PRODUCTS_DIR" };
    productRefs.set(t.product, ref);
  }
  const targetIds = new Map<string, string>();
  for (const t of opts.targets) targetIds.set(t.name, id());
  for (const t of opts.targets) {
    const phases: string[] = [];
    for (const [index, embed] of (t.embeds ?? []).entries()) {
      const buildFile = id();
      objects[buildFile] = {
        isa: "PBXBuildFile",
        fileRef: productRefs.get(embed.product)!,
        ...(embed.filter ? { platformFilter: embed.filter } : {}),
      };
      const phase = id();
      objects[phase] = {
        isa: "PBXCopyFilesBuildPhase",
        dstPath: embed.dst ?? "",
        dstSubfolderSpec: embed.dst ? "16" : "13",
        files: [buildFile],
        name: `Embed ${index}`,
      };
      phases.push(phase);
    }
    if (t.script) {
      const phase = id();
      objects[phase] = { isa: "PBXShellScriptBuildPhase", name: "Embed by script", shellScript: t.script };
      phases.push(phase);
    }
    const dependencies = (t.dependsOn ?? []).map((name) => {
      const dep = id();
      objects[dep] = { isa: "PBXTargetDependency", target: targetIds.get(name)! };
      return dep;
    });
    let anchorGroup: string | undefined;
    if (t.anchor) {
      anchorGroup = id();
      objects[anchorGroup] = {
        isa: "PBXFileSystemSynchronizedRootGroup",
        path: t.anchor.folder,
        sourceTree: "<group>",
      };
      children.push(anchorGroup);
    }
    objects[targetIds.get(t.name)!] = {
      isa: "PBXNativeTarget",
      buildConfigurationList: configList(
        t.settings,
        anchorGroup
          ? () => ({
              baseConfigurationReferenceAnchor: anchorGroup!,
              baseConfigurationReferenceRelativePath: t.anchor!.relativePath,
            })
          : undefined,
      ),
      buildPhases: phases,
      dependencies,
      name: t.name,
      productName: t.name,
      productReference: productRefs.get(t.product)!,
      productType: t.productType,
    };
  }
  objects[mainGroup] = { isa: "PBXGroup", children, sourceTree: "<group>" };
  const root = id();
  objects[root] = {
    isa: "PBXProject",
    buildConfigurationList: configList(
      opts.projectSettings,
      xcconfigRef ? () => ({ baseConfigurationReference: xcconfigRef! }) : undefined,
    ),
    mainGroup,
    targets: opts.targets.map((t) => targetIds.get(t.name)!),
  };
  return `// !$*UTF8*$!\n${write({ archiveVersion: "1", objectVersion: "77", objects, rootObject: root })}\n`;
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "xcode-reader-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function put(path: string, text: string): void {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), text);
}

const APP = "com.apple.product-type.application";
const APPEX = "com.apple.product-type.app-extension";

describe("build settings from the project", () => {
  it("project xcconfig < project < target xcconfig (Xcode 16 anchor) < target; includes relative to the including file", () => {
    put(
      "Config/Project.xcconfig",
      '#include "Shared/Prefix.xcconfig"\n#include? "Local.xcconfig"\nPRODUCT_BUNDLE_IDENTIFIER = $(PREFIX).$(PRODUCT_NAME:rfc1034identifier)\n',
    );
    put("Config/Shared/Prefix.xcconfig", "PREFIX = com.example\n");
    put("App/Config/App.xcconfig", "PREFIX = $(inherited).team\n");
    put(
      "App/App.entitlements",
      plistXml({ "com.apple.security.application-groups": ["group.$(PRODUCT_BUNDLE_IDENTIFIER)"] }),
    );
    put(
      "Demo.xcodeproj/project.pbxproj",
      pbxproj({
        projectXcconfig: "Config/Project.xcconfig",
        projectSettings: { SDKROOT: "iphoneos", PREFIX: "com.project" },
        targets: [
          {
            name: "My App",
            productType: APP,
            product: "My App.app",
            settings: { CODE_SIGN_ENTITLEMENTS: "App/App.entitlements" },
            anchor: { folder: "App", relativePath: "Config/App.xcconfig" },
          },
        ],
      }),
    );
    const result = readProjectSigning(join(dir, "Demo.xcodeproj"), { profileType: "IOS_APP_STORE" });
    expect(result.problems).toEqual([]);
    // Project pbxproj PREFIX (com.project) overrides the project xcconfig; the target xcconfig inherits it.
    expect(result.signable).toMatchObject([
      {
        target: "My App",
        bundleId: "com.project.team.My-App",
        entitlements: { "com.apple.security.application-groups": ["group.com.project.team.My-App"] },
      },
    ]);
  });

  it("SDKROOT = auto picks platforms from SUPPORTED_PLATFORMS; each profile type takes its own", () => {
    put(
      "Multi.xcodeproj/project.pbxproj",
      pbxproj({
        projectSettings: { SDKROOT: "auto", SUPPORTED_PLATFORMS: "" },
        targets: [
          {
            name: "Phone",
            productType: APP,
            product: "Phone.app",
            settings: {
              SUPPORTED_PLATFORMS: "iphoneos iphonesimulator xros xrsimulator",
              PRODUCT_BUNDLE_IDENTIFIER: "com.x.phone",
            },
          },
          {
            name: "Mac",
            productType: APP,
            product: "Mac.app",
            settings: { SUPPORTED_PLATFORMS: "macosx", PRODUCT_BUNDLE_IDENTIFIER: "com.x.mac" },
          },
          {
            name: "TV",
            productType: APP,
            product: "TV.app",
            settings: { SDKROOT: "appletvos", PRODUCT_BUNDLE_IDENTIFIER: "com.x.tv" },
          },
        ],
      }),
    );
    const path = join(dir, "Multi.xcodeproj");
    const names = (type: Parameters<typeof readProjectSigning>[1]["profileType"]) =>
      readProjectSigning(path, { profileType: type }).signable.map((s) => `${s.target}:${s.platform}`);
    expect(names("IOS_APP_STORE")).toEqual(["Phone:ios"]);
    expect(names("MAC_APP_STORE")).toEqual(["Mac:macos"]);
    expect(names("TVOS_APP_STORE")).toEqual(["TV:tvos"]);
    const none = readProjectSigning(path, { profileType: "MAC_CATALYST_APP_STORE" });
    expect(none.signable).toEqual([]);
    expect(none.problems[0]!.message).toMatch(/no application target builds for catalyst/);
  });
});

describe("what an app embeds", () => {
  function embeddingProject(): string {
    put(
      "Embed.xcodeproj/project.pbxproj",
      pbxproj({
        projectSettings: {
          SDKROOT: "iphoneos",
          PRODUCT_BUNDLE_IDENTIFIER: "com.x.$(TARGET_NAME:rfc1034identifier)",
        },
        targets: [
          {
            name: "App",
            productType: APP,
            product: "App.app",
            settings: { SUPPORTS_MACCATALYST: "YES", DERIVE_MACCATALYST_PRODUCT_BUNDLE_IDENTIFIER: "YES" },
            embeds: [
              { product: "Share.appex" },
              { product: "PhoneOnly.appex", filter: "ios" },
              { product: "Clip.app", dst: "$(CONTENTS_FOLDER_PATH)/AppClips" },
              { product: "Kit.appex", dst: "$(EXTENSIONS_FOLDER_PATH)" },
              { product: "Watch.app", dst: "$(CONTENTS_FOLDER_PATH)/Watch", filter: "ios" },
              { product: "Helper.app", dst: "Contents/Library/LoginItems", filter: "maccatalyst" },
              { product: "Lib.framework" },
            ],
            dependsOn: ["Tunnel", "Unrelated"],
            script:
              'rsync "$(BUILT_PRODUCTS_DIR)/Tunnel.appex" "$(BUILT_PRODUCTS_DIR)/$(PLUGINS_FOLDER_PATH)"',
          },
          {
            name: "Share",
            productType: APPEX,
            product: "Share.appex",
            settings: { SUPPORTS_MACCATALYST: "YES" },
          },
          { name: "PhoneOnly", productType: APPEX, product: "PhoneOnly.appex", settings: {} },
          {
            name: "Clip",
            productType: "com.apple.product-type.application.on-demand-install-capable",
            product: "Clip.app",
            settings: {},
          },
          {
            name: "Kit",
            productType: "com.apple.product-type.extensionkit-extension",
            product: "Kit.appex",
            settings: {},
          },
          {
            name: "Watch",
            productType: APP,
            product: "Watch.app",
            settings: { SDKROOT: "watchos" },
            embeds: [{ product: "WatchWidget.appex" }],
          },
          {
            name: "WatchWidget",
            productType: APPEX,
            product: "WatchWidget.appex",
            settings: { SDKROOT: "watchos" },
          },
          { name: "Helper", productType: APP, product: "Helper.app", settings: { SDKROOT: "macosx" } },
          { name: "Tunnel", productType: APPEX, product: "Tunnel.appex", settings: {} },
          { name: "Unrelated", productType: APPEX, product: "Unrelated.appex", settings: {} },
          {
            name: "Lib",
            productType: "com.apple.product-type.framework",
            product: "Lib.framework",
            settings: {},
          },
          {
            name: "Tests",
            productType: "com.apple.product-type.bundle.unit-test",
            product: "Tests.xctest",
            settings: {},
          },
        ],
      }),
    );
    return join(dir, "Embed.xcodeproj");
  }

  it("iOS: copy-files embeds (App Clip, ExtensionKit, watch app and its extension), the script-embedded dependency, ios filters", () => {
    const result = readProjectSigning(embeddingProject(), { profileType: "IOS_APP_STORE" });
    expect(result.problems).toEqual([]);
    expect(
      result.signable.map((s) => [s.target, s.kind, s.platform, s.embeddedIn, s.embeddedBy, s.bundleId]),
    ).toEqual([
      ["App", "application", "ios", undefined, undefined, "com.x.App"],
      ["Share", "app-extension", "ios", "App", "copy-files", "com.x.Share"],
      ["PhoneOnly", "app-extension", "ios", "App", "copy-files", "com.x.PhoneOnly"],
      ["Clip", "app-clip", "ios", "App", "copy-files", "com.x.Clip"],
      ["Kit", "extensionkit-extension", "ios", "App", "copy-files", "com.x.Kit"],
      ["Watch", "application", "watchos", "App", "copy-files", "com.x.Watch"],
      ["WatchWidget", "app-extension", "watchos", "Watch", "copy-files", "com.x.WatchWidget"],
      ["Tunnel", "app-extension", "ios", "App", "script", "com.x.Tunnel"],
    ]);
    expect(Object.fromEntries(result.notSignable.map((n) => [n.target, n.reason]))).toMatchObject({
      Helper: expect.stringContaining("builds for macos"),
      Unrelated: expect.stringContaining("not selected or embedded"),
      Lib: expect.stringContaining("framework"),
      Tests: "unit test bundle",
    });
  });

  it("Mac Catalyst: maccatalyst. prefix when DERIVE_MACCATALYST_PRODUCT_BUNDLE_IDENTIFIER = YES; ios-filtered embeds left out", () => {
    const result = readProjectSigning(embeddingProject(), { profileType: "MAC_CATALYST_APP_STORE" });
    const rows = result.signable.map((s) => [s.target, s.platform, s.bundleId]);
    expect(rows).toEqual([
      ["App", "catalyst", "maccatalyst.com.x.App"],
      ["Share", "catalyst", "com.x.Share"],
      ["Helper", "macos", "com.x.Helper"],
    ]);
    // Embedded iOS-only products without a filter are named in a warning, not signed.
    expect(result.warnings.join("\n")).toMatch(/Clip: embedded in App but does not build for catalyst/);
  });

  it("`targets` selects applications by name; an unknown or unsignable name is a problem naming the input", () => {
    const path = embeddingProject();
    expect(
      readProjectSigning(path, { profileType: "IOS_APP_STORE", targets: ["Watch"] }).signable.map(
        (s) => s.target,
      ),
    ).toEqual(["Watch", "WatchWidget"]);
    const bad = readProjectSigning(path, { profileType: "IOS_APP_STORE", targets: ["Nope", "Lib"] });
    expect(bad.problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/^`targets`: no target "Nope" .*application targets: App, Watch, Helper$/),
      expect.stringMatching(/^`targets`: "Lib" is not signed with a profile: framework/),
    ]);
  });
});

describe("errors that name the target, the setting and the fix", () => {
  it("a bundle ID built from a variable the repository does not define → bundle-ids; given there, it is used", () => {
    put(
      "Ci.xcodeproj/project.pbxproj",
      pbxproj({
        projectSettings: { SDKROOT: "iphoneos" },
        targets: [
          {
            name: "App",
            productType: APP,
            product: "App.app",
            settings: { PRODUCT_BUNDLE_IDENTIFIER: "$(CI_BUNDLE_PREFIX).app" },
            embeds: [{ product: "Ext.appex" }],
          },
          {
            name: "Ext",
            productType: APPEX,
            product: "Ext.appex",
            settings: { PRODUCT_BUNDLE_IDENTIFIER: "com.x.app.ext" },
          },
        ],
      }),
    );
    const path = join(dir, "Ci.xcodeproj");
    const result = readProjectSigning(path, { profileType: "IOS_APP_STORE" });
    expect(result.problems).toEqual([
      {
        target: "App",
        setting: "PRODUCT_BUNDLE_IDENTIFIER",
        message: expect.stringMatching(
          /target "App" .*PRODUCT_BUNDLE_IDENTIFIER resolves to "\.app": \$\(CI_BUNDLE_PREFIX\) is defined nowhere in the repository.*`bundle-ids`/,
        ),
      },
    ]);
    // What the app embeds is still read, under the app's name.
    expect(result.signable.map((s) => [s.target, s.embeddedIn])).toEqual([["Ext", "App"]]);
    const fixed = readProjectSigning(path, { profileType: "IOS_APP_STORE", bundleIds: { App: "com.x.app" } });
    expect(fixed.problems).toEqual([]);
    expect(fixed.signable.map((s) => [s.target, s.bundleId, s.bundleIdSource])).toEqual([
      ["App", "com.x.app", "input"],
      ["Ext", "com.x.app.ext", "project"],
    ]);
  });

  it("no PRODUCT_BUNDLE_IDENTIFIER: the Info.plist's CFBundleIdentifier, expanded; an undefined entitlements variable is noted", () => {
    put("Old/Info.plist", plistXml({ CFBundleIdentifier: "com.old.$(PRODUCT_NAME:rfc1034identifier)" }));
    put(
      "Old.xcodeproj/project.pbxproj",
      pbxproj({
        projectSettings: { SDKROOT: "iphoneos" },
        targets: [
          {
            name: "Old App",
            productType: APP,
            product: "Old App.app",
            settings: { INFOPLIST_FILE: "Old/Info.plist", CODE_SIGN_ENTITLEMENTS: "$(CI_ENTITLEMENTS)" },
          },
        ],
      }),
    );
    const result = readProjectSigning(join(dir, "Old.xcodeproj"), { profileType: "IOS_APP_STORE" });
    expect(result.problems).toEqual([]);
    expect(result.signable).toMatchObject([
      { target: "Old App", bundleId: "com.old.Old-App", entitlements: {} },
    ]);
    expect(result.signable[0]!.notes).toEqual([
      expect.stringContaining("CODE_SIGN_ENTITLEMENTS refers to $(CI_ENTITLEMENTS)"),
    ]);
  });

  it("a configuration the project lacks, a missing entitlements file, entitlements made during the build", () => {
    put(
      "E.xcodeproj/project.pbxproj",
      pbxproj({
        projectSettings: { SDKROOT: "iphoneos", PRODUCT_BUNDLE_IDENTIFIER: "com.x.$(TARGET_NAME)" },
        targets: [
          {
            name: "A",
            productType: APP,
            product: "A.app",
            settings: { CODE_SIGN_ENTITLEMENTS: "A/Missing.entitlements" },
          },
          {
            name: "B",
            productType: APP,
            product: "B.app",
            settings: { CODE_SIGN_ENTITLEMENTS: "$(DERIVED_FILE_DIR)/B.entitlements" },
          },
        ],
      }),
    );
    const path = join(dir, "E.xcodeproj");
    expect(
      readProjectSigning(path, { profileType: "IOS_APP_STORE", configuration: "Staging" }).problems[0]!
        .message,
    ).toMatch(/no build configuration "Staging"; it has Debug, Release\. Set `configuration`/);
    const problems = readProjectSigning(path, { profileType: "IOS_APP_STORE" }).problems;
    expect(problems.map((p) => [p.target, p.setting])).toEqual([
      ["A", "CODE_SIGN_ENTITLEMENTS"],
      ["B", "CODE_SIGN_ENTITLEMENTS"],
    ]);
    expect(problems[0]!.message).toContain("A/Missing.entitlements");
    expect(problems[1]!.message).toMatch(/made during the build \(\$\(DERIVED_FILE_DIR\)\).*`capabilities`/);
  });

  it("a path that is not a project, and a pbxproj that does not parse", () => {
    expect(() => readXcodeWorkspace(join(dir, "x.txt"), diskFiles)).toThrow(
      /expected the path of an .xcodeproj or .xcworkspace/,
    );
    put("Bad.xcodeproj/project.pbxproj", "// !$*UTF8*$!\n{ objects = { ");
    expect(() => readXcodeWorkspace(join(dir, "Bad.xcodeproj"), diskFiles)).toThrow(
      /not a readable project\.pbxproj/,
    );
  });
});

describe("workspaces", () => {
  it("reads the projects a workspace lists (group locations nest), skipping Pods.xcodeproj", () => {
    const project = pbxproj({
      projectSettings: { SDKROOT: "iphoneos", PRODUCT_BUNDLE_IDENTIFIER: "com.x.$(TARGET_NAME)" },
      targets: [{ name: "App", productType: APP, product: "App.app", settings: {} }],
    });
    put("Apps/Main/Main.xcodeproj/project.pbxproj", project);
    put("Pods/Pods.xcodeproj/project.pbxproj", project);
    put(
      "W.xcworkspace/contents.xcworkspacedata",
      `<?xml version="1.0" encoding="UTF-8"?>\n<Workspace version = "1.0">\n  <Group location = "group:Apps" name = "Apps">\n    <FileRef location = "group:Main/Main.xcodeproj"></FileRef>\n  </Group>\n  <FileRef location = "group:Pods/Pods.xcodeproj"></FileRef>\n  <FileRef location = "group:Missing/Missing.xcodeproj"></FileRef>\n</Workspace>\n`,
    );
    const workspace = readXcodeWorkspace(join(dir, "W.xcworkspace"), diskFiles);
    expect(workspace.projects.map((p) => p.path)).toEqual([join(dir, "Apps/Main/Main.xcodeproj")]);
    expect(workspace.skipped).toEqual([
      { path: join(dir, "Pods/Pods.xcodeproj"), reason: expect.stringContaining("CocoaPods") },
      { path: join(dir, "Missing/Missing.xcodeproj"), reason: "project.pbxproj not found" },
    ]);
  });
});

function plistXml(dict: Record<string, string[] | string | boolean>): string {
  const value = (v: string[] | string | boolean): string =>
    typeof v === "boolean"
      ? v
        ? "<true/>"
        : "<false/>"
      : Array.isArray(v)
        ? `<array>${v.map((s) => `<string>${s}</string>`).join("")}</array>`
        : `<string>${v}</string>`;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<plist version="1.0">\n<dict>\n${Object.entries(dict)
    .map(([k, v]) => `<key>${k}</key>${value(v)}`)
    .join("\n")}\n</dict>\n</plist>\n`;
}
