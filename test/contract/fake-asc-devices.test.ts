// Devices in the fake: UDID formats, duplicates, rename and enable/disable, and profiles turning INVALID
// when a device inside them is disabled.
import { describe, expect, it } from "vitest";
import { entity, rsaKeyPair, useFakeAsc } from "../support/fake-asc/testing.ts";

const h = useFakeAsc();
const register = (udid: string, platform = "IOS", name = "A device") =>
  h.api.post("/v1/devices", entity("devices", { name, platform, udid }));

describe("fake ASC: devices", () => {
  it("registers an iPhone with Apple's attributes", async () => {
    const res = await register("00008030-001A2B3C4D5E6F70", "IOS", "Ada's iPhone");
    expect(res.status).toBe(201);
    expect(res.body.data.attributes).toMatchObject({
      name: "Ada's iPhone",
      platform: "IOS",
      udid: "00008030-001A2B3C4D5E6F70",
      deviceClass: "IPHONE",
      status: "ENABLED",
    });
    expect(res.body.data.attributes.model).toBeTruthy();
    expect(res.body.data.attributes.addedDate).toMatch(/\+0000$/);
  });

  it.each([
    ["40 hex digits", "5d0d1e9e3e4c8323756ec0038564006dafe15c21", "IOS"],
    ["a Mac's hardware UUID", "A1B2C3D4-0000-1111-2222-333344445555", "MAC_OS"],
    ["an Apple silicon Mac", "00008103-000A1B2C3D4E5F60", "MAC_OS"],
  ])("accepts %s", async (_what, udid, platform) => {
    const res = await register(udid, platform);
    expect(res.status).toBe(201);
    expect(res.body.data.attributes.deviceClass).toBe(platform === "MAC_OS" ? "MAC" : "IPHONE");
  });

  it.each([
    ["too short", "1234", "IOS"],
    ["not hex", "00008030-001A2B3C4D5E6FZZ", "IOS"],
    ["a UUID for an iPhone", "B1B2C3D4-0000-1111-2222-333344445555", "IOS"],
    ["39 hex digits", "5d0d1e9e3e4c8323756ec0038564006dafe15c2", "IOS"],
  ])("refuses a UDID that is %s", async (_what, udid, platform) => {
    const res = await register(udid, platform);
    expect(res.status).toBe(409);
    expect(res.body.errors[0]).toMatchObject({ code: "ENTITY_ERROR.ATTRIBUTE.INVALID" });
    expect(res.body.errors[0].detail).toContain(`Device UDID '${udid}' is not valid`);
    expect(h.fake.state.devices().some((d) => d.udid === udid)).toBe(false);
  });

  it("refuses a UDID the team has (in any case) with Apple's message", async () => {
    expect((await register("00008110-00AABBCCDDEEFF00")).status).toBe(201);
    const again = await register("00008110-00aabbccddeeff00");
    expect(again.status).toBe(409);
    expect(again.body.errors[0].detail).toBe(
      "A device with number '00008110-00aabbccddeeff00' already exists on this team.",
    );
  });

  it("refuses a platform devices do not have", async () => {
    expect((await register("00008120-00AABBCCDDEEFF01", "UNIVERSAL")).status).toBe(409);
  });

  it("filters by UDID (exact) and status", async () => {
    const udid = "00008120-00AABBCCDDEEFF02";
    const { body } = await register(udid);
    expect(
      (await h.api.get(`/v1/devices?filter[udid]=${udid}`)).body.data.map((d: { id: string }) => d.id),
    ).toEqual([body.data.id]);
    expect((await h.api.get("/v1/devices?filter[udid]=00008120")).body.data).toEqual([]);
    h.fake.state.setDeviceStatus(body.data.id, "DISABLED");
    const disabled = await h.api.get("/v1/devices?filter[status]=DISABLED&limit=200");
    expect(disabled.body.data.map((d: { id: string }) => d.id)).toContain(body.data.id);
  });

  it("renames and disables on PATCH; disabling turns the profiles holding the device INVALID", async () => {
    const inside = h.fake.state.addDevice({
      name: "Inside",
      udid: "00008130-00AABBCCDDEEFF03",
      platform: "IOS",
    });
    const outside = h.fake.state.addDevice({
      name: "Outside",
      udid: "00008130-00AABBCCDDEEFF04",
      platform: "IOS",
    });
    const bundle = h.fake.state.addBundleId({ identifier: "com.d.app" });
    const certificate = await h.fake.state.addCertificate({
      certificateType: "DEVELOPMENT",
      publicKey: rsaKeyPair().publicKey,
    });
    const holding = h.fake.state.addProfile({
      name: "holding",
      profileType: "IOS_APP_DEVELOPMENT",
      bundleIdId: bundle.id,
      certificateIds: [certificate.id],
      deviceIds: [inside.id],
    });
    const other = h.fake.state.addProfile({
      name: "other",
      profileType: "IOS_APP_DEVELOPMENT",
      bundleIdId: bundle.id,
      certificateIds: [certificate.id],
      deviceIds: [outside.id],
    });
    const patch = (attributes: Record<string, unknown>) =>
      h.api.patch(`/v1/devices/${inside.id}`, { data: { type: "devices", id: inside.id, attributes } });

    const renamed = await patch({ name: "Renamed" });
    expect(renamed.body.data.attributes).toMatchObject({ name: "Renamed", status: "ENABLED" });
    expect(h.fake.state.profileState(holding.id)).toBe("ACTIVE");

    const disabled = await patch({ status: "DISABLED" });
    expect(disabled.status).toBe(200);
    expect(disabled.body.data.attributes.status).toBe("DISABLED");
    expect(h.fake.state.profileState(holding.id)).toBe("INVALID");
    expect(h.fake.state.profileState(other.id)).toBe("ACTIVE");

    // Enabling again does not repair the profile.
    expect((await patch({ status: "ENABLED" })).body.data.attributes.status).toBe("ENABLED");
    expect(h.fake.state.profileState(holding.id)).toBe("INVALID");

    expect((await patch({ udid: "00008130-00AABBCCDDEEFF99" })).status).toBe(409);
    expect((await patch({ status: "LOST" })).status).toBe(409);
  });
});
