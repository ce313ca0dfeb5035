// reenable-devices: true checks Apple's answer to PATCH /v1/devices/{id}: a device Apple keeps DISABLED
// fails the run naming it, before a profile is made (not "re-enabled" in the log and a 409 later).
import { describe, expect, it } from "vitest";
import type { Logger } from "../../src/core/ports.ts";
import { startHarness } from "../support/engine-harness.ts";

const h = startHarness();

function collecting(lines: string[]): Logger {
  return {
    debug: () => {},
    info: (m) => lines.push(m),
    warning: (m) => lines.push(m),
    error: (m) => lines.push(m),
    group: (_n, fn) => fn(),
  };
}

describe("engine: re-enabling a listed device", () => {
  const inputs = (identifier: string, udid: string) => ({
    "bundle-ids": identifier,
    "profile-type": "IOS_APP_ADHOC",
    devices: `Test phone, ${udid}`,
    "reenable-devices": "true",
  });

  it("fails naming the device when Apple answers DISABLED, and makes no profile", async () => {
    const udid = "00008030-0000000000000DD1";
    const device = h.fake.state.addDevice({ name: "Test phone", udid, platform: "IOS", status: "DISABLED" });
    h.fake.state.keepDeviceDisabled(device.id);
    h.fake.clearLog();
    const lines: string[] = [];
    const error = await h.run(inputs("com.reenable.refused", udid), { logger: collecting(lines) }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain(
      `Device "Test phone" (${udid}, id ${device.id}): App Store Connect answered the request to re-enable it (reenable-devices: true) with status DISABLED`,
    );
    expect(lines.some((l) => /re-enabled/.test(l))).toBe(false);
    const patches = h.fake.log.filter((r) => r.method === "PATCH" && r.path === `/v1/devices/${device.id}`);
    expect(patches).toHaveLength(1);
    expect(h.fake.log.filter((r) => r.method === "POST" && r.path === "/v1/profiles")).toEqual([]);
  });

  it("re-enables when Apple answers ENABLED, and provisions the device", async () => {
    const udid = "00008030-0000000000000DD2";
    const device = h.fake.state.addDevice({ name: "Test phone", udid, platform: "IOS", status: "DISABLED" });
    const lines: string[] = [];
    const result = await h.run(inputs("com.reenable.ok", udid), { logger: collecting(lines) });
    expect(lines).toContain(`Device "Test phone" ${udid}: re-enabled`);
    expect(h.fake.state.devices().find((d) => d.id === device.id)?.status).toBe("ENABLED");
    const profile = h.fake.state.profiles().find((p) => p.uuid === result.profiles[0]!.uuid)!;
    expect(profile.deviceIds).toContain(device.id);
  });
});
