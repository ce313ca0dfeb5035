// The fake in Enterprise Program mode (issue 12, item 2): only the enterprise document's operations, its
// parameters, platforms and certificate types; no apps; traffic validated against that document.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ENTERPRISE_OPERATIONS } from "../support/fake-asc/enterprise-mode.ts";
import { startFakeAsc } from "../support/fake-asc/index.ts";
import { appRoutes } from "../support/fake-asc/routes-apps.ts";
import { bundleIdRoutes } from "../support/fake-asc/routes-bundle-ids.ts";
import { capabilityRoutes } from "../support/fake-asc/routes-capabilities.ts";
import { certificateRoutes } from "../support/fake-asc/routes-certificates.ts";
import { deviceRoutes } from "../support/fake-asc/routes-devices.ts";
import { profileRoutes } from "../support/fake-asc/routes-profiles.ts";
import { entity, makeCsr, one, useFakeAsc } from "../support/fake-asc/testing.ts";
import { loadSpecValidator } from "../support/openapi-validator.ts";
import { hasShared, sharedPath } from "../support/shared-dir.ts";

const ALL_ROUTES = [
  ...bundleIdRoutes,
  ...capabilityRoutes,
  ...certificateRoutes,
  ...deviceRoutes,
  ...profileRoutes,
  ...appRoutes,
];

describe("fake ASC: Enterprise Program mode", () => {
  const h = useFakeAsc({ enterprise: true });

  it.skipIf(!hasShared)("serves exactly the enterprise document's operations among the fake's routes", () => {
    const doc = JSON.parse(readFileSync(sharedPath("asc", "enterprise-openapi.json"), "utf8")) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const documented = new Set(
      Object.entries(doc.paths).flatMap(([path, item]) =>
        Object.keys(item)
          .filter((m) => ["get", "post", "patch", "delete"].includes(m))
          .map((m) => `${m.toUpperCase()} ${path}`),
      ),
    );
    const fake = ALL_ROUTES.map((r) => `${r.method} ${r.template}`);
    expect([...ENTERPRISE_OPERATIONS].sort()).toEqual(fake.filter((op) => documented.has(op)).sort());
    expect(ENTERPRISE_OPERATIONS.size).toBe(26);
  });

  it("answers the operations the enterprise host does not have with 404 (path) or 405 (method)", async () => {
    const bundle = h.fake.state.addBundleId({ identifier: "com.ent.routes" });
    expect((await h.api.get("/v1/apps?filter[bundleId]=com.ent.routes")).status).toBe(404);
    expect((await h.api.get(`/v1/bundleIds/${bundle.id}/app`)).status).toBe(404);
    expect((await h.api.get(`/v1/bundleIds/${bundle.id}/relationships/bundleIdCapabilities`)).status).toBe(
      404,
    );
    const patch = await h.api.patch("/v1/certificates/ABC", {
      data: { type: "certificates", id: "ABC", attributes: { activated: false } },
    });
    expect(patch.status).toBe(405);
    expect((await h.api.get(`/v1/bundleIds/${bundle.id}/bundleIdCapabilities`)).status).toBe(200);
  });

  it("takes only the enterprise document's parameters: no include=app, no UNIVERSAL, no G2", async () => {
    h.fake.state.addBundleId({ identifier: "com.ent.params" });
    const refused = [
      "/v1/bundleIds?include=bundleIdCapabilities,app",
      "/v1/bundleIds?fields[apps]=name",
      "/v1/bundleIds?filter[platform]=UNIVERSAL",
      "/v1/devices?filter[platform]=UNIVERSAL",
      "/v1/certificates?filter[certificateType]=DEVELOPER_ID_APPLICATION_G2",
      "/v1/certificates?filter[certificateType]=APPLE_PAY",
      "/v1/certificates?fields[certificates]=activated",
    ];
    for (const path of refused) {
      const answer = await h.api.get(path);
      expect([path, answer.status]).toEqual([path, 400]);
      expect(answer.body.errors[0].code).toMatch(/^PARAMETER_ERROR\.(INVALID|ILLEGAL)$/);
    }
    const accepted = await h.api.get(
      "/v1/bundleIds?filter[identifier]=com.ent.params&filter[platform]=IOS&include=bundleIdCapabilities,profiles",
    );
    expect(accepted.status).toBe(200);
    expect(accepted.body.data).toHaveLength(1);
    expect(Object.keys(accepted.body.data[0].relationships).sort()).toEqual([
      "bundleIdCapabilities",
      "profiles",
    ]);
  });

  it("creates neither UNIVERSAL bundle IDs nor certificates of types the host does not have", async () => {
    const universal = await h.api.post(
      "/v1/bundleIds",
      entity("bundleIds", { identifier: "com.ent.universal", name: "Ent Universal", platform: "UNIVERSAL" }),
    );
    expect(universal.status).toBe(409);
    expect(universal.body.errors[0].source).toEqual({ pointer: "/data/attributes/platform" });
    const csr = await makeCsr();
    for (const certificateType of ["DEVELOPER_ID_APPLICATION_G2", "DISTRIBUTION"]) {
      const answer = await h.api.post(
        "/v1/certificates",
        entity("certificates", { certificateType, csrContent: csr.pem }),
      );
      expect([certificateType, answer.status]).toEqual([certificateType, 409]);
    }
    const developerId = await h.api.post(
      "/v1/certificates",
      entity("certificates", { certificateType: "DEVELOPER_ID_APPLICATION", csrContent: csr.pem }),
    );
    expect(developerId.status).toBe(201);
    const inHouse = await h.api.post(
      "/v1/certificates",
      entity("certificates", { certificateType: "IOS_DISTRIBUTION", csrContent: csr.pem }),
    );
    expect(inHouse.status).toBe(201);
    const bundle = h.fake.state.addBundleId({ identifier: "com.ent.inhouse" });
    const profile = await h.api.post(
      "/v1/profiles",
      entity(
        "profiles",
        { name: "Ent InHouse", profileType: "IOS_APP_INHOUSE" },
        {
          bundleId: one("bundleIds", bundle.id),
          certificates: { data: [{ type: "certificates", id: inHouse.body.data.id }] },
        },
      ),
    );
    expect(profile.status).toBe(201);
  });

  it.skipIf(!hasShared)("refuses to validate enterprise traffic against the public document", async () => {
    await expect(startFakeAsc({ enterprise: true, validator: loadSpecValidator() })).rejects.toThrow(
      /enterprise document/,
    );
  });
});
