// Developer ID (issue 12, item 1): Apple refuses DEVELOPER_ID_APPLICATION_G2 as a filter[certificateType]
// value, and a filter on DEVELOPER_ID_APPLICATION does not find G2 certificates. The fake refuses it as
// Apple does; the client finds G2 and non-G2 Developer ID certificates in one request without sending it.

import { createPrivateKey } from "node:crypto";
import { describe, expect, it } from "vitest";
import { listCertificates } from "../../src/core/asc/certificates.ts";
import { AscClient } from "../../src/core/asc/http.ts";
import { useFakeAsc } from "../support/fake-asc/testing.ts";
import { testKeys } from "../support/keys.ts";

describe("Developer ID certificates", () => {
  const h = useFakeAsc();

  it("the fake answers a G2 filter value as Apple does: 400 PARAMETER_ERROR.INVALID naming the parameter", async () => {
    for (const value of [
      "DEVELOPER_ID_APPLICATION_G2",
      "DEVELOPER_ID_APPLICATION,DEVELOPER_ID_APPLICATION_G2",
    ]) {
      const answer = await h.api.get(`/v1/certificates?filter[certificateType]=${value}`);
      expect(answer.status).toBe(400);
      const [error] = answer.body.errors;
      expect(error).toMatchObject({
        status: "400",
        code: "PARAMETER_ERROR.INVALID",
        title: "A parameter has an invalid value",
        source: { parameter: "filter[certificateType]" },
      });
      expect(error.detail).toMatch(
        /^'DEVELOPER_ID_APPLICATION_G2' is not a valid filter value\. Expected one of: /,
      );
      expect(error.detail).toContain("DEVELOPER_ID_APPLICATION, ");
      expect(error.detail).not.toContain("_G2,");
    }
    const kext = await h.api.get("/v1/certificates?filter[certificateType]=DEVELOPER_ID_KEXT_G2");
    expect(kext.status).toBe(400);
    const plain = await h.api.get("/v1/certificates?filter[certificateType]=DEVELOPER_ID_APPLICATION");
    expect(plain.status).toBe(200);
  });

  it("the client finds G2 and non-G2 Developer ID certificates in one request, without a refused value", async () => {
    const publicKey = createPrivateKey(testKeys().signingKeyPem);
    const g2 = await h.fake.state.addCertificate({
      certificateType: "DEVELOPER_ID_APPLICATION_G2",
      publicKey,
    });
    const g1 = await h.fake.state.addCertificate({ certificateType: "DEVELOPER_ID_APPLICATION", publicKey });
    await h.fake.state.addCertificate({ certificateType: "DISTRIBUTION", publicKey });
    const client = new AscClient({
      issuerId: h.fake.apiKey.issuerId,
      keyId: h.fake.apiKey.keyId,
      privateKey: createPrivateKey(h.fake.apiKey.privateKeyPem),
      baseUrl: h.fake.url,
    });
    h.fake.clearLog();
    try {
      const found = await listCertificates(client, [
        "DEVELOPER_ID_APPLICATION_G2",
        "DEVELOPER_ID_APPLICATION",
      ]);
      expect(found.map((c) => c.id).sort()).toEqual([g1.id, g2.id].sort());
    } finally {
      await client.close();
    }
    expect(h.fake.log).toHaveLength(1);
    expect(h.fake.log[0]!.status).toBe(200);
    expect(h.fake.log[0]!.query["filter[certificateType]"]).toBeUndefined();
  });
});
