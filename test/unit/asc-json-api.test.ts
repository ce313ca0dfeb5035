import { describe, expect, it } from "vitest";
import {
  buildQueryString,
  buildUrl,
  indexIncluded,
  pickIncluded,
  relationshipId,
  relationshipIds,
} from "../../src/core/asc/json-api.ts";
import { isBudgetLow, parseRateLimit } from "../../src/core/asc/rate-limit.ts";
import {
  backoffDelay,
  DEFAULT_RETRY,
  decideRetry,
  parseRetryAfter,
} from "../../src/core/asc/retry-policy.ts";
import type { AnyResource, ProfileResource } from "../../src/core/asc/types.ts";

describe("buildQueryString", () => {
  it("keeps brackets literal, joins lists with bare commas and encodes values", () => {
    expect(
      buildQueryString({
        "filter[identifier]": ["com.a.app", "com.b app", "x,y&z"],
        include: ["bundleIdCapabilities", "app"],
        limit: 200,
        "limit[bundleIdCapabilities]": 50,
        flag: true,
      }),
    ).toBe(
      "?filter[identifier]=com.a.app,com.b%20app,x%2Cy%26z&include=bundleIdCapabilities,app&limit=200&limit[bundleIdCapabilities]=50&flag=true",
    );
  });

  it("leaves out undefined values and empty lists", () => {
    expect(buildQueryString({ "filter[platform]": undefined, "filter[udid]": [], limit: 200 })).toBe(
      "?limit=200",
    );
    expect(buildQueryString({})).toBe("");
    expect(buildQueryString(undefined)).toBe("");
  });
});

describe("buildUrl", () => {
  it("tolerates a trailing slash and keeps a path prefix", () => {
    expect(buildUrl("https://api.appstoreconnect.apple.com/", "/v1/profiles", { limit: 1 }).href).toBe(
      "https://api.appstoreconnect.apple.com/v1/profiles?limit=1",
    );
    expect(buildUrl("http://127.0.0.1:9/fake//", "v1/devices").href).toBe(
      "http://127.0.0.1:9/fake/v1/devices",
    );
  });
});

describe("relationships and included", () => {
  const profile: ProfileResource = {
    type: "profiles",
    id: "P1",
    relationships: {
      bundleId: { data: { type: "bundleIds", id: "B1" } },
      devices: {
        data: [
          { type: "devices", id: "D2" },
          { type: "devices", id: "D1" },
        ],
      },
      certificates: { links: { related: "x" } },
    },
  };
  it("reads to-one and to-many linkage", () => {
    expect(relationshipId(profile, "bundleId")).toBe("B1");
    expect(relationshipId(profile, "devices")).toBeUndefined();
    expect(relationshipIds(profile, "devices")).toEqual(["D2", "D1"]);
    expect(relationshipIds(profile, "certificates")).toEqual([]);
    expect(relationshipIds(profile, "missing")).toEqual([]);
  });
  it("picks included resources by type and id in linkage order", () => {
    const included: AnyResource[] = [
      { type: "devices", id: "D1" },
      { type: "devices", id: "D2" },
      { type: "certificates", id: "D1" },
    ];
    const picked = pickIncluded(indexIncluded(included), "devices", ["D2", "D1", "D9"]);
    expect(picked.map((r) => `${r.type}/${r.id}`)).toEqual(["devices/D2", "devices/D1"]);
  });
});

describe("rate-limit header", () => {
  it("parses Apple's X-Rate-Limit", () => {
    expect(parseRateLimit("user-hour-lim:3600;user-hour-rem:3412;")).toEqual({
      limit: 3600,
      remaining: 3412,
    });
    expect(parseRateLimit("user-hour-lim:3500; user-hour-rem:500")).toEqual({ limit: 3500, remaining: 500 });
    expect(parseRateLimit(undefined)).toBeUndefined();
    expect(parseRateLimit("garbage")).toBeUndefined();
    expect(parseRateLimit("user-hour-lim:3600;")).toBeUndefined();
  });
  it("is low at 10 % of the limit or under 50 requests", () => {
    expect(isBudgetLow({ limit: 3600, remaining: 360 })).toBe(true);
    expect(isBudgetLow({ limit: 3600, remaining: 361 })).toBe(false);
    expect(isBudgetLow({ limit: 100, remaining: 49 })).toBe(true);
    expect(isBudgetLow({ limit: 100, remaining: 50 })).toBe(false);
  });
});

describe("retry policy", () => {
  it("retries reads on 5xx, resets and unreadable successes; never repeats a write that may have landed", () => {
    expect(decideRetry("GET", { kind: "status", status: 502 }).action).toBe("retry");
    expect(decideRetry("GET", { kind: "status", status: 200 }).action).toBe("retry");
    expect(decideRetry("GET", { kind: "sent" }).action).toBe("retry");
    expect(decideRetry("POST", { kind: "status", status: 503 }).action).toBe("outcome-unknown");
    expect(decideRetry("DELETE", { kind: "sent" }).action).toBe("outcome-unknown");
    expect(decideRetry("PATCH", { kind: "status", status: 201 }).action).toBe("outcome-unknown");
    expect(decideRetry("POST", { kind: "not-sent" }).action).toBe("retry");
    expect(decideRetry("POST", { kind: "status", status: 429 }).action).toBe("retry");
    expect(decideRetry("GET", { kind: "tls" }).action).toBe("fail");
    expect(decideRetry("GET", { kind: "status", status: 404 }).action).toBe("fail");
    expect(decideRetry("GET", { kind: "status", status: 409 }).action).toBe("fail");
  });
  it("backs off exponentially with full jitter up to the cap", () => {
    expect(backoffDelay(1, DEFAULT_RETRY, () => 0.999)).toBe(499);
    expect(backoffDelay(3, DEFAULT_RETRY, () => 0.5)).toBe(1000);
    expect(backoffDelay(10, DEFAULT_RETRY, () => 0.5)).toBe(4000);
    expect(backoffDelay(2, DEFAULT_RETRY, () => 0)).toBe(0);
  });
  it("reads Retry-After as seconds or an HTTP date", () => {
    const now = Date.UTC(2025, 0, 1);
    expect(parseRetryAfter("30", now)).toBe(30_000);
    expect(parseRetryAfter(new Date(now + 5000).toUTCString(), now)).toBe(5000);
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});
