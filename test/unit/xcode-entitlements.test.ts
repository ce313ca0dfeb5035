// Entitlements → App Store Connect capabilities (the one table), what the public API cannot do, and the
// preflight comparison of a target's entitlements with its profile's.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CAPABILITY_TYPES } from "../../src/core/asc/types.ts";
import { CAPABILITY_SETTINGS } from "../../src/core/capability-input.ts";
import { CAPABILITY_ENTITLEMENT_KEYS } from "../../src/core/reconcile/capability-entitlements.ts";
import { readProvisioningProfile } from "../../src/core/signing/provisioning-profile.ts";
import {
  capabilitiesFromEntitlements,
  capabilityRequests,
} from "../../src/core/xcode/entitlement-capabilities.ts";
import { ENTITLEMENT_RULES, entitlementRule } from "../../src/core/xcode/entitlement-table.ts";
import { readEntitlementsFile, signingValues } from "../../src/core/xcode/entitlements-file.ts";
import { preflightEntitlements, wildcardMatch } from "../../src/core/xcode/entitlements-preflight.ts";
import { diskFiles } from "../../src/core/xcode/project-files.ts";
import { readProjectSigning } from "../../src/core/xcode/signable-targets.ts";
import { targetSettings } from "../../src/core/xcode/target-settings.ts";
import { readXcodeWorkspace } from "../../src/core/xcode/xcode-project.ts";
import { hasShared, hasSharedXcode, sharedPath } from "../support/shared-dir.ts";

const corpus = (...parts: string[]) => sharedPath("xcode", ...parts);
const hasCorpus = hasSharedXcode;

describe("the table", () => {
  it("names only capability types of the public API, with settings the capability input accepts", () => {
    for (const [key, rule] of Object.entries(ENTITLEMENT_RULES)) {
      expect(rule.source, key).not.toBe("");
      if (rule.kind !== "capability") continue;
      expect(CAPABILITY_TYPES, key).toContain(rule.capability);
      for (const required of (CAPABILITY_SETTINGS[rule.capability] ?? []).filter((s) => s.required)) {
        if (rule.capability === "DATA_PROTECTION") continue; // set from the value, below
        expect(rule.settings?.[required.key], `${key} needs ${required.key}`).toBeDefined();
        expect(required.options).toContain(rule.settings?.[required.key]);
      }
    }
  });

  it("agrees with the profile staleness check's capability → entitlement keys", () => {
    for (const [capability, keys] of Object.entries(CAPABILITY_ENTITLEMENT_KEYS)) {
      for (const key of keys ?? []) {
        const rule = entitlementRule(key);
        expect(rule?.kind === "capability" && rule.capability, key).toBe(capability);
      }
    }
  });
});

