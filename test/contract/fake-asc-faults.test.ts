// Fault injection in the fake (every kind, before and after the write), seeded random faults, the request
// log's round-trip waves, and a prompt stop() even with a response held open.
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { fakeClient } from "../support/fake-asc/client.ts";
import type { FaultKind } from "../support/fake-asc/faults.ts";
import { startFakeAsc } from "../support/fake-asc/index.ts";
import { entity, useFakeAsc } from "../support/fake-asc/testing.ts";

describe("fake ASC: injected faults", () => {
  const h = useFakeAsc();
  let counter = 0;
  const nextUdid = () => `00008140-${(0xf00000 + ++counter).toString(16).toUpperCase().padStart(16, "0")}`;
  const register = (udid: string) =>
    h.api.post("/v1/devices", entity("devices", { name: "Faulty", platform: "IOS", udid }));
  const registered = (udid: string) => h.fake.state.devices().some((d) => d.udid === udid);

  const answered: [
    FaultKind,
    (
      res: { status: number; text: string; body: unknown; headers: Record<string, unknown> },
      when: string,
    ) => void,
  ][] = [
    [
      "500",
      (res) =>
        expect(res).toMatchObject({
          status: 500,
          body: { errors: [{ status: "500", code: "UNEXPECTED_ERROR" }] },
        }),
    ],
    [
      "502",
      (res) =>
        expect(res).toMatchObject({
          status: 502,
          body: { errors: [{ status: "502", title: "Could not process this request" }] },
        }),
    ],
    [
      "html502",
      (res) => {
        expect(res.status).toBe(502);
        expect(res.headers["content-type"]).toBe("text/html");
        expect(res.text).toContain("502 Bad Gateway");
      },
    ],
    ["503", (res) => expect(res).toMatchObject({ status: 503, body: { errors: [{ status: "503" }] } })],
    [
      "nonjson",
      (res, when) => {
        expect(res.status).toBe(when === "after" ? 201 : 200);
        expect(() => JSON.parse(res.text)).toThrow();
      },
    ],
  ];

  for (const when of ["before", "after"] as const) {
    it.each(answered)(`answers a %s fault ${when} the write`, async (kind, check) => {
      const udid = nextUdid();
      h.fake.faults.inject({ method: "POST", path: "/v1/devices", kind, when });
      const injected = h.fake.faults.injected;
      check(await register(udid), when);
      expect(h.fake.faults.injected).toBe(injected + 1);
      expect(registered(udid)).toBe(when === "after");
      expect(h.fake.log.at(-1)?.fault).toBe(`${kind} ${when}`);
      expect((await register(nextUdid())).status).toBe(201); // one time only
    });

    it(`resets the connection ${when} the write`, async () => {
      const udid = nextUdid();
      h.fake.faults.inject({ path: "/v1/devices", kind: "reset", when });
      await expect(register(udid)).rejects.toThrow();
      expect(registered(udid)).toBe(when === "after");
      expect(h.fake.log.at(-1)).toMatchObject({ status: 0, fault: `reset ${when}` });
    });

    it(`holds the answer and then drops the connection (timeout) ${when} the write`, async () => {
      const udid = nextUdid();
      h.fake.faults.inject({ path: /^\/v1\/devices$/, kind: "timeout", when, holdMs: 50 });
      await expect(register(udid)).rejects.toThrow();
      expect(registered(udid)).toBe(when === "after");
    });
  }

  it("matches rules by method, path template and count", async () => {
    const device = h.fake.state.addDevice({ name: "Matched", udid: nextUdid(), platform: "IOS" });
    h.fake.faults.inject({ method: "GET", path: "/v1/devices/{id}", kind: "503", when: "before", times: 2 });
    expect((await h.api.get("/v1/devices")).status).toBe(200);
    expect((await h.api.get(`/v1/devices/${device.id}`)).status).toBe(503);
    expect((await h.api.get(`/v1/devices/${device.id}`)).status).toBe(503);
    expect((await h.api.get(`/v1/devices/${device.id}`)).status).toBe(200);
    h.fake.faults.inject({ kind: "500", when: "before", times: Number.POSITIVE_INFINITY });
    expect((await h.api.get("/v1/profiles")).status).toBe(500);
    h.fake.faults.clear();
    expect((await h.api.get("/v1/profiles")).status).toBe(200);
  });
});

