// AscClient transport failures: TLS, unreachable hosts, refused connections. Each names the host and
// the fix (`api-base-url`, proxy settings, NODE_EXTRA_CA_CERTS).
import { Agent } from "undici";
import { afterAll, describe, expect, it } from "vitest";
import { AscClient } from "../../src/core/asc/http.ts";
import {
  ascError,
  assertNoSecretsLeaked,
  freePort,
  makeClient,
  startServer,
  testApiKey,
} from "../support/asc-test-kit.ts";
import { createTestTls } from "../support/tls-ca.ts";

afterAll(() => assertNoSecretsLeaked());

describe("TLS", () => {
  it("an untrusted certificate: TLS_ERROR naming NODE_EXTRA_CA_CERTS, not retried", async () => {
    const tls = await createTestTls();
    const server = await startServer(() => ({ body: { data: [] } }), {
      tls: { cert: tls.certPem, key: tls.keyPem },
    });
    const h = makeClient(server.url);
    const error = await ascError(h.client.get("/v1/devices"));
    expect(error.status).toBe(0);
    expect(error.code).toBe("TLS_ERROR");
    expect(error.title).toMatch(/UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED|CERT/);
    expect(error.message).toContain(`127.0.0.1:${server.port}`);
    expect(error.message).toContain("NODE_EXTRA_CA_CERTS");
    expect(error.message).toContain("`api-base-url`");
    expect(h.sleeps).toEqual([]);
    expect(h.client.stats.requests).toBe(1);
    await h.close();
    await server.close();
  });

  it("a trusted CA on the dispatcher: the same server answers", async () => {
    const tls = await createTestTls();
    const server = await startServer(() => ({ body: { data: [] } }), {
      tls: { cert: tls.certPem, key: tls.keyPem },
    });
    const agent = new Agent({ connect: { ca: tls.caCertPem } });
    const h = makeClient(server.url, { dispatcher: agent });
    await expect(h.client.get("/v1/devices")).resolves.toEqual({ data: [] });
    expect(server.requests).toHaveLength(1);
    await agent.close();
    await server.close();
  });
});

describe("default dispatcher", () => {
  it("honours HTTP_PROXY from the environment", async () => {
    const proxy = await startServer(() => ({ body: { data: [] } }));
    const saved = { ...process.env };
    for (const name of ["NO_PROXY", "no_proxy", "HTTPS_PROXY", "https_proxy", "http_proxy"])
      delete process.env[name];
    process.env.HTTP_PROXY = proxy.url;
    try {
      const client = new AscClient({
        issuerId: "issuer",
        keyId: "KEY1234567",
        privateKey: testApiKey(),
        baseUrl: "http://asc.example.test",
        sleep: async () => {},
      });
      await expect(client.get("/v1/devices", { limit: 1 })).resolves.toEqual({ data: [] });
      await client.close();
    } finally {
      process.env = saved;
      await proxy.close();
    }
    // A forward proxy receives the absolute URL.
    expect(proxy.requests.map((r) => r.url)).toEqual(["http://asc.example.test/v1/devices?limit=1"]);
  });
});

describe("unreachable", () => {
  it("a host that does not resolve: NETWORK_ERROR naming the host and `api-base-url`, after the retries", async () => {
    const agent = new Agent({
      connect: {
        lookup: (hostname, _options, callback) =>
          callback(
            Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" }),
            "",
            4,
          ),
      },
    });
    const h = makeClient("https://asc.example.invalid", { dispatcher: agent, retry: { maxAttempts: 3 } });
    const error = await ascError(h.client.post("/v1/devices", {}));
    expect(error.status).toBe(0);
    expect(error.code).toBe("NETWORK_ERROR");
    expect(error.title).toBe("Network failure (ENOTFOUND)");
    expect(error.message).toContain("asc.example.invalid");
    expect(error.message).toContain("`api-base-url`");
    expect(error.message).toContain("HTTPS_PROXY");
    expect(error.message).toContain("after 3 attempts");
    expect(error.outcomeUnknown).toBe(false);
    expect(h.client.stats.requests).toBe(3);
    await agent.close();
  });

  it("a refused connection on GET: retried up to maxAttempts, then NETWORK_ERROR", async () => {
    const port = await freePort();
    const h = makeClient(`http://127.0.0.1:${port}`);
    const error = await ascError(h.client.get("/v1/devices"));
    expect(error.code).toBe("NETWORK_ERROR");
    expect(error.title).toBe("Network failure (ECONNREFUSED)");
    expect(error.message).toContain(`127.0.0.1:${port}`);
    expect(h.client.stats.requests).toBe(5);
    expect(h.sleeps).toHaveLength(4);
    await h.close();
  });

  it("a base URL that is not a URL is an input error", () => {
    expect(() => makeClient("not a url")).toThrow(/`api-base-url`/);
    expect(() => makeClient("ftp://api.appstoreconnect.apple.com")).toThrow(/not an http\(s\) URL/);
  });
});
