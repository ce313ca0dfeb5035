// The engine on the Enterprise Program host (issue 12, item 2): every request valid against the enterprise
// document (the harness validates live), in-house profiles cold then warm with ProvisionsAllDevices, and
// Developer ID with the certificate type the host has (no G2 there).
import { describe, expect, it } from "vitest";
import { readProvisioningProfile } from "../../src/core/signing/provisioning-profile.ts";
import { startHarness } from "../support/engine-harness.ts";

describe("engine on the Enterprise Program host", () => {
  const h = startHarness({ enterprise: true });

  it.each(["IOS_APP_INHOUSE", "TVOS_APP_INHOUSE"])(
    "%s: cold creates an IOS_DISTRIBUTION certificate and a ProvisionsAllDevices profile, warm reads only",
    async (type) => {
      const bundle = `com.ent.${type.toLowerCase().replaceAll("_", "")}`;
      h.fake.clearLog();
      const cold = await h.run({ "bundle-ids": bundle, "profile-type": type });
      expect(cold.certificate?.certificateType).toBe("IOS_DISTRIBUTION");
      const info = readProvisioningProfile(cold.profiles[0]!.content);
      expect(info.provisionsAllDevices).toBe(true);
      expect(info.provisionedDevices).toEqual([]);
      expect(info.bundleIdentifier).toBe(bundle);
      expect(
        h.fake.log.filter((e) => e.path === "/v1/bundleIds" && e.method === "GET")[0]?.query.include,
      ).toBe("bundleIdCapabilities");
      expect(h.fake.log.every((e) => e.status < 400)).toBe(true);

      h.fake.clearLog();
      h.fake.setLatency(40); // waves are told apart by overlap: give each answer a round trip
      const warm = await h
        .run({ "bundle-ids": bundle, "profile-type": type })
        .finally(() => h.fake.setLatency(0));
      expect(warm.changed).toBe(false);
      expect(warm.profiles[0]!.uuid).toBe(cold.profiles[0]!.uuid);
      expect(h.fake.stats().writes).toBe(0);
      expect(h.fake.stats().requests).toBeLessThanOrEqual(3);
      expect(h.fake.waves()).toHaveLength(1);
      expect(h.fake.specViolations).toEqual([]);
    },
  );

  it("MAC_APP_DIRECT: creates a DEVELOPER_ID_APPLICATION certificate (the host has no G2), warm reuses it", async () => {
    const o = { "bundle-ids": "com.ent.direct", "profile-type": "MAC_APP_DIRECT" };
    const cold = await h.run(o);
    expect(cold.certificate?.certificateType).toBe("DEVELOPER_ID_APPLICATION");
    expect(readProvisioningProfile(cold.profiles[0]!.content).provisionsAllDevices).toBe(true);
    h.fake.clearLog();
    const warm = await h.run(o);
    expect(warm.changed).toBe(false);
    expect(h.fake.stats().writes).toBe(0);
    expect(
      h.fake.log.find((e) => e.path === "/v1/certificates")?.query["filter[certificateType]"],
    ).toBeUndefined();
    expect(h.fake.specViolations).toEqual([]);
  });

  it("refuses platform UNIVERSAL before any write: the enterprise host has no UNIVERSAL bundle IDs", async () => {
    h.fake.clearLog();
    await expect(
      h.run({ "bundle-ids": "com.ent.universal", "profile-type": "IOS_APP_INHOUSE", platform: "UNIVERSAL" }),
    ).rejects.toThrow(/`platform`: the Enterprise Program API has no UNIVERSAL bundle IDs/);
    expect(h.fake.stats().writes).toBe(0);
  });
});
