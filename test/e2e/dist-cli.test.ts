// The CLI as the documentation says to run it: `node dist/cli/index.js <command>` from a clone, with no
// npm install. The committed bundle is copied alone into an empty folder (no node_modules, no sources
// beside it) and run there; `npx asc-provision` inside a clone runs the same file through package.json's
// bin.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI_COMMAND } from "../../src/cli/cli-invocation.ts";
import { secretForms } from "../../src/core/secret-forms.ts";
import { projectRoot } from "../support/runner-sim.ts";

let dir: string;

beforeAll(() => {
  if (!existsSync(join(projectRoot, "dist", "cli", "index.js")))
    throw new Error("dist/ is missing: npm run build");
  dir = mkdtempSync(join(tmpdir(), "asc-provision-dist-cli-"));
  cpSync(join(projectRoot, "dist", "cli"), join(dir, "dist", "cli"), { recursive: true });
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const run = (...args: string[]) =>
  spawnSync(process.execPath, ["dist/cli/index.js", ...args], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? "", HOME: dir },
    encoding: "utf8",
  });

describe("dist/cli/index.js, alone", () => {
  it("is what package.json's bin runs, an executable script with a node shebang", () => {
    const pkg = JSON.parse(readFileSync(join(projectRoot, "package.json"), "utf8")) as {
      bin: Record<string, string>;
    };
    expect(pkg.bin).toEqual({ "asc-provision": "dist/cli/index.js" });
    expect(CLI_COMMAND).toBe(`node ${pkg.bin["asc-provision"]}`);
    expect(
      readFileSync(join(projectRoot, "dist", "cli", "index.js"), "utf8").startsWith("#!/usr/bin/env node\n"),
    ).toBe(true);
    expect(statSync(join(projectRoot, "dist", "cli", "index.js")).mode & 0o111).not.toBe(0);
  });

  it("prints its usage the way it is run", () => {
    const help = run("--help");
    expect(help.status).toBe(0);
    expect(help.stdout).toContain(`Usage: ${CLI_COMMAND} <command>`);
  });

  it("generate-key writes the key where --out says (0600) and prints only the gh command", () => {
    const key = run("generate-key", "--out", "signing.pem");
    expect(key.stderr).toContain("mode 0600");
    expect(key.status).toBe(0);
    const path = join(realpathSync(dir), "signing.pem");
    const pem = readFileSync(path, "utf8");
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(key.stdout).toBe(`gh secret set ASC_CERTIFICATE_PRIVATE_KEY < ${path}\n`);
    for (const form of secretForms(pem).filter((f) => f.length >= 16)) {
      expect(key.stdout.includes(form)).toBe(false);
      expect(key.stderr.includes(form)).toBe(false);
    }
  });
});
