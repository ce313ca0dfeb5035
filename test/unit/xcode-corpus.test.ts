// The project reader against the four real projects in ../shared/xcode: signable targets, Release and
// Debug bundle IDs, entitlements files and keys, embedding and non-signable targets, as each folder's
// EXPECTED.md gives them (values transcribed from those files; where the reader and EXPECTED.md differ,
// the difference is asserted and explained).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { ProfileType } from "../../src/core/asc/types.ts";
import { notSignableReason, signableKind } from "../../src/core/xcode/product-types.ts";
import { diskFiles, type ProjectFiles } from "../../src/core/xcode/project-files.ts";
import {
  type ProjectSigning,
  readProjectSigning,
  type SignableTarget,
} from "../../src/core/xcode/signable-targets.ts";
import { targetSettings } from "../../src/core/xcode/target-settings.ts";
import { readXcodeWorkspace } from "../../src/core/xcode/xcode-project.ts";
import { hasSharedXcode, sharedPath } from "../support/shared-dir.ts";

const corpus = (...parts: string[]) => sharedPath("xcode", ...parts);
const hasCorpus = hasSharedXcode;

function read(
  project: string,
  profileType: ProfileType,
  configuration: string,
  teamId?: string,
  files?: ProjectFiles,
) {
  const result = readProjectSigning(corpus(project), { profileType, configuration, teamId, files });
  expect(result.problems).toEqual([]);
  return result;
}

function byTarget(result: ProjectSigning): Record<string, SignableTarget> {
  return Object.fromEntries(result.signable.map((s) => [s.target, s]));
}

function bundleIds(result: ProjectSigning): Record<string, string> {
  return Object.fromEntries(result.signable.map((s) => [s.target, s.bundleId]));
}

const sorted = (values: unknown) => [...(values as string[])].sort();

