// AscClient: what it sends, pagination, and how error answers become AscApiError.
import { afterAll, afterEach, describe, expect, it } from "vitest";
import {
  ascError,
  assertNoSecretsLeaked,
  fixture,
  type Handler,
  type Harness,
  makeClient,
  startServer,
  type TestServer,
} from "../support/asc-test-kit.ts";
import { hasShared } from "../support/shared-dir.ts";

let server: TestServer;
let harness: Harness;
let handler: Handler = () => ({ body: { data: [] } });

async function setUp(h: Handler, options: Parameters<typeof makeClient>[1] = {}): Promise<void> {
  handler = h;
  server = await startServer((req, i) => handler(req, i));
  harness = makeClient(server.url, options);
}

afterEach(async () => {
  await harness?.close();
  await server?.close();
});
afterAll(() => assertNoSecretsLeaked());

describe("requests", () => {
  it("sends Authorization, Accept, User-Agent; Content-Type and the JSON body only on writes", async () => {
    await setUp((req) => ({
      status: req.method === "POST" ? 201 : 200,
      body: { data: { type: "x", id: "1" } },
    }));
    await harness.client.get("/v1/devices/1");
    const created = await harness.client.post("/v1/devices", { data: { type: "devices" } });
    expect(created.data).toEqual({ type: "x", id: "1" });
    const [get, post] = server.requests;
    expect(get!.headers.authorization).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
    expect(get!.headers.accept).toBe("application/json");
    expect(get!.headers["user-agent"]).toBe("asc-provision/1.0.0");
    expect(get!.headers["content-type"]).toBeUndefined();
    expect(post!.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(post!.body)).toEqual({ data: { type: "devices" } });
  });

  it("encodes queries with literal brackets and bare commas between list items", async () => {
    await setUp(() => ({ body: { data: [] } }));
    await harness.client.get("/v1/bundleIds", {
      "filter[identifier]": ["com.a.app", "com.b.app"],
      "filter[name]": "My App",
      limit: 200,
    });
    expect(server.requests[0]!.url).toBe(
      "/v1/bundleIds?filter[identifier]=com.a.app,com.b.app&filter[name]=My%20App&limit=200",
    );
  });

  it("tolerates a trailing slash in the base URL and logs one debug line per request", async () => {
    server = await startServer(() => ({ body: { data: [] } }));
    harness = makeClient(`${server.url}/`);
    await harness.client.get("/v1/profiles", { limit: 1 });
    expect(server.requests[0]!.url).toBe("/v1/profiles?limit=1");
    expect(harness.logs).toEqual([expect.stringMatching(/^debug: GET \/v1\/profiles\?limit=1 200 \d+ ms$/)]);
  });

  it("DELETE resolves on 204 without a body", async () => {
    await setUp(() => ({ status: 204 }));
    await expect(harness.client.delete("/v1/profiles/P1")).resolves.toBeUndefined();
    expect(server.requests[0]!.method).toBe("DELETE");
  });
});

describe("getAll", () => {
  it("follows links.next to the end whatever meta.paging.total says, and merges included", async () => {
    await setUp((req) => {
      const page = Number(req.query.get("cursor") ?? "0");
      const next = page < 2 ? `${server.url}/v1/devices?cursor=${page + 1}&limit=2` : undefined;
      return {
        body: {
          data: [
            { type: "devices", id: `D${page}a` },
            { type: "devices", id: `D${page}b` },
          ],
          included: [{ type: "apps", id: "shared" }],
          links: { self: "x", ...(next ? { next } : {}) },
          meta: { paging: { total: 2, limit: 2 } },
        },
      };
    });
    const { data, included } = await harness.client.getAll<{ id: string }>("/v1/devices", { limit: 2 });
    expect(data.map((d) => d.id)).toEqual(["D0a", "D0b", "D1a", "D1b", "D2a", "D2b"]);
    expect(included).toEqual([{ type: "apps", id: "shared" }]);
    expect(server.requests.map((r) => r.url)).toEqual([
      "/v1/devices?limit=2",
      "/v1/devices?cursor=1&limit=2",
      "/v1/devices?cursor=2&limit=2",
    ]);
  });

  it("refuses a links.next on another origin (the token would leak there)", async () => {
    await setUp(() => ({
      body: { data: [], links: { next: "https://evil.example.com/v1/devices?cursor=1" } },
    }));
    const error = await ascError(harness.client.getAll("/v1/devices"));
    expect(error.code).toBe("FOREIGN_NEXT_LINK");
    expect(error.message).toContain("https://evil.example.com");
    expect(error.message).toContain("`api-base-url`");
    expect(server.requests).toHaveLength(1);
  });

  it("stops with an error when links.next loops", async () => {
    await setUp(() => ({
      body: { data: [{ id: "1" }], links: { next: `${server.url}/v1/devices?cursor=1` } },
    }));
    const error = await ascError(harness.client.getAll("/v1/devices"));
    expect(error.code).toBe("PAGINATION_LOOP");
    expect(server.requests).toHaveLength(2);
  });
});

