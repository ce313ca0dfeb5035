// Secrets scan: the built action (dist/ main then post, as the runner runs them, RUNNER_DEBUG=1, HTTPS to
// the fake) on Linux and on macOS with the stand-in `security`, a run with faults injected and runs with
// bad inputs. Nowhere a run leaves text (the log shown, stderr, GITHUB_OUTPUT apart from the p12-password
// output itself, GITHUB_STATE, the summary, every file under HOME) may hold the .p8, the signing key, the
// p12 or keychain password, in any form, or a JWT. And error messages built from App Store Connect's
// answers never echo the Authorization header, even when a proxy sends it back.
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AscApiError } from "../../src/core/errors.ts";
import { type FakeAsc, startFakeAsc } from "../support/fake-asc/index.ts";
import { setUpFakeSecurity } from "../support/fake-security/fake-security-harness.ts";
import { testKeys } from "../support/keys.ts";
import {
  createRunnerEnvironment,
  projectRoot,
  type RunnerEnvironment,
  runStep,
} from "../support/runner-sim.ts";
import { closeSharedAgent, fakeInputs, makeClient } from "./support/engine-run.ts";
import { fileHaystacks, JWT_SHAPE, needlesOf, scan, shownLog } from "./support/secret-scan.ts";

const hasDist = existsSync(join(projectRoot, "dist", "main", "index.js"));
if (!hasDist) console.log("secrets scan of dist/ skipped: dist/main/index.js is missing (npm run build)");

const totals = { runs: 0, haystacks: 0, bytes: 0, needles: 0, findings: 0 };
afterAll(() => {
  if (totals.runs > 0)
    console.log(
      `secrets scan: ${totals.runs} main+post runs, ${totals.haystacks} places (${Math.round(totals.bytes / 1024)} KiB) searched for ${totals.needles} secret forms and JWTs, ${totals.findings} found`,
    );
});

interface Scenario {
  name: string;
  os: "Linux" | "macOS";
  inputs: (fake: FakeAsc) => Record<string, string>;
  /** Set up the fake for this run (faults); undone after it. */
  before?: (fake: FakeAsc) => void;
  /** The exit code main must end with; undefined: either. */
  mainCode?: 0 | 1;
}

const SCENARIOS: Scenario[] = [
  {
    name: "Linux, cold",
    os: "Linux",
    inputs: () => ({ "bundle-ids": "com.scan.linux\ncom.scan.linux.widget" }),
    mainCode: 0,
  },
  {
    name: "macOS with the stand-in security, ad hoc",
    os: "macOS",
    inputs: () => ({
      "bundle-ids": "com.scan.mac",
      "profile-type": "IOS_APP_ADHOC",
      devices: "Scanner Phone, 00008030-00000000005CA001",
    }),
    mainCode: 0,
  },
  {
    name: "Linux with 25 % of requests faulted",
    os: "Linux",
    inputs: () => ({ "bundle-ids": "com.scan.faults" }),
    before: (fake) =>
      fake.faults.random({
        rate: 0.25,
        seed: 4242,
        kinds: ["502", "html502", "nonjson", "reset"],
        when: "either",
      }),
  },
  {
    name: "bad input: a truncated .p8",
    os: "Linux",
    inputs: (fake) => ({
      "bundle-ids": "com.scan.badkey",
      "private-key": fake.apiKey.privateKeyPem.slice(0, 150),
    }),
    mainCode: 1,
  },
  {
    name: "bad input: a key ID App Store Connect rejects (401)",
    os: "macOS",
    inputs: () => ({ "bundle-ids": "com.scan.badid", "key-id": "ZZZZZZZZZZ" }),
    mainCode: 1,
  },
];