describe.skipIf(!hasCorpus)("duckduckgo-ios (EXPECTED.md)", () => {
  const project = "duckduckgo-ios/DuckDuckGo-iOS.xcodeproj";
  const team = "HKE973VLUW";

  it("Release: six signable targets with their bundle IDs, the network extension embedded by a script", () => {
    const result = read(project, "IOS_APP_STORE", "Release");
    expect(bundleIds(result)).toEqual({
      DuckDuckGo: "com.duckduckgo.mobile.ios",
      ShareExtension: "com.duckduckgo.mobile.ios.ShareExtension",
      OpenAction: "com.duckduckgo.mobile.ios.OpenAction2",
      WidgetsExtension: "com.duckduckgo.mobile.ios.Widgets",
      PacketTunnelProvider: "com.duckduckgo.mobile.ios.NetworkExtension",
      AutofillCredentialProvider: "com.duckduckgo.mobile.ios.CredentialExtension",
    });
    const t = byTarget(result);
    expect(t.PacketTunnelProvider).toMatchObject({
      embeddedIn: "DuckDuckGo",
      embeddedBy: "script",
      kind: "app-extension",
    });
    expect(t.WidgetsExtension).toMatchObject({ embeddedIn: "DuckDuckGo", embeddedBy: "copy-files" });
    expect(t.DuckDuckGo).toMatchObject({
      embeddedIn: undefined,
      kind: "application",
      platform: "ios",
      sdk: "iphoneos",
    });
  });

  it("Debug: the same bundle IDs as Release", () => {
    const release = bundleIds(read(project, "IOS_APP_STORE", "Release"));
    expect(bundleIds(read(project, "IOS_APP_DEVELOPMENT", "Debug"))).toEqual(release);
  });

  it("Alpha and Alpha Debug: the .alpha twins", () => {
    for (const config of ["Alpha", "Alpha Debug"]) {
      expect(bundleIds(read(project, "IOS_APP_STORE", config))).toEqual({
        DuckDuckGo: "com.duckduckgo.mobile.ios.alpha",
        ShareExtension: "com.duckduckgo.mobile.ios.alpha.ShareExtension",
        OpenAction: "com.duckduckgo.mobile.ios.alpha.OpenAction2",
        WidgetsExtension: "com.duckduckgo.mobile.ios.alpha.Widgets",
        PacketTunnelProvider: "com.duckduckgo.mobile.ios.alpha.NetworkExtension",
        AutofillCredentialProvider: "com.duckduckgo.mobile.ios.alpha.CredentialExtension",
      });
    }
  });

  it("Release entitlements: files, keys, groups, and the undefined $(VAULT_APP_GROUP) expanded to empty", () => {
    const t = byTarget(read(project, "IOS_APP_STORE", "Release", team));
    expect(t.DuckDuckGo!.entitlementsSetting).toBe("DuckDuckGo/DuckDuckGo.entitlements");
    expect(Object.keys(t.DuckDuckGo!.entitlements).sort()).toEqual([
      "com.apple.developer.authentication-services.autofill-credential-provider",
      "com.apple.developer.browser.app-installation",
      "com.apple.developer.networking.networkextension",
      "com.apple.developer.siri",
      "com.apple.developer.web-browser",
      "com.apple.security.application-groups",
      "keychain-access-groups",
    ]);
    expect(t.DuckDuckGo!.entitlements["com.apple.developer.networking.networkextension"]).toEqual([
      "packet-tunnel-provider",
    ]);
    expect(sorted(t.DuckDuckGo!.entitlements["com.apple.security.application-groups"])).toEqual(
      sorted(
        [
          "bookmarks",
          "contentblocker",
          "database",
          "netp",
          "statistics",
          "app-configuration",
          "vault",
          "autofill",
        ].map((g) => `group.com.duckduckgo.${g}`),
      ),
    );
    expect(sorted(t.DuckDuckGo!.entitlements["keychain-access-groups"])).toEqual(
      sorted([`${team}.`, `${team}.com.duckduckgo.mobile.ios`, `${team}.com.duckduckgo.subscriptions`]),
    );
    expect(t.DuckDuckGo!.notes.join("\n")).toContain("$(VAULT_APP_GROUP)");

    for (const name of ["ShareExtension", "OpenAction"]) {
      expect(t[name]).toMatchObject({
        entitlementsSetting: "",
        entitlementsPath: undefined,
        entitlements: {},
      });
    }
    expect(t.WidgetsExtension!.entitlementsSetting).toBe("Widgets/WidgetsExtension.entitlements");
    expect(t.WidgetsExtension!.entitlements).toEqual({
      "com.apple.developer.networking.networkextension": ["packet-tunnel-provider"],
      "com.apple.security.application-groups": expect.anything(),
    });
    expect(sorted(t.WidgetsExtension!.entitlements["com.apple.security.application-groups"])).toEqual([
      "group.com.duckduckgo.bookmarks",
      "group.com.duckduckgo.database",
      "group.com.duckduckgo.netp",
    ]);
    expect(t.PacketTunnelProvider!.entitlementsSetting).toBe(
      "PacketTunnelProvider/PacketTunnelProvider.entitlements",
    );
    expect(sorted(t.PacketTunnelProvider!.entitlements["com.apple.security.application-groups"])).toEqual([
      "group.com.duckduckgo.app-configuration",
      "group.com.duckduckgo.netp",
    ]);
    expect(sorted(t.PacketTunnelProvider!.entitlements["keychain-access-groups"])).toEqual([
      `${team}.com.duckduckgo.mobile.ios`,
      `${team}.com.duckduckgo.subscriptions`,
    ]);
    expect(t.AutofillCredentialProvider!.entitlementsSetting).toBe(
      "AutofillCredentialProvider/AutofillCredentialProvider.entitlements",
    );
    expect(Object.keys(t.AutofillCredentialProvider!.entitlements).sort()).toEqual([
      "com.apple.developer.authentication-services.autofill-credential-provider",
      "com.apple.security.application-groups",
      "keychain-access-groups",
    ]);
    expect(
      sorted(t.AutofillCredentialProvider!.entitlements["com.apple.security.application-groups"]),
    ).toEqual(
      sorted(["vault", "bookmarks", "statistics", "autofill"].map((g) => `group.com.duckduckgo.${g}`)),
    );
    expect(sorted(t.AutofillCredentialProvider!.entitlements["keychain-access-groups"])).toEqual(
      sorted([`${team}.com.duckduckgo.mobile.ios`, `${team}.`]),
    );
  });

  it("Alpha entitlements: alpha files, no browser.app-installation, alpha groups; Alpha Debug widgets use the non-Alpha file", () => {
    const alpha = byTarget(read(project, "IOS_APP_STORE", "Alpha", team));
    expect(alpha.DuckDuckGo!.entitlementsSetting).toBe("DuckDuckGo/DuckDuckGoAlpha.entitlements");
    expect(alpha.DuckDuckGo!.entitlements).not.toHaveProperty("com.apple.developer.browser.app-installation");
    expect(sorted(alpha.DuckDuckGo!.entitlements["com.apple.security.application-groups"])).toEqual(
      sorted(
        [
          "app-configuration",
          "bookmarks",
          "contentblocker",
          "database",
          "netp",
          "statistics",
          "vault",
          "autofill",
        ].map((g) => `group.com.duckduckgo.alpha.${g}`),
      ),
    );
    expect(sorted(alpha.DuckDuckGo!.entitlements["keychain-access-groups"])).toEqual(
      sorted([
        `${team}.com.duckduckgo.mobile.ios.alpha`,
        `${team}.com.duckduckgo.subscriptions.alpha`,
        `${team}.com.duckduckgo.vault.alpha`,
      ]),
    );
    expect(alpha.WidgetsExtension!.entitlementsSetting).toBe("WidgetsExtensionAlpha.entitlements");
    expect(alpha.PacketTunnelProvider!.entitlementsSetting).toBe(
      "PacketTunnelProvider/PacketTunnelProviderAlpha.entitlements",
    );
    expect(alpha.AutofillCredentialProvider!.entitlementsSetting).toBe(
      "AutofillCredentialProvider/AutofillCredentialProviderAlpha.entitlements",
    );
    const alphaDebug = byTarget(read(project, "IOS_APP_DEVELOPMENT", "Alpha Debug", team));
    expect(alphaDebug.WidgetsExtension!.entitlementsSetting).toBe("Widgets/WidgetsExtension.entitlements");
    // Still alpha groups: GROUP_ID_PREFIX is alpha in that configuration.
    expect(
      sorted(alphaDebug.WidgetsExtension!.entitlements["com.apple.security.application-groups"]),
    ).toEqual(["bookmarks", "database", "netp"].map((g) => `group.com.duckduckgo.alpha.${g}`));
    // The orphan "DuckDuckGoAlpha Debug.entitlements" is referenced by no setting.
    expect(alphaDebug.DuckDuckGo!.entitlementsSetting).toBe("DuckDuckGo/DuckDuckGoAlpha.entitlements");
  });

  it("signing as the project has it: extensions Automatic in Debug, Manual with `match AppStore <id>` in Release", () => {
    for (const target of read(project, "IOS_APP_DEVELOPMENT", "Debug").signable.filter((s) => s.embeddedIn)) {
      expect(target.currentSigning, target.target).toMatchObject({
        style: "Automatic",
        profileSpecifier: "",
      });
    }
    for (const target of read(project, "IOS_APP_STORE", "Release").signable) {
      expect(target.currentSigning, target.target).toEqual({
        style: "Manual",
        team,
        identity: "iPhone Distribution",
        profileSpecifier: `match AppStore ${target.bundleId}`,
      });
    }
  });

  it("non-signable targets: the framework, tests, Instruments and the SwiftLint tool bundle", () => {
    const result = read(project, "IOS_APP_STORE", "Release");
    expect(result.notSignable.map((n) => n.target).sort()).toEqual(
      [
        "Core",
        "UnitTests",
        "IntegrationTests",
        "PerformanceTests",
        "WebViewUnitTests",
        "AtbUITests",
        "FingerprintingUITests",
        "Instruments",
        "SwiftLintToolBundle",
      ].sort(),
    );
  });
});

