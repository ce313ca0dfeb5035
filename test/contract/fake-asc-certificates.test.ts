// Certificates in the fake: issued from a real CSR by the fake Apple CA, Apple's attributes, the per-team
// limit with Apple's message, types an API key cannot create, PATCH and revocation.
import "reflect-metadata";
import { createPublicKey, generateKeyPairSync, webcrypto } from "node:crypto";
import * as x509 from "@peculiar/x509";
import { beforeAll, describe, expect, it } from "vitest";
import { signToken } from "../support/fake-asc/client.ts";
import { entity, makeCsr, rsaKeyPair, useFakeAsc } from "../support/fake-asc/testing.ts";

x509.cryptoProvider.set(webcrypto);

const YEAR_MS = 365 * 86_400_000;
const spki = (key = rsaKeyPair().privateKey) =>
  Buffer.from(createPublicKey(key).export({ type: "spki", format: "der" })).toString("base64");

describe("fake ASC: certificates from a CSR", () => {
  const h = useFakeAsc();
  const create = (certificateType: string, csrContent: string) =>
    h.api.post("/v1/certificates", entity("certificates", { certificateType, csrContent }));

  it("issues a certificate that carries the CSR's public key, with Apple's attributes", async () => {
    const csr = await makeCsr();
    const before = Date.now();
    const res = await create("DISTRIBUTION", csr.base64Der);
    expect(res.status).toBe(201);
    const { id, attributes } = res.body.data;
    expect(id).toMatch(/^[A-Z0-9]{10}$/);
    expect(attributes).toMatchObject({
      certificateType: "DISTRIBUTION",
      name: "Apple Distribution: Fake Team Ltd",
      displayName: "Fake Team Ltd",
      activated: true,
    });
    expect(attributes.platform).toBeUndefined();
    expect(attributes.expirationDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
    const expires = Date.parse(attributes.expirationDate);
    expect(expires).toBeGreaterThanOrEqual(before + YEAR_MS - 2000);
    expect(expires).toBeLessThanOrEqual(Date.now() + YEAR_MS);

    const certificate = new x509.X509Certificate(Buffer.from(attributes.certificateContent, "base64"));
    expect(Buffer.from(certificate.publicKey.rawData).toString("base64")).toBe(spki());
    expect(certificate.serialNumber.toUpperCase()).toBe(attributes.serialNumber);
    expect(attributes.serialNumber).toMatch(/^[0-9A-F]+$/);
    expect(certificate.subject).toContain("CN=Apple Distribution: Fake Team Ltd (FAKE7EAM42)");
    const wwdr = new x509.X509Certificate(h.fake.pki.wwdrDer);
    expect(certificate.issuer).toBe(wwdr.subject);
    expect(await certificate.verify({ publicKey: wwdr.publicKey, signatureOnly: true })).toBe(true);
  });

  it("accepts a PEM CSR and gives legacy types their platform", async () => {
    const csr = await makeCsr();
    const ios = await create("IOS_DEVELOPMENT", csr.pem);
    expect(ios.status).toBe(201);
    expect(ios.body.data.attributes).toMatchObject({
      platform: "IOS",
      name: "iOS Development: Fake Team Ltd",
    });
    const mac = await create("MAC_APP_DISTRIBUTION", csr.base64Der);
    expect(mac.body.data.attributes.platform).toBe("MAC_OS");
  });

  it("refuses a CSR that is not one, or whose signature does not match", async () => {
    const garbage = await create("DEVELOPMENT", Buffer.from("hello").toString("base64"));
    expect(garbage.status).toBe(409);
    expect(garbage.body.errors[0].code).toBe("ENTITY_ERROR.ATTRIBUTE.INVALID");
    expect(garbage.body.errors[0].detail).toMatch(/^Invalid CSR/);
    const der = Buffer.from((await makeCsr()).base64Der, "base64");
    der[der.length - 5]! ^= 0xff; // break the signature
    const tampered = await create("DEVELOPMENT", der.toString("base64"));
    expect(tampered.status).toBe(409);
  });

  it.each(["DEVELOPER_ID_KEXT", "PASS_TYPE_ID", "APPLE_PAY", "IDENTITY_ACCESS"])(
    "refuses %s, which an API key cannot create",
    async (certificateType) => {
      const res = await create(certificateType, (await makeCsr()).base64Der);
      expect(res.status).toBe(409);
      expect(res.body.errors[0].detail).toContain("cannot be created with an API key");
    },
  );

  it("toggles activated on PATCH and nothing else", async () => {
    const { body } = await create("DEVELOPMENT", (await makeCsr()).base64Der);
    const id = body.data.id;
    const off = await h.api.patch(`/v1/certificates/${id}`, {
      data: { type: "certificates", id, attributes: { activated: false } },
    });
    expect(off.status).toBe(200);
    expect(off.body.data.attributes.activated).toBe(false);
    const renamed = await h.api.patch(`/v1/certificates/${id}`, {
      data: { type: "certificates", id, attributes: { name: "Mine" } },
    });
    expect(renamed.status).toBe(409);
  });

  it("filters by type (comma list), serial number and id", async () => {
    const { body } = await create("MAC_APP_DEVELOPMENT", (await makeCsr()).base64Der);
    const { id, attributes } = body.data;
    const byType = await h.api.get(
      "/v1/certificates?filter[certificateType]=MAC_APP_DEVELOPMENT,IOS_DEVELOPMENT&limit=200",
    );
    const types = new Set(
      byType.body.data.map((c: { attributes: { certificateType: string } }) => c.attributes.certificateType),
    );
    expect([...types].sort()).toEqual(["IOS_DEVELOPMENT", "MAC_APP_DEVELOPMENT"]);
    const bySerial = await h.api.get(`/v1/certificates?filter[serialNumber]=${attributes.serialNumber}`);
    expect(bySerial.body.data.map((c: { id: string }) => c.id)).toEqual([id]);
    const byId = await h.api.get(`/v1/certificates?filter[id]=${id}&fields[certificates]=serialNumber`);
    expect(byId.body.data[0].attributes).toEqual({ serialNumber: attributes.serialNumber });
  });

  it("revokes on DELETE: gone from the API, the profiles holding it INVALID, a new profile with it refused", async () => {
    const { body } = await create("DISTRIBUTION", (await makeCsr()).base64Der);
    const id = body.data.id;
    const bundle = h.fake.state.addBundleId({ identifier: "com.c.revoked" });
    const profile = h.fake.state.addProfile({
      name: "revoked store",
      profileType: "IOS_APP_STORE",
      bundleIdId: bundle.id,
      certificateIds: [id],
    });
    expect((await h.api.delete(`/v1/certificates/${id}`)).status).toBe(204);
    expect((await h.api.get(`/v1/certificates/${id}`)).status).toBe(404);
    expect((await h.api.get(`/v1/certificates?filter[id]=${id}`)).body.data).toEqual([]);
    expect((await h.api.get(`/v1/profiles/${profile.id}`)).body.data.attributes.profileState).toBe("INVALID");
    expect((await h.api.delete(`/v1/certificates/${id}`)).status).toBe(404);
    const again = await h.api.post(
      "/v1/profiles",
      entity(
        "profiles",
        { name: "with revoked", profileType: "IOS_APP_STORE" },
        {
          bundleId: { data: { type: "bundleIds", id: bundle.id } },
          certificates: { data: [{ type: "certificates", id }] },
        },
      ),
    );
    expect(again.status).toBe(409);
    expect(again.body.errors[0]).toMatchObject({
      code: "ENTITY_ERROR.RELATIONSHIP.INVALID",
      detail: `There is no certificate with ID '${id}' on this team.`,
      source: { pointer: "/data/relationships/certificates" },
    });
  });

  it("has no pass type ID to show", async () => {
    const { body } = await create("DEVELOPMENT", (await makeCsr()).base64Der);
    expect((await h.api.get(`/v1/certificates/${body.data.id}/passTypeId`)).status).toBe(404);
  });
});

describe("fake ASC: the distribution certificate limit", () => {
  let clock = Date.now();
  const h = useFakeAsc({ distributionCertificateLimit: 2, now: () => clock });
  let csr: string;
  beforeAll(async () => {
    csr = (await makeCsr()).base64Der;
  });
  const create = (certificateType: string) =>
    h.api.post("/v1/certificates", entity("certificates", { certificateType, csrContent: csr }));

  it("refuses the next current certificate of a limited type with Apple's message", async () => {
    expect((await create("IOS_DISTRIBUTION")).status).toBe(201);
    expect((await create("IOS_DISTRIBUTION")).status).toBe(201);
    const third = await create("IOS_DISTRIBUTION");
    expect(third.status).toBe(409);
    expect(third.body.errors[0]).toMatchObject({
      code: "ENTITY_ERROR",
      detail:
        "There is a problem with the request entity - You already have a current iOS Distribution certificate or a pending certificate request.",
    });
    // Apple Distribution shares the limit with iOS Distribution (codemagic-ci-cd/cli-tools#262).
    const shared = await create("DISTRIBUTION");
    expect(shared.status).toBe(409);
    expect(shared.body.errors[0].detail).toContain("You already have a current Distribution certificate");
    // Other types and development certificates are not affected.
    expect((await create("MAC_APP_DISTRIBUTION")).status).toBe(201);
    expect((await create("DEVELOPMENT")).status).toBe(201);
  });

  it("frees a slot when a certificate is revoked or expires", async () => {
    const [first, second] = h.fake.state
      .certificates()
      .filter((c) => c.certificateType === "IOS_DISTRIBUTION");
    h.fake.state.revokeCertificate(first!.id);
    expect((await create("IOS_DISTRIBUTION")).status).toBe(201);
    expect((await create("IOS_DISTRIBUTION")).status).toBe(409);
    clock = second!.expiresAt + 1000;
    const iat = Math.floor(clock / 1000);
    const after = await h.api.request("POST", "/v1/certificates", {
      body: entity("certificates", { certificateType: "IOS_DISTRIBUTION", csrContent: csr }),
      token: await signToken(h.fake.apiKey, { iat }),
    });
    expect(after.status).toBe(201);
  });

  it("holds under concurrent creates: never more than the limit", async () => {
    clock = Date.now();
    const answers = await Promise.all(Array.from({ length: 5 }, () => create("DEVELOPER_ID_APPLICATION_G2")));
    expect(answers.map((a) => a.status).sort()).toEqual([201, 201, 409, 409, 409]);
    expect(
      h.fake.state.certificates().filter((c) => c.certificateType === "DEVELOPER_ID_APPLICATION_G2"),
    ).toHaveLength(2);
  });
});

describe("fake ASC: certificates on an Enterprise Program team", () => {
  const h = useFakeAsc({ enterprise: true });

  it("has no Apple Distribution certificates, but iOS Distribution ones", async () => {
    const token = await signToken(h.fake.apiKey, { audience: "apple-developer-enterprise-v1" });
    const csrContent = (await makeCsr(generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey))
      .base64Der;
    const post = (certificateType: string) =>
      h.api.request("POST", "/v1/certificates", {
        body: entity("certificates", { certificateType, csrContent }),
        token,
      });
    const distribution = await post("DISTRIBUTION");
    expect(distribution.status).toBe(409);
    expect(distribution.body.errors[0].detail).toContain("Enterprise");
    expect((await post("IOS_DISTRIBUTION")).status).toBe(201);
  });
});
