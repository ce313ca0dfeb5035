// The layering rules of biome.json (noRestrictedImports per folder) fail the lint: a deliberately bad
// import in a temporary file under each guarded folder is reported, and an allowed one is not.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { projectRoot } from "../support/runner-sim.ts";

const biome = join(projectRoot, "node_modules", ".bin", "biome");

/** Lints one temporary file at `folder` holding `importLine`; the exit code and the report. */
async function lintImport(folder: string, importLine: string): Promise<{ code: number; report: string }> {
  const path = join(projectRoot, folder, `layering-probe-${randomBytes(4).toString("hex")}.ts`);
  writeFileSync(path, `${importLine}\nexport const probe = typeof imported;\n`);
  try {
    await promisify(execFile)(biome, ["lint", "--max-diagnostics=5", path], { cwd: projectRoot });
    return { code: 0, report: "" };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? 1, report: `${failed.stdout ?? ""}${failed.stderr ?? ""}` };
  } finally {
    rmSync(path, { force: true });
  }
}

describe("layering enforced by the linter", () => {
  it.each([
    ["src/core", 'import * as imported from "@actions/core";'],
    ["src/core", 'import * as imported from "../action/run-main.ts";'],
    ["src/core/reconcile", 'import * as imported from "../../cli/main.ts";'],
    ["src/core/asc", 'import * as imported from "../reconcile/apply.ts";'],
    ["src/core/asc", 'import * as imported from "../install/keychain.ts";'],
    ["src/core/signing", 'import * as imported from "../asc/http.ts";'],
    ["src/core/install", 'import * as imported from "../asc/certificates.ts";'],
  ])("%s: %s fails the lint", { timeout: 30_000 }, async (folder, importLine) => {
    const { code, report } = await lintImport(folder, importLine);
    expect(code).not.toBe(0);
    expect(report).toContain("noRestrictedImports");
  });

  it.each([
    ["src/core/install", 'import * as imported from "../asc/types.ts";'],
    ["src/action", 'import * as imported from "@actions/core";'],
    ["src/core/reconcile", 'import * as imported from "../asc/http.ts";'],
  ])("%s: %s is allowed", { timeout: 30_000 }, async (folder, importLine) => {
    const { code, report } = await lintImport(folder, importLine);
    expect(report).not.toContain("noRestrictedImports");
    expect(code).toBe(0);
  });
});