describe.skipIf(!hasDist)("secrets scan of dist/ main and post", () => {
  let fake: FakeAsc;
  let caFile: string;
  const caRoot = createRunnerEnvironment().root;

  beforeAll(async () => {
    fake = await startFakeAsc({ tls: true });
    caFile = join(caRoot, "ca.pem");
    writeFileSync(caFile, fake.caCertPem ?? "");
  });
  afterAll(async () => {
    await fake?.stop();
    rmSync(caRoot, { recursive: true, force: true });
  });

  it.each(SCENARIOS.map((s) => [s.name, s] as const))("%s: no secret anywhere", async (_name, s) => {
    const runner: RunnerEnvironment = createRunnerEnvironment(s.os, {
      NODE_EXTRA_CA_CERTS: caFile,
      RUNNER_DEBUG: "1",
    });
    try {
      const security = s.os === "macOS" ? setUpFakeSecurity(runner.root, runner.home) : undefined;
      if (security) Object.assign(runner.env, security.env);
      const inputs = {
        ...fakeInputs(fake, { "certificate-private-key": testKeys().signingKeyPem }),
        ...s.inputs(fake),
      };
      s.before?.(fake);
      const main = await runStep("main", runner, inputs);
      fake.faults.clear();
      if (s.mainCode !== undefined) expect(main.code, main.stdout + main.stderr).toBe(s.mainCode);
      const homeAfterMain = fileHaystacks(runner.home, "HOME after main");
      const post = await runStep("post", runner, inputs, main.state);
      expect(post.code, post.stdout + post.stderr).toBe(0);
      totals.runs += 1;

      const p12Password = main.outputs["p12-password"];
      const keychainPassword = security
        ?.log()
        .find((c) => c.argv[0] === "create-keychain")
        ?.stdin.split("\n")[0];
      if (main.code === 0) {
        expect(p12Password).toMatch(/.{16,}/);
        if (security) expect(keychainPassword).toMatch(/.{16,}/);
      }
      const secrets: Record<string, string> = {
        "the .p8": fake.apiKey.privateKeyPem,
        "the signing key": testKeys().signingKeyPem,
        ...(p12Password ? { "the p12 password": p12Password } : {}),
        ...(keychainPassword ? { "the keychain password": keychainPassword } : {}),
      };
      // The command files as the runner reads them, the p12-password output's own value aside.
      const commandFiles: Record<string, string> = {};
      for (const step of readdirSync(runner.root).filter((d) => d.startsWith("step-")))
        for (const file of ["output", "state", "summary"]) {
          const text = readFileSync(join(runner.root, step, file), "utf8");
          commandFiles[`${step}/${file}`] = p12Password
            ? text.split(p12Password).join("<p12-password>")
            : text;
        }
      if (p12Password) {
        const occurrences = readdirSync(runner.root)
          .filter((d) => d.startsWith("step-"))
          .map((d) => readFileSync(join(runner.root, d, "output"), "utf8").split(p12Password).length - 1)
          .reduce((a, b) => a + b, 0);
        expect(occurrences, "the p12 password appears only as its own output").toBe(1);
      }
      const haystacks = {
        "main log": shownLog(main.stdout),
        "main stderr": main.stderr,
        "post log": shownLog(post.stdout),
        "post stderr": post.stderr,
        ...commandFiles,
        ...homeAfterMain,
        ...fileHaystacks(runner.home, "HOME after post"),
      };
      const needles = needlesOf(secrets);
      const findings = scan(haystacks, needles);
      totals.haystacks += Object.keys(haystacks).length;
      totals.bytes += Object.values(haystacks).reduce((n, h) => n + h.length, 0);
      totals.needles += needles.length;
      totals.findings += findings.length;
      expect(findings.map((f) => `${f.where}: ${f.what}`)).toEqual([]);
      // The scan looked at real output: the secrets were masked before use, and a run that got as far as
      // App Store Connect logged with debug on.
      expect(main.stdout).toContain("::add-mask::");
      if (s.mainCode !== 1 || s.name.includes("401")) expect(main.stdout).toContain("::debug::");
    } finally {
      fake.faults.clear();
      rmSync(runner.root, { recursive: true, force: true });
    }
  });
});

describe("errors never echo the Authorization header", () => {
  let server: Server;
  let base: string;
  const seen: string[] = [];
  let fake: FakeAsc;

  beforeAll(async () => {
    fake = await startFakeAsc();
    // A proxy (or a broken server) that sends the request's Authorization header back in every error.
    server = createServer((req, res) => {
      const auth = req.headers.authorization ?? "";
      seen.push(auth);
      const token = auth.replace(/^Bearer /, "");
      const kind = req.url?.split("?")[0]?.split("/")[2];
      if (kind === "html") {
        res.writeHead(502, { "content-type": "text/html" });
        res.end(`<html><body><h1>Bad Gateway</h1><pre>Authorization: ${auth}</pre></body></html>`);
        return;
      }
      const status =
        kind === "unauthorized" ? 401 : kind === "server" ? 500 : kind === "conflict" ? 409 : 400;
      res.writeHead(status, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          errors: [
            {
              status: String(status),
              code: "PARAMETER_ERROR.INVALID",
              title: `Token ${token}`,
              detail: `Header was: ${auth}`,
            },
            { status: String(status), code: "ENTITY_ERROR", title: "again", detail: `jwt=${token}` },
          ],
        }),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await fake.stop();
    await closeSharedAgent();
  });

  it.each([
    ["GET", "html"],
    ["GET", "invalid"],
    ["GET", "unauthorized"],
    ["GET", "server"],
    ["POST", "conflict"],
    ["POST", "server"],
  ])("%s answered by an echo (%s)", async (method, kind) => {
    const client = makeClient(fakeInputs(fake, { "api-base-url": base }), { retry: { maxAttempts: 2 } });
    const path = `/v1/${kind}`;
    let caught: unknown;
    try {
      if (method === "GET") await client.get(path);
      else await client.post(path, { data: { type: "x", attributes: {} } });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AscApiError);
    const error = caught as AscApiError;
    const tokens = seen.map((s) => s.replace(/^Bearer /, "")).filter(Boolean);
    expect(tokens.length).toBeGreaterThan(0);
    const texts = [
      error.message,
      error.title,
      error.detail,
      JSON.stringify(error.errors),
      String(error.stack),
    ];
    for (const text of texts) {
      expect(text).not.toMatch(JWT_SHAPE);
      expect(text).not.toMatch(/Bearer ey/);
      for (const token of tokens)
        for (const part of token.split(".")) expect(text.includes(part)).toBe(false);
    }
    // The message still says what happened.
    expect(error.message).toMatch(
      kind === "unauthorized" ? /rejected the API key \(401/ : new RegExp(`${method} /v1/${kind}`),
    );
  });
});
