// The entitlements check of a project run: each signable target's entitlements against the profile
// made for its bundle ID (read from the signed profile bytes), one row per entitlement the profile does
// not allow; on macOS a team-prefixed app group needs no profile (as no capability is derived for it).
import { beforeAll, describe, expect, it } from "vitest";
import type { ProvisionResult } from "../../src/core/result.ts";
import type { ProjectConfig } from "../../src/core/xcode/project-desired-state.ts";
import { EntitlementsPreflightError, preflightProject } from "../../src/core/xcode/project-preflight.ts";
import type { SignableTarget } from "../../src/core/xcode/signable-targets.ts";
import { createFakeAppleCa, type FakeAppleCa } from "../support/fake-asc/apple-ca.ts";
import { signedProfile } from "../support/fake-asc/profile-signer.ts";

let ca: FakeAppleCa;
beforeAll(async () => {
  ca = await createFakeAppleCa();
});

const TEAM = "FAKE7EAM42";

async function profile(bundleId: string, platform: "IOS" | "OSX", entitlements: Record<string, unknown>) {
  const type = platform === "IOS" ? "IOS_APP_STORE" : "MAC_APP_STORE";
  const content = await signedProfile(ca, {
    appIdName: bundleId,
    teamId: TEAM,
    teamName: "Fake Team Ltd",
    bundleIdentifier: bundleId,
    platforms: [platform === "IOS" ? "iOS" : "OSX"],
    name: `${bundleId} ${type}`,
    uuid: "0f4c2e0e-3f8b-4d0a-9a55-5d1f3c1b2a01",
    creationDate: new Date(),
    expirationDate: new Date(Date.now() + 300 * 86_400_000),
    developerCertificatesDer: [],
    entitlements: {
      [platform === "IOS" ? "application-identifier" : "com.apple.application-identifier"]:
        `${TEAM}.${bundleId}`,
      ...entitlements,
    },
    timeToLive: 300,
  });
  return { bundleId, content, profileType: type, name: `${bundleId} ${type}` };
}

function project(targets: Array<Pick<SignableTarget, "target" | "bundleId" | "platform" | "entitlements">>) {
  return { signing: { signable: targets } } as unknown as ProjectConfig;
}
const result = (profiles: unknown[]) => ({ profiles }) as unknown as ProvisionResult;

describe("preflightProject", () => {
  it("lists the app group the profile lacks and passes what it allows (TEAM.* wildcards)", async () => {
    const p = await profile("com.example.app", "IOS", {
      "com.apple.security.application-groups": [],
      "keychain-access-groups": [`${TEAM}.*`],
    });
    const check = preflightProject(
      project([
        {
          target: "App",
          bundleId: "com.example.app",
          platform: "ios",
          entitlements: {
            "com.apple.security.application-groups": ["group.com.example"],
            "keychain-access-groups": [`${TEAM}.com.example.app`],
          },
        },
        { target: "Widget", bundleId: "com.example.app.widget", platform: "ios", entitlements: {} },
      ]),
      result([p]),
    );
    expect(check.checked).toEqual(["App"]);
    expect(check.unchecked).toEqual(["Widget"]);
    expect(check.rows.map((r) => [r.target, r.entitlement, r.wants, r.profileHas])).toEqual([
      ["App", "com.apple.security.application-groups", "group.com.example", "[]"],
    ]);
    expect(new EntitlementsPreflightError(check.rows).message).toContain(
      "associate group.com.example with com.example.app once in the developer portal",
    );
  });

  it("macOS: a team-prefixed app group needs no profile; a group.-prefixed one does", async () => {
    const p = await profile("com.example.mac", "OSX", {});
    const target = (groups: string[]) =>
      project([
        {
          target: "Mac",
          bundleId: "com.example.mac",
          platform: "macos",
          entitlements: {
            "com.apple.security.app-sandbox": true,
            "com.apple.security.application-groups": groups,
          },
        },
      ]);
    expect(preflightProject(target([`${TEAM}.com.example.mac`]), result([p])).rows).toEqual([]);
    const rows = preflightProject(target([`${TEAM}.com.example.mac`, "group.com.example"]), result([p])).rows;
    expect(rows.map((r) => [r.entitlement, r.wants])).toEqual([
      ["com.apple.security.application-groups", "[group.com.example]"],
    ]);
  });
});