describe("capabilities from entitlements", () => {
  it("home-assistant's iOS app: API capabilities, portal-only notification types, the app group to associate", () => {
    const result = capabilitiesFromEntitlements(
      {
        "aps-environment": "development",
        "com.apple.developer.associated-domains": ["applinks:home-assistant.io"],
        "com.apple.developer.healthkit": true,
        "com.apple.developer.healthkit.background-delivery": true,
        "com.apple.developer.networking.wifi-info": true,
        "com.apple.developer.nfc.readersession.formats": ["TAG"],
        "com.apple.developer.siri": true,
        "com.apple.developer.usernotifications.communication": true,
        "com.apple.developer.usernotifications.time-sensitive": true,
        "com.apple.security.application-groups": ["group.io.robbie.homeassistant"],
        "keychain-access-groups": ["T.io.robbie.HomeAssistant"],
      },
      "ios",
    );
    expect(result.capabilities.map((c) => c.type)).toEqual([
      "PUSH_NOTIFICATIONS",
      "ASSOCIATED_DOMAINS",
      "HEALTHKIT",
      "ACCESS_WIFI_INFORMATION",
      "NFC_TAG_READING",
      "SIRIKIT",
      "APP_GROUPS",
    ]);
    expect(result.capabilities.find((c) => c.type === "HEALTHKIT")!.entitlements).toEqual([
      "com.apple.developer.healthkit",
      "com.apple.developer.healthkit.background-delivery",
    ]);
    expect(result.reported.map((r) => [r.entitlement, r.kind])).toEqual([
      ["com.apple.developer.usernotifications.communication", "portal-only"],
      ["com.apple.developer.usernotifications.time-sensitive", "portal-only"],
      ["com.apple.security.application-groups", "identifiers"],
    ]);
    expect(result.reported[2]).toMatchObject({
      identifierKind: "app-groups",
      identifiers: ["group.io.robbie.homeassistant"],
    });
    expect(result.reported[2]!.message).toMatch(/cannot associate them.*developer portal/);
  });

  it("iCloud with XCODE_6; containers to associate only when there are any; settings from values", () => {
    const icloud = capabilitiesFromEntitlements(
      {
        "com.apple.developer.icloud-container-identifiers": [],
        "com.apple.developer.ubiquity-kvstore-identifier": "T.com.x",
        "com.apple.developer.default-data-protection": "NSFileProtectionCompleteUnlessOpen",
        "com.apple.developer.applesignin": ["Default"],
        "com.apple.developer.in-app-payments": ["merchant.com.x"],
      },
      "ios",
    );
    expect(icloud.capabilities).toEqual([
      { type: "ICLOUD", settings: { ICLOUD_VERSION: "XCODE_6" }, entitlements: expect.any(Array) },
      {
        type: "DATA_PROTECTION",
        settings: { DATA_PROTECTION_PERMISSION_LEVEL: "PROTECTED_UNLESS_OPEN" },
        entitlements: expect.any(Array),
      },
      {
        type: "APPLE_ID_AUTH",
        settings: { APPLE_ID_AUTH_APP_CONSENT: "PRIMARY_APP_CONSENT" },
        entitlements: expect.any(Array),
      },
      { type: "APPLE_PAY", settings: {}, entitlements: expect.any(Array) },
    ]);
    expect(icloud.reported.map((r) => [r.kind, r.identifierKind, r.identifiers])).toEqual([
      ["identifiers", "merchant-ids", ["merchant.com.x"]],
    ]);
    const containers = capabilitiesFromEntitlements(
      { "com.apple.developer.icloud-container-identifiers": ["iCloud.com.x"] },
      "ios",
    );
    expect(containers.reported).toMatchObject([
      { kind: "identifiers", identifierKind: "icloud-containers", identifiers: ["iCloud.com.x"] },
    ]);
  });

  it("no API option, request-only, unknown keys, false booleans, keys that need nothing", () => {
    const result = capabilitiesFromEntitlements(
      {
        "com.apple.developer.default-data-protection": "NSFileProtectionNone",
        "com.apple.developer.carplay-audio": true,
        "com.apple.vm.networking": true,
        "com.apple.developer.browser.app-installation": true,
        "com.apple.developer.siri": false,
        "keychain-access-groups": ["T.x"],
        "get-task-allow": true,
      },
      "ios",
    );
    expect(result.capabilities).toEqual([]);
    expect(result.reported.map((r) => [r.entitlement, r.kind])).toEqual([
      ["com.apple.developer.default-data-protection", "no-api-option"],
      ["com.apple.developer.carplay-audio", "request-only"],
      ["com.apple.vm.networking", "request-only"],
      ["com.apple.developer.browser.app-installation", "unknown"],
    ]);
  });

  it("macOS: sandbox keys need nothing; team-prefixed app groups need no capability, group.* ones do", () => {
    const teamPrefixed = capabilitiesFromEntitlements(
      {
        "com.apple.security.app-sandbox": true,
        "com.apple.security.application-groups": ["T.com.utmapp.UTM"],
        "com.apple.security.hypervisor": true,
      },
      "macos",
    );
    expect(teamPrefixed).toEqual({ capabilities: [], reported: [] });
    const registered = capabilitiesFromEntitlements(
      { "com.apple.security.application-groups": ["T.a", "group.b"] },
      "catalyst",
    );
    expect(registered.capabilities.map((c) => c.type)).toEqual(["APP_GROUPS"]);
    expect(registered.reported[0]!.identifiers).toEqual(["group.b"]);
  });
});

