// Profiles in the fake: Apple's creation rules (certificate types, devices, bundle ID platform, names
// held by expired profiles), profileContent as a signed plist that matches the resource, immutability,
// INVALID/expired states and zombies.
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { signToken } from "../support/fake-asc/client.ts";
import type { FakeHarness } from "../support/fake-asc/testing.ts";
import { entity, many, one, profilePlist, rsaKeyPair, useFakeAsc } from "../support/fake-asc/testing.ts";
import { hasShared, sharedPath } from "../support/shared-dir.ts";

const DAY_MS = 86_400_000;
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

interface Team {
  bundle: string;
  macBundle: string;
  universalBundle: string;
  distribution: string;
  development: string;
  macDevelopment: string;
  expired: string;
  iphone: string;
  ipad: string;
  tv: string;
  mac: string;
  disabled: string;
}

async function seedTeam(h: FakeHarness, prefix: string): Promise<Team> {
  const { state } = h.fake;
  const publicKey = rsaKeyPair().publicKey;
  const bundle = state.addBundleId({ identifier: `com.${prefix}.app`, name: `${prefix} App` });
  state.addCapability(bundle.id, "PUSH_NOTIFICATIONS");
  state.addCapability(bundle.id, "ICLOUD", [
    { key: "ICLOUD_VERSION", options: [{ key: "XCODE_6", enabled: true }] },
  ]);
  const cert = async (certificateType: string, notAfter?: Date) =>
    (await state.addCertificate({ certificateType, publicKey, ...(notAfter ? { notAfter } : {}) })).id;
  const device = (name: string, udid: string, platform: string, deviceClass: string, status?: "DISABLED") =>
    state.addDevice({ name, udid, platform, deviceClass, ...(status ? { status } : {}) }).id;
  const n = prefix.length;
  return {
    bundle: bundle.id,
    macBundle: state.addBundleId({ identifier: `com.${prefix}.mac`, platform: "MAC_OS" }).id,
    universalBundle: state.addBundleId({ identifier: `com.${prefix}.universal`, platform: "UNIVERSAL" }).id,
    distribution: await cert("DISTRIBUTION"),
    development: await cert("DEVELOPMENT"),
    macDevelopment: await cert("MAC_APP_DEVELOPMENT"),
    expired: await cert("DISTRIBUTION", new Date(Date.now() - DAY_MS)),
    iphone: device("iPhone", `00008030-0000000000000${n}01`, "IOS", "IPHONE"),
    ipad: device("iPad", `00008030-0000000000000${n}02`, "IOS", "IPAD"),
    tv: device("Apple TV", `00008030-0000000000000${n}03`, "IOS", "APPLE_TV"),
    mac: device("Mac", `00008030-0000000000000${n}04`, "MAC_OS", "MAC"),
    disabled: device("Old iPhone", `00008030-0000000000000${n}05`, "IOS", "IPHONE", "DISABLED"),
  };
}

function profileBody(
  name: string,
  profileType: string,
  bundleId: string,
  certificates: string[],
  devices?: string[],
) {
  return entity(
    "profiles",
    { name, profileType },
    {
      bundleId: one("bundleIds", bundleId),
      certificates: many("certificates", certificates),
      ...(devices ? { devices: many("devices", devices) } : {}),
    },
  );
}

