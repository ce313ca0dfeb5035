// The fake's front door: JWT verification as Apple does it, individual keys, the agreements 403, the
// rate-limit header and its 429s.
import { createPrivateKey } from "node:crypto";
import { readFileSync } from "node:fs";
import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { fakeClient, signToken } from "../support/fake-asc/client.ts";
import { useFakeAsc } from "../support/fake-asc/testing.ts";
import { hasShared, sharedPath } from "../support/shared-dir.ts";

const fixture = (name: string) => JSON.parse(readFileSync(sharedPath("asc", "fixtures", name), "utf8"));
const nowS = () => Math.floor(Date.now() / 1000);

describe("fake ASC: JWT verification", () => {
  const h = useFakeAsc();

  it("accepts a well-formed token and says the rate limit", async () => {
    const res = await h.api.get("/v1/bundleIds");
    expect(res.status).toBe(200);
    expect(res.headers["x-rate-limit"]).toMatch(/^user-hour-lim:3600;user-hour-rem:\d+;$/);
  });

  it("answers 401 with Apple's exact body when there is no token", async () => {
    const res = await h.api.request("GET", "/v1/bundleIds", { token: null });
    expect(res.status).toBe(401);
    expect(res.headers["x-rate-limit"]).toBeUndefined();
    if (hasShared) expect(res.body).toEqual(fixture("error-401-not-authorized.json"));
    else expect(res.body.errors[0].code).toBe("NOT_AUTHORIZED");
  });

  const rejections: [string, () => Promise<string>][] = [
    ["an unknown kid", () => signToken(h.fake.apiKey, { keyId: "UNKNOWN123" })],
    ["a wrong iss", () => signToken(h.fake.apiKey, { issuer: "00000000-0000-0000-0000-000000000000" })],
    ["no iss on a team key", () => signToken(h.fake.apiKey, { issuer: null })],
    ["a wrong aud", () => signToken(h.fake.apiKey, { audience: "apple-developer-enterprise-v1" })],
    ["an expired token", () => signToken(h.fake.apiKey, { iat: nowS() - 1300, exp: nowS() - 100 })],
    [
      "exp more than 20 minutes after iat",
      () => signToken(h.fake.apiKey, { iat: nowS(), exp: nowS() + 21 * 60 }),
    ],
    ["iat in the future", () => signToken(h.fake.apiKey, { iat: nowS() + 300, exp: nowS() + 900 })],
    [
      "a signature by another key",
      () => signToken(h.fake.apiKey, { privateKeyPem: h.fake.addApiKey().privateKeyPem }),
    ],
    [
      "no iat",
      () =>
        new SignJWT({})
          .setProtectedHeader({ alg: "ES256", kid: h.fake.apiKey.keyId })
          .setIssuer(h.fake.apiKey.issuerId)
          .setExpirationTime(nowS() + 600)
          .setAudience("appstoreconnect-v1")
          .sign(createPrivateKey(h.fake.apiKey.privateKeyPem)),
    ],
    [
      "HS256",
      () =>
        new SignJWT({})
          .setProtectedHeader({ alg: "HS256", kid: h.fake.apiKey.keyId })
          .setIssuer(h.fake.apiKey.issuerId)
          .setIssuedAt()
          .setExpirationTime("10m")
          .setAudience("appstoreconnect-v1")
          .sign(new TextEncoder().encode("a shared secret that Apple never accepts")),
    ],
    ["garbage", async () => "not.a.jwt"],
  ];
  it.each(rejections)("answers 401 for %s and logs why", async (_what, token) => {
    h.fake.clearLog();
    const res = await h.api.request("GET", "/v1/devices", { token: await token() });
    expect(res.status).toBe(401);
    expect(res.body.errors[0].code).toBe("NOT_AUTHORIZED");
    expect(h.fake.log).toHaveLength(1);
    expect(h.fake.log[0]).toMatchObject({ status: 401, method: "GET", path: "/v1/devices" });
    expect(h.fake.log[0]!.rejection).toBeTruthy();
  });

  it("rejects a revoked key", async () => {
    const key = h.fake.addApiKey();
    const client = fakeClient(h.fake.url, { key });
    try {
      expect((await client.get("/v1/devices")).status).toBe(200);
      h.fake.revokeApiKey(key.keyId);
      expect((await client.get("/v1/devices")).status).toBe(401);
    } finally {
      await client.close();
    }
  });

  it("forbids individual keys the provisioning endpoints, but not apps", async () => {
    const key = h.fake.addApiKey("individual");
    const client = fakeClient(h.fake.url, { key, token: { issuer: null, subject: "user" } });
    try {
      const provisioning = await client.get("/v1/profiles");
      expect(provisioning.status).toBe(403);
      expect(provisioning.body.errors[0]).toMatchObject({ status: "403", code: "FORBIDDEN_ERROR" });
      expect((await client.get("/v1/apps")).status).toBe(200);
    } finally {
      await client.close();
    }
  });

  it("answers 403 REQUIRED_AGREEMENTS_MISSING_OR_EXPIRED while the agreements are missing", async () => {
    h.fake.state.setAgreementsMissing(true);
    try {
      const res = await h.api.get("/v1/certificates");
      expect(res.status).toBe(403);
      const [error] = res.body.errors;
      expect(error.id).toBeTruthy();
      if (hasShared) {
        const { id: _id, ...expected } = fixture("error-403-agreements-missing-with-links.codemagic.json")
          .errors[0];
        expect(error).toMatchObject(expected);
      } else {
        expect(error.code).toBe("FORBIDDEN.REQUIRED_AGREEMENTS_MISSING_OR_EXPIRED");
      }
    } finally {
      h.fake.state.setAgreementsMissing(false);
    }
    expect((await h.api.get("/v1/certificates")).status).toBe(200);
  });
});

