// AscClient transport over undici: TLS (a CA on the dispatcher, NODE_EXTRA_CA_CERTS), proxies from the
// environment through the default EnvHttpProxyAgent (HTTP_PROXY, CONNECT via HTTPS_PROXY, NO_PROXY, proxy
// credentials), unreachable hosts, refused and reset connections (what counts as "not sent"). Each failure
// names the host and the fix (`api-base-url`, proxy settings, NODE_EXTRA_CA_CERTS).
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getCACertificates, setDefaultCACertificates } from "node:tls";
import { promisify } from "node:util";
import { Agent, buildConnector } from "undici";
import { afterAll, describe, expect, it } from "vitest";
import { exchange } from "../../src/core/asc/exchange.ts";
import { AscClient } from "../../src/core/asc/http.ts";
import {
  ascError,
  assertNoSecretsLeaked,
  freePort,
  makeClient,
  startServer,
  type TestServer,
  testApiKey,
} from "../support/asc-test-kit.ts";
import { startConnectProxy, startTcpFront } from "../support/loopback-relays.ts";
import { projectRoot } from "../support/runner-sim.ts";
import { createTestTls, type TestTls } from "../support/tls-ca.ts";

afterAll(() => assertNoSecretsLeaked());

const PROXY_VARIABLES = ["HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy"];

