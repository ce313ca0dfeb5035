// The engine against the fake: cold and warm runs, request counts and round-trip waves from the fake's
// request log, multi-target apps, plan and readonly modes.
import { describe, expect, it } from "vitest";
import { DriftError } from "../../src/core/errors.ts";
import type { Logger } from "../../src/core/ports.ts";
import { startHarness } from "../support/engine-harness.ts";

/** A logger that keeps the log groups it was asked to open and the lines logged. */
function groupLogger(): Logger & { groups: string[]; lines: string[] } {
  const groups: string[] = [];
  const lines: string[] = [];
  return {
    groups,
    lines,
    debug: () => {},
    info: (message) => lines.push(message),
    warning: (message) => lines.push(message),
    error: (message) => lines.push(message),
    group: (name, fn) => {
      groups.push(name);
      return fn();
    },
  };
}

const h = startHarness({ latencyMs: 20 });

describe("engine: cold then warm", () => {
  it("creates everything cold in at most 4 waves, then reuses it warm in one wave of 3 reads", async () => {
    h.fake.clearLog();
    const coldLog = groupLogger();
    const cold = await h.run({ "bundle-ids": "com.cold.app" }, { logger: coldLog });
    const coldStats = h.fake.stats();
    expect(coldLog.groups).toEqual(["Read App Store Connect", "Plan", "Apply"]);
    expect(coldLog.lines).toContain(
      'Profile "com.cold.app IOS_APP_STORE": create (no profile had this name)',
    );
    expect(cold.changed).toBe(true);
    expect(cold.plan.map((s) => s.kind).sort()).toEqual([
      "create-bundle-id",
      "create-certificate",
      "create-profile",
    ]);
    expect(coldStats.waves).toBeLessThanOrEqual(4);
    expect(h.fake.state.bundleIds().filter((b) => b.identifier === "com.cold.app")).toHaveLength(1);
    expect(cold.profiles[0]).toMatchObject({
      bundleId: "com.cold.app",
      outcome: "created",
      profileType: "IOS_APP_STORE",
    });
    expect(cold.certificate?.outcome).toBe("created");
    expect(cold.teamId).toMatch(/^[A-Z0-9]{10}$/);

    h.fake.clearLog();
    const warmLog = groupLogger();
    const warm = await h.run({ "bundle-ids": "com.cold.app" }, { logger: warmLog });
    const warmStats = h.fake.stats();
    // Nothing to apply: no (empty) Apply group; the plan's one line says so.
    expect(warmLog.groups).toEqual(["Read App Store Connect", "Plan"]);
    expect(warmLog.lines).toContain("No changes: everything is in place.");
    expect(warm.changed).toBe(false);
    expect(warm.plan).toEqual([]);
    expect(warmStats.writes).toBe(0);
    expect(warmStats.requests).toBeLessThanOrEqual(3);
    expect(warmStats.waves).toBe(1);
    expect(warm.profiles[0]?.uuid).toBe(cold.profiles[0]?.uuid);
    expect(warm.certificate?.id).toBe(cold.certificate?.id);
    expect(h.fake.specViolations).toEqual([]);
  });

  it("handles an app with two extensions in the same number of waves, warm in one wave", async () => {
    const ids = "com.multi.app\ncom.multi.app.widget\ncom.multi.app.notifications";
    h.fake.clearLog();
    const cold = await h.run({
      "bundle-ids": ids,
      capabilities: "*: APP_GROUPS\nPUSH_NOTIFICATIONS",
    });
    expect(h.fake.stats().waves).toBeLessThanOrEqual(4);
    expect(cold.profiles.map((p) => p.bundleId)).toEqual([
      "com.multi.app",
      "com.multi.app.widget",
      "com.multi.app.notifications",
    ]);
    expect(new Set(cold.profiles.map((p) => p.uuid)).size).toBe(3);

    h.fake.clearLog();
    const warm = await h.run({
      "bundle-ids": ids,
      capabilities: "*: APP_GROUPS\nPUSH_NOTIFICATIONS",
    });
    expect(warm.changed).toBe(false);
    expect(h.fake.stats()).toMatchObject({ writes: 0, waves: 1 });
    expect(h.fake.stats().requests).toBeLessThanOrEqual(3);
    expect(h.fake.specViolations).toEqual([]);
  });

  it("warm for 5 bundle IDs costs the same 3 requests in one wave", async () => {
    const ids = ["a", "b", "c", "d", "e"].map((x) => `com.five.${x}`).join(",");
    await h.run({ "bundle-ids": ids });
    h.fake.clearLog();
    const warm = await h.run({ "bundle-ids": ids });
    expect(warm.changed).toBe(false);
    expect(h.fake.stats()).toMatchObject({ requests: 3, writes: 0, waves: 1 });
  });

  it("does not confuse bundle IDs that contain one another (substring filter)", async () => {
    await h.run({ "bundle-ids": "com.sub.app.extension" });
    const result = await h.run({ "bundle-ids": "com.sub.app" });
    expect(result.plan.map((s) => s.kind)).toContain("create-bundle-id");
    expect(h.fake.state.bundleIds().filter((b) => b.identifier.startsWith("com.sub.app"))).toHaveLength(2);
  });
});

describe("engine: plan and readonly modes", () => {
  it("plan mode reads and writes nothing", async () => {
    h.fake.clearLog();
    const result = await h.run({ "bundle-ids": "com.plan.app", mode: "plan" });
    expect(result.mode).toBe("plan");
    expect(result.changed).toBe(true);
    expect(result.plan.map((s) => s.kind)).toContain("create-profile");
    expect(h.fake.stats().writes).toBe(0);
  });

  it("readonly fails with the plan when anything must change, and succeeds when nothing does", async () => {
    h.fake.clearLog();
    await expect(h.run({ "bundle-ids": "com.readonly.app", mode: "readonly" })).rejects.toThrow(DriftError);
    expect(h.fake.stats().writes).toBe(0);
    await h.run({ "bundle-ids": "com.readonly.app" });
    h.fake.clearLog();
    const result = await h.run({ "bundle-ids": "com.readonly.app", mode: "readonly" });
    expect(result.changed).toBe(false);
    expect(result.profiles).toHaveLength(1);
    expect(h.fake.stats().writes).toBe(0);
  });
});