describe("fake ASC: enterprise audience", () => {
  const h = useFakeAsc({ enterprise: true });

  it("wants apple-developer-enterprise-v1", async () => {
    const wrong = await h.api.request("GET", "/v1/devices", {
      token: await signToken(h.fake.apiKey, { audience: "appstoreconnect-v1" }),
    });
    expect(wrong.status).toBe(401);
    const right = await h.api.request("GET", "/v1/devices", {
      token: await signToken(h.fake.apiKey, { audience: "apple-developer-enterprise-v1" }),
    });
    expect(right.status).toBe(200);
  });
});

describe("fake ASC: the rolling-hour rate limit on the fake's clock", () => {
  let clock = Date.parse("2030-01-01T00:00:00Z");
  const h = useFakeAsc({ rateLimitPerHour: 3, now: () => clock });
  const get = async () =>
    h.api.request("GET", "/v1/devices", {
      token: await signToken(h.fake.apiKey, { iat: Math.floor(clock / 1000) }),
    });

  it("counts down, answers 429 past the limit with Retry-After, and frees slots as the hour rolls", async () => {
    expect((await get()).headers["x-rate-limit"]).toBe("user-hour-lim:3;user-hour-rem:2;");
    clock += 10 * 60_000;
    expect((await get()).headers["x-rate-limit"]).toBe("user-hour-lim:3;user-hour-rem:1;");
    expect((await get()).headers["x-rate-limit"]).toBe("user-hour-lim:3;user-hour-rem:0;");
    const limited = await get();
    expect(limited.status).toBe(429);
    expect(limited.body.errors[0]).toMatchObject({ status: "429", code: "RATE_LIMIT_EXCEEDED" });
    expect(limited.headers["retry-after"]).toBe(String(50 * 60));
    expect(limited.headers["x-rate-limit"]).toBe("user-hour-lim:3;user-hour-rem:0;");
    clock += 50 * 60_000 + 1;
    const freed = await get();
    expect(freed.status).toBe(200);
    expect(freed.headers["x-rate-limit"]).toBe("user-hour-lim:3;user-hour-rem:0;");
  });
});

describe("fake ASC: the burst limit", () => {
  const h = useFakeAsc({ burstLimit: 2, latencyMs: 150 });

  it("answers 429 to requests beyond the burst limit in flight for one key", async () => {
    const answers = await Promise.all(Array.from({ length: 5 }, () => h.api.get("/v1/devices")));
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([200, 200, 429, 429, 429]);
    expect((await h.api.get("/v1/devices")).status).toBe(200);
  });
});
