// Drift repaired: each way a profile goes stale, and the run after a repair makes zero writes.
import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { AscApiError } from "../../src/core/errors.ts";
import { startHarness } from "../support/engine-harness.ts";

const h = startHarness();

async function warmAgain(overrides: Record<string, string>): Promise<void> {
  h.fake.clearLog();
  const again = await h.run(overrides);
  expect(again.changed).toBe(false);
  expect(h.fake.stats().writes).toBe(0);
}

function profileId(name: string): string {
  const p = h.fake.state.profiles().find((x) => x.name === name);
  if (!p) throw new Error(`no profile ${name}`);
  return p.id;
}

describe("engine: repair", () => {
  it("repairs an expired profile", async () => {
    const o = { "bundle-ids": "com.repair.expired" };
    const first = await h.run(o);
    h.fake.state.expireProfile(first.profiles[0]!.id);
    const second = await h.run(o);
    expect(second.profiles[0]).toMatchObject({ outcome: "repaired" });
    expect(second.profiles[0]?.reason).toMatch(/it expired on|its state was/);
    expect(second.profiles[0]?.uuid).not.toBe(first.profiles[0]?.uuid);
    expect(second.plan.map((s) => s.kind)).toEqual(["delete-profile", "create-profile"]);
    await warmAgain(o);
  });

  it("repairs a profile deleted outside, and one that expires within min-days-valid", async () => {
    const o = { "bundle-ids": "com.repair.deleted" };
    const first = await h.run(o);
    h.fake.state.deleteProfile(first.profiles[0]!.id);
    const second = await h.run(o);
    expect(second.profiles[0]).toMatchObject({ outcome: "created", reason: "no profile had this name" });
    const third = await h.run({ ...o, "min-days-valid": "365" });
    expect(third.profiles[0]?.reason).toMatch(/sooner than min-days-valid \(365\)/);
  });

  it("repairs after the certificate is revoked, creating a new certificate from the same key", async () => {
    const o = { "bundle-ids": "com.repair.revoked" };
    const first = await h.run(o);
    h.fake.state.revokeCertificate(first.certificate!.id);
    const second = await h.run(o);
    expect(second.certificate?.outcome).toBe("created");
    expect(second.certificate?.id).not.toBe(first.certificate?.id);
    expect(second.profiles[0]?.outcome).toBe("repaired");
    await warmAgain(o);
  });

  it("adds a newly registered device, and drops a disabled one without regenerating forever", async () => {
    const o = { "bundle-ids": "com.repair.devices", "profile-type": "IOS_APP_ADHOC" };
    const a = h.fake.state.addDevice({
      name: "A",
      udid: "00008030-00000000000000A1",
      platform: "IOS",
      deviceClass: "IPHONE",
    });
    const first = await h.run(o);
    const b = h.fake.state.addDevice({
      name: "B",
      udid: "00008030-00000000000000B1",
      platform: "IOS",
      deviceClass: "IPAD",
    });
    const second = await h.run(o);
    expect(second.profiles[0]?.reason).toBe(`it lacked device ${b.udid}`);
    expect(second.profiles[0]?.uuid).not.toBe(first.profiles[0]?.uuid);
    h.fake.state.setDeviceStatus(b.id, "DISABLED");
    const third = await h.run(o);
    expect(third.profiles[0]?.outcome).toBe("repaired");
    await warmAgain(o);
    expect(a.id).toBeTruthy();
  });

  it("registers listed devices idempotently", async () => {
    const o = {
      "bundle-ids": "com.repair.register",
      "profile-type": "IOS_APP_DEVELOPMENT",
      devices: "QA Phone, 00008030-00000000000000C1",
    };
    const first = await h.run(o);
    expect(first.plan.map((s) => s.kind)).toContain("register-device");
    expect(h.fake.state.devices().filter((d) => d.udid === "00008030-00000000000000C1")).toHaveLength(1);
    await warmAgain(o);
  });

  it("enables a capability and updates changed settings, repairing the profile each time", async () => {
    const o = { "bundle-ids": "com.repair.caps" };
    await h.run(o);
    const added = await h.run({ ...o, capabilities: "ICLOUD ICLOUD_VERSION=XCODE_5" });
    expect(added.plan.map((s) => s.kind)).toEqual(["enable-capability", "delete-profile", "create-profile"]);
    expect(added.profiles[0]?.outcome).toBe("repaired");
    const changed = await h.run({ ...o, capabilities: "ICLOUD ICLOUD_VERSION=XCODE_6" });
    expect(changed.plan.map((s) => s.kind)).toEqual([
      "update-capability",
      "delete-profile",
      "create-profile",
    ]);
    await warmAgain({ ...o, capabilities: "ICLOUD ICLOUD_VERSION=XCODE_6" });
    const removed = await h.run({ ...o, "capabilities-exclusive": "true" });
    expect(removed.plan.map((s) => s.kind)).toEqual([
      "disable-capability",
      "delete-profile",
      "create-profile",
    ]);
  });

  it("ignores a zombie profile in the bundle ID's relationship", async () => {
    const o = { "bundle-ids": "com.repair.zombie" };
    const first = await h.run(o);
    h.fake.state.addZombieProfile(first.profiles[0]!.bundleIdResourceId, "com.repair.zombie IOS_APP_STORE");
    h.fake.clearLog();
    const second = await h.run(o);
    expect(second.changed).toBe(false);
  });

  it("removes an expired profile that blocks our profile's name", async () => {
    const o = { "bundle-ids": "com.repair.blocked" };
    const first = await h.run(o);
    const id = profileId("com.repair.blocked IOS_APP_STORE");
    h.fake.state.expireProfile(id);
    const second = await h.run(o);
    expect(second.profiles[0]?.uuid).not.toBe(first.profiles[0]?.uuid);
    expect(h.fake.state.profiles().filter((p) => p.name === "com.repair.blocked IOS_APP_STORE")).toHaveLength(
      1,
    );
  });
});

describe("engine: certificate limit", () => {
  const limited = startHarness({ distributionCertificateLimit: 1 });

  it("fails listing the existing certificates and the choices, without creating profiles", async () => {
    const other = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
    await limited.fake.state.addCertificate({ certificateType: "DISTRIBUTION", publicKey: other });
    limited.fake.clearLog();
    const error = await limited.run({ "bundle-ids": "com.limit.app" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AscApiError);
    const message = (error as Error).message;
    expect(message).toContain("limit of DISTRIBUTION certificates");
    expect(message).toMatch(/serial [0-9A-F]+, expires \d{4}-\d{2}-\d{2}/);
    expect(message).toContain("certificate-p12");
    expect(limited.fake.state.profiles()).toHaveLength(0);
    expect(limited.fake.state.certificates()).toHaveLength(1);
  });
});
