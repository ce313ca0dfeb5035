// Each of the 14 profile types end to end against the fake: the right certificate type, devices only
// where they belong, and a warm second run.
import { describe, expect, it } from "vitest";
import { PROFILE_TYPES, type ProfileType } from "../../src/core/asc/types.ts";
import { profileTypeRule } from "../../src/core/profile-types.ts";
import { readProvisioningProfile } from "../../src/core/signing/provisioning-profile.ts";
import { startHarness } from "../support/engine-harness.ts";

const standard = startHarness();
const enterprise = startHarness({ enterprise: true });

const SEEDED = [
  { name: "iPhone", udid: "00008030-0000000000000001", platform: "IOS", deviceClass: "IPHONE" },
  { name: "Apple TV", udid: "00008030-0000000000000002", platform: "IOS", deviceClass: "APPLE_TV" },
  { name: "Mac", udid: "00008030-0000000000000003", platform: "MAC_OS", deviceClass: "MAC" },
] as const;

describe.each(PROFILE_TYPES.map((t) => [t]))("profile type %s", (type: ProfileType) => {
  const rule = profileTypeRule(type);
  const h = rule.enterpriseOnly ? enterprise : standard;

  it("provisions, then reuses", async () => {
    if (h.fake.state.devices().length === 0) for (const d of SEEDED) h.fake.state.addDevice({ ...d });
    const bundle = `com.types.${type.toLowerCase().replaceAll("_", "")}`;
    const o = { "bundle-ids": bundle, "profile-type": type };
    const result = await h.run(o);
    const profile = result.profiles[0]!;
    expect(profile.extension).toBe(rule.extension);
    expect(rule.certificateTypes).toContain(result.certificate?.certificateType);
    const info = readProvisioningProfile(profile.content);
    expect(info.uuid).toBe(profile.uuid);
    expect(info.bundleIdentifier).toBe(bundle);
    const expectedDevices = SEEDED.filter((d) =>
      (rule.deviceClasses as string[]).includes(d.deviceClass),
    ).map((d) => d.udid);
    expect(info.provisionedDevices).toEqual(expectedDevices);
    h.fake.clearLog();
    const warm = await h.run(o);
    expect(warm.changed).toBe(false);
    expect(h.fake.stats().writes).toBe(0);
    expect(h.fake.stats().requests).toBeLessThanOrEqual(rule.deviceClasses.length > 0 ? 4 : 3);
    expect(h.fake.specViolations).toEqual([]);
  });
});
