import { describe, expect, it } from "vitest";
import type { FoundProfile } from "../../src/core/asc/profiles.ts";
import type { DeviceResource } from "../../src/core/asc/types.ts";
import type { Config } from "../../src/core/config.ts";
import { profileTypeRule } from "../../src/core/profile-types.ts";
import { diffCapabilities } from "../../src/core/reconcile/capability-diff.ts";
import { entitlementMismatch } from "../../src/core/reconcile/capability-entitlements.ts";
import {
  type CandidateCertificate,
  decideCertificate,
} from "../../src/core/reconcile/certificate-decision.ts";
import { profileName } from "../../src/core/reconcile/desired-state.ts";
import { planDevices } from "../../src/core/reconcile/device-plan.ts";
import { evaluateProfile, type ProfileExpectation } from "../../src/core/reconcile/profile-validity.ts";
import type { CertificateInfo } from "../../src/core/signing/certificate.ts";
import type { ProvisioningProfileInfo } from "../../src/core/signing/provisioning-profile.ts";

const DAY = 86_400_000;
const NOW = Date.parse("2026-11-25T12:00:00Z");

function cert(
  id: string,
  type: string,
  days: number,
  matchesKey: boolean,
  extra: Partial<CertificateInfo> = {},
): CandidateCertificate {
  const info = {
    der: new Uint8Array(),
    serialNumber: `SERIAL${id}`,
    sha1: `SHA1${id}`,
    sha256: "",
    commonName: `Apple Distribution: Team (${id})`,
    organizationalUnit: "TEAM123456",
    organization: "Team",
    notBefore: new Date(NOW - 10 * DAY),
    notAfter: new Date(NOW + days * DAY),
    spkiSha256: matchesKey ? "ours" : "theirs",
    ...extra,
  } as CertificateInfo;
  return {
    resource: { type: "certificates", id, attributes: { certificateType: type, activated: true } },
    info,
    matchesKey,
  };
}

describe("certificate decision", () => {
  const options = {
    now: NOW,
    renewDays: 0,
    types: ["DISTRIBUTION", "IOS_DISTRIBUTION"] as const,
    createType: "DISTRIBUTION" as const,
  };
  const decide = (c: CandidateCertificate[], o: Partial<typeof options> = {}) =>
    decideCertificate(c, { ...options, ...o, types: [...(o.types ?? options.types)] });

  it("adopts the matching certificate with the latest expiry", () => {
    const d = decide([
      cert("A", "DISTRIBUTION", 100, true),
      cert("B", "IOS_DISTRIBUTION", 300, true),
      cert("C", "DISTRIBUTION", 900, false),
    ]);
    expect(d.kind).toBe("adopt");
    expect(d.kind === "adopt" && d.candidate.resource.id).toBe("B");
  });

  it("skips expired certificates and those of other types", () => {
    const d = decide([cert("A", "DISTRIBUTION", -1, true), cert("B", "DEVELOPMENT", 300, true)]);
    expect(d).toMatchObject({
      kind: "create",
      certificateType: "DISTRIBUTION",
      reason: "the certificate for this key has expired",
    });
  });

  it("creates when nothing matches the key, and never adopts another key's certificate", () => {
    expect(decide([cert("C", "DISTRIBUTION", 900, false)])).toMatchObject({ kind: "create" });
  });

  it("renews inside the renewal window only", () => {
    const c = [cert("A", "IOS_DISTRIBUTION", 10, true)];
    expect(decide(c, { renewDays: 5 }).kind).toBe("adopt");
    expect(decide(c, { renewDays: 30 })).toMatchObject({
      kind: "create",
      certificateType: "IOS_DISTRIBUTION",
    });
  });
});

describe("capability diff", () => {
  const existing = [
    {
      type: "bundleIdCapabilities" as const,
      id: "B_PUSH_NOTIFICATIONS",
      attributes: { capabilityType: "PUSH_NOTIFICATIONS" },
    },
    {
      type: "bundleIdCapabilities" as const,
      id: "B_ICLOUD",
      attributes: {
        capabilityType: "ICLOUD",
        settings: [{ key: "ICLOUD_VERSION", options: [{ key: "XCODE_5", enabled: true }] }],
      },
    },
    {
      type: "bundleIdCapabilities" as const,
      id: "B_GAME_CENTER",
      attributes: { capabilityType: "GAME_CENTER" },
    },
  ];

  it("enables missing, updates changed settings, leaves the rest", () => {
    const changes = diffCapabilities(
      existing,
      [
        { bundleId: "b", type: "PUSH_NOTIFICATIONS", settings: {} },
        { bundleId: "b", type: "ICLOUD", settings: { ICLOUD_VERSION: "XCODE_6" } },
        { bundleId: "b", type: "APP_GROUPS", settings: {} },
      ],
      false,
    );
    expect(changes.map((c) => [c.kind, c.type])).toEqual([
      ["update", "ICLOUD"],
      ["enable", "APP_GROUPS"],
    ]);
    expect(changes[0]?.reason).toBe("its ICLOUD_VERSION was XCODE_5, not XCODE_6");
  });

  it("disables unlisted capabilities only when exclusive, never Apple's implicit ones", () => {
    const wanted = [
      { bundleId: "b", type: "ICLOUD" as const, settings: { ICLOUD_VERSION: "XCODE_5" as const } },
    ];
    expect(diffCapabilities(existing, wanted, false)).toEqual([]);
    expect(diffCapabilities(existing, wanted, true).map((c) => [c.kind, c.type])).toEqual([
      ["disable", "PUSH_NOTIFICATIONS"],
    ]);
  });
});