describe("fake ASC: creating profiles", () => {
  const h = useFakeAsc();
  let t: Team;
  beforeAll(async () => {
    t = await seedTeam(h, "p");
  });
  const create = (name: string, type: string, bundle: string, certificates: string[], devices?: string[]) =>
    h.api.post("/v1/profiles", profileBody(name, type, bundle, certificates, devices));

  it("creates an App Store profile whose signed content matches the resource", async () => {
    const before = Date.now();
    const res = await create("P AppStore", "IOS_APP_STORE", t.bundle, [t.distribution]);
    expect(res.status).toBe(201);
    const { id, attributes, relationships } = res.body.data;
    expect(attributes).toMatchObject({
      name: "P AppStore",
      profileType: "IOS_APP_STORE",
      profileState: "ACTIVE",
      platform: "IOS",
    });
    expect(attributes.uuid).toMatch(UUID_V4);
    const certificate = h.fake.state.certificates().find((c) => c.id === t.distribution)!;
    expect(Date.parse(attributes.expirationDate)).toBe(Math.floor(certificate.expiresAt / 1000) * 1000);
    expect(Date.parse(attributes.createdDate)).toBeGreaterThanOrEqual(before - 1000);
    expect(relationships.bundleId.data).toBeUndefined();
    expect(h.fake.state.profiles().find((p) => p.id === id)).toMatchObject({
      certificateIds: [t.distribution],
      deviceIds: [],
    });

    const plist = await profilePlist(attributes.profileContent);
    const team = h.fake.state.teamId;
    expect(plist).toMatchObject({
      UUID: attributes.uuid,
      Name: "P AppStore",
      TeamIdentifier: [team],
      ApplicationIdentifierPrefix: [team],
      AppIDName: "p App",
      TeamName: "Fake Team Ltd",
    });
    expect(plist.Platform).toContain("iOS");
    expect(plist.ProvisionedDevices).toBeUndefined();
    expect(plist.ProvisionsAllDevices).toBeUndefined();
    expect((plist.ExpirationDate as Date).getTime()).toBe(Date.parse(attributes.expirationDate));
    expect((plist.CreationDate as Date).getTime()).toBe(
      Math.floor(Date.parse(attributes.createdDate) / 1000) * 1000,
    );
    expect(plist.TimeToLive).toBeTypeOf("number");
    expect((plist.DeveloperCertificates as Buffer[]).map((b) => Buffer.from(b).toString("base64"))).toEqual([
      Buffer.from(certificate.der).toString("base64"),
    ]);
    const entitlements = plist.Entitlements as Record<string, unknown>;
    expect(entitlements["application-identifier"]).toBe(`${team}.com.p.app`);
    expect(entitlements["aps-environment"]).toBe("production");
    expect(entitlements["get-task-allow"]).toBe(false);
    expect(entitlements["com.apple.developer.icloud-services"]).toBeDefined();
  });

  it("creates a development profile with its devices inside", async () => {
    const res = await create(
      "P Development",
      "IOS_APP_DEVELOPMENT",
      t.bundle,
      [t.development],
      [t.iphone, t.ipad],
    );
    expect(res.status).toBe(201);
    const plist = await profilePlist(res.body.data.attributes.profileContent);
    const udids = h.fake.state
      .devices()
      .filter((d) => d.id === t.iphone || d.id === t.ipad)
      .map((d) => d.udid);
    expect((plist.ProvisionedDevices as string[]).sort()).toEqual(udids.sort());
    const entitlements = plist.Entitlements as Record<string, unknown>;
    expect(entitlements["get-task-allow"]).toBe(true);
    expect(entitlements["aps-environment"]).toBe("development");
  });

  it("creates Mac profiles on MAC_OS and UNIVERSAL bundle IDs, with the Mac's platform", async () => {
    const mac = await create("P Mac Dev", "MAC_APP_DEVELOPMENT", t.macBundle, [t.macDevelopment], [t.mac]);
    expect(mac.status).toBe(201);
    expect(mac.body.data.attributes.platform).toBe("MAC_OS");
    expect((await profilePlist(mac.body.data.attributes.profileContent)).Platform).toEqual(["OSX"]);
    const catalyst = await create(
      "P Catalyst Dev",
      "MAC_CATALYST_APP_DEVELOPMENT",
      t.universalBundle,
      [t.development],
      [t.mac],
    );
    expect(catalyst.status).toBe(201);
  });

  const refusals: [
    string,
    () => Promise<{ status: number; body: { errors: { code: string; detail: string }[] } }>,
    string,
    string,
  ][] = [
    [
      "an unknown bundle ID",
      () => create("R1", "IOS_APP_STORE", "NOSUCHAPP0", [t.distribution]),
      "ENTITY_ERROR",
      "There is no App ID with ID 'NOSUCHAPP0' on this team.",
    ],
    [
      "a development certificate in an App Store profile",
      () => create("R2", "IOS_APP_STORE", t.bundle, [t.development]),
      "ENTITY_ERROR.RELATIONSHIP.INVALID",
      "DEVELOPMENT",
    ],
    [
      "a Mac certificate in an iOS profile",
      () => create("R3", "IOS_APP_DEVELOPMENT", t.bundle, [t.macDevelopment], [t.iphone]),
      "ENTITY_ERROR.RELATIONSHIP.INVALID",
      "MAC_APP_DEVELOPMENT",
    ],
    [
      "an expired certificate",
      () => create("R4", "IOS_APP_STORE", t.bundle, [t.expired]),
      "ENTITY_ERROR.RELATIONSHIP.INVALID",
      "expired",
    ],
    [
      "an unknown certificate",
      () => create("R5", "IOS_APP_STORE", t.bundle, ["NOSUCHCERT"]),
      "ENTITY_ERROR.RELATIONSHIP.INVALID",
      "NOSUCHCERT",
    ],
    [
      "no certificates",
      () => create("R6", "IOS_APP_STORE", t.bundle, []),
      "ENTITY_ERROR.RELATIONSHIP.REQUIRED",
      "certificates",
    ],
    [
      "a development profile without devices",
      () => create("R7", "IOS_APP_DEVELOPMENT", t.bundle, [t.development]),
      "ENTITY_ERROR.RELATIONSHIP.INVALID",
      "at least one enabled device",
    ],
    [
      "an ad hoc profile with a disabled device",
      () => create("R8", "IOS_APP_ADHOC", t.bundle, [t.distribution], [t.disabled]),
      "ENTITY_ERROR.RELATIONSHIP.INVALID",
      "disabled",
    ],
    [
      "an Apple TV in an iOS profile",
      () => create("R9", "IOS_APP_DEVELOPMENT", t.bundle, [t.development], [t.tv]),
      "ENTITY_ERROR.RELATIONSHIP.INVALID",
      "APPLE_TV",
    ],
    [
      "devices in an App Store profile",
      () => create("R10", "IOS_APP_STORE", t.bundle, [t.distribution], [t.iphone]),
      "ENTITY_ERROR.RELATIONSHIP.INVALID",
      "do not take devices",
    ],
    [
      "a Mac profile for an iOS bundle ID",
      () => create("R11", "MAC_APP_STORE", t.bundle, [t.distribution]),
      "ENTITY_ERROR.RELATIONSHIP.INVALID",
      "platform IOS",
    ],
    [
      "an iOS profile for a macOS bundle ID",
      () => create("R12", "IOS_APP_STORE", t.macBundle, [t.distribution]),
      "ENTITY_ERROR.RELATIONSHIP.INVALID",
      "platform MAC_OS",
    ],
    [
      "an in-house profile outside the Enterprise Program",
      () => create("R13", "IOS_APP_INHOUSE", t.bundle, [t.distribution]),
      "ENTITY_ERROR.ATTRIBUTE.INVALID",
      "Enterprise",
    ],
    [
      "an unknown profile type",
      () => create("R14", "WATCH_APP_STORE", t.bundle, [t.distribution]),
      "ENTITY_ERROR.ATTRIBUTE.INVALID",
      "WATCH_APP_STORE",
    ],
  ];
  it.each(refusals)("refuses %s with 409", async (_what, call, code, detail) => {
    const before = h.fake.state.profiles().length;
    const res = await call();
    expect(res.status).toBe(409);
    expect(res.body.errors[0]?.code).toBe(code);
    expect(res.body.errors[0]?.detail).toContain(detail);
    expect(h.fake.state.profiles()).toHaveLength(before);
  });

  it("shapes the unknown-bundle-ID 409 like Apple's", async () => {
    const res = await create("R15", "IOS_APP_STORE", "NOSUCHAPP1", [t.distribution]);
    const {
      id: _id,
      detail: _detail,
      ...expected
    } = hasShared
      ? JSON.parse(
          readFileSync(sharedPath("asc", "fixtures", "error-409-profile-create-unknown-app-id.json"), "utf8"),
        ).errors[0]
      : { status: "409", code: "ENTITY_ERROR", title: "There is a problem with the request entity" };
    expect(res.body.errors[0]).toMatchObject(expected);
  });

  it("refuses a name any profile holds, expired and invalid ones included, until it is deleted", async () => {
    const clash =
      "Multiple profiles found with the name 'P Clash'. Please remove the duplicate profiles and try again.";
    expect((await create("P Clash", "IOS_APP_STORE", t.bundle, [t.distribution])).status).toBe(201);
    const again = await create("P Clash", "IOS_APP_STORE", t.bundle, [t.distribution]);
    expect(again.status).toBe(409);
    expect(again.body.errors[0]).toMatchObject({ code: "ENTITY_ERROR.ATTRIBUTE.INVALID", detail: clash });

    const old = h.fake.state.addProfile({
      name: "P Expired",
      profileType: "IOS_APP_STORE",
      bundleIdId: t.bundle,
      certificateIds: [t.distribution],
    });
    h.fake.state.expireProfile(old.id);
    const blocked = await create("P Expired", "IOS_APP_STORE", t.bundle, [t.distribution]);
    expect(blocked.status).toBe(409);
    expect(blocked.body.errors[0].detail).toContain("Multiple profiles found with the name 'P Expired'");
    expect((await h.api.delete(`/v1/profiles/${old.id}`)).status).toBe(204);
    expect((await create("P Expired", "IOS_APP_STORE", t.bundle, [t.distribution])).status).toBe(201);

    h.fake.state.addProfile({
      name: "P Invalid",
      profileType: "IOS_APP_STORE",
      bundleIdId: t.bundle,
      certificateIds: [t.distribution],
      state: "INVALID",
    });
    expect((await create("P Invalid", "IOS_APP_STORE", t.bundle, [t.distribution])).status).toBe(409);
  });

  it("is immutable: PATCH answers 405, DELETE removes it", async () => {
    const { body } = await create("P Immutable", "IOS_APP_STORE", t.bundle, [t.distribution]);
    const id = body.data.id;
    const patch = await h.api.patch(`/v1/profiles/${id}`, {
      data: { type: "profiles", id, attributes: { name: "Renamed" } },
    });
    expect(patch.status).toBe(405);
    expect(patch.body.errors[0]).toMatchObject({ status: "405", code: "METHOD_NOT_ALLOWED" });
    expect((await h.api.delete(`/v1/profiles/${id}`)).status).toBe(204);
    expect((await h.api.get(`/v1/profiles/${id}`)).status).toBe(404);
    expect((await h.api.delete(`/v1/profiles/${id}`)).status).toBe(404);
    expect(h.fake.state.profileState(id)).toBeUndefined();
  });
});

