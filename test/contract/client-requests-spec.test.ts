// Every request the client can send (issue 12, done-when): each resource module's operations with the
// parameter combinations the engine uses, recorded on a loopback server and validated against Apple's
// public document, and, sent to the Enterprise Program host, against the enterprise document. Beyond the
// documents, Apple's known refusals: no G2 value in filter[certificateType], no `limit` on a bundle ID's
// capabilities.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiHost, ENTERPRISE_AUDIENCE } from "../../src/core/asc/api-host.ts";
import { createBundleId, findBundleIds, listBundleIdCapabilities } from "../../src/core/asc/bundle-ids.ts";
import { disableCapability, enableCapability, updateCapability } from "../../src/core/asc/capabilities.ts";
import {
  CERTIFICATE_TYPES_REFUSED_AS_FILTER,
  createCertificate,
  listCertificates,
} from "../../src/core/asc/certificates.ts";
import { listDevices, registerDevice, setDeviceStatus } from "../../src/core/asc/devices.ts";
import type { AscClient } from "../../src/core/asc/http.ts";
import { createProfile, deleteProfile, findProfilesByName, getProfile } from "../../src/core/asc/profiles.ts";
import { PROFILE_TYPES } from "../../src/core/asc/types.ts";
import { PROFILE_TYPE_RULES } from "../../src/core/profile-types.ts";
import { certificateTypeToCreate, type DesiredState } from "../../src/core/reconcile/desired-state.ts";
import { makeClient, type RecordedRequest, startServer, type TestServer } from "../support/asc-test-kit.ts";
import { loadEnterpriseSpecValidator, loadSpecValidator } from "../support/openapi-validator.ts";
import { hasShared } from "../support/shared-dir.ts";

/** A plain successful JSON:API answer for whatever was asked. */
function answer(r: RecordedRequest) {
  const [, , type = "x", id] = r.pathname.split("/");
  if (r.method === "DELETE") return { status: 204 };
  if (r.method === "GET" && id === undefined) return { body: { data: [], links: { self: r.url } } };
  const resourceType = id !== undefined && r.pathname.split("/").length > 4 ? "bundleIdCapabilities" : type;
  const status = r.method === "POST" ? 201 : 200;
  return {
    status,
    body: { data: { type: resourceType, id: id ?? "NEW1234567", attributes: {} }, links: { self: r.url } },
  };
}

/** Every operation the engine performs, with the values it can pass on this host. */
async function sendEverything(client: AscClient, host: ApiHost): Promise<void> {
  await findBundleIds(client, ["com.a.app"]);
  await findBundleIds(client, ["com.a.app", "com.a.app.widget", "com.b"]);
  await listBundleIdCapabilities(client, "BUNDLE1234");
  const platforms = host === "enterprise" ? ["IOS", "MAC_OS"] : ["IOS", "MAC_OS", "UNIVERSAL"];
  for (const platform of platforms)
    await createBundleId(client, { identifier: "com.a.app", name: "A App", platform: platform as "IOS" });
  await enableCapability(client, "BUNDLE1234", "PUSH_NOTIFICATIONS", {});
  await enableCapability(client, "BUNDLE1234", "ICLOUD", { ICLOUD_VERSION: "XCODE_6" });
  await enableCapability(client, "BUNDLE1234", "DATA_PROTECTION", {
    DATA_PROTECTION_PERMISSION_LEVEL: "COMPLETE_PROTECTION",
  });
  await enableCapability(client, "BUNDLE1234", "APPLE_ID_AUTH", {
    APPLE_ID_AUTH_APP_CONSENT: "PRIMARY_APP_CONSENT",
  });
  await updateCapability(client, "BUNDLE1234_ICLOUD", "ICLOUD", { ICLOUD_VERSION: "XCODE_5" });
  await disableCapability(client, "BUNDLE1234_MAPS");
  for (const type of PROFILE_TYPES) {
    const rule = PROFILE_TYPE_RULES[type];
    const desired = {
      certificateTypes: rule.certificateTypes,
      createCertificateType: rule.certificateTypes[0],
    };
    const createType = certificateTypeToCreate(desired as DesiredState, host);
    await listCertificates(client, rule.certificateTypes);
    await listCertificates(client, [createType]);
    await createCertificate(client, { csrContent: "MIIB", certificateType: createType });
    await listDevices(client, { platform: rule.devicePlatform });
    await findProfilesByName(client, [`${type} com.a.app`, `${type} com.b`], type);
    await createProfile(client, {
      name: `${type} com.a.app`,
      profileType: type,
      bundleIdId: "BUNDLE1234",
      certificateIds: ["CERT123456"],
      deviceIds: rule.deviceClasses.length > 0 ? ["DEVICE1234", "DEVICE5678"] : [],
    });
  }
  await client.delete("/v1/certificates/CERT123456"); // certificate-apply: a duplicate of ours lost the race
  await listDevices(client, {});
  await listDevices(client, {
    udids: ["00008030-001A2B3C4D5E6F70", "0123456789abcdef0123456789abcdef01234567"],
  });
  await listDevices(client, { status: "ENABLED", platform: "MAC_OS" });
  await registerDevice(client, { name: "Phone", udid: "00008030-001A2B3C4D5E6F70", platform: "IOS" });
  await setDeviceStatus(client, "DEVICE1234", "ENABLED");
  await findProfilesByName(client, ["match AppStore com.a.app"]);
  await getProfile(client, "PROFILE123");
  await deleteProfile(client, "PROFILE123");
}