describe.skipIf(!hasCorpus)("githawk (EXPECTED.md)", () => {
  const workspace = "githawk/Freetime.xcworkspace";
  const team = "523C4DWBTH";
  const expectedIds = {
    Freetime: "com.whoisryannystrom.freetime",
    FreetimeWatch: "com.whoisryannystrom.freetime.watchkitapp",
    "FreetimeWatch Extension": "com.whoisryannystrom.freetime.watchkitapp.watchkitextension",
  };

  it("the workspace: the app project read, Pods.xcodeproj skipped as CocoaPods", () => {
    const result = read(workspace, "IOS_APP_STORE", "Release");
    expect(result.skippedProjects).toEqual([
      { path: corpus("githawk/Pods/Pods.xcodeproj"), reason: expect.stringContaining("CocoaPods") },
    ]);
    expect(result.notSignable.map((n) => n.target)).toEqual(["FreetimeTests"]);
  });

  it("Pods.xcodeproj read on its own: 47 targets, none signable; the CocoaPods xcconfigs found through nested groups", () => {
    const pods = readXcodeWorkspace(corpus("githawk/Pods/Pods.xcodeproj"), diskFiles).projects[0]!;
    expect(pods.targets).toHaveLength(47);
    const reasons: Record<string, number> = {};
    for (const target of pods.targets) {
      expect(signableKind(target.productType), target.name).toBeUndefined();
      const reason = notSignableReason(target.productType, target.isa).split(" ")[0]!;
      reasons[reason] = (reasons[reason] ?? 0) + 1;
      const { warnings } = targetSettings(pods, target, {
        configuration: "Release",
        sdk: "iphoneos",
        files: diskFiles,
      });
      expect(warnings, target.name).toEqual([]);
    }
    expect(reasons).toEqual({ framework: 39, bundle: 5, aggregate: 3 });
    const bundleId = (name: string) => {
      const target = pods.targets.find((t) => t.name === name)!;
      return targetSettings(pods, target, {
        configuration: "Release",
        sdk: "iphoneos",
        files: diskFiles,
      }).settings.value("PRODUCT_BUNDLE_IDENTIFIER");
    };
    expect(bundleId("Alamofire-watchOS")).toBe("org.cocoapods.Alamofire");
    expect(bundleId("Pods-FreetimeWatch Extension")).toBe("org.cocoapods.Pods-FreetimeWatch-Extension");
  });

  it("Release, TestFlight and Debug: the app, the watch app inside it and the watch extension inside that", () => {
    for (const [type, config] of [
      ["IOS_APP_STORE", "Release"],
      ["IOS_APP_STORE", "TestFlight"],
      ["IOS_APP_DEVELOPMENT", "Debug"],
    ] as const) {
      const result = read(workspace, type, config);
      expect(bundleIds(result)).toEqual(expectedIds);
      const t = byTarget(result);
      expect(t.FreetimeWatch).toMatchObject({
        kind: "watch-app",
        platform: "watchos",
        embeddedIn: "Freetime",
      });
      expect(t["FreetimeWatch Extension"]).toMatchObject({
        kind: "watch-extension",
        platform: "watchos",
        embeddedIn: "FreetimeWatch",
      });
    }
  });

  it("entitlements: $(CFBundleIdentifier) expanded to the bundle ID, an empty container list, paths with spaces", () => {
    const t = byTarget(read(workspace, "IOS_APP_STORE", "Release", team));
    expect(t.Freetime!.entitlementsSetting).toBe("Resources/Freetime.entitlements");
    expect(t.Freetime!.entitlements).toEqual({
      "com.apple.developer.icloud-container-identifiers": [],
      "com.apple.developer.ubiquity-kvstore-identifier": `${team}.com.whoisryannystrom.freetime`,
      "com.apple.security.application-groups": ["group.com.whoisryannystrom.freetime"],
    });
    expect(t.FreetimeWatch!.entitlementsSetting).toBe("FreetimeWatch/FreetimeWatch.entitlements");
    expect(t.FreetimeWatch!.entitlements).toEqual({
      "com.apple.security.application-groups": ["group.com.whoisryannystrom.freetime"],
    });
    expect(t["FreetimeWatch Extension"]!.entitlementsSetting).toBe(
      "FreetimeWatch Extension/FreetimeWatch Extension.entitlements",
    );
    expect(t["FreetimeWatch Extension"]!.entitlements).toEqual({
      "com.apple.security.application-groups": ["group.com.whoisryannystrom.freetime"],
    });
    expect(t.Freetime!.currentSigning).toEqual({
      style: "Automatic",
      team,
      identity: "iPhone Developer",
      profileSpecifier: "",
    });
  });
});

