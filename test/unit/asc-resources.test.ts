// The resource modules: the requests they send (checked against Apple's spec) and what they make of
// the answers.
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { createBundleId, findBundleIds } from "../../src/core/asc/bundle-ids.ts";
import {
  disableCapability,
  enableCapability,
  fromAppleSettings,
  toAppleSettings,
  updateCapability,
} from "../../src/core/asc/capabilities.ts";
import { createCertificate, listCertificates } from "../../src/core/asc/certificates.ts";
import { listDevices, registerDevice, setDeviceStatus } from "../../src/core/asc/devices.ts";
import { createProfile, deleteProfile, findProfilesByName, getProfile } from "../../src/core/asc/profiles.ts";
import {
  ascError,
  assertNoSecretsLeaked,
  type Handler,
  type Harness,
  makeClient,
  type RecordedRequest,
  type Reply,
  specViolations,
  startServer,
  type TestServer,
} from "../support/asc-test-kit.ts";
import { hasShared } from "../support/shared-dir.ts";

let server: TestServer | undefined;
let harness: Harness | undefined;

async function serve(routes: Record<string, Handler>): Promise<Harness> {
  server = await startServer((req, i) => {
    const route = routes[`${req.method} ${req.pathname}`];
    return route
      ? route(req, i)
      : { status: 404, body: { errors: [{ status: "404", code: "NOT_FOUND", title: "no route" }] } };
  });
  harness = makeClient(server.url);
  return harness;
}

afterEach(async () => {
  // Every request the modules built must be one Apple's spec declares, with declared parameters only.
  if (hasShared) for (const request of server?.requests ?? []) expect(specViolations(request)).toEqual([]);
  await harness?.close();
  await server?.close();
  harness = undefined;
  server = undefined;
});
afterAll(() => assertNoSecretsLeaked());

const only = (): RecordedRequest => {
  expect(server!.requests).toHaveLength(1);
  return server!.requests[0]!;
};
const body = (r: RecordedRequest): unknown => JSON.parse(r.body);
const created = (data: unknown): Reply => ({ status: 201, body: { data } });

const bundle = (id: string, identifier: string, capabilityIds: string[], appId?: string) => ({
  type: "bundleIds",
  id,
  attributes: { identifier, name: identifier.replaceAll(".", " "), platform: "IOS", seedId: "TEAM123456" },
  relationships: {
    bundleIdCapabilities: { data: capabilityIds.map((c) => ({ type: "bundleIdCapabilities", id: c })) },
    app: { data: appId ? { type: "apps", id: appId } : null },
  },
});
const capability = (id: string, capabilityType: string) => ({
  type: "bundleIdCapabilities",
  id,
  attributes: { capabilityType, settings: null },
});

describe.skipIf(!hasShared)("the spec check", () => {
  const recorded = (method: string, url: string, requestBody = ""): RecordedRequest => {
    const [pathname = "", rawQuery = ""] = url.split("?");
    return {
      method,
      url,
      pathname,
      rawQuery,
      query: new URLSearchParams(rawQuery),
      headers: {},
      body: requestBody,
    };
  };
  it("rejects undeclared parameters, limits over the maximum, unknown enum values and bad bodies", () => {
    expect(specViolations(recorded("GET", "/v1/profiles?include=bundleId&limit=200"))).toEqual([]);
    expect(specViolations(recorded("GET", "/v1/profiles?filter[identifier]=x"))).toHaveLength(1);
    expect(specViolations(recorded("GET", "/v1/bundleIds?limit[bundleIdCapabilities]=51"))).toHaveLength(1);
    expect(specViolations(recorded("GET", "/v1/certificates?filter[certificateType]=NOPE"))).toHaveLength(1);
    expect(
      specViolations(recorded("POST", "/v1/devices", JSON.stringify({ data: { type: "devices" } }))),
    ).not.toEqual([]);
  });
});