describe.skipIf(!hasCorpus)("capabilities of the corpus projects", () => {
  it("duckduckgo Release: one request per bundle ID and type, in the capabilities input's model", () => {
    const signing = readProjectSigning(corpus("duckduckgo-ios/DuckDuckGo-iOS.xcodeproj"), {
      profileType: "IOS_APP_STORE",
      teamId: "HKE973VLUW",
    });
    const requests = capabilityRequests(signing.signable);
    expect(requests.map((r) => `${r.bundleId} ${r.type}`)).toEqual([
      "com.duckduckgo.mobile.ios AUTOFILL_CREDENTIAL_PROVIDER",
      "com.duckduckgo.mobile.ios NETWORK_EXTENSIONS",
      "com.duckduckgo.mobile.ios SIRIKIT",
      "com.duckduckgo.mobile.ios APP_GROUPS",
      "com.duckduckgo.mobile.ios.CredentialExtension AUTOFILL_CREDENTIAL_PROVIDER",
      "com.duckduckgo.mobile.ios.CredentialExtension APP_GROUPS",
      "com.duckduckgo.mobile.ios.Widgets NETWORK_EXTENSIONS",
      "com.duckduckgo.mobile.ios.Widgets APP_GROUPS",
      "com.duckduckgo.mobile.ios.NetworkExtension NETWORK_EXTENSIONS",
      "com.duckduckgo.mobile.ios.NetworkExtension APP_GROUPS",
    ]);
    const app = signing.signable.find((s) => s.target === "DuckDuckGo")!;
    expect(
      capabilitiesFromEntitlements(app.entitlements, app.platform).reported.map((r) => [
        r.entitlement,
        r.kind,
      ]),
    ).toEqual([
      ["com.apple.developer.browser.app-installation", "unknown"],
      ["com.apple.developer.web-browser", "request-only"],
      ["com.apple.security.application-groups", "identifiers"],
    ]);
  });

  it("utm's utmctl: a build-setting expression as an entitlements dictionary key is expanded", () => {
    const project = readXcodeWorkspace(corpus("utm/UTM.xcodeproj"), diskFiles).projects[0]!;
    const utmctl = project.targets.find((t) => t.name === "utmctl")!;
    const { settings } = targetSettings(project, utmctl, {
      configuration: "Release",
      sdk: "macosx",
      files: diskFiles,
    });
    const read = readEntitlementsFile(
      settings.value("CODE_SIGN_ENTITLEMENTS"),
      project.dir,
      settings.with(signingValues(undefined, settings.value("PRODUCT_BUNDLE_IDENTIFIER"))),
      diskFiles,
    );
    expect(read).toMatchObject({
      path: corpus("utm/utmctl/utmctl-unsigned.entitlements"),
      entitlements: {
        "com.apple.security.scripting-targets": { "com.utmapp.UTM": ["com.utmapp.UTM.vm-access"] },
      },
    });
  });
});

