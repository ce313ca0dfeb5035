// The fake's JSON:API surface: strict query parameters, substring and comma-list filters, include caps,
// relationship data, sparse fieldsets, cursor pagination, and Apple-shaped 4xx answers.
import { beforeAll, describe, expect, it } from "vitest";
import type { FakeResponse } from "../support/fake-asc/client.ts";
import { entity, rsaKeyPair, useFakeAsc } from "../support/fake-asc/testing.ts";

const h = useFakeAsc();

describe("fake ASC: filters", () => {
  beforeAll(() => {
    for (const identifier of ["com.q.app", "com.q.app.widget", "com.q.other", "com.z.thing"]) {
      h.fake.state.addBundleId({ identifier });
    }
  });

  it("matches filter[identifier] as a substring, as Apple does", async () => {
    const res = await h.api.get("/v1/bundleIds?filter[identifier]=com.q.app");
    expect(res.status).toBe(200);
    const identifiers = res.body.data.map(
      (b: { attributes: { identifier: string } }) => b.attributes.identifier,
    );
    expect(identifiers.sort()).toEqual(["com.q.app", "com.q.app.widget"]);
  });

  it("takes a comma list in one filter (OR) and combines filters (AND)", async () => {
    const res = await h.api.get(
      "/v1/bundleIds?filter[identifier]=com.q.other,com.z.thing&filter[platform]=IOS",
    );
    const identifiers = res.body.data.map(
      (b: { attributes: { identifier: string } }) => b.attributes.identifier,
    );
    expect(identifiers.sort()).toEqual(["com.q.other", "com.z.thing"]);
    const none = await h.api.get("/v1/bundleIds?filter[identifier]=com.q.other&filter[platform]=MAC_OS");
    expect(none.body.data).toEqual([]);
  });

  it("puts links.self on the document and on every resource, meta.paging on lists", async () => {
    const res = await h.api.get("/v1/bundleIds?filter[identifier]=com.z.thing");
    expect(res.body.links.self).toBe(`${h.fake.url}/v1/bundleIds?filter%5Bidentifier%5D=com.z.thing`);
    expect(res.body.meta.paging).toEqual({ total: 1, limit: 20 });
    const [bundle] = res.body.data;
    expect(bundle.links.self).toBe(`${h.fake.url}/v1/bundleIds/${bundle.id}`);
    expect(bundle.attributes.seedId).toBe(h.fake.state.teamId);
  });
});

describe("fake ASC: strict parameters", () => {
  const cases: [string, string, string, string][] = [
    ["limit above 200", "/v1/bundleIds?limit=201", "PARAMETER_ERROR.INVALID", "limit"],
    ["limit of 0", "/v1/devices?limit=0", "PARAMETER_ERROR.INVALID", "limit"],
    [
      "an include limit above 50",
      "/v1/bundleIds?include=profiles&limit[profiles]=51",
      "PARAMETER_ERROR.INVALID",
      "limit[profiles]",
    ],
    ["an undeclared parameter", "/v1/bundleIds?foo=1", "PARAMETER_ERROR.ILLEGAL", "foo"],
    [
      "an undeclared filter",
      "/v1/profiles?filter[bundleId]=X",
      "PARAMETER_ERROR.ILLEGAL",
      "filter[bundleId]",
    ],
    [
      "an include limit of another endpoint",
      "/v1/bundleIds?limit[devices]=5",
      "PARAMETER_ERROR.ILLEGAL",
      "limit[devices]",
    ],
    ["limit on a single resource", "/v1/certificates/ABC?limit=5", "PARAMETER_ERROR.ILLEGAL", "limit"],
    [
      "an unknown field",
      "/v1/bundleIds?fields[bundleIds]=name,colour",
      "PARAMETER_ERROR.INVALID",
      "fields[bundleIds]",
    ],
    [
      "fields of a type the endpoint does not return",
      "/v1/devices?fields[profiles]=name",
      "PARAMETER_ERROR.ILLEGAL",
      "fields[profiles]",
    ],
    ["an unknown include", "/v1/profiles?include=app", "PARAMETER_ERROR.INVALID", "include"],
    [
      "an unknown enum value",
      "/v1/bundleIds?filter[platform]=WINDOWS",
      "PARAMETER_ERROR.INVALID",
      "filter[platform]",
    ],
    ["an unknown sort", "/v1/devices?sort=colour", "PARAMETER_ERROR.INVALID", "sort"],
    ["an empty filter value", "/v1/devices?filter[udid]=", "PARAMETER_ERROR.INVALID", "filter[udid]"],
    ["a forged cursor", "/v1/devices?cursor=not-a-cursor", "PARAMETER_ERROR.INVALID", "cursor"],
  ];
  it.each(cases)("answers 400 for %s", async (what, path, code, parameter) => {
    const res = await h.api.get(path);
    expect(res.status).toBe(400);
    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors[0]).toMatchObject({ status: "400", code, source: { parameter } });
    // A filter value is refused in Apple's words, which name the value and the allowed ones instead
    // (codemagic-ci-cd/cli-tools#467, fastlane/fastlane#29497).
    expect(res.body.errors[0].detail).toContain(
      what === "an unknown enum value"
        ? "'WINDOWS' is not a valid filter value. Expected one of: IOS, MAC_OS, UNIVERSAL"
        : parameter,
    );
  });

  it("rejects limit on a bundle ID's capabilities (Apple does, though the spec declares it) and lists them whole", async () => {
    const bundle = h.fake.state.addBundleId({ identifier: "com.q.caps" });
    for (const type of ["PUSH_NOTIFICATIONS", "GAME_CENTER", "MAPS"])
      h.fake.state.addCapability(bundle.id, type);
    const limited = await h.api.get(`/v1/bundleIds/${bundle.id}/bundleIdCapabilities?limit=2`);
    expect(limited.status).toBe(400);
    expect(limited.body.errors[0].code).toBe("PARAMETER_ERROR.ILLEGAL");
    const whole = await h.api.get(`/v1/bundleIds/${bundle.id}/bundleIdCapabilities`);
    expect(whole.body.data.map((c: { id: string }) => c.id).sort()).toEqual(
      [`${bundle.id}_GAME_CENTER`, `${bundle.id}_MAPS`, `${bundle.id}_PUSH_NOTIFICATIONS`].sort(),
    );
    expect(whole.body.links.next).toBeUndefined();
  });
});

