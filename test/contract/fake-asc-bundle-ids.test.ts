// Bundle IDs, their capabilities and apps in the fake: Apple's validation rules and 409s, and profiles
// turning INVALID when capabilities change.
import { beforeAll, describe, expect, it } from "vitest";
import { entity, one, rsaKeyPair, useFakeAsc } from "../support/fake-asc/testing.ts";

const h = useFakeAsc();

const createBundle = (identifier: string, name = "Some App", platform = "IOS") =>
  h.api.post("/v1/bundleIds", entity("bundleIds", { identifier, name, platform }));

describe("fake ASC: bundle IDs", () => {
  it("creates a bundle ID with the team's seed id", async () => {
    const res = await createBundle("com.b.created", "Created App 2");
    expect(res.status).toBe(201);
    expect(res.body.data.id).toMatch(/^[A-Z0-9]{10}$/);
    expect(res.body.data.attributes).toEqual({
      identifier: "com.b.created",
      name: "Created App 2",
      platform: "IOS",
      seedId: h.fake.state.teamId,
    });
    expect(res.body.links.self).toBe(`${h.fake.url}/v1/bundleIds`);
    expect(h.fake.state.bundleIds().filter((b) => b.identifier === "com.b.created")).toHaveLength(1);
  });

  it("refuses an identifier that exists (in any case) with Apple's message", async () => {
    await createBundle("com.b.taken");
    for (const identifier of ["com.b.taken", "COM.B.Taken"]) {
      const res = await createBundle(identifier);
      expect(res.status).toBe(409);
      expect(res.body.errors[0]).toMatchObject({
        status: "409",
        code: "ENTITY_ERROR.ATTRIBUTE.INVALID",
        detail: `An App ID with Identifier '${identifier}' is not available. Please enter a different string.`,
      });
    }
    expect(h.fake.state.bundleIds().filter((b) => b.identifier.toLowerCase() === "com.b.taken")).toHaveLength(
      1,
    );
  });

  it("refuses names with anything but letters, digits and spaces", async () => {
    const res = await createBundle("com.b.named", "My-App (beta)");
    expect(res.status).toBe(409);
    expect(res.body.errors[0].code).toBe("ENTITY_ERROR.ATTRIBUTE.INVALID");
    expect(res.body.errors[0].detail).toContain("letters, numbers and spaces");
  });

  it.each(["com.b.under_score", "com.b.sp ace", "com..b", "com.b.*.x"])(
    "refuses the identifier %j",
    async (identifier) => {
      const res = await createBundle(identifier);
      expect(res.status).toBe(409);
      expect(res.body.errors[0]).toMatchObject({ code: "ENTITY_ERROR.ATTRIBUTE.INVALID" });
    },
  );

  it("accepts a wildcard identifier", async () => {
    expect((await createBundle("com.b.*", "Wildcard")).status).toBe(201);
  });

  it("requires identifier, name and platform, and knows the platforms", async () => {
    const missing = await h.api.post(
      "/v1/bundleIds",
      entity("bundleIds", { identifier: "com.b.noplatform", name: "X" }),
    );
    expect(missing.status).toBe(409);
    expect(missing.body.errors[0]).toMatchObject({ code: "ENTITY_ERROR.ATTRIBUTE.REQUIRED" });
    const wrong = await createBundle("com.b.windows", "Windows", "WINDOWS");
    expect(wrong.status).toBe(409);
  });

  it("changes only the name on PATCH", async () => {
    const { body } = await createBundle("com.b.renamed", "Before");
    const id = body.data.id;
    const renamed = await h.api.patch(`/v1/bundleIds/${id}`, {
      data: { type: "bundleIds", id, attributes: { name: "After" } },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body.data.attributes.name).toBe("After");
    const moved = await h.api.patch(`/v1/bundleIds/${id}`, {
      data: { type: "bundleIds", id, attributes: { identifier: "com.b.elsewhere" } },
    });
    expect(moved.status).toBe(409);
    expect(h.fake.state.bundleIds().find((b) => b.id === id)?.identifier).toBe("com.b.renamed");
  });

  it("deletes a bundle ID with its capabilities and profiles", async () => {
    const bundle = h.fake.state.addBundleId({ identifier: "com.b.doomed" });
    h.fake.state.addCapability(bundle.id, "GAME_CENTER");
    const certificate = await h.fake.state.addCertificate({
      certificateType: "DISTRIBUTION",
      publicKey: rsaKeyPair().publicKey,
    });
    const profile = h.fake.state.addProfile({
      name: "doomed store",
      profileType: "IOS_APP_STORE",
      bundleIdId: bundle.id,
      certificateIds: [certificate.id],
    });
    expect((await h.api.delete(`/v1/bundleIds/${bundle.id}`)).status).toBe(204);
    expect((await h.api.get(`/v1/bundleIds/${bundle.id}`)).status).toBe(404);
    expect((await h.api.get(`/v1/profiles/${profile.id}`)).status).toBe(404);
    expect(h.fake.state.capabilities(bundle.id)).toEqual([]);
    expect((await h.api.delete(`/v1/bundleIds/${bundle.id}`)).status).toBe(404);
  });
});

describe("fake ASC: capabilities", () => {
  let bundleId: string;
  beforeAll(() => {
    bundleId = h.fake.state.addBundleId({ identifier: "com.b.capable" }).id;
  });
  const enable = (capabilityType: string, settings?: unknown, target = bundleId) =>
    h.api.post(
      "/v1/bundleIdCapabilities",
      entity(
        "bundleIdCapabilities",
        { capabilityType, ...(settings ? { settings } : {}) },
        { bundleId: one("bundleIds", target) },
      ),
    );

  it("enables a capability with id <bundleIdId>_<TYPE>, and only once", async () => {
    const res = await enable("PUSH_NOTIFICATIONS");
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({
      type: "bundleIdCapabilities",
      id: `${bundleId}_PUSH_NOTIFICATIONS`,
      attributes: { capabilityType: "PUSH_NOTIFICATIONS" },
    });
    const again = await enable("PUSH_NOTIFICATIONS");
    expect(again.status).toBe(409);
    expect(again.body.errors[0].detail).toContain("already enabled");
  });

  it("requires the settings ICLOUD, DATA_PROTECTION and APPLE_ID_AUTH need", async () => {
    for (const [type, key] of [
      ["ICLOUD", "ICLOUD_VERSION"],
      ["DATA_PROTECTION", "DATA_PROTECTION_PERMISSION_LEVEL"],
      ["APPLE_ID_AUTH", "APPLE_ID_AUTH_APP_CONSENT"],
    ] as const) {
      const res = await enable(type);
      expect(res.status).toBe(409);
      expect(res.body.errors[0].detail).toContain(key);
    }
    const icloud = await enable("ICLOUD", [
      { key: "ICLOUD_VERSION", options: [{ key: "XCODE_6", enabled: true }] },
    ]);
    expect(icloud.status).toBe(201);
    expect(icloud.body.data.attributes.settings).toEqual([
      { key: "ICLOUD_VERSION", options: [{ key: "XCODE_6", enabled: true }] },
    ]);
    const signIn = await enable("APPLE_ID_AUTH", [
      { key: "APPLE_ID_AUTH_APP_CONSENT", options: [{ key: "PRIMARY_APP_CONSENT" }] },
    ]);
    expect(signIn.status).toBe(201);
  });

  it("refuses an option key the setting does not take, and settings on a capability without any", async () => {
    const badOption = await enable("DATA_PROTECTION", [
      { key: "DATA_PROTECTION_PERMISSION_LEVEL", options: [{ key: "XCODE_5" }] },
    ]);
    expect(badOption.status).toBe(409);
    expect(badOption.body.errors[0].code).toBe("ENTITY_ERROR.ATTRIBUTE.INVALID");
    expect(badOption.body.errors[0].detail).toContain("XCODE_5");
    const extra = await enable("MAPS", [{ key: "ICLOUD_VERSION", options: [{ key: "XCODE_6" }] }]);
    expect(extra.status).toBe(409);
  });

  it("refuses an unknown bundle ID and a missing relationship", async () => {
    const unknown = await enable("MAPS", undefined, "NOSUCHBUND");
    expect(unknown.status).toBe(409);
    expect(unknown.body.errors[0]).toMatchObject({
      code: "ENTITY_ERROR",
      detail: "There is no App ID with ID 'NOSUCHBUND' on this team.",
    });
    const missing = await h.api.post(
      "/v1/bundleIdCapabilities",
      entity("bundleIdCapabilities", { capabilityType: "MAPS" }),
    );
    expect(missing.status).toBe(409);
    expect(missing.body.errors[0].code).toBe("ENTITY_ERROR.RELATIONSHIP.REQUIRED");
  });

  it("updates settings on PATCH and disables on DELETE", async () => {
    const created = await enable("DATA_PROTECTION", [
      { key: "DATA_PROTECTION_PERMISSION_LEVEL", options: [{ key: "COMPLETE_PROTECTION" }] },
    ]);
    const id = created.body.data.id;
    const patched = await h.api.patch(`/v1/bundleIdCapabilities/${id}`, {
      data: {
        type: "bundleIdCapabilities",
        id,
        attributes: {
          settings: [
            { key: "DATA_PROTECTION_PERMISSION_LEVEL", options: [{ key: "PROTECTED_UNLESS_OPEN" }] },
          ],
        },
      },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.data.attributes.settings[0].options[0].key).toBe("PROTECTED_UNLESS_OPEN");
    expect((await h.api.delete(`/v1/bundleIdCapabilities/${id}`)).status).toBe(204);
    expect(h.fake.state.capabilities(bundleId).some((c) => c.id === id)).toBe(false);
    expect((await h.api.delete(`/v1/bundleIdCapabilities/${id}`)).status).toBe(404);
  });

  it("makes the bundle ID's profiles INVALID on every capability change (and only that bundle ID's)", async () => {
    const certificate = await h.fake.state.addCertificate({
      certificateType: "DISTRIBUTION",
      publicKey: rsaKeyPair().publicKey,
    });
    const target = h.fake.state.addBundleId({ identifier: "com.b.invalidated" });
    const bystander = h.fake.state.addBundleId({ identifier: "com.b.bystander" });
    const make = (bundleIdId: string, name: string) =>
      h.fake.state.addProfile({
        name,
        profileType: "IOS_APP_STORE",
        bundleIdId,
        certificateIds: [certificate.id],
      });
    const first = make(target.id, "invalidated 1");
    const other = make(bystander.id, "bystander 1");
    expect((await enable("HEALTHKIT", undefined, target.id)).status).toBe(201);
    const state = async (id: string) =>
      (await h.api.get(`/v1/profiles/${id}`)).body.data.attributes.profileState;
    expect(await state(first.id)).toBe("INVALID");
    expect(await state(other.id)).toBe("ACTIVE");

    const second = make(target.id, "invalidated 2");
    expect(await state(second.id)).toBe("ACTIVE");
    expect((await h.api.delete(`/v1/bundleIdCapabilities/${target.id}_HEALTHKIT`)).status).toBe(204);
    expect(await state(second.id)).toBe("INVALID");
  });
});

describe("fake ASC: apps", () => {
  let bundleId: string;
  let appId: string;
  beforeAll(() => {
    bundleId = h.fake.state.addBundleId({ identifier: "com.b.shipped" }).id;
    h.fake.state.addBundleId({ identifier: "com.b.shipped.widget" });
    appId = h.fake.state.addApp({ bundleId: "com.b.shipped", name: "Shipped" }).id;
    h.fake.state.addApp({ bundleId: "com.b.other", name: "Other" });
  });

  it("filters apps by exact bundle identifiers (comma list)", async () => {
    const res = await h.api.get("/v1/apps?filter[bundleId]=com.b.shipped,com.b.nothing");
    expect(res.status).toBe(200);
    expect(res.body.data).toHaveLength(1);
    expect(res.body.data[0]).toMatchObject({
      type: "apps",
      id: appId,
      attributes: { name: "Shipped", bundleId: "com.b.shipped" },
    });
    expect((await h.api.get("/v1/apps?filter[bundleId]=com.b.ship")).body.data).toEqual([]);
  });

  it("accepts only the /v1/apps parameters it implements", async () => {
    const res = await h.api.get("/v1/apps?exists[gameCenterEnabledVersions]=true");
    expect(res.status).toBe(400);
    expect(res.body.errors[0].code).toBe("PARAMETER_ERROR.ILLEGAL");
  });

  it("links a bundle ID to its app", async () => {
    const included = await h.api.get(`/v1/bundleIds/${bundleId}?include=app`);
    expect(included.body.data.relationships.app.data).toEqual({ type: "apps", id: appId });
    expect(included.body.included).toEqual([expect.objectContaining({ type: "apps", id: appId })]);
    expect((await h.api.get(`/v1/bundleIds/${bundleId}/app`)).body.data.id).toBe(appId);
    expect((await h.api.get(`/v1/bundleIds/${bundleId}/relationships/app`)).body.data).toEqual({
      type: "apps",
      id: appId,
    });
    const widget = h.fake.state.bundleIds().find((b) => b.identifier === "com.b.shipped.widget")!;
    expect((await h.api.get(`/v1/bundleIds/${widget.id}/app`)).status).toBe(404);
  });
});