describe("preflight", () => {
  it("wildcards as Apple writes them: `*` and a trailing `*`", () => {
    expect(wildcardMatch("*", "applinks:x.com")).toBe(true);
    expect(wildcardMatch("T.*", "T.com.x")).toBe(true);
    expect(wildcardMatch("T.*", "U.com.x")).toBe(false);
    expect(wildcardMatch("group.a", "group.a")).toBe(true);
    expect(wildcardMatch("group.a", "group.ab")).toBe(false);
  });

  it("a covered target has no rows; one row per uncovered entitlement with what the profile has and the fix", () => {
    const target = {
      target: "App",
      bundleId: "com.x.app",
      entitlements: {
        "aps-environment": "development",
        "com.apple.developer.associated-domains": ["applinks:x.com"],
        "com.apple.security.application-groups": ["group.x", "group.y"],
        "keychain-access-groups": ["T.com.x.app"],
        "com.apple.developer.usernotifications.time-sensitive": true,
        "com.apple.developer.siri": true,
        "com.apple.developer.networking.wifi-info": false,
        "application-identifier": "T.com.x.app",
      },
    };
    const full = {
      type: "IOS_APP_STORE" as const,
      entitlements: {
        "aps-environment": "production",
        "com.apple.developer.associated-domains": "*",
        "com.apple.security.application-groups": ["group.x", "group.y"],
        "keychain-access-groups": ["T.*"],
        "com.apple.developer.usernotifications.time-sensitive": true,
        "com.apple.developer.siri": true,
        "application-identifier": "T.com.x.app",
      },
    };
    expect(preflightEntitlements(target, full)).toEqual([]);
    const lacking = {
      type: "IOS_APP_STORE" as const,
      entitlements: { ...full.entitlements, "com.apple.security.application-groups": ["group.x"] } as Record<
        string,
        unknown
      >,
    };
    delete lacking.entitlements["aps-environment"];
    delete lacking.entitlements["com.apple.developer.usernotifications.time-sensitive"];
    expect(preflightEntitlements(target, lacking)).toEqual([
      {
        target: "App",
        entitlement: "aps-environment",
        wants: "development",
        profileHas: "(absent)",
        fix: expect.stringMatching(/^enable PUSH_NOTIFICATIONS for com\.x\.app/),
      },
      {
        target: "App",
        entitlement: "com.apple.security.application-groups",
        wants: "group.y",
        profileHas: "[group.x]",
        fix: "associate group.y with com.x.app once in the developer portal (Identifiers → com.x.app → App Groups), then re-run",
      },
      {
        target: "App",
        entitlement: "com.apple.developer.usernotifications.time-sensitive",
        wants: "true",
        profileHas: "(absent)",
        fix: expect.stringMatching(
          /Time Sensitive Notifications .* in the developer portal \(the API cannot\)/,
        ),
      },
    ]);
  });

  it.skipIf(!hasShared)(
    "aps-environment and get-task-allow by profile type (the Apple-signed App Store sample)",
    () => {
      const store = readProvisioningProfile(
        readFileSync(sharedPath("asc", "samples", "tools-fastlane-app-appstore.mobileprovision")),
      );
      const target = {
        target: "App",
        bundleId: "tools.fastlane.app",
        entitlements: {
          "get-task-allow": true,
          "keychain-access-groups": ["439BBM9367.tools.fastlane.app", "OTHER.x"],
        },
      };
      const rows = preflightEntitlements(target, { type: "IOS_APP_STORE", entitlements: store.entitlements });
      expect(rows.map((r) => [r.entitlement, r.wants, r.profileHas])).toEqual([
        ["get-task-allow", "true", "false"],
        ["keychain-access-groups", "OTHER.x", "[439BBM9367.*]"],
      ]);
      // A production push claim under a development profile fails; under a distribution profile it is fine.
      const push = { target: "App", bundleId: "b", entitlements: { "aps-environment": "production" } };
      expect(
        preflightEntitlements(push, {
          type: "IOS_APP_DEVELOPMENT",
          entitlements: { "aps-environment": "development" },
        }),
      ).toMatchObject([{ entitlement: "aps-environment", wants: "production", profileHas: "development" }]);
      expect(
        preflightEntitlements(push, {
          type: "IOS_APP_ADHOC",
          entitlements: { "aps-environment": "production" },
        }),
      ).toEqual([]);
      expect(
        preflightEntitlements(
          { ...target, entitlements: { "get-task-allow": true } },
          { type: "IOS_APP_DEVELOPMENT", entitlements: { "get-task-allow": true } },
        ),
      ).toEqual([]);
    },
  );

  it("macOS sandbox and hardened runtime keys need no profile; value lists are checked element by element", () => {
    const rows = preflightEntitlements(
      {
        target: "Mac",
        bundleId: "m",
        entitlements: {
          "com.apple.security.app-sandbox": true,
          "com.apple.security.cs.allow-jit": true,
          "com.apple.developer.networking.networkextension": ["packet-tunnel-provider", "dns-proxy"],
        },
      },
      {
        type: "MAC_APP_STORE",
        entitlements: { "com.apple.developer.networking.networkextension": ["packet-tunnel-provider"] },
      },
    );
    expect(rows.map((r) => [r.entitlement, r.wants])).toEqual([
      ["com.apple.developer.networking.networkextension", "dns-proxy"],
    ]);
  });
});