describe("fake ASC: includes and relationships", () => {
  let bundleId: string;
  beforeAll(async () => {
    const bundle = h.fake.state.addBundleId({ identifier: "com.q.many" });
    bundleId = bundle.id;
    h.fake.state.addCapability(bundle.id, "PUSH_NOTIFICATIONS");
    const certificate = await h.fake.state.addCertificate({
      certificateType: "DISTRIBUTION",
      publicKey: rsaKeyPair().publicKey,
    });
    for (let i = 0; i < 12; i++) {
      h.fake.state.addProfile({
        name: `many ${i}`,
        profileType: "IOS_APP_STORE",
        bundleIdId: bundle.id,
        certificateIds: [certificate.id],
      });
    }
  });

  it("caps an included to-many relationship at 10 without limit[x], and says the real total", async () => {
    const res = await h.api.get(`/v1/bundleIds/${bundleId}?include=profiles`);
    const profiles = res.body.data.relationships.profiles;
    expect(profiles.data).toHaveLength(10);
    expect(profiles.meta.paging).toEqual({ total: 12, limit: 10 });
    expect(res.body.included).toHaveLength(10);
    expect(res.body.included.every((r: { type: string }) => r.type === "profiles")).toBe(true);
    expect(profiles.links.related).toBe(`${h.fake.url}/v1/bundleIds/${bundleId}/profiles`);
  });

  it("honours limit[x] and gives relationship data only for included relationships", async () => {
    const res = await h.api.get(`/v1/bundleIds/${bundleId}?include=profiles&limit[profiles]=3`);
    expect(res.body.data.relationships.profiles.data).toHaveLength(3);
    expect(res.body.data.relationships.profiles.meta.paging).toEqual({ total: 12, limit: 3 });
    // Not included: links and Apple's placeholder paging, no data.
    const capabilities = res.body.data.relationships.bundleIdCapabilities;
    expect(capabilities.data).toBeUndefined();
    expect(capabilities.meta.paging).toEqual({ total: 0, limit: 2147483647 });
    const plain = await h.api.get(`/v1/bundleIds/${bundleId}`);
    expect(plain.body.data.relationships.profiles.data).toBeUndefined();
    expect(plain.body.included).toBeUndefined();
  });

  it("pages a relationship endpoint through links.next", async () => {
    const first = await h.api.get(`/v1/bundleIds/${bundleId}/relationships/profiles?limit=5`);
    expect(first.body.data).toHaveLength(5);
    expect(first.body.meta.paging).toEqual({ total: 12, limit: 5 });
    const second = await h.api.get(first.body.links.next);
    const third = await h.api.get(second.body.links.next);
    expect(third.body.data).toHaveLength(2);
    expect(third.body.links.next).toBeUndefined();
    const ids = [...first.body.data, ...second.body.data, ...third.body.data].map(
      (l: { id: string }) => l.id,
    );
    expect(new Set(ids).size).toBe(12);
  });

  it("honours sparse fieldsets on primary and included resources", async () => {
    const res = await h.api.get(
      `/v1/bundleIds/${bundleId}?include=profiles&fields[bundleIds]=identifier,profiles&fields[profiles]=name&limit[profiles]=2`,
    );
    expect(Object.keys(res.body.data.attributes)).toEqual(["identifier"]);
    expect(Object.keys(res.body.data.relationships)).toEqual(["profiles"]);
    for (const profile of res.body.included) {
      expect(Object.keys(profile.attributes)).toEqual(["name"]);
      expect(profile.relationships).toBeUndefined();
    }
  });
});

