// Issue 12, item 8: some responses carry a capability without `capabilityType`, only its id
// `<bundleIdId>_<TYPE>`. The type is recovered from the id, so enabled capabilities are not planned again.
import { describe, expect, it } from "vitest";
import { capabilityTypeOf } from "../../src/core/asc/capabilities.ts";
import type { BundleIdCapabilityResource } from "../../src/core/asc/types.ts";
import { diffCapabilities } from "../../src/core/reconcile/capability-diff.ts";

const idOnly = (id: string): BundleIdCapabilityResource => ({ type: "bundleIdCapabilities", id });

describe("capabilities without capabilityType", () => {
  it("take their type from the id, or from capabilityType when present", () => {
    expect(capabilityTypeOf(idOnly("F9G2H3J4K5_PUSH_NOTIFICATIONS"))).toBe("PUSH_NOTIFICATIONS");
    expect(capabilityTypeOf(idOnly("F9G2H3J4K5_ICLOUD"))).toBe("ICLOUD");
    // The platform after the type, as in codemagic's recorded resource (fixture bundle-id-capability-resource).
    expect(capabilityTypeOf(idOnly("NLRN94JD59_GAME_CENTER_IOS"))).toBe("GAME_CENTER");
    expect(capabilityTypeOf(idOnly("NLRN94JD59_PUSH_NOTIFICATIONS_MAC_OS"))).toBe("PUSH_NOTIFICATIONS");
    expect(capabilityTypeOf(idOnly("NLRN94JD59_APPLE_ID_AUTH"))).toBe("APPLE_ID_AUTH");
    expect(capabilityTypeOf(idOnly("NLRN94JD59_SOMETHING_NEW"))).toBe("SOMETHING_NEW");
    expect(
      capabilityTypeOf({ type: "bundleIdCapabilities", id: "X_Y", attributes: { capabilityType: "MAPS" } }),
    ).toBe("MAPS");
    expect(capabilityTypeOf(idOnly("NOUNDERSCORE"))).toBe("");
  });

  it("are not enabled again, and capabilities-exclusive disables only the unlisted ones", () => {
    const current = [
      idOnly("B1_PUSH_NOTIFICATIONS"),
      idOnly("B1_ASSOCIATED_DOMAINS"),
      idOnly("B1_IN_APP_PURCHASE"),
      idOnly("B1_GAME_CENTER_IOS"),
    ];
    const wanted = [{ bundleId: "com.a", type: "PUSH_NOTIFICATIONS" as const, settings: {} }];
    expect(diffCapabilities(current, wanted, false)).toEqual([]);
    expect(diffCapabilities(current, wanted, true)).toEqual([
      {
        kind: "disable",
        type: "ASSOCIATED_DOMAINS",
        capabilityId: "B1_ASSOCIATED_DOMAINS",
        reason: "it is not listed and capabilities-exclusive is true",
      },
    ]);
  });
});