describe("bundle IDs", () => {
  it("finds many identifiers in one request and keeps exact, case-sensitive matches only", async () => {
    const h = await serve({
      "GET /v1/bundleIds": () => ({
        body: {
          data: [
            bundle("B1", "com.a.app", ["B1_PUSH"], "A1"),
            bundle("B2", "com.a.app.widget", ["B2_GC"]),
            bundle("B3", "COM.A.APP", []),
            bundle("B4", "com.b.app", []),
          ],
          included: [
            capability("B1_PUSH", "PUSH_NOTIFICATIONS"),
            capability("B2_GC", "GAME_CENTER"),
            { type: "apps", id: "A1", attributes: { bundleId: "com.a.app", name: "A" } },
          ],
          links: { self: "x" },
          meta: { paging: { total: 4, limit: 200 } },
        },
      }),
    });
    const found = await findBundleIds(h.client, ["com.a.app", "com.b.app", "com.c.app", "com.a.app"]);
    expect(only().url).toBe(
      "/v1/bundleIds?filter[identifier]=com.a.app,com.b.app,com.c.app&include=bundleIdCapabilities,app&limit=200&limit[bundleIdCapabilities]=50",
    );
    expect([...found.keys()]).toEqual(["com.a.app", "com.b.app"]);
    const a = found.get("com.a.app")!;
    expect(a.resource.id).toBe("B1");
    expect(a.capabilities.map((c) => c.attributes?.capabilityType)).toEqual(["PUSH_NOTIFICATIONS"]);
    expect(a.app?.id).toBe("A1");
    expect(found.get("com.b.app")).toMatchObject({ capabilities: [], app: undefined });
  });

  it("reads every capability of a bundle whose included list hit the cap of 50", async () => {
    const fifty = Array.from({ length: 50 }, (_, i) => `C${i}`);
    const h = await serve({
      "GET /v1/bundleIds": () => ({
        body: { data: [bundle("B1", "com.a.app", fifty)], included: fifty.map((c) => capability(c, "MAPS")) },
      }),
      "GET /v1/bundleIds/B1/bundleIdCapabilities": (req) =>
        req.query.get("cursor")
          ? { body: { data: [capability("C50", "HEALTHKIT")] } }
          : {
              body: {
                data: fifty.map((c) => capability(c, "MAPS")),
                links: { next: `${server!.url}/v1/bundleIds/B1/bundleIdCapabilities?cursor=2` },
              },
            },
    });
    const found = await findBundleIds(h.client, ["com.a.app"]);
    expect(found.get("com.a.app")!.capabilities).toHaveLength(51);
    expect(server!.requests.map((r) => r.url)).toEqual([
      expect.stringMatching(/^\/v1\/bundleIds\?/),
      // No `limit`: Apple refuses it on this relationship (pathorsAI/parley#263); links.next is followed.
      "/v1/bundleIds/B1/bundleIdCapabilities",
      "/v1/bundleIds/B1/bundleIdCapabilities?cursor=2",
    ]);
  });

  it("sends nothing for no identifiers", async () => {
    const h = await serve({});
    expect((await findBundleIds(h.client, [])).size).toBe(0);
    expect(server!.requests).toHaveLength(0);
  });

  it("creates a bundle ID", async () => {
    const h = await serve({ "POST /v1/bundleIds": () => created(bundle("B9", "com.n.app", [])) });
    const resource = await createBundleId(h.client, {
      identifier: "com.n.app",
      name: "N App",
      platform: "IOS",
    });
    expect(resource.id).toBe("B9");
    expect(body(only())).toEqual({
      data: { type: "bundleIds", attributes: { identifier: "com.n.app", name: "N App", platform: "IOS" } },
    });
  });
});

