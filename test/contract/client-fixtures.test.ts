// The client reads every real-shaped answer in ../shared/asc/fixtures: lists with developer-portal extra
// keys and wrong paging totals, single resources, null settings, a real profile. (Error bodies are
// covered in test/unit/asc-http.test.ts.)
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findBundleIds } from "../../src/core/asc/bundle-ids.ts";
import { fromAppleSettings } from "../../src/core/asc/capabilities.ts";
import { createCertificate, listCertificates } from "../../src/core/asc/certificates.ts";
import { listDevices, setDeviceStatus } from "../../src/core/asc/devices.ts";
import { findProfilesByName } from "../../src/core/asc/profiles.ts";
import { readProvisioningProfile } from "../../src/core/signing/provisioning-profile.ts";
import {
  type Harness,
  makeClient,
  type RecordedRequest,
  startServer,
  type TestServer,
} from "../support/asc-test-kit.ts";
import { hasShared, sharedPath } from "../support/shared-dir.ts";

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(sharedPath("asc", "fixtures", name), "utf8")) as Record<string, unknown>;
const list = (resource: unknown): unknown => ({
  data: [resource],
  links: { self: "https://x/v1" },
  meta: { paging: { total: 1, limit: 200 } },
});

function route(request: RecordedRequest): { status?: number; body: unknown } {
  const { method, pathname } = request;
  if (method === "GET" && pathname === "/v1/bundleIds")
    return { body: fixture("bundle-ids-list.fastlane.json") };
  if (method === "GET" && /^\/v1\/bundleIds\/[^/]+\/bundleIdCapabilities$/.test(pathname))
    return { body: list(fixture("bundle-id-capability-resource.codemagic.json")) };
  if (method === "GET" && pathname === "/v1/certificates") {
    return request.query.get("filter[certificateType]") === "MAC_INSTALLER_DISTRIBUTION"
      ? { body: fixture("certificates-list-single.ittybittyapps.json") }
      : { body: fixture("certificates-list.fastlane.json") };
  }
  if (method === "POST" && pathname === "/v1/certificates")
    return { status: 201, body: fixture("certificate-create-201.ittybittyapps.json") };
  if (method === "GET" && pathname === "/v1/devices") {
    const disabled = fixture("device-resource-disabled.codemagic.json");
    const listed = fixture("devices-list.fastlane.json") as { data: unknown[] };
    return { body: { ...listed, data: [...listed.data, disabled] } };
  }
  if (method === "PATCH" && pathname.startsWith("/v1/devices/"))
    return { body: fixture("device-update-enabled.fastlane.json") };
  if (method === "GET" && pathname === "/v1/profiles")
    return { body: list(fixture("profile-resource-with-content.codemagic.json")) };
  return { status: 404, body: fixture("error-404-not-found.codemagic.json") };
}

describe.skipIf(!hasShared)("client on Apple's real-shaped answers", () => {
  let server: TestServer;
  let h: Harness;
  beforeAll(async () => {
    server = await startServer((request) => route(request));
    h = makeClient(server.url);
  });
  afterAll(async () => {
    await h?.close();
    await server?.close();
  });

  it("finds a bundle ID by exact identifier and reads its capabilities, including null settings", async () => {
    const found = await findBundleIds(h.client, ["com.joshholtz.FastlaneApp"]);
    const bundle = found.get("com.joshholtz.FastlaneApp");
    expect(bundle?.resource.attributes?.seedId).toBe("972KS36P2U");
    expect(bundle?.capabilities.map((c) => c.attributes?.capabilityType)).toEqual(["GAME_CENTER"]);
    expect(fromAppleSettings(bundle?.capabilities[0]?.attributes?.settings)).toEqual({});
    expect((await findBundleIds(h.client, ["com.joshholtz"])).size).toBe(0);
  });

  it("lists certificates, keeping unknown values such as platform MAC_OS_X", async () => {
    const certificates = await listCertificates(h.client, ["IOS_DEVELOPMENT", "IOS_DISTRIBUTION"]);
    expect(certificates.map((c) => c.attributes?.certificateType)).toEqual([
      "IOS_DEVELOPMENT",
      "IOS_DISTRIBUTION",
      "IOS_DEVELOPMENT",
      "IOS_DISTRIBUTION",
      "DEVELOPER_ID_APPLICATION_G2",
    ]);
    const single = await listCertificates(h.client, ["MAC_INSTALLER_DISTRIBUTION"]);
    expect(single.map((c) => c.id)).toEqual(["1234ABCD"]);
  });

  it("reads a created certificate (csrContent: null and all)", async () => {
    const created = await createCertificate(h.client, {
      csrContent: "CSR",
      certificateType: "MAC_INSTALLER_DISTRIBUTION",
    });
    expect(created.attributes).toMatchObject({ serialNumber: "6E06FFECD4B8D8C8", platform: "MAC_OS" });
  });

  it("lists devices although paging.total undercounts them, and reads a device update", async () => {
    const devices = await listDevices(h.client);
    expect(devices.map((d) => d.attributes?.status)).toEqual(["ENABLED", "DISABLED", "ENABLED", "DISABLED"]);
    const updated = await setDeviceStatus(h.client, "13371337", "ENABLED");
    expect(updated.attributes).toMatchObject({ status: "ENABLED", deviceClass: "IPHONE" });
  });

  it("finds a profile by name and reads its signed content", async () => {
    const [found] = await findProfilesByName(h.client, ["test profile"]);
    expect(found?.resource.attributes?.uuid).toBe("55b8fdb4-b7d2-402d-b48b-2523f7b9c384");
    const info = readProvisioningProfile(found!.resource.attributes!.profileContent!);
    expect(info.uuid).toBe(found?.resource.attributes?.uuid);
    expect(await findProfilesByName(h.client, ["test"])).toEqual([]);
  });
});
