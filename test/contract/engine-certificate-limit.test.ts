// The certificate limit: DISTRIBUTION and IOS_DISTRIBUTION count against one limit (the fake follows
// codemagic-ci-cd/cli-tools#262), and the error lists every current certificate that blocks, of both
// types; expired ones do not block and are not listed. The warm read is not widened for it.
import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { AscApiError } from "../../src/core/errors.ts";
import { startHarness } from "../support/engine-harness.ts";

const DAY_MS = 86_400_000;
const h = startHarness();

describe("engine: a limit shared by DISTRIBUTION and IOS_DISTRIBUTION", () => {
  it("fails listing the blocking certificates of both types, creating nothing past the limit", async () => {
    const key = () => generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
    const ios1 = await h.fake.state.addCertificate({ certificateType: "IOS_DISTRIBUTION", publicKey: key() });
    const ios2 = await h.fake.state.addCertificate({ certificateType: "IOS_DISTRIBUTION", publicKey: key() });
    const apple = await h.fake.state.addCertificate({ certificateType: "DISTRIBUTION", publicKey: key() });
    const expired = await h.fake.state.addCertificate({
      certificateType: "DISTRIBUTION",
      publicKey: key(),
      notAfter: new Date(Date.now() - DAY_MS),
    });
    h.fake.clearLog();
    const error = await h
      .run({ "bundle-ids": "com.limit.shared", "certificate-type": "DISTRIBUTION" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AscApiError);
    const message = (error as Error).message;
    expect(message).toContain(
      "limit of DISTRIBUTION certificates (DISTRIBUTION and IOS_DISTRIBUTION certificates count against one limit)",
    );
    for (const c of [ios1, ios2, apple]) expect(message).toContain(`${c.certificateType} ${c.id} `);
    expect(message).not.toContain(expired.id);
    expect(h.fake.state.certificates()).toHaveLength(4);
    // The failure path reads both types once; the warm read (first wave) was one certificates request.
    const reads = h.fake.log.filter((r) => r.method === "GET" && r.path === "/v1/certificates");
    expect(reads).toHaveLength(2);
    expect(reads[1]!.query["filter[certificateType]"]).toBe("DISTRIBUTION,IOS_DISTRIBUTION");
  });
});