describe("fake ASC: reading profiles", () => {
  const h = useFakeAsc();
  let t: Team;
  let devProfile: string;
  beforeAll(async () => {
    t = await seedTeam(h, "r");
    devProfile = h.fake.state.addProfile({
      name: "R Team Development",
      profileType: "IOS_APP_DEVELOPMENT",
      bundleIdId: t.bundle,
      certificateIds: [t.development],
      deviceIds: [t.iphone, t.ipad],
    }).id;
    h.fake.state.addProfile({
      name: "R Team AppStore",
      profileType: "IOS_APP_STORE",
      bundleIdId: t.bundle,
      certificateIds: [t.distribution],
    });
    h.fake.state.addProfile({
      name: "R Broken AppStore",
      profileType: "IOS_APP_STORE",
      bundleIdId: t.bundle,
      certificateIds: [t.distribution],
      state: "INVALID",
    });
  });
  const names = (res: { body: { data: { attributes: { name: string } }[] } }) =>
    res.body.data.map((p) => p.attributes.name).sort();

  it("matches filter[name] as a case-insensitive substring, so clients must compare names themselves", async () => {
    expect(names(await h.api.get("/v1/profiles?filter[name]=r team"))).toEqual([
      "R Team AppStore",
      "R Team Development",
    ]);
  });

  it("filters by state and type", async () => {
    expect(names(await h.api.get("/v1/profiles?filter[profileState]=INVALID"))).toEqual([
      "R Broken AppStore",
    ]);
    expect(names(await h.api.get("/v1/profiles?filter[profileType]=IOS_APP_DEVELOPMENT"))).toEqual([
      "R Team Development",
    ]);
  });

  it("includes the bundle ID, certificates and devices, capped by limit[devices]", async () => {
    const res = await h.api.get(
      `/v1/profiles/${devProfile}?include=bundleId,certificates,devices&limit[devices]=1`,
    );
    const { relationships } = res.body.data;
    expect(relationships.bundleId.data).toEqual({ type: "bundleIds", id: t.bundle });
    expect(relationships.certificates.data).toEqual([{ type: "certificates", id: t.development }]);
    expect(relationships.devices.data).toEqual([{ type: "devices", id: t.iphone }]);
    expect(relationships.devices.meta.paging).toEqual({ total: 2, limit: 1 });
    const included = res.body.included.map((r: { type: string; id: string }) => `${r.type}/${r.id}`).sort();
    expect(included).toEqual(
      [`bundleIds/${t.bundle}`, `certificates/${t.development}`, `devices/${t.iphone}`].sort(),
    );
    const tooMany = await h.api.get(`/v1/profiles/${devProfile}?include=devices&limit[devices]=51`);
    expect(tooMany.status).toBe(400);
  });

  it("answers the relationship endpoints", async () => {
    expect((await h.api.get(`/v1/profiles/${devProfile}/bundleId`)).body.data.id).toBe(t.bundle);
    expect((await h.api.get(`/v1/profiles/${devProfile}/relationships/bundleId`)).body.data).toEqual({
      type: "bundleIds",
      id: t.bundle,
    });
    const devices = await h.api.get(`/v1/profiles/${devProfile}/devices?fields[devices]=udid`);
    expect(devices.body.data.map((d: { id: string }) => d.id)).toEqual([t.iphone, t.ipad]);
    const linkages = await h.api.get(`/v1/profiles/${devProfile}/relationships/devices?limit=1`);
    expect(linkages.body.data).toEqual([{ type: "devices", id: t.iphone }]);
    expect(linkages.body.links.next).toBeTruthy();
    const certificates = await h.api.get(`/v1/profiles/${devProfile}/certificates`);
    expect(certificates.body.data.map((c: { id: string }) => c.id)).toEqual([t.development]);
    expect(
      (await h.api.get(`/v1/profiles/${devProfile}/relationships/certificates`)).body.meta.paging.total,
    ).toBe(1);
  });

  it("reports an expired profile as INVALID by default", async () => {
    const profile = h.fake.state.addProfile({
      name: "R Soon Gone",
      profileType: "IOS_APP_STORE",
      bundleIdId: t.bundle,
      certificateIds: [t.distribution],
    });
    h.fake.state.expireProfile(profile.id);
    const res = await h.api.get(`/v1/profiles/${profile.id}`);
    expect(res.body.data.attributes.profileState).toBe("INVALID");
    expect(Date.parse(res.body.data.attributes.expirationDate)).toBeLessThan(Date.now());
    const plist = await profilePlist(res.body.data.attributes.profileContent);
    expect((plist.ExpirationDate as Date).getTime()).toBeLessThan(Date.now());
  });

  it("lists zombies in the bundle ID's profiles relationship but answers 404 for them", async () => {
    const zombie = h.fake.state.addZombieProfile(t.bundle, "R Zombie");
    const bundle = await h.api.get(`/v1/bundleIds/${t.bundle}?include=profiles&limit[profiles]=50`);
    expect(bundle.body.data.relationships.profiles.data).toContainEqual({ type: "profiles", id: zombie.id });
    expect(bundle.body.included.map((p: { id: string }) => p.id)).toContain(zombie.id);
    const linkages = await h.api.get(`/v1/bundleIds/${t.bundle}/relationships/profiles?limit=200`);
    expect(linkages.body.data).toContainEqual({ type: "profiles", id: zombie.id });
    expect((await h.api.get("/v1/profiles?filter[name]=R Zombie")).body.data).toEqual([]);
    expect((await h.api.get(`/v1/profiles/${zombie.id}`)).status).toBe(404);
    expect((await h.api.delete(`/v1/profiles/${zombie.id}`)).status).toBe(404);
    expect(h.fake.state.profiles().find((p) => p.id === zombie.id)?.zombie).toBe(true);
  });
});

