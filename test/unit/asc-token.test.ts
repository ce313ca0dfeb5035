import { createPublicKey } from "node:crypto";
import { decodeProtectedHeader, jwtVerify } from "jose";
import { Agent, buildConnector } from "undici";
import { afterAll, describe, expect, it } from "vitest";
import {
  APPLE_API_BASE_URL,
  audienceFor,
  ENTERPRISE_API_BASE_URL,
  TokenSource,
} from "../../src/core/asc/token.ts";
import {
  assertNoSecretsLeaked,
  makeClient,
  START,
  startServer,
  testApiKey,
} from "../support/asc-test-kit.ts";
import { createTestTls } from "../support/tls-ca.ts";

function source(now: { t: number }, masked: string[] = [], audience = "appstoreconnect-v1") {
  return new TokenSource({
    issuerId: "issuer-1",
    keyId: "KEY1234567",
    privateKey: testApiKey(),
    audience,
    clock: { now: () => now.t },
    masker: { mask: (s) => void masked.push(s) },
  });
}

describe("TokenSource", () => {
  it("signs an ES256 JWT with kid and typ, iss, iat, aud and exp 19 minutes after iat", async () => {
    const now = { t: START };
    const jwt = await source(now).token();
    expect(decodeProtectedHeader(jwt)).toEqual({ alg: "ES256", kid: "KEY1234567", typ: "JWT" });
    const { payload } = await jwtVerify(jwt, createPublicKey(testApiKey()), {
      algorithms: ["ES256"],
      issuer: "issuer-1",
      audience: "appstoreconnect-v1",
      currentDate: new Date(START),
    });
    expect(payload.iat).toBe(START / 1000);
    expect(payload.exp).toBe(START / 1000 + 19 * 60);
    expect(payload.exp! - payload.iat!).toBeLessThanOrEqual(20 * 60);
  });

  it("reuses the token while 2 minutes or more are left, then mints a new one", async () => {
    const now = { t: START };
    const masked: string[] = [];
    const tokens = source(now, masked);
    const first = await tokens.token();
    now.t = START + 17 * 60_000; // exactly 2 minutes left
    expect(await tokens.token()).toBe(first);
    now.t += 1000; // less than 2 minutes left
    const second = await tokens.token();
    expect(second).not.toBe(first);
    expect(tokens.minted).toBe(2);
    expect(masked).toEqual([first, second]);
  });

  it("mints one token for concurrent first calls", async () => {
    const tokens = source({ t: START });
    const all = await Promise.all(Array.from({ length: 10 }, () => tokens.token()));
    expect(new Set(all).size).toBe(1);
    expect(tokens.minted).toBe(1);
  });

  it("invalidate(rejected) drops only the token that was rejected", async () => {
    const now = { t: START };
    const tokens = source(now);
    const first = await tokens.token();
    tokens.invalidate(first);
    now.t += 1000; // a different iat gives a different token
    const second = await tokens.token();
    expect(second).not.toBe(first);
    tokens.invalidate(first); // a late 401 for the old token keeps the new one
    expect(await tokens.token()).toBe(second);
    tokens.invalidate();
    now.t += 1000;
    expect(await tokens.token()).not.toBe(second);
  });
});

describe("audienceFor", () => {
  it("gives the enterprise audience for the enterprise host only", () => {
    expect(audienceFor(APPLE_API_BASE_URL)).toBe("appstoreconnect-v1");
    expect(audienceFor(ENTERPRISE_API_BASE_URL)).toBe("apple-developer-enterprise-v1");
    expect(audienceFor("https://API.Enterprise.Developer.Apple.com/")).toBe("apple-developer-enterprise-v1");
    expect(audienceFor("http://127.0.0.1:8080")).toBe("appstoreconnect-v1");
  });
});

describe("AscClient tokens", () => {
  afterAll(() => assertNoSecretsLeaked());

  it("sends the enterprise audience to the enterprise host", async () => {
    // The enterprise host's name, served on loopback: the agent connects there whatever the URL says.
    const host = new URL(ENTERPRISE_API_BASE_URL).hostname;
    const tls = await createTestTls([host]);
    const server = await startServer(() => ({ body: { data: [] } }), {
      tls: { cert: tls.certPem, key: tls.keyPem },
    });
    const connector = buildConnector({ ca: tls.caCertPem });
    const agent = new Agent({
      connect: (options, callback) =>
        connector(
          { ...options, hostname: "127.0.0.1", port: String(server.port), servername: host },
          callback,
        ),
    });
    const h = makeClient(`${ENTERPRISE_API_BASE_URL}/`, { dispatcher: agent });
    await h.client.get("/v1/devices", { limit: 200 });
    expect(server.requests.map((r) => [r.headers.host, r.url])).toEqual([[host, "/v1/devices?limit=200"]]);
    const jwt = String(server.requests[0]?.headers.authorization).replace(/^Bearer /, "");
    const { payload } = await jwtVerify(jwt, createPublicKey(testApiKey()), { currentDate: new Date(START) });
    expect(payload.aud).toBe("apple-developer-enterprise-v1");
    await agent.close();
    await server.close();
  });

  it("mints one token for a concurrent wave and masks it", async () => {
    const server = await startServer(() => ({ body: { data: [] } }));
    const h = makeClient(server.url);
    await Promise.all(Array.from({ length: 8 }, () => h.client.get("/v1/devices")));
    expect(h.client.stats.tokensMinted).toBe(1);
    expect(new Set(server.requests.map((r) => r.headers.authorization)).size).toBe(1);
    expect(h.masked).toEqual([server.requests[0]!.headers.authorization!.replace("Bearer ", "")]);
    await h.close();
    await server.close();
  });

  it("renews the token on a later request once it is near expiry", async () => {
    const server = await startServer(() => ({ body: { data: [] } }));
    const h = makeClient(server.url);
    await h.client.get("/v1/devices");
    h.clock.advance(10 * 60_000);
    await h.client.get("/v1/devices");
    h.clock.advance(8 * 60_000);
    await h.client.get("/v1/devices");
    const auths = server.requests.map((r) => r.headers.authorization);
    expect(auths[0]).toBe(auths[1]);
    expect(auths[2]).not.toBe(auths[1]);
    expect(h.client.stats.tokensMinted).toBe(2);
    await h.close();
    await server.close();
  });
});