describe("fake ASC: cursor pagination", () => {
  beforeAll(() => {
    for (let i = 0; i < 45; i++) {
      h.fake.state.addDevice({
        name: `Pager ${i}`,
        udid: `00008101-${(0xa0000 + i).toString(16).toUpperCase().padStart(16, "0")}`,
        platform: "IOS",
      });
    }
  });

  it("follows links.next to the end; every page keeps the filters and says the total", async () => {
    const seen: string[] = [];
    let url: string | undefined = "/v1/devices?filter[status]=ENABLED&filter[platform]=IOS&limit=20";
    let pages = 0;
    while (url) {
      const res: FakeResponse = await h.api.get(url);
      expect(res.status).toBe(200);
      expect(res.body.meta.paging).toEqual({ total: 45, limit: 20 });
      seen.push(...res.body.data.map((d: { id: string }) => d.id));
      url = res.body.links.next;
      if (url) expect(url).toContain("filter%5Bstatus%5D=ENABLED");
      pages += 1;
    }
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(45);
  });

  it("uses a page of 20 when limit is absent", async () => {
    const res = await h.api.get("/v1/devices?filter[platform]=IOS");
    expect(res.body.data).toHaveLength(20);
    expect(res.body.links.next).toContain("limit=20");
  });

  it("returns only the requested fields", async () => {
    const res = await h.api.get("/v1/devices?fields[devices]=udid,status&limit=3");
    for (const device of res.body.data)
      expect(Object.keys(device.attributes).sort()).toEqual(["status", "udid"]);
  });

  it("sorts", async () => {
    const res = await h.api.get("/v1/devices?sort=-name&limit=200");
    const names = res.body.data.map((d: { attributes: { name: string } }) => d.attributes.name);
    expect(names).toEqual([...names].sort().reverse());
  });
});

describe("fake ASC: errors for paths, methods and bodies", () => {
  it("answers 404 NOT_FOUND for an unknown path and for an unknown id", async () => {
    const path = await h.api.get("/v1/nothingHere");
    expect(path.status).toBe(404);
    expect(path.body.errors[0]).toMatchObject({ status: "404", code: "NOT_FOUND" });
    const id = await h.api.get("/v1/bundleIds/NOPE000000");
    expect(id.status).toBe(404);
    expect(id.body.errors[0].detail).toBe("There is no resource of type 'bundleIds' with id 'NOPE000000'");
  });

  it("answers 405 for a method the path does not have (devices cannot be deleted)", async () => {
    const device = h.fake.state.addDevice({ name: "Undeletable", udid: "a".repeat(40), platform: "IOS" });
    const res = await h.api.delete(`/v1/devices/${device.id}`);
    expect(res.status).toBe(405);
    expect(res.body.errors[0].code).toBe("METHOD_NOT_ALLOWED");
  });

  it("answers 400 for a body that is not JSON and 409 for the wrong data.type", async () => {
    const bad = await h.api.request("POST", "/v1/bundleIds", { body: "{not json" });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].code).toBe("PARAMETER_ERROR.INVALID");
    const wrongType = await h.api.post(
      "/v1/bundleIds",
      entity("devices", { identifier: "com.q.typed", name: "Typed", platform: "IOS" }),
    );
    expect(wrongType.status).toBe(409);
    expect(wrongType.body.errors[0]).toMatchObject({
      code: "ENTITY_ERROR",
      source: { pointer: "/data/type" },
    });
    expect(h.fake.state.bundleIds().some((b) => b.identifier === "com.q.typed")).toBe(false);
  });
});