describe("fake ASC: EXPIRED instead of INVALID, when asked", () => {
  const h = useFakeAsc({ expiredProfileState: "EXPIRED" });

  it("reports expired profiles as EXPIRED (seen in practice, not in the spec)", async () => {
    const bundle = h.fake.state.addBundleId({ identifier: "com.e.app" });
    const certificate = await h.fake.state.addCertificate({
      certificateType: "DISTRIBUTION",
      publicKey: rsaKeyPair().publicKey,
    });
    const profile = h.fake.state.addProfile({
      name: "E",
      profileType: "IOS_APP_STORE",
      bundleIdId: bundle.id,
      certificateIds: [certificate.id],
    });
    h.fake.state.expireProfile(profile.id);
    const res = await h.api.get(`/v1/profiles/${profile.id}?fields[profiles]=profileState`);
    expect(res.body.data.attributes).toEqual({ profileState: "EXPIRED" });
    expect(h.fake.state.profileState(profile.id)).toBe("EXPIRED");
  });
});

describe("fake ASC: profiles that provision all devices", () => {
  const h = useFakeAsc({ enterprise: true });

  it("makes in-house profiles on an Enterprise team, and Developer ID ones, with ProvisionsAllDevices", async () => {
    const token = await signToken(h.fake.apiKey, { audience: "apple-developer-enterprise-v1" });
    const publicKey = rsaKeyPair().publicKey;
    const bundle = h.fake.state.addBundleId({ identifier: "com.ent.app" });
    const macBundle = h.fake.state.addBundleId({ identifier: "com.ent.mac", platform: "MAC_OS" });
    const inHouse = await h.fake.state.addCertificate({ certificateType: "IOS_DISTRIBUTION", publicKey });
    const developerId = await h.fake.state.addCertificate({
      certificateType: "DEVELOPER_ID_APPLICATION_G2",
      publicKey,
    });
    const post = (name: string, type: string, bundleId: string, certificate: string) =>
      h.api.request("POST", "/v1/profiles", {
        body: profileBody(name, type, bundleId, [certificate]),
        token,
      });

    const ios = await post("Ent InHouse", "IOS_APP_INHOUSE", bundle.id, inHouse.id);
    expect(ios.status).toBe(201);
    expect((await profilePlist(ios.body.data.attributes.profileContent)).ProvisionsAllDevices).toBe(true);
    const direct = await post("Ent Direct", "MAC_APP_DIRECT", macBundle.id, developerId.id);
    expect(direct.status).toBe(201);
    expect((await profilePlist(direct.body.data.attributes.profileContent)).ProvisionsAllDevices).toBe(true);
    const store = await post("Ent Store", "IOS_APP_STORE", bundle.id, inHouse.id);
    expect(store.status).toBe(409);
  });
});