describe.skipIf(!hasCorpus)("home-assistant-ios (EXPECTED.md)", () => {
  const project = "home-assistant-ios/HomeAssistant.xcodeproj";
  const team = "QMQYCKL255";
  const suffixes: Record<string, string> = {
    App: "",
    "Extensions-Share": ".ShareExtension",
    "Extensions-NotificationService": ".APNSAttachmentService",
    "Extensions-NotificationContent": ".NotificationContentExtension",
    "Extensions-Widgets": ".Widgets",
    "Extensions-Intents": ".Intents",
    "Extensions-PushProvider": ".PushProvider",
    "Extensions-Matter": ".Matter",
    WatchApp: ".watchkitapp",
    "Extensions-WatchWidgets": ".watchkitapp.WatchWidgets",
  };
  const ids = (base: string, names: string[]) =>
    Object.fromEntries(names.map((n) => [n, `${base}${suffixes[n]}`]));

  it("iOS Release: ten bundle IDs (app, seven extensions, the watch app and its widget)", () => {
    const result = read(project, "IOS_APP_STORE", "Release");
    expect(bundleIds(result)).toEqual(ids("io.robbie.HomeAssistant", Object.keys(suffixes)));
    const t = byTarget(result);
    expect(t.WatchApp).toMatchObject({ kind: "application", platform: "watchos", embeddedIn: "App" });
    expect(t["Extensions-WatchWidgets"]).toMatchObject({ platform: "watchos", embeddedIn: "WatchApp" });
    expect(result.signable.map((s) => s.target)).not.toContain("Launcher");
  });

  it("iOS Debug: the .dev bundle IDs", () => {
    expect(bundleIds(read(project, "IOS_APP_DEVELOPMENT", "Debug"))).toEqual(
      ids("io.robbie.HomeAssistant.dev", Object.keys(suffixes)),
    );
  });

  it("Mac Catalyst Release: the app, five extensions and the Launcher login item; the same bundle IDs as iOS", () => {
    const result = read(project, "MAC_CATALYST_APP_STORE", "Release");
    expect(bundleIds(result)).toEqual({
      ...ids("io.robbie.HomeAssistant", [
        "App",
        "Extensions-Share",
        "Extensions-NotificationService",
        "Extensions-NotificationContent",
        "Extensions-Widgets",
        "Extensions-Intents",
      ]),
      Launcher: "io.robbie.HomeAssistant.Launcher",
    });
    const t = byTarget(result);
    expect(t.App).toMatchObject({
      platform: "catalyst",
      sdk: "macosx",
      entitlementsSetting: "Configuration/Entitlements/App-catalyst.entitlements",
    });
    expect(t["Extensions-Share"]!.entitlementsSetting).toBe(
      "Configuration/Entitlements/Extension-catalyst.entitlements",
    );
    // The release xcconfig signs the Catalyst build for Developer ID.
    for (const target of result.signable) {
      expect(target.currentSigning, target.target).toMatchObject({
        style: "Manual",
        identity: "Developer ID Application",
        profileSpecifier: `Mac Dev ID - ${target.target}`,
      });
    }
    expect(t.Launcher).toMatchObject({
      platform: "macos",
      embeddedIn: "App",
      entitlementsSetting: "Configuration/Entitlements/Launcher.entitlements",
      entitlements: { "com.apple.security.app-sandbox": true },
    });
    expect(Object.keys(t.App!.entitlements).sort()).toEqual(
      [
        "aps-environment",
        "com.apple.developer.associated-domains",
        "com.apple.security.app-sandbox",
        "com.apple.security.application-groups",
        "com.apple.security.network.client",
        "com.apple.security.personal-information.location",
        "com.apple.security.personal-information.photos-library",
        "keychain-access-groups",
        "com.apple.security.device.camera",
        "com.apple.security.device.audio-input",
        "com.apple.security.files.downloads.read-write",
        "com.apple.security.files.user-selected.read-write",
      ].sort(),
    );
    expect(t.App!.entitlements["com.apple.developer.associated-domains"]).toEqual([
      "applinks:home-assistant.io",
      "applinks:*.home-assistant.io",
    ]);
  });

  it("iOS entitlements: App-ios for the app, Extension-ios for every extension and both watch targets", () => {
    const release = byTarget(read(project, "IOS_APP_STORE", "Release", team));
    const app = release.App!;
    expect(app.entitlementsSetting).toBe("Configuration/Entitlements/App-ios.entitlements");
    expect(app.entitlements).toEqual({
      "aps-environment": "development",
      "com.apple.developer.associated-domains": [
        "applinks:home-assistant.io",
        "applinks:*.home-assistant.io",
        "applinks:my.home-assistant.io",
      ],
      "com.apple.developer.healthkit": true,
      "com.apple.developer.healthkit.background-delivery": true,
      "com.apple.developer.networking.wifi-info": true,
      "com.apple.developer.nfc.readersession.formats": ["TAG"],
      "com.apple.developer.siri": true,
      "com.apple.developer.usernotifications.communication": true,
      "com.apple.developer.usernotifications.time-sensitive": true,
      "com.apple.security.application-groups": ["group.io.robbie.homeassistant"],
      "keychain-access-groups": [`${team}.io.robbie.HomeAssistant`],
    });
    // The build-phase script that adds entitlements is flagged, for the App and PushProvider only.
    expect(app.notes.join("\n")).toContain("Enable Special Entitlements");
    expect(release["Extensions-PushProvider"]!.notes.join("\n")).toContain("Enable Special Entitlements");
    expect(release.WatchApp!.notes.join("\n")).not.toContain("Enable Special Entitlements");
    for (const name of Object.keys(suffixes).filter((n) => n !== "App")) {
      expect(release[name]!.entitlementsSetting).toBe(
        "Configuration/Entitlements/Extension-ios.entitlements",
      );
      expect(release[name]!.entitlements).toEqual({
        "com.apple.developer.networking.wifi-info": true,
        "com.apple.security.application-groups": ["group.io.robbie.homeassistant"],
        "keychain-access-groups": [`${team}.io.robbie.HomeAssistant`],
      });
    }
    const debug = byTarget(read(project, "IOS_APP_DEVELOPMENT", "Debug", team));
    expect(debug["Extensions-Intents"]!.entitlements).toEqual({
      "com.apple.developer.networking.wifi-info": true,
      "com.apple.security.application-groups": ["group.io.robbie.homeassistant.dev"],
      "keychain-access-groups": [`${team}.io.robbie.HomeAssistant.dev`],
    });
  });

  it("signing settings from nested macros: Manual + 'Local Developer: Main App' for App in Debug, Manual in Release", () => {
    const debug = byTarget(read(project, "IOS_APP_DEVELOPMENT", "Debug"));
    expect(debug.App!.currentSigning).toMatchObject({
      style: "Manual",
      profileSpecifier: "Local Developer: Main App",
      team,
    });
    expect(debug["Extensions-PushProvider"]!.currentSigning).toMatchObject({
      style: "Manual",
      profileSpecifier: "Local Developer: Push Provider",
    });
    expect(debug["Extensions-Share"]!.currentSigning.style).toBe("Automatic");
    const release = byTarget(read(project, "IOS_APP_STORE", "Release"));
    for (const target of Object.values(release)) expect(target.currentSigning.style).toBe("Manual");
    expect(release["Extensions-Widgets"]!.currentSigning.profileSpecifier).toBe(
      "iOS App Store - Extensions-Widgets",
    );
  });

  it("non-signable targets: aggregate, frameworks, the MacBridge bundle and the tests", () => {
    const result = read(project, "IOS_APP_STORE", "Release");
    const names = result.notSignable.map((n) => n.target).sort();
    expect(names).toEqual(
      [
        "Codegen",
        "Shared-iOS",
        "Shared-watchOS",
        "SharedTesting",
        "MacBridge",
        "Tests-App",
        "Tests-Shared",
        "HomeAssistant-WatchAppTests",
        "Tests-UI",
        // Signable in the Catalyst build only (a macOS login item); EXPECTED.md lists it with the signable targets.
        "Launcher",
      ].sort(),
    );
  });
});

