// The quick start (`npm ci && npm run demo`, `npm test`) needs only a Node >= 20 on the PATH, on macOS
// (arm64, x64) and Linux (x64, arm64): `npm ci` installs the Node 24 binary for the machine from the npm
// registry (one node-<os>-<arch> optional dependency, chosen by its os/cpu fields), and `npm run`/`npm test`/
// `npx` put node_modules/.bin first on the PATH, so the scripts, the build and the tests run under it.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { projectRoot } from "../support/runner-sim.ts";

interface LockEntry {
  version: string;
  os?: string | string[];
  cpu?: string | string[];
  optional?: boolean;
  bin?: Record<string, string>;
}

const json = <T>(name: string): T => JSON.parse(readFileSync(join(projectRoot, name), "utf8")) as T;
const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : [v].flat());

describe("toolchain", () => {
  it("runs under Node 24, the runtime GitHub uses for node24 actions (installed from npm by node-<os>-<arch>)", () => {
    expect(process.versions.node.split(".")[0]).toBe("24");
  });

  it("locks a Node 24 binary package for macOS arm64 and x64 and Linux x64 and arm64, each limited to its platform", () => {
    const pkg = json<{ optionalDependencies: Record<string, string> }>("package.json");
    const lock = json<{ packages: Record<string, LockEntry> }>("package-lock.json");
    const platforms = Object.keys(pkg.optionalDependencies)
      .filter((name) => /^node-(bin-)?(darwin|linux)-/.test(name))
      .map((name) => {
        const entry = lock.packages[`node_modules/${name}`];
        expect(entry, `${name} is in package-lock.json`).toBeDefined();
        expect(entry?.optional).toBe(true);
        expect(entry?.bin).toEqual({ node: "bin/node" });
        // Pinned exactly, so `npm ci` and the lockfile agree; major 24 as the test above requires.
        expect(pkg.optionalDependencies[name]).toBe(entry?.version);
        expect(entry?.version).toMatch(/^24\.\d+\.\d+$/);
        // Without os and cpu npm would install every platform's binary, all linking node_modules/.bin/node.
        expect(list(entry?.os)).toHaveLength(1);
        expect(list(entry?.cpu)).toHaveLength(1);
        return `${list(entry?.os)[0]}-${list(entry?.cpu)[0]}`;
      });
    expect(platforms.sort()).toEqual(["darwin-arm64", "darwin-x64", "linux-arm64", "linux-x64"]);
  });

  it("asks for a Node >= 20 on the PATH, not 24: npm only runs there (no EBADENGINE for the project itself)", () => {
    const pkg = json<{ engines: { node: string } }>("package.json");
    expect(pkg.engines.node).toBe(">=20");
    expect(
      json<{ packages: Record<string, { engines?: unknown }> }>("package-lock.json").packages[""]?.engines,
    ).toEqual(pkg.engines);
  });
});
