import { describe, expect, it } from "vitest";
import { MATCH_PROFILE_NAME, parseConfig, type RawInputs } from "../../src/core/config-parse.ts";
import { InputError } from "../../src/core/errors.ts";
import { testKeys } from "../support/keys.ts";

const noFile = (): undefined => undefined;

function inputs(overrides: RawInputs = {}): RawInputs {
  const { apiKeyPem, signingKeyPem } = testKeys();
  return {
    "issuer-id": "57246542-96fe-1a63-e053-0824d011072a",
    "key-id": "2X9R4HXF34",
    "private-key": apiKeyPem,
    "bundle-ids": "com.example.app",
    "certificate-private-key": signingKeyPem,
    ...overrides,
  };
}

function problems(raw: RawInputs): { input: string; message: string }[] {
  try {
    parseConfig(raw, { readFile: noFile, masker: { mask() {} } });
  } catch (error) {
    if (error instanceof InputError) return error.problems;
    throw error;
  }
  throw new Error("expected an InputError");
}

describe("parseConfig", () => {
  it("builds a typed config with defaults", () => {
    const config = parseConfig(inputs({ "bundle-ids": "com.example.app,\ncom.example.app.widget" }), {
      readFile: noFile,
      masker: { mask() {} },
    });
    expect(config.profileType).toBe("IOS_APP_STORE");
    expect(config.platform).toBe("IOS");
    expect(config.bundleIds).toEqual([
      { identifier: "com.example.app", name: "com example app" },
      { identifier: "com.example.app.widget", name: "com example app widget" },
    ]);
    expect(config.minDaysValid).toBe(30);
    expect(config.mode).toBe("apply");
    expect(config.apiKey.baseUrl).toBe("https://api.appstoreconnect.apple.com");
    expect(config.deviceSelection).toEqual({ kind: "all" });
  });

  it("masks the secrets and their derived forms before anything else", () => {
    const masked: string[] = [];
    parseConfig(inputs(), { readFile: noFile, masker: { mask: (s) => masked.push(s) } });
    const { apiKeyPem, signingKeyPem } = testKeys();
    expect(masked).toContain(apiKeyPem.trim());
    const bodyLine = signingKeyPem.split("\n")[3]!;
    expect(masked.some((m) => m.includes(bodyLine))).toBe(true);
  });

  it("reports every problem at once, each naming its input", () => {
    const found = problems({
      "issuer-id": "not-a-uuid",
      "key-id": "abc",
      "private-key": "",
      "bundle-ids": "com.example.app, bad id!",
      "profile-type": "IOS_APP_SOTRE",
      "min-days-valid": "-3",
      mode: "yolo",
      capabilities: "PUSH_NOTIFICATIONS\nICLOUD",
      devices: "Phone, 1234",
    });
    const names = found.map((p) => p.input);
    for (const input of [
      "issuer-id",
      "key-id",
      "private-key",
      "bundle-ids",
      "profile-type",
      "min-days-valid",
      "mode",
      "capabilities",
      "devices",
      "certificate-private-key",
    ])
      expect(names).toContain(input);
  });

  it("explains capability settings and what an API key cannot do", () => {
    const found = problems(
      inputs({
        capabilities: [
          "ICLOUD",
          "DATA_PROTECTION DATA_PROTECTION_PERMISSION_LEVEL=SOMETIMES",
          "APP_GROUPS group=group.com.example",
          "com.other.app: PUSH_NOTIFICATIONS",
          "TELEPORTATION",
        ].join("\n"),
      }),
    ).map((p) => p.message);
    expect(found.some((m) => m.includes("ICLOUD needs ICLOUD_VERSION"))).toBe(true);
    expect(found.some((m) => m.includes("not an option Apple accepts"))).toBe(true);
    expect(found.some((m) => m.includes("cannot be assigned with an App Store Connect API key"))).toBe(true);
    expect(found.some((m) => m.includes("is not one of `bundle-ids`"))).toBe(true);
    expect(found.some((m) => m.includes('unknown capability "TELEPORTATION"'))).toBe(true);
  });

  it("reports a wrong setting value once, not also as missing", () => {
    const found = problems(inputs({ capabilities: "ICLOUD ICLOUD_VERSION=XCODE_9" }));
    expect(found.map((p) => p.message)).toEqual([
      expect.stringContaining("ICLOUD_VERSION=XCODE_9 is not an option"),
    ]);
  });

  it("parses capabilities for the main target, per bundle ID and for all (*:)", () => {
    const config = parseConfig(
      inputs({
        "bundle-ids": "com.example.app\ncom.example.app.widget",
        capabilities:
          "*: APP_GROUPS\nPUSH_NOTIFICATIONS\ncom.example.app.widget: ICLOUD ICLOUD_VERSION=XCODE_6",
      }),
      { readFile: noFile, masker: { mask() {} } },
    );
    expect(config.capabilities).toEqual([
      { bundleId: "com.example.app", type: "APP_GROUPS", settings: {} },
      { bundleId: "com.example.app.widget", type: "APP_GROUPS", settings: {} },
      { bundleId: "com.example.app", type: "PUSH_NOTIFICATIONS", settings: {} },
      { bundleId: "com.example.app.widget", type: "ICLOUD", settings: { ICLOUD_VERSION: "XCODE_6" } },
    ]);
  });

  it("rejects a platform that does not fit the profile type and wildcards where Apple forbids them", () => {
    const found = problems(
      inputs({ "profile-type": "MAC_APP_STORE", platform: "IOS", "bundle-ids": "com.example.*" }),
    );
    expect(found.map((p) => p.input)).toEqual(["platform", "bundle-ids"]);
  });

  it("allows wildcards for development profiles and derives MAC_OS for mac types", () => {
    const config = parseConfig(
      inputs({ "profile-type": "MAC_APP_DEVELOPMENT", "bundle-ids": "com.example.*" }),
      {
        readFile: noFile,
        masker: { mask() {} },
      },
    );
    expect(config.platform).toBe("MAC_OS");
  });

  it("parses devices and validates UDIDs", () => {
    const config = parseConfig(
      inputs({
        "profile-type": "IOS_APP_ADHOC",
        devices:
          "QA iPhone, 00008030-001A2B3C4D5E6F70\nOld iPad, 0123456789abcdef0123456789abcdef01234567, IOS",
        "device-selection": "QA iPhone",
      }),
      { readFile: noFile, masker: { mask() {} } },
    );
    expect(config.devices).toHaveLength(2);
    expect(config.deviceSelection).toEqual({ kind: "list", values: ["QA iPhone"] });
    const found = problems(inputs({ devices: "Mac, 00008030-ZZZ" }));
    expect(found[0]?.message).toContain("is not a device UDID");
  });

  it("refuses installer certificates, Mac in-house profiles and mismatched certificate types", () => {
    expect(problems(inputs({ "certificate-type": "DEVELOPER_ID_INSTALLER" }))[0]?.message).toContain(
      "installer",
    );
    expect(problems(inputs({ "profile-type": "MAC_APP_INHOUSE" }))[0]?.message).toContain("in-house");
    expect(problems(inputs({ "certificate-type": "DEVELOPMENT" }))[0]?.message).toContain(
      "IOS_APP_STORE profiles take",
    );
  });

  it("offers the fastlane match name preset", () => {
    const config = parseConfig(inputs({ "profile-name": "match" }), {
      readFile: noFile,
      masker: { mask() {} },
    });
    expect(config.profileNameTemplate).toBe(MATCH_PROFILE_NAME);
  });

  it("needs {bundleId} in the name template when there are several bundle IDs", () => {
    const found = problems(inputs({ "bundle-ids": "a.b.c, a.b.d", "profile-name": "Release" }));
    expect(found[0]?.input).toBe("profile-name");
  });

  it("only lets plain http through for loopback", () => {
    expect(problems(inputs({ "api-base-url": "http://example.com" }))[0]?.input).toBe("api-base-url");
    const config = parseConfig(inputs({ "api-base-url": "http://127.0.0.1:8080/" }), {
      readFile: noFile,
      masker: { mask() {} },
    });
    expect(config.apiKey.baseUrl).toBe("http://127.0.0.1:8080");
  });

  it("never echoes a secret in a problem", () => {
    const { apiKeyPem } = testKeys();
    const found = problems(inputs({ "certificate-private-key": apiKeyPem }));
    expect(found[0]?.input).toBe("certificate-private-key");
    for (const line of apiKeyPem.split("\n").filter((l) => l.length >= 8 && !l.startsWith("-----")))
      expect(JSON.stringify(found)).not.toContain(line);
  });
});