describe("capabilities", () => {
  it("translates settings both ways", () => {
    const apple = toAppleSettings({
      ICLOUD_VERSION: "XCODE_6",
      DATA_PROTECTION_PERMISSION_LEVEL: "COMPLETE_PROTECTION",
    });
    expect(apple).toEqual([
      { key: "ICLOUD_VERSION", options: [{ key: "XCODE_6", enabled: true }] },
      { key: "DATA_PROTECTION_PERMISSION_LEVEL", options: [{ key: "COMPLETE_PROTECTION", enabled: true }] },
    ]);
    expect(fromAppleSettings(apple)).toEqual({
      ICLOUD_VERSION: "XCODE_6",
      DATA_PROTECTION_PERMISSION_LEVEL: "COMPLETE_PROTECTION",
    });
    expect(
      fromAppleSettings([
        {
          key: "ICLOUD_VERSION",
          options: [
            { key: "XCODE_5", enabled: false },
            { key: "XCODE_6", enabled: true },
          ],
        },
        { key: "APPLE_ID_AUTH_APP_CONSENT", options: [{ key: "PRIMARY_APP_CONSENT" }] },
        { key: "DATA_PROTECTION_PERMISSION_LEVEL", options: [] },
        { options: [{ key: "XCODE_6", enabled: true }] },
      ]),
    ).toEqual({ ICLOUD_VERSION: "XCODE_6", APPLE_ID_AUTH_APP_CONSENT: "PRIMARY_APP_CONSENT" });
    expect(fromAppleSettings(null)).toEqual({});
    expect(toAppleSettings({})).toEqual([]);
  });

  it("enables with the bundle ID relationship, settings only when given", async () => {
    const h = await serve({
      "POST /v1/bundleIdCapabilities": () => created(capability("B1_ICLOUD", "ICLOUD")),
    });
    await enableCapability(h.client, "B1", "ICLOUD", { ICLOUD_VERSION: "XCODE_6" });
    await enableCapability(h.client, "B1", "MAPS", {});
    const [withSettings, without] = server!.requests.map(body);
    expect(withSettings).toEqual({
      data: {
        type: "bundleIdCapabilities",
        attributes: {
          capabilityType: "ICLOUD",
          settings: [{ key: "ICLOUD_VERSION", options: [{ key: "XCODE_6", enabled: true }] }],
        },
        relationships: { bundleId: { data: { type: "bundleIds", id: "B1" } } },
      },
    });
    expect(without).toMatchObject({ data: { attributes: { capabilityType: "MAPS" } } });
    expect((without as { data: { attributes: object } }).data.attributes).not.toHaveProperty("settings");
  });

  it("updates and disables by capability id", async () => {
    const h = await serve({
      "PATCH /v1/bundleIdCapabilities/B1_ICLOUD": () => ({
        body: { data: capability("B1_ICLOUD", "ICLOUD") },
      }),
      "DELETE /v1/bundleIdCapabilities/B1_ICLOUD": () => ({ status: 204 }),
    });
    await updateCapability(h.client, "B1_ICLOUD", "ICLOUD", { ICLOUD_VERSION: "XCODE_5" });
    await disableCapability(h.client, "B1_ICLOUD");
    expect(body(server!.requests[0]!)).toEqual({
      data: {
        type: "bundleIdCapabilities",
        id: "B1_ICLOUD",
        attributes: {
          capabilityType: "ICLOUD",
          settings: [{ key: "ICLOUD_VERSION", options: [{ key: "XCODE_5", enabled: true }] }],
        },
      },
    });
    expect(server!.requests[1]!.method).toBe("DELETE");
  });
});

describe("certificates", () => {
  it("lists the acceptable types through every page", async () => {
    const h = await serve({
      "GET /v1/certificates": (req) => ({
        body: {
          data: [{ type: "certificates", id: req.query.get("cursor") ? "C2" : "C1" }],
          links: req.query.get("cursor") ? {} : { next: `${server!.url}/v1/certificates?cursor=x&limit=200` },
          meta: { paging: { total: 1, limit: 200 } },
        },
      }),
    });
    const certificates = await listCertificates(h.client, ["DISTRIBUTION", "IOS_DISTRIBUTION"]);
    expect(certificates.map((c) => c.id)).toEqual(["C1", "C2"]);
    expect(server!.requests[0]!.url).toBe(
      "/v1/certificates?filter[certificateType]=DISTRIBUTION,IOS_DISTRIBUTION&limit=200",
    );
  });

  it("creates from a CSR", async () => {
    const h = await serve({ "POST /v1/certificates": () => created({ type: "certificates", id: "C9" }) });
    await createCertificate(h.client, { csrContent: "MIIC...", certificateType: "DISTRIBUTION" });
    expect(body(only())).toEqual({
      data: { type: "certificates", attributes: { csrContent: "MIIC...", certificateType: "DISTRIBUTION" } },
    });
  });
});

describe("devices", () => {
  const device = (id: string, udid: string) => ({
    type: "devices",
    id,
    attributes: { udid, status: "ENABLED" },
  });

  it("lists with filters and keeps only the UDIDs asked for", async () => {
    const h = await serve({
      "GET /v1/devices": () => ({
        body: { data: [device("D1", "00008030-AAA"), device("D2", "00008030-AAAB")] },
      }),
    });
    const devices = await listDevices(h.client, {
      platform: "IOS",
      status: "ENABLED",
      udids: ["00008030-aaa"],
    });
    expect(devices.map((d) => d.id)).toEqual(["D1"]);
    expect(only().url).toBe(
      "/v1/devices?filter[platform]=IOS&filter[status]=ENABLED&filter[udid]=00008030-aaa&limit=200",
    );
  });

  it("lists all without filters", async () => {
    const h = await serve({
      "GET /v1/devices": () => ({ body: { data: [device("D1", "x"), device("D2", "y")] } }),
    });
    expect(await listDevices(h.client)).toHaveLength(2);
    expect(only().url).toBe("/v1/devices?limit=200");
  });

  it("registers and changes status", async () => {
    const h = await serve({
      "POST /v1/devices": () => created(device("D3", "u3")),
      "PATCH /v1/devices/D3": () => ({ body: { data: device("D3", "u3") } }),
    });
    await registerDevice(h.client, { name: "CI iPhone", udid: "u3", platform: "IOS" });
    await setDeviceStatus(h.client, "D3", "DISABLED");
    expect(server!.requests.map(body)).toEqual([
      { data: { type: "devices", attributes: { name: "CI iPhone", udid: "u3", platform: "IOS" } } },
      { data: { type: "devices", id: "D3", attributes: { status: "DISABLED" } } },
    ]);
  });
});

