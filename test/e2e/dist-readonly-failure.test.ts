// The built dist/ in `readonly` mode on an account that needs changes: the run fails, and before it does
// it writes the job summary (with the plan) and the `plan`/`changed` outputs, so that an `if: failure()`
// step can read them. Nothing is written to App Store Connect and nothing is installed.
import { generateKeyPairSync } from "node:crypto";
import { existsSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeAsc, startFakeAsc } from "../support/fake-asc/index.ts";
import { createRunnerEnvironment, projectRoot, runStep } from "../support/runner-sim.ts";

let fake: FakeAsc;
beforeAll(async () => {
  if (!existsSync(join(projectRoot, "dist", "main", "index.js")))
    throw new Error("dist/ is missing: npm run build");
  fake = await startFakeAsc();
});
afterAll(async () => {
  await fake?.stop();
});

describe("dist: a failed readonly run", () => {
  it("writes the summary and the plan/changed outputs before it fails", async () => {
    const runner = createRunnerEnvironment("Linux");
    const signingKeyPem = generateKeyPairSync("rsa", { modulusLength: 2048 })
      .privateKey.export({ type: "pkcs8", format: "pem" })
      .toString();
    try {
      const run = await runStep("main", runner, {
        "issuer-id": fake.apiKey.issuerId,
        "key-id": fake.apiKey.keyId,
        "private-key": fake.apiKey.privateKeyPem,
        "api-base-url": fake.url,
        "bundle-ids": "com.readonly.failure",
        "certificate-private-key": signingKeyPem,
        mode: "readonly",
      });
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(
        /::error::asc-provision: mode is readonly and App Store Connect needs 3 change/,
      );

      expect(run.outputs.changed).toBe("true");
      const plan = JSON.parse(run.outputs.plan ?? "") as Array<{ kind: string; target: string }>;
      expect(plan.map((step) => step.kind).sort()).toEqual(
        ["create-bundle-id", "create-certificate", "create-profile"].sort(),
      );
      expect(plan.find((step) => step.kind === "create-bundle-id")?.target).toBe("com.readonly.failure");
      expect(run.outputs["profile-path"]).toBe("");
      expect(run.outputs["p12-path"]).toBe("");

      expect(run.summary).toContain("Mode `readonly`");
      expect(run.summary).toContain("needs 3 changes");
      expect(run.summary).toMatch(/\| create-bundle-id \| com\.readonly\.failure \|/);
      expect(run.summary).toMatch(/\| create-profile \|/);

      expect(fake.stats().writes).toBe(0);
      expect(readdirSync(runner.runnerTemp)).toEqual([]);
    } finally {
      rmSync(runner.root, { recursive: true, force: true });
    }
  });
});