describe("device plan", () => {
  const device = (
    id: string,
    udid: string,
    deviceClass: string,
    status = "ENABLED",
    name = id,
  ): DeviceResource => ({
    type: "devices",
    id,
    attributes: { udid, deviceClass, status, name, platform: deviceClass === "MAC" ? "MAC_OS" : "IOS" },
  });
  const team = [
    device("1", "00008030-000000000000000A", "IPHONE"),
    device("2", "00008030-000000000000000B", "IPAD", "DISABLED"),
    device("3", "00008030-000000000000000C", "APPLE_TV"),
    device("4", "00008030-000000000000000D", "MAC"),
    device("5", "00008030-000000000000000E", "APPLE_WATCH", "ENABLED", "Watch"),
  ];
  const config = (over: Partial<Config>): Config =>
    ({ devices: [], deviceSelection: { kind: "all" }, reenableDevices: false, ...over }) as Config;

  it("selects ENABLED devices of compatible classes only", () => {
    expect(planDevices(config({}), profileTypeRule("IOS_APP_ADHOC"), team).selected.map((d) => d.id)).toEqual(
      ["1", "5"],
    );
    expect(
      planDevices(config({}), profileTypeRule("TVOS_APP_DEVELOPMENT"), team).selected.map((d) => d.id),
    ).toEqual(["3"]);
    expect(
      planDevices(config({}), profileTypeRule("MAC_CATALYST_APP_DEVELOPMENT"), team).selected.map(
        (d) => d.id,
      ),
    ).toEqual(["4"]);
    expect(planDevices(config({}), profileTypeRule("IOS_APP_STORE"), team).selected).toEqual([]);
  });

  it("registers unknown devices, re-enables only when asked", () => {
    const devices = [
      { name: "New", udid: "00008030-00000000000000FF", platform: "IOS" as const },
      { name: "Pad", udid: "00008030-000000000000000b", platform: "IOS" as const },
    ];
    const plain = planDevices(config({ devices }), profileTypeRule("IOS_APP_DEVELOPMENT"), team);
    expect(plain.register.map((d) => d.name)).toEqual(["New"]);
    expect(plain.enable).toEqual([]);
    expect(plain.disabledListed.map((d) => d.id)).toEqual(["2"]);
    expect(plain.selectedNew.map((d) => d.name)).toEqual(["New"]);
    const reenable = planDevices(
      config({ devices, reenableDevices: true }),
      profileTypeRule("IOS_APP_DEVELOPMENT"),
      team,
    );
    expect(reenable.enable.map((d) => d.id)).toEqual(["2"]);
    expect(reenable.selected.map((d) => d.id)).toEqual(["1", "2", "5"]);
  });

  it("selects by UDID or name and explains what it cannot select", () => {
    const p = planDevices(
      config({
        deviceSelection: {
          kind: "list",
          values: ["watch", "00008030-000000000000000A", "00008030-000000000000000B", "ghost"],
        },
      }),
      profileTypeRule("IOS_APP_ADHOC"),
      team,
    );
    expect(p.selected.map((d) => d.id)).toEqual(["5", "1"]);
    expect(p.problems.map((x) => x.message)).toEqual([
      expect.stringContaining("is DISABLED"),
      expect.stringContaining('"ghost" matches no registered device'),
    ]);
  });

  it("fails before any write when an ad hoc profile would have no device", () => {
    const p = planDevices(config({}), profileTypeRule("TVOS_APP_ADHOC"), [team[0]!]);
    expect(p.problems[0]?.message).toContain("need at least one ENABLED APPLE_TV device");
  });
});