/** Runs `fn` with exactly `variables` as the proxy environment; the environment is restored after. */
async function withProxyEnv<T>(variables: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(PROXY_VARIABLES.map((name) => [name, process.env[name]]));
  for (const name of PROXY_VARIABLES) delete process.env[name];
  Object.assign(process.env, variables);
  try {
    return await fn();
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

/** Runs `fn` with the test CA among the process's default CAs (what the client's own dispatcher trusts). */
async function withDefaultCa<T>(caCertPem: string, fn: () => Promise<T>): Promise<T> {
  const saved = getCACertificates("default");
  setDefaultCACertificates([...saved, caCertPem]);
  try {
    return await fn();
  } finally {
    setDefaultCACertificates(saved);
  }
}

/** A client with its own default dispatcher (the production wiring), built now: the proxy variables are read here. */
function defaultClient(baseUrl: string): AscClient {
  return new AscClient({
    issuerId: "issuer",
    keyId: "KEY1234567",
    privateKey: testApiKey(),
    baseUrl,
    sleep: async () => {},
  });
}

async function tlsServer(
  handler: Parameters<typeof startServer>[0],
): Promise<{ tls: TestTls; server: TestServer }> {
  const tls = await createTestTls();
  const server = await startServer(handler, { tls: { cert: tls.certPem, key: tls.keyPem } });
  return { tls, server };
}

describe("TLS", () => {
  it("an untrusted certificate: TLS_ERROR naming NODE_EXTRA_CA_CERTS, not retried", async () => {
    const { server } = await tlsServer(() => ({ body: { data: [] } }));
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

  it("a trusted CA on the agent: the same server answers", async () => {
    const { tls, server } = await tlsServer(() => ({ body: { data: [] } }));
    const agent = new Agent({ connect: { ca: tls.caCertPem } });
    const h = makeClient(server.url, { dispatcher: agent });
    await expect(h.client.get("/v1/devices")).resolves.toEqual({ data: [] });
    expect(server.requests).toHaveLength(1);
    await agent.close();
    await server.close();
  });

  it("trusts the CA NODE_EXTRA_CA_CERTS names, in a process started with it (as on a runner)", {
    timeout: 20_000,
  }, async () => {
    const { tls, server } = await tlsServer(() => ({ body: { data: [{ type: "devices", id: "D1" }] } }));
    const dir = mkdtempSync(join(tmpdir(), "asc-extra-ca-"));
    const caPath = join(dir, "ca.pem");
    writeFileSync(caPath, tls.caCertPem);
    const script = [
      `import { generateKeyPairSync } from "node:crypto";`,
      `import { AscClient } from ${JSON.stringify(join(projectRoot, "src", "core", "asc", "http.ts"))};`,
      `const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });`,
      `const client = new AscClient({ issuerId: "issuer", keyId: "KEY1234567", privateKey, baseUrl: ${JSON.stringify(server.url)} });`,
      `const answer = await client.get("/v1/devices");`,
      `await client.close();`,
      `console.log(JSON.stringify(answer));`,
    ].join("\n");
    try {
      const run = (extraCa: string | undefined) =>
        promisify(execFile)(process.execPath, ["--input-type=module", "-e", script], {
          env: { PATH: process.env.PATH ?? "", ...(extraCa ? { NODE_EXTRA_CA_CERTS: extraCa } : {}) },
        });
      const trusted = await run(caPath);
      expect(JSON.parse(trusted.stdout)).toEqual({ data: [{ type: "devices", id: "D1" }] });
      await expect(run(undefined)).rejects.toMatchObject({ stderr: expect.stringContaining("TLS_ERROR") });
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await server.close();
    }
  });
});

describe("default dispatcher (EnvHttpProxyAgent)", () => {
  it("honours HTTP_PROXY for an http: base URL (undici tunnels it with CONNECT)", async () => {
    const server = await startServer(() => ({ body: { data: [] } }));
    const proxy = await startConnectProxy();
    try {
      await withProxyEnv({ HTTP_PROXY: proxy.url }, async () => {
        const client = defaultClient(server.url);
        await expect(client.get("/v1/devices", { limit: 1 })).resolves.toEqual({ data: [] });
        await client.close();
      });
    } finally {
      await proxy.close();
      await server.close();
    }
    expect(proxy.tunnels).toEqual([`127.0.0.1:${server.port}`]);
    expect(server.requests.map((r) => r.url)).toEqual(["/v1/devices?limit=1"]);
  });

  it("tunnels HTTPS through the CONNECT proxy of HTTPS_PROXY", async () => {
    const { tls, server } = await tlsServer(() => ({ body: { data: [] } }));
    const proxy = await startConnectProxy();
    try {
      await withDefaultCa(tls.caCertPem, () =>
        withProxyEnv({ HTTPS_PROXY: proxy.url }, async () => {
          const client = defaultClient(server.url);
          await expect(client.get("/v1/devices", { limit: 1 })).resolves.toEqual({ data: [] });
          await client.close();
        }),
      );
    } finally {
      await proxy.close();
      await server.close();
    }
    expect(proxy.tunnels).toEqual([`127.0.0.1:${server.port}`]);
    expect(server.requests.map((r) => r.url)).toEqual(["/v1/devices?limit=1"]);
  });

  it("goes direct to a host NO_PROXY names", async () => {
    const { tls, server } = await tlsServer(() => ({ body: { data: [] } }));
    const proxy = await startConnectProxy();
    try {
      await withDefaultCa(tls.caCertPem, () =>
        withProxyEnv({ HTTPS_PROXY: proxy.url, NO_PROXY: "example.com,127.0.0.1" }, async () => {
          const client = defaultClient(server.url);
          await expect(client.get("/v1/devices")).resolves.toEqual({ data: [] });
          await client.close();
        }),
      );
    } finally {
      await proxy.close();
      await server.close();
    }
    expect(proxy.tunnels).toEqual([]);
    expect(server.requests).toHaveLength(1);
  });

  it("authenticates to a proxy with the credentials in HTTPS_PROXY", async () => {
    const { tls, server } = await tlsServer(() => ({ body: { data: [] } }));
    const proxy = await startConnectProxy(undefined, { credentials: "ci-user:p@ss word" });
    const withCredentials = proxy.url.replace(
      "http://",
      `http://ci-user:${encodeURIComponent("p@ss word")}@`,
    );
    try {
      await withDefaultCa(tls.caCertPem, () =>
        withProxyEnv({ HTTPS_PROXY: withCredentials }, async () => {
          const client = defaultClient(server.url);
          await expect(client.get("/v1/devices")).resolves.toEqual({ data: [] });
          await client.close();
        }),
      );
    } finally {
      await proxy.close();
      await server.close();
    }
    expect(proxy.authorizations).toEqual([`Basic ${Buffer.from("ci-user:p@ss word").toString("base64")}`]);
    expect(proxy.tunnels).toEqual([`127.0.0.1:${server.port}`]);
  });

  it("a proxy that refuses the credentials: a network error naming the proxy settings, nothing sent", async () => {
    const { tls, server } = await tlsServer(() => ({ body: { data: [] } }));
    const proxy = await startConnectProxy(undefined, { credentials: "ci-user:right" });
    let error: Awaited<ReturnType<typeof ascError>> | undefined;
    try {
      await withDefaultCa(tls.caCertPem, () =>
        withProxyEnv({ HTTPS_PROXY: proxy.url.replace("http://", "http://ci-user:wrong@") }, async () => {
          const client = defaultClient(server.url);
          error = await ascError(client.post("/v1/devices", {}));
          await client.close();
        }),
      );
    } finally {
      await proxy.close();
      await server.close();
    }
    expect(error?.code).toBe("NETWORK_ERROR");
    expect(error?.message).toContain("HTTPS_PROXY");
    expect(error?.outcomeUnknown).toBe(false);
    expect(proxy.tunnels).toEqual([]);
    expect(server.requests).toEqual([]);
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

// A refused POST is retried (test/unit/asc-http-retry.test.ts) and a DELETE reset after it was sent is
// not; these are the cases where the written/not-written line matters for the same error code.
describe("sent or not: a connection reset", () => {
  const created = { status: 201, body: { data: { type: "devices", id: "D1" } } };

  it("POST: reset during the TLS handshake, before the request was written: retried", async () => {
    const { tls, server } = await tlsServer(() => created);
    const front = await startTcpFront(server.port, (n) => (n === 0 ? "reset" : "pass"));
    const agent = new Agent({ connect: { ca: tls.caCertPem } });
    const h = makeClient(`https://127.0.0.1:${front.port}`, { dispatcher: agent });
    const answer = await h.client.post("/v1/devices", {});
    expect(answer.data).toEqual({ type: "devices", id: "D1" });
    expect(server.requests).toHaveLength(1);
    expect(h.client.stats).toMatchObject({ requests: 2, retries: 1 });
    await agent.close();
    await front.close();
    await server.close();
  });

  it("POST: reset after the request was written: not resent, the outcome is unknown", async () => {
    const { tls, server } = await tlsServer(() => ({ reset: true }));
    const agent = new Agent({ connect: { ca: tls.caCertPem } });
    const h = makeClient(server.url, { dispatcher: agent });
    const error = await ascError(h.client.post("/v1/devices", {}));
    expect(error.code).toBe("NETWORK_ERROR");
    expect(error.outcomeUnknown).toBe(true);
    expect(error.message).toContain("re-read before trying again");
    expect(server.requests).toHaveLength(1);
    expect(h.client.stats).toMatchObject({ requests: 1, retries: 0 });
    await agent.close();
    await server.close();
  });
});

describe("exchange", () => {
  const request = (url: string) => ({ method: "POST" as const, url: new URL(url), headers: {}, body: "{}" });

  it("answers with status, headers and body; a refused connection is not sent", async () => {
    const server = await startServer(() => ({
      body: { data: [] },
      headers: { "x-rate-limit": "user-hour-lim:3600;user-hour-rem:3599;" },
    }));
    const agent = new Agent();
    const answer = await exchange(agent, request(`${server.url}/v1/devices`), 5_000);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ data: [] });
    expect(answer.headers["x-rate-limit"]).toBe("user-hour-lim:3600;user-hour-rem:3599;");
    await expect(
      exchange(agent, request(`http://127.0.0.1:${await freePort()}/`), 5_000),
    ).rejects.toMatchObject({
      classified: { failure: { kind: "not-sent" }, cause: "ECONNREFUSED" },
    });
    await agent.close();
    await server.close();
  });

  it("a connection held before TLS completes times out as not sent; one held after the request as sent", {
    timeout: 10_000,
  }, async () => {
    let releaseAnswer = (): void => {};
    const answerHeld = new Promise<void>((resolve) => {
      releaseAnswer = resolve;
    });
    const { tls, server } = await tlsServer(async () => {
      await answerHeld;
      return { body: { data: [] } };
    });
    const held: (() => void)[] = [];
    const front = await startTcpFront(server.port, () => ({ hold: (release) => void held.push(release) }));
    const connector = buildConnector({ ca: tls.caCertPem });
    const agent = new Agent({ connect: connector });
    await expect(
      exchange(agent, request(`https://127.0.0.1:${front.port}/v1/devices`), 300),
    ).rejects.toMatchObject({
      classified: { failure: { kind: "not-sent" }, cause: "TIMEOUT" },
    });
    await expect(exchange(agent, request(`${server.url}/v1/devices`), 300)).rejects.toMatchObject({
      classified: { failure: { kind: "sent" }, cause: "TIMEOUT" },
    });
    expect(server.requests).toHaveLength(1);
    releaseAnswer();
    for (const release of held) release();
    await agent.destroy();
    await front.close();
    await server.close();
  });
});