describe.skipIf(!hasShared)("error answers (fixtures)", () => {
  it("401 twice: one new token, then the API-key message", async () => {
    await setUp(() => ({ status: 401, body: fixture("error-401-not-authorized.json") }));
    const error = await ascError(harness.client.get("/v1/certificates"));
    expect(error.status).toBe(401);
    expect(error.code).toBe("NOT_AUTHORIZED");
    expect(error.message).toBe(
      "App Store Connect rejected the API key (401 NOT_AUTHORIZED): check `issuer-id`, `key-id` and that `private-key` is the .p8 of that key, that the key is not revoked, and that the runner's clock is right.",
    );
    expect(server.requests).toHaveLength(2);
    expect(server.requests[0]!.headers.authorization).not.toBe(server.requests[1]!.headers.authorization);
    expect(harness.client.stats.tokensMinted).toBe(2);
  });

  it("401 once: a new token, then success", async () => {
    await setUp((_req, i) =>
      i === 0 ? { status: 401, body: fixture("error-401-not-authorized.json") } : { body: { data: [] } },
    );
    await expect(harness.client.get("/v1/certificates")).resolves.toEqual({ data: [] });
    expect(server.requests).toHaveLength(2);
    expect(harness.sleeps).toEqual([]);
  });

  it("401 on a concurrent wave mints one new token, not one per request", async () => {
    let firstToken: string | undefined;
    await setUp((req) => {
      firstToken ??= req.headers.authorization;
      return req.headers.authorization === firstToken
        ? { status: 401, body: fixture("error-401-not-authorized.json") }
        : { body: { data: [] } };
    });
    await Promise.all(Array.from({ length: 5 }, () => harness.client.get("/v1/devices")));
    expect(harness.client.stats.tokensMinted).toBe(2);
    expect(server.requests).toHaveLength(10);
  });

  it("403 agreements: the Account Holder must accept the License Agreement", async () => {
    await setUp(() => ({
      status: 403,
      headers: { "x-request-id": "REQ-403" },
      body: fixture("error-403-agreements-missing-with-links.codemagic.json"),
    }));
    const error = await ascError(harness.client.get("/v1/profiles"));
    expect(error.status).toBe(403);
    expect(error.code).toBe("FORBIDDEN.REQUIRED_AGREEMENTS_MISSING_OR_EXPIRED");
    expect(error.errors[0]!.id).toBe("XHI3JTPAXPXMTCWTY6RJMMMZUI");
    expect(error.requestId).toBe("REQ-403");
    expect(error.message).toMatch(
      /^The Account Holder must accept the latest Apple Developer Program License Agreement at https:\/\/developer\.apple\.com\/account before the API can be used \(403 FORBIDDEN\.REQUIRED_AGREEMENTS_MISSING_OR_EXPIRED/,
    );
    expect(error.message).toContain("REQ-403");
    expect(server.requests).toHaveLength(1);
  });

  it("other 403: a team key with the Admin or App Manager role", async () => {
    await setUp(() => ({
      status: 403,
      body: { errors: [{ status: "403", code: "FORBIDDEN_ERROR", title: "This request is forbidden." }] },
    }));
    const error = await ascError(harness.client.post("/v1/bundleIds", {}));
    expect(error.code).toBe("FORBIDDEN_ERROR");
    expect(error.message).toContain("team API key (not an individual key)");
    expect(error.message).toContain("Admin or App Manager");
    expect(error.outcomeUnknown).toBe(false);
  });

  it("404 keeps code, title, detail, source and path", async () => {
    await setUp(() => ({ status: 404, body: fixture("error-404-not-found.codemagic.json") }));
    const error = await ascError(harness.client.get("/v1/bundleIds/NLRN94JD591", { include: ["app"] }));
    expect(error).toMatchObject({
      status: 404,
      code: "NOT_FOUND",
      title: "The specified resource does not exist",
      detail: "There is no resource of type 'bundleIds' with id 'NLRN94JD591'",
      method: "GET",
      path: "/v1/bundleIds/NLRN94JD591?include=app",
      outcomeUnknown: false,
    });
    expect(error.errors[0]!.source).toEqual({ pointer: "data/id" });
    expect(error.message).toBe(
      "GET /v1/bundleIds/NLRN94JD591?include=app failed: 404 NOT_FOUND: The specified resource does not exist (There is no resource of type 'bundleIds' with id 'NLRN94JD591').",
    );
    expect(server.requests).toHaveLength(1);
  });

  it("409 from POST /v1/profiles stays a plain entity error", async () => {
    await setUp(() => ({ status: 409, body: fixture("error-409-profile-create-unknown-app-id.json") }));
    const error = await ascError(harness.client.post("/v1/profiles", {}));
    expect(error.code).toBe("ENTITY_ERROR");
    expect(error.message).toContain("There is no App ID with ID 'com.xxx.xxxx' on this team.");
    expect(error.message).not.toContain("certificate limit");
    expect(server.requests).toHaveLength(1);
  });
});

describe("other error answers", () => {
  it("409 'You already have a current' from POST /v1/certificates: the certificate limit", async () => {
    await setUp(() => ({
      status: 409,
      body: {
        errors: [
          {
            status: "409",
            code: "ENTITY_ERROR.ATTRIBUTE.INVALID",
            title: "An attribute value is invalid.",
            detail:
              "There is a problem with the request entity: You already have a current Distribution certificate or a pending certificate request.",
          },
        ],
      },
    }));
    const error = await ascError(harness.client.post("/v1/certificates", {}));
    expect(error.code).toBe("ENTITY_ERROR.ATTRIBUTE.INVALID");
    expect(error.message).toMatch(/^The certificate limit for this type was reached \(409 ENTITY_ERROR/);
    expect(error.outcomeUnknown).toBe(false);
  });

  it("an HTML 502 on a write: not JSON, tags stripped, outcome unknown, not repeated", async () => {
    await setUp(() => ({
      status: 502,
      body: "<html><head><title>502 Bad Gateway</title><style>b{}</style></head><body><h1>Bad Gateway</h1></body></html>",
    }));
    const error = await ascError(harness.client.post("/v1/profiles", {}));
    expect(error.status).toBe(502);
    expect(error.code).toBe("NON_JSON_RESPONSE");
    expect(error.title).toBe("The answer's body was not JSON: 502 Bad Gateway Bad Gateway");
    expect(error.outcomeUnknown).toBe(true);
    expect(error.message).toContain("re-read");
    expect(server.requests).toHaveLength(1);
  });

  it("cuts a long non-JSON body to 200 characters", async () => {
    await setUp(() => ({ status: 500, body: `<p>${"x".repeat(500)}</p>` }), { retry: { maxAttempts: 1 } });
    const error = await ascError(harness.client.get("/v1/devices"));
    expect(error.title).toBe(`The answer's body was not JSON: ${"x".repeat(200)}…`);
  });

  it("a 200 with a non-JSON or empty body on GET is retried, then fails", async () => {
    await setUp((_req, i) => (i === 0 ? { status: 200, body: "OK" } : { status: 200 }), {
      retry: { maxAttempts: 2 },
    });
    const error = await ascError(harness.client.get("/v1/devices"));
    expect(error.status).toBe(200);
    expect(error.code).toBe("NON_JSON_RESPONSE");
    expect(error.title).toContain("(empty body)");
    expect(error.message).toContain("after 2 attempts");
    expect(server.requests).toHaveLength(2);
  });

  it("a 201 with a non-JSON body on a write: outcome unknown", async () => {
    await setUp(() => ({ status: 201, body: "created" }));
    const error = await ascError(harness.client.post("/v1/devices", {}));
    expect(error.outcomeUnknown).toBe(true);
    expect(server.requests).toHaveLength(1);
  });

  it("a JSON success without data is an unexpected answer", async () => {
    await setUp(() => ({ body: { hello: "world" } }), { retry: { maxAttempts: 1 } });
    const error = await ascError(harness.client.get("/v1/devices"));
    expect(error.code).toBe("UNEXPECTED_RESPONSE");
  });

  it("a 4xx JSON answer without an error document keeps the status", async () => {
    await setUp(() => ({ status: 400, body: { message: "bad" } }));
    const error = await ascError(harness.client.get("/v1/devices"));
    expect(error.code).toBe("HTTP_400");
    expect(error.status).toBe(400);
  });

  it("several errors: the first gives the code, the others are listed", async () => {
    await setUp(() => ({
      status: 422,
      body: {
        errors: [
          { status: "422", code: "ENTITY_UNPROCESSABLE", title: "A", detail: "first" },
          { status: "422", code: "ENTITY_UNPROCESSABLE.OTHER", title: "B", detail: "second" },
        ],
      },
    }));
    const error = await ascError(harness.client.patch("/v1/devices/D1", {}));
    expect(error.errors).toHaveLength(2);
    expect(error.message).toContain("Also: ENTITY_UNPROCESSABLE.OTHER: second.");
  });
});