describe("fake ASC: seeded random faults", () => {
  const h = useFakeAsc();

  const run = async (seed: number) => {
    h.fake.faults.clear();
    h.fake.faults.random({ rate: 0.4, seed, kinds: ["500", "502", "503"], when: "either", methods: ["GET"] });
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) statuses.push((await h.api.get("/v1/bundleIds")).status);
    h.fake.faults.clear();
    return statuses;
  };

  it("is deterministic for a seed and differs between seeds", async () => {
    const first = await run(42);
    const again = await run(42);
    const other = await run(7);
    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
    const faulted = first.filter((s) => s !== 200).length;
    expect(faulted).toBeGreaterThan(0);
    expect(faulted).toBeLessThan(30);
    expect(first.every((s) => [200, 500, 502, 503].includes(s))).toBe(true);
  });

  it("faults only the methods it is given", async () => {
    h.fake.faults.random({ rate: 1, seed: 1, kinds: ["503"], when: "before", methods: ["POST"] });
    expect((await h.api.get("/v1/devices")).status).toBe(200);
    h.fake.faults.clear();
  });
});

describe("fake ASC: round-trip waves", () => {
  const h = useFakeAsc({ latencyMs: 30 });

  it("groups concurrent requests into one wave and sequential ones into the next", async () => {
    h.fake.clearLog();
    await Promise.all([h.api.get("/v1/bundleIds"), h.api.get("/v1/certificates"), h.api.get("/v1/profiles")]);
    await h.api.get("/v1/devices");
    await Promise.all([
      h.api.post(
        "/v1/bundleIds",
        entity("bundleIds", { identifier: "com.w.one", name: "One", platform: "IOS" }),
      ),
      h.api.post(
        "/v1/bundleIds",
        entity("bundleIds", { identifier: "com.w.two", name: "Two", platform: "IOS" }),
      ),
    ]);
    const waves = h.fake.waves();
    expect(waves.map((w) => w.length)).toEqual([3, 1, 2]);
    expect(waves[1]![0]!.path).toBe("/v1/devices");
    expect(h.fake.stats()).toEqual({
      requests: 6,
      writes: 2,
      waves: 3,
      byRoute: {
        "GET /v1/bundleIds": 1,
        "GET /v1/certificates": 1,
        "GET /v1/profiles": 1,
        "GET /v1/devices": 1,
        "POST /v1/bundleIds": 2,
      },
    });
    for (const entry of h.fake.log) expect(entry.endedAt - entry.startedAt).toBeGreaterThanOrEqual(25);
  });

  it("counts requests by route template", async () => {
    h.fake.clearLog();
    const a = h.fake.state.addDevice({ name: "A", udid: "00008150-0000000000000001", platform: "IOS" });
    const b = h.fake.state.addDevice({ name: "B", udid: "00008150-0000000000000002", platform: "IOS" });
    await Promise.all([
      h.api.get(`/v1/devices/${a.id}`),
      h.api.get(`/v1/devices/${b.id}`),
      h.api.get("/v1/nowhere"),
    ]);
    expect(h.fake.stats().byRoute).toEqual({ "GET /v1/devices/{id}": 2, "GET /v1/nowhere": 1 });
    expect(h.fake.stats().waves).toBe(1);
  });
});

describe("fake ASC: stop()", () => {
  it("closes promptly while a timeout fault holds a response open", async () => {
    const fake = await startFakeAsc();
    const api = fakeClient(fake.url, { key: fake.apiKey });
    fake.faults.inject({ kind: "timeout", when: "before" }); // held for the default 30 s
    const pending = api.get("/v1/devices").then(
      () => "answered",
      () => "dropped",
    );
    while (fake.log.length === 0) await sleep(5);
    const stopped = await Promise.race([
      fake.stop().then(() => "stopped"),
      sleep(10_000).then(() => "still open"),
    ]);
    expect(stopped).toBe("stopped");
    expect(await pending).toBe("dropped");
    await api.close();
  });
});