describe.skipIf(!hasCorpus)("utm (EXPECTED.md)", () => {
  const project = "utm/UTM.xcodeproj";

  it("iOS: three independent apps, signed without entitlements files when CodeSigning.xcconfig is absent", () => {
    for (const [type, config] of [
      ["IOS_APP_STORE", "Release"],
      ["IOS_APP_DEVELOPMENT", "Debug"],
    ] as const) {
      const result = read(project, type, config);
      expect(bundleIds(result)).toEqual({
        iOS: "com.utmapp.UTM",
        "iOS-SE": "com.utmapp.UTM-SE",
        "iOS-Remote": "com.utmapp.UTM-Remote",
      });
      for (const target of result.signable) {
        expect(target).toMatchObject({ entitlementsSetting: "", entitlements: {}, embeddedIn: undefined });
      }
    }
  });

  it("macOS: the app, its XPC service and the launcher app inside it; utmctl (a tool) is not signable", () => {
    for (const [type, config] of [
      ["MAC_APP_STORE", "Release"],
      ["MAC_APP_DEVELOPMENT", "Debug"],
    ] as const) {
      const result = read(project, type, config);
      expect(bundleIds(result)).toEqual({
        macOS: "com.utmapp.UTM",
        QEMUHelper: "com.utmapp.QEMUHelper",
        QEMULauncher: "com.utmapp.QEMULauncher",
      });
      const t = byTarget(result);
      expect(t.QEMUHelper).toMatchObject({ kind: "xpc-service", embeddedIn: "macOS" });
      expect(t.QEMULauncher).toMatchObject({ kind: "application", embeddedIn: "QEMUHelper" });
      expect(result.notSignable.find((n) => n.target === "utmctl")?.reason).toContain("tool");
    }
  });

  it("macOS entitlements (project alone): the -unsigned files; no team, so the app group has no prefix", () => {
    const t = byTarget(read(project, "MAC_APP_STORE", "Release"));
    expect(t.macOS!.entitlementsSetting).toBe("Platform/macOS/macOS-unsigned.entitlements");
    expect(t.macOS!.entitlements).toEqual({
      "com.apple.security.app-sandbox": true,
      "com.apple.security.application-groups": ["com.utmapp.UTM"],
      "com.apple.security.cs.disable-library-validation": true,
      "com.apple.security.device.audio-input": true,
      "com.apple.security.device.usb": true,
      "com.apple.security.files.user-selected.read-write": true,
      "com.apple.security.network.client": true,
      "com.apple.security.network.server": true,
      "com.apple.security.temporary-exception.sbpl": ["(allow network-outbound)"],
      "com.apple.security.virtualization": true,
    });
    expect(t.QEMUHelper!.entitlementsSetting).toBe("QEMUHelper/QEMUHelper-unsigned.entitlements");
    expect(Object.keys(t.QEMUHelper!.entitlements).sort()).toEqual(
      [
        "com.apple.security.app-sandbox",
        "com.apple.security.application-groups",
        "com.apple.security.device.audio-input",
        "com.apple.security.cs.allow-jit",
        "com.apple.security.cs.disable-library-validation",
        "com.apple.security.files.bookmarks.app-scope",
        "com.apple.security.hypervisor",
        "com.apple.security.network.client",
        "com.apple.security.network.server",
      ].sort(),
    );
    expect(t.QEMULauncher!.entitlementsSetting).toBe("QEMULauncher/QEMULauncher-unsigned.entitlements");
    expect(Object.keys(t.QEMULauncher!.entitlements).sort()).toEqual(
      [
        "com.apple.security.app-sandbox",
        "com.apple.security.cs.allow-jit",
        "com.apple.security.cs.disable-library-validation",
        "com.apple.security.inherit",
        "com.apple.security.hypervisor",
      ].sort(),
    );
  });

  it("with CodeSigning.xcconfig.sample in place: its prefix and team, the team-prefixed app group", () => {
    const sample = readFileSync(corpus("utm/CodeSigning.xcconfig.sample"), "utf8");
    const files: ProjectFiles = {
      readText: (path) => (path === corpus("utm/CodeSigning.xcconfig") ? sample : diskFiles.readText(path)),
    };
    const result = read(project, "MAC_APP_STORE", "Release", undefined, files);
    expect(bundleIds(result)).toEqual({
      macOS: "com.myuniquename.UTM",
      QEMUHelper: "com.myuniquename.QEMUHelper",
      QEMULauncher: "com.myuniquename.QEMULauncher",
    });
    const t = byTarget(result);
    expect(t.macOS!.entitlements["com.apple.security.application-groups"]).toEqual([
      "XYZ0123456.com.myuniquename.UTM",
    ]);
    expect(t.macOS!.currentSigning).toMatchObject({ team: "XYZ0123456", identity: "Apple Development" });
    // Both DEVELOPER_ACCOUNT_* flags stay NO in the sample: still the -unsigned files.
    expect(t.macOS!.entitlementsSetting).toBe("Platform/macOS/macOS-unsigned.entitlements");
  });

  it("non-signable targets: the interposer framework and the command-line tool", () => {
    const ios = read(project, "IOS_APP_STORE", "Release");
    expect(
      ios.notSignable
        .filter((n) => !n.reason.includes("builds for"))
        .map((n) => n.target)
        .sort(),
    ).toEqual(["JailbreakInterposer", "utmctl"]);
  });
});