describe.skipIf(!hasShared)(
  "every request the client sends is valid against Apple's document for its host",
  () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startServer(answer);
    });
    afterAll(async () => {
      await server?.close();
    });

    it.each([
      ["app-store-connect", "the public document"],
      ["enterprise", "the Enterprise Program API document"],
    ] as const)("%s host: %s", async (host, _document) => {
      const h = makeClient(server.url, host === "enterprise" ? { audience: ENTERPRISE_AUDIENCE } : {});
      server.requests.length = 0;
      try {
        await sendEverything(h.client, host);
      } finally {
        await h.close();
      }
      const validator = host === "enterprise" ? loadEnterpriseSpecValidator() : loadSpecValidator();
      const sent = [...server.requests];
      expect(sent.length).toBeGreaterThan(100);
      const problems = sent.flatMap((r) =>
        validator
          .validateRequest({
            method: r.method,
            path: r.pathname,
            query: Object.fromEntries(r.query),
            body: r.body === "" ? undefined : (JSON.parse(r.body) as unknown),
          })
          .map((p) => `${r.method} ${r.url}: ${p}`),
      );
      expect(problems).toEqual([]);
      // Apple's refusals that its documents do not show.
      const refusedFilter = sent.filter((r) =>
        (r.query.get("filter[certificateType]") ?? "")
          .split(",")
          .some((v) => CERTIFICATE_TYPES_REFUSED_AS_FILTER.has(v as "DEVELOPER_ID_APPLICATION_G2")),
      );
      expect(refusedFilter.map((r) => r.url)).toEqual([]);
      const limitOnCapabilities = sent.filter(
        (r) => r.pathname.endsWith("/bundleIdCapabilities") && r.query.has("limit"),
      );
      expect(limitOnCapabilities.map((r) => r.url)).toEqual([]);
      // Every operation family was exercised.
      const operations = new Set(
        sent.map((r) => `${r.method} ${r.pathname.replace(/\/[A-Z0-9_]{10,}(?=\/|$)/g, "/{id}")}`),
      );
      expect([...operations].sort()).toEqual(
        [
          "DELETE /v1/bundleIdCapabilities/{id}",
          "DELETE /v1/certificates/{id}",
          "DELETE /v1/profiles/{id}",
          "GET /v1/bundleIds",
          "GET /v1/bundleIds/{id}/bundleIdCapabilities",
          "GET /v1/certificates",
          "GET /v1/devices",
          "GET /v1/profiles",
          "GET /v1/profiles/{id}",
          "PATCH /v1/bundleIdCapabilities/{id}",
          "PATCH /v1/devices/{id}",
          "POST /v1/bundleIdCapabilities",
          "POST /v1/bundleIds",
          "POST /v1/certificates",
          "POST /v1/devices",
          "POST /v1/profiles",
        ].sort(),
      );
    });
  },
);