describe("profile validity", () => {
  const info = (over: Partial<ProvisioningProfileInfo> = {}): ProvisioningProfileInfo =>
    ({
      uuid: "u",
      name: "n",
      teamId: "TEAM123456",
      bundleIdentifier: "com.example.app",
      expirationDate: new Date(NOW + 200 * DAY),
      developerCertificates: [{ sha1: "SHA1A" } as CertificateInfo],
      provisionedDevices: ["00008030-000000000000000A"],
      entitlements: { "aps-environment": "production" },
      ...over,
    }) as ProvisioningProfileInfo;
  const found = (state = "ACTIVE", type = "IOS_APP_ADHOC"): FoundProfile => ({
    resource: {
      type: "profiles",
      id: "P1",
      attributes: { profileState: state, profileType: type, name: "n" },
    },
    bundleIdId: "B1",
  });
  const expect_: ProfileExpectation = {
    profileType: "IOS_APP_ADHOC",
    bundleIdId: "B1",
    bundleIdentifier: "com.example.app",
    certificateSha1: "SHA1A",
    deviceUdids: ["00008030-000000000000000a"],
    minDaysValid: 30,
    now: NOW,
    capabilities: ["PUSH_NOTIFICATIONS"],
  };
  const reason = (
    f: FoundProfile,
    i: ProvisioningProfileInfo | undefined,
    e: Partial<ProfileExpectation> = {},
  ) => {
    const v = evaluateProfile(f, i, { ...expect_, ...e });
    return v.reusable ? "reusable" : v.reason;
  };

  it("reuses a profile that satisfies everything", () => {
    expect(reason(found(), info())).toBe("reusable");
  });

  it.each([
    ["INVALID state", () => reason(found("INVALID"), info()), "its state was INVALID"],
    ["EXPIRED state", () => reason(found("EXPIRED"), info()), "its state was EXPIRED"],
    [
      "wrong type",
      () => reason(found("ACTIVE", "IOS_APP_STORE"), info()),
      "its type was IOS_APP_STORE, not IOS_APP_ADHOC",
    ],
    ["other bundle", () => reason(found(), info(), { bundleIdId: "B2" }), "it belongs to another bundle ID"],
    [
      "expired",
      () => reason(found(), info({ expirationDate: new Date(NOW - DAY) })),
      "it expired on 2026-11-24",
    ],
    [
      "near expiry",
      () => reason(found(), info({ expirationDate: new Date(NOW + 10 * DAY) })),
      "it expires in 10 days, sooner than min-days-valid (30)",
    ],
    [
      "our certificate missing",
      () => reason(found(), info({ developerCertificates: [] })),
      "it did not contain certificate SHA1A…",
    ],
    [
      "new certificate",
      () => reason(found(), info(), { certificateSha1: undefined }),
      "a new certificate is being created",
    ],
    [
      "device missing",
      () => reason(found(), info({ provisionedDevices: [] })),
      "it lacked device 00008030-000000000000000a",
    ],
    [
      "capabilities change",
      () => reason(found(), info(), { capabilities: undefined }),
      "the bundle ID's capabilities change in this run",
    ],
    [
      "entitlement missing",
      () => reason(found(), info({ entitlements: {} })),
      "its entitlements lacked PUSH_NOTIFICATIONS (aps-environment)",
    ],
    ["unreadable", () => reason(found(), undefined), "its content could not be read"],
  ])("repairs when %s", (_name, run, expected) => {
    expect(run()).toBe(expected);
  });

  it("ignores extra devices (a narrower selection does not force regeneration)", () => {
    expect(reason(found(), info({ provisionedDevices: ["00008030-000000000000000A", "X"] }))).toBe(
      "reusable",
    );
  });
});

describe("entitlements against capabilities", () => {
  it("flags entitlements of a capability that is gone", () => {
    expect(entitlementMismatch({ "com.apple.developer.healthkit": true }, [])).toContain("HEALTHKIT");
    expect(entitlementMismatch({ "get-task-allow": false }, ["GAME_CENTER"])).toBeUndefined();
  });
});

describe("profile names", () => {
  it("fills templates, including fastlane match's names", () => {
    const b = { identifier: "com.example.app", name: "x" };
    expect(profileName("{bundleId} {type}", b, profileTypeRule("IOS_APP_STORE"))).toBe(
      "com.example.app IOS_APP_STORE",
    );
    expect(
      profileName("match {matchType} {bundleId}{platformSuffix}", b, profileTypeRule("IOS_APP_ADHOC")),
    ).toBe("match AdHoc com.example.app");
    expect(
      profileName("match {matchType} {bundleId}{platformSuffix}", b, profileTypeRule("MAC_APP_DIRECT")),
    ).toBe("match Direct com.example.app macos");
  });
});