describe("profiles", () => {
  const profile = (id: string, name: string, bundleId?: string) => ({
    type: "profiles",
    id,
    attributes: { name, profileType: "IOS_APP_STORE", profileState: "ACTIVE" },
    relationships: { bundleId: bundleId ? { data: { type: "bundleIds", id: bundleId } } : { links: {} } },
  });

  it("finds by names in one request, exact names only, with the bundle ID id", async () => {
    const h = await serve({
      "GET /v1/profiles": () => ({
        body: {
          data: [
            profile("P1", "com.a.app AppStore", "B1"),
            profile("P2", "com.a.app AppStore 2", "B1"),
            profile("P3", "com.b.app AppStore"),
          ],
          included: [{ type: "bundleIds", id: "B1" }],
        },
      }),
    });
    const found = await findProfilesByName(
      h.client,
      ["com.a.app AppStore", "com.b.app AppStore"],
      "IOS_APP_STORE",
    );
    expect(found.map((f) => [f.resource.id, f.bundleIdId])).toEqual([
      ["P1", "B1"],
      ["P3", undefined],
    ]);
    expect(only().url).toBe(
      "/v1/profiles?filter[name]=com.a.app%20AppStore,com.b.app%20AppStore&filter[profileType]=IOS_APP_STORE&include=bundleId&limit=200",
    );
  });

  it("getProfile: the profile, or undefined on 404", async () => {
    const h = await serve({ "GET /v1/profiles/P1": () => ({ body: { data: profile("P1", "n") } }) });
    expect((await getProfile(h.client, "P1"))?.id).toBe("P1");
    expect(await getProfile(h.client, "ZOMBIE")).toBeUndefined();
  });

  it("getProfile: other errors pass through", async () => {
    const h = await serve({
      "GET /v1/profiles/P1": () => ({
        status: 403,
        body: { errors: [{ status: "403", code: "FORBIDDEN_ERROR", title: "no" }] },
      }),
    });
    expect((await ascError(getProfile(h.client, "P1"))).status).toBe(403);
  });

  it("creates with certificates and devices; without devices when there are none", async () => {
    const h = await serve({ "POST /v1/profiles": () => created(profile("P9", "n")) });
    await createProfile(h.client, {
      name: "com.a.app Development",
      profileType: "IOS_APP_DEVELOPMENT",
      bundleIdId: "B1",
      certificateIds: ["C1"],
      deviceIds: ["D1", "D2"],
    });
    await createProfile(h.client, {
      name: "com.a.app AppStore",
      profileType: "IOS_APP_STORE",
      bundleIdId: "B1",
      certificateIds: ["C1"],
      deviceIds: [],
    });
    const [dev, store] = server!.requests.map(body) as Array<{
      data: { relationships: Record<string, unknown> };
    }>;
    expect(dev).toEqual({
      data: {
        type: "profiles",
        attributes: { name: "com.a.app Development", profileType: "IOS_APP_DEVELOPMENT" },
        relationships: {
          bundleId: { data: { type: "bundleIds", id: "B1" } },
          certificates: { data: [{ type: "certificates", id: "C1" }] },
          devices: {
            data: [
              { type: "devices", id: "D1" },
              { type: "devices", id: "D2" },
            ],
          },
        },
      },
    });
    expect(Object.keys(store!.data.relationships)).toEqual(["bundleId", "certificates"]);
  });

  it("deleteProfile: true when deleted, false on 404", async () => {
    const h = await serve({ "DELETE /v1/profiles/P1": () => ({ status: 204 }) });
    expect(await deleteProfile(h.client, "P1")).toBe(true);
    expect(await deleteProfile(h.client, "GONE")).toBe(false);
  });
});
