// Apple's behaviour the fake reproduces and the engine copes with (issue 12): new iOS bundle IDs come with
// IN_APP_PURCHASE and GAME_CENTER enabled; `relationships.app.data: null` when a bundle ID has no app;
// `limit` refused on GET /v1/bundleIds/{id}/bundleIdCapabilities, and the client reading it whole.
import { createPrivateKey } from "node:crypto";
import { describe, expect, it } from "vitest";
import { findBundleIds, listBundleIdCapabilities } from "../../src/core/asc/bundle-ids.ts";
import { AscClient } from "../../src/core/asc/http.ts";
import { startHarness } from "../support/engine-harness.ts";
import { entity, useFakeAsc } from "../support/fake-asc/testing.ts";

describe("fake ASC: what Apple does by itself", () => {
  const h = useFakeAsc();
  const client = () =>
    new AscClient({
      issuerId: h.fake.apiKey.issuerId,
      keyId: h.fake.apiKey.keyId,
      privateKey: createPrivateKey(h.fake.apiKey.privateKeyPem),
      baseUrl: h.fake.url,
    });

  it("enables IN_APP_PURCHASE and GAME_CENTER on a new iOS bundle ID, nothing on a macOS one", async () => {
    const create = (identifier: string, platform: string) =>
      h.api.post("/v1/bundleIds", entity("bundleIds", { identifier, name: "Defaults", platform }));
    const ios = (await create("com.defaults.ios", "IOS")).body.data.id as string;
    const mac = (await create("com.defaults.mac", "MAC_OS")).body.data.id as string;
    const types = async (id: string) =>
      (
        (await h.api.get(`/v1/bundleIds/${id}/bundleIdCapabilities`)).body.data as Array<{
          id: string;
          attributes: { capabilityType: string };
        }>
      )
        .map((c) => c.attributes.capabilityType)
        .sort();
    expect(await types(ios)).toEqual(["GAME_CENTER", "IN_APP_PURCHASE"]);
    expect(await types(mac)).toEqual([]);
  });

  it("answers `limit` on a bundle ID's capabilities with PARAMETER_ERROR.ILLEGAL; the client reads them without it", async () => {
    const bundle = h.fake.state.addBundleId({ identifier: "com.defaults.limit" });
    for (const type of ["PUSH_NOTIFICATIONS", "ASSOCIATED_DOMAINS", "MAPS"])
      h.fake.state.addCapability(bundle.id, type);
    const refused = await h.api.get(`/v1/bundleIds/${bundle.id}/bundleIdCapabilities?limit=200`);
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0]).toMatchObject({
      code: "PARAMETER_ERROR.ILLEGAL",
      source: { parameter: "limit" },
    });
    const c = client();
    h.fake.clearLog();
    try {
      const listed = await listBundleIdCapabilities(c, bundle.id);
      expect(listed.map((x) => x.attributes?.capabilityType).sort()).toEqual([
        "ASSOCIATED_DOMAINS",
        "MAPS",
        "PUSH_NOTIFICATIONS",
      ]);
    } finally {
      await c.close();
    }
    expect(h.fake.log.map((e) => [e.status, e.query.limit])).toEqual([[200, undefined]]);
  });

  it("answers include=app with relationships.app.data: null for a bundle ID without an app", async () => {
    const lonely = h.fake.state.addBundleId({ identifier: "com.defaults.noapp" });
    h.fake.state.addBundleId({ identifier: "com.defaults.withapp" });
    const app = h.fake.state.addApp({ bundleId: "com.defaults.withapp", name: "With App" });
    const answer = await h.api.get(
      "/v1/bundleIds?filter[identifier]=com.defaults.noapp,com.defaults.withapp&include=app",
    );
    const byId = new Map(
      (answer.body.data as Array<{ id: string; relationships: { app: { data: unknown } } }>).map((b) => [
        b.id,
        b,
      ]),
    );
    expect(byId.get(lonely.id)?.relationships.app.data).toBeNull();
    const c = client();
    try {
      const found = await findBundleIds(c, ["com.defaults.noapp", "com.defaults.withapp"]);
      expect(found.get("com.defaults.noapp")?.app).toBeUndefined();
      expect(found.get("com.defaults.withapp")?.app?.id).toBe(app.id);
    } finally {
      await c.close();
    }
  });
});

describe("engine: Apple's default capabilities on a new iOS bundle ID", () => {
  const h = startHarness();

  it("plans no write for GAME_CENTER or IN_APP_PURCHASE on a new iOS bundle ID, and none warm, exclusive or readonly", async () => {
    const o = {
      "bundle-ids": "com.defaults.engine",
      capabilities: "GAME_CENTER\nIN_APP_PURCHASE\nPUSH_NOTIFICATIONS",
    };
    h.fake.clearLog();
    const cold = await h.run(o);
    const capabilityWrites = h.fake.log.filter((e) => e.path.startsWith("/v1/bundleIdCapabilities"));
    expect(
      capabilityWrites.map(
        (e) =>
          (e.requestBody as { data: { attributes: { capabilityType: string } } }).data.attributes
            .capabilityType,
      ),
    ).toEqual(["PUSH_NOTIFICATIONS"]);
    expect(capabilityWrites.every((e) => e.status === 201)).toBe(true);
    expect(cold.plan.map((s) => s.kind)).not.toContain("disable-capability");
    const extras: Record<string, string>[] = [{}, { "capabilities-exclusive": "true" }, { mode: "readonly" }];
    for (const extra of extras) {
      h.fake.clearLog();
      const warm = await h.run({ ...o, ...extra });
      expect(warm.changed).toBe(false);
      expect(h.fake.stats().writes).toBe(0);
    }
    // Exclusive without listing them: Apple's own capabilities stay; only PUSH_NOTIFICATIONS goes.
    h.fake.clearLog();
    const exclusive = await h.run({ "bundle-ids": "com.defaults.engine", "capabilities-exclusive": "true" });
    expect(exclusive.plan.map((s) => `${s.kind} ${s.target}`)).toEqual(
      expect.arrayContaining(["disable-capability com.defaults.engine PUSH_NOTIFICATIONS"]),
    );
    expect(exclusive.plan.filter((s) => s.kind === "disable-capability")).toHaveLength(1);
    expect(h.fake.specViolations).toEqual([]);
  });
});
