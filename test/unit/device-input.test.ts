// The `devices` input takes every UDID form Apple's device list holds for the classes the action
// provisions, in either case, and matches them against the list case-insensitively.
import { describe, expect, it } from "vitest";
import type { DeviceResource } from "../../src/core/asc/types.ts";
import type { Config } from "../../src/core/config.ts";
import { parseDeviceLines } from "../../src/core/device-input.ts";
import { profileTypeRule } from "../../src/core/profile-types.ts";
import { planDevices } from "../../src/core/reconcile/device-plan.ts";

function parse(lines: string[], platform: "IOS" | "MAC_OS" = "IOS") {
  const problems: string[] = [];
  const devices = parseDeviceLines(lines.join("\n"), platform, (input, message) =>
    problems.push(`${input}: ${message}`),
  );
  return { devices, problems };
}

describe("devices input: UDID forms", () => {
  it("accepts 40 hex, 8-16 hex with a hyphen and a Mac's UUID, in either case", () => {
    const { devices, problems } = parse([
      "Old iPhone, 0123456789abcdef0123456789ABCDEF01234567",
      "iPhone 15, 00008030-001A2B3C4D5E802E",
      "Watch, 00008006-001a2b3c4d5e6f70",
      "M1 Mac, 00008103-001A2B3C4D5E801E, MAC_OS",
      "Intel Mac, 12345678-90ab-CDEF-1234-567890ABCDEF",
    ]);
    expect(problems).toEqual([]);
    expect(devices.map((d) => [d.name, d.platform])).toEqual([
      ["Old iPhone", "IOS"],
      ["iPhone 15", "IOS"],
      ["Watch", "IOS"],
      ["M1 Mac", "MAC_OS"],
      ["Intel Mac", "MAC_OS"],
    ]);
  });

  it("a Mac's UUID is a MAC_OS device: registering it as IOS is refused, naming the input", () => {
    const { devices, problems } = parse(["Intel Mac, 12345678-90AB-CDEF-1234-567890ABCDEF, IOS"]);
    expect(devices).toEqual([]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      /^devices: "Intel Mac": 12345678-90AB-CDEF-1234-567890ABCDEF is a Mac's UUID/,
    );
  });

  it("refuses what no device has, and the same UDID twice in different case", () => {
    const { problems } = parse([
      "short, 0000FE00-12345678",
      "hex39, 0123456789abcdef0123456789abcdef0123456",
      "a, 00008030-001A2B3C4D5E802E",
      "b, 00008030-001a2b3c4d5e802e",
    ]);
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/^devices: "short": "0000FE00-12345678" is not a device UDID/);
    expect(problems[1]).toMatch(
      /^devices: "hex39": "0123456789abcdef0123456789abcdef0123456" is not a device UDID/,
    );
    expect(problems[2]).toMatch(/^devices: "b": UDID 00008030-001a2b3c4d5e802e is listed twice/);
  });
});

describe("devices input matched against Apple's list", () => {
  const device = (id: string, udid: string, deviceClass: string, status = "ENABLED"): DeviceResource =>
    ({
      type: "devices",
      id,
      attributes: { name: id, udid, deviceClass, status, platform: deviceClass === "MAC" ? "MAC_OS" : "IOS" },
    }) as DeviceResource;
  const config = (devices: Config["devices"], selection: string[] | undefined, reenable = false) =>
    ({
      devices,
      deviceSelection: selection ? { kind: "list", values: selection } : { kind: "all" },
      reenableDevices: reenable,
    }) as unknown as Config;

  it("a listed UDID in another case is the registered device: not registered again, selected", () => {
    const list = [
      device("D1", "00008030-001A2B3C4D5E802E", "IPHONE"),
      device("D2", "0123456789ABCDEF0123456789ABCDEF01234567", "IPAD", "DISABLED"),
    ];
    const plan = planDevices(
      config(
        [
          { name: "p", udid: "00008030-001a2b3c4d5e802e", platform: "IOS" },
          { name: "q", udid: "0123456789abcdef0123456789abcdef01234567", platform: "IOS" },
        ],
        ["00008030-001a2b3c4d5e802e", "0123456789abcdef0123456789abcdef01234567"],
        true,
      ),
      profileTypeRule("IOS_APP_DEVELOPMENT"),
      list,
    );
    expect(plan.register).toEqual([]);
    expect(plan.enable.map((d) => d.id)).toEqual(["D2"]);
    expect(plan.selected.map((d) => d.id)).toEqual(["D1", "D2"]);
    expect(plan.problems).toEqual([]);
  });

  it("a Mac's UUID in lower case selects the Mac Apple lists in upper case for a Catalyst profile", () => {
    const plan = planDevices(
      config([], ["12345678-90ab-cdef-1234-567890abcdef"]),
      profileTypeRule("MAC_CATALYST_APP_DEVELOPMENT"),
      [device("M1", "12345678-90AB-CDEF-1234-567890ABCDEF", "MAC")],
    );
    expect(plan.selected.map((d) => d.id)).toEqual(["M1"]);
    expect(plan.problems).toEqual([]);
  });
});
