// The fake's 409s are shaped like Apple's: one about an attribute or a relationship carries
// `source.pointer` to it; the whole-entity ENTITY_ERROR for an unknown App ID carries the same keys as
// Apple's answer recorded in ../shared/asc/fixtures/error-409-profile-create-unknown-app-id.json.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { entity, useFakeAsc } from "../support/fake-asc/testing.ts";
import { testKeys } from "../support/keys.ts";
import { hasShared, sharedPath } from "../support/shared-dir.ts";

const h = useFakeAsc();

const profileBody = (attributes: Record<string, unknown>, bundleIdId: string, certificateIds: string[]) =>
  entity("profiles", attributes, {
    bundleId: { data: { type: "bundleIds", id: bundleIdId } },
    certificates: { data: certificateIds.map((id) => ({ type: "certificates", id })) },
  });

describe("fake ASC: 409s shaped like Apple's", () => {
  it("attribute and relationship errors point at what is wrong", async () => {
    const bundle = h.fake.state.addBundleId({ identifier: "com.conflicts.app" });
    const certificate = await h.fake.state.addCertificate({
      certificateType: "DISTRIBUTION",
      publicKey: testKeys().signingKey,
    });
    const badType = await h.api.post(
      "/v1/profiles",
      profileBody({ name: "p1", profileType: "IOS_APP_NOPE" }, bundle.id, [certificate.id]),
    );
    expect(badType.status).toBe(409);
    expect(badType.body.errors[0]).toMatchObject({
      code: "ENTITY_ERROR.ATTRIBUTE.INVALID",
      source: { pointer: "/data/attributes/profileType" },
    });

    h.fake.state.revokeCertificate(certificate.id);
    const revoked = await h.api.post(
      "/v1/profiles",
      profileBody({ name: "p2", profileType: "IOS_APP_STORE" }, bundle.id, [certificate.id]),
    );
    expect(revoked.status).toBe(409);
    expect(revoked.body.errors[0]).toMatchObject({
      code: "ENTITY_ERROR.RELATIONSHIP.INVALID",
      detail: `There is no certificate with ID '${certificate.id}' on this team.`,
      source: { pointer: "/data/relationships/certificates" },
    });

    const badCsr = await h.api.post(
      "/v1/certificates",
      entity("certificates", { certificateType: "DISTRIBUTION", csrContent: "bm90IGEgQ1NS" }),
    );
    expect(badCsr.status).toBe(409);
    expect(badCsr.body.errors[0].source).toEqual({ pointer: "/data/attributes/csrContent" });
  });

  it.skipIf(!hasShared)("an unknown App ID answers with the keys of Apple's recorded 409", async () => {
    const apple = JSON.parse(
      readFileSync(sharedPath("asc", "fixtures", "error-409-profile-create-unknown-app-id.json"), "utf8"),
    ).errors[0];
    const certificate = await h.fake.state.addCertificate({
      certificateType: "DISTRIBUTION",
      publicKey: testKeys().signingKey,
    });
    const answer = await h.api.post(
      "/v1/profiles",
      profileBody({ name: "p3", profileType: "IOS_APP_STORE" }, "NOSUCHAPPID", [certificate.id]),
    );
    expect(answer.status).toBe(409);
    const ours = answer.body.errors[0];
    expect(Object.keys(ours).sort()).toEqual(Object.keys(apple).sort());
    expect([ours.status, ours.code, ours.title]).toEqual([apple.status, apple.code, apple.title]);
    expect(ours.detail).toBe("There is no App ID with ID 'NOSUCHAPPID' on this team.");
  });
});
