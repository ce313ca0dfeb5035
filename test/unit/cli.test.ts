// The local CLI (src/cli): every command through runCli with captured output, `plan` against the fake
// App Store Connect server with key files on disk, as a person would run it.

import { spawnSync } from "node:child_process";
import { createPrivateKey } from "node:crypto";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type CliDeps, nodeCliDeps } from "../../src/cli/cli-deps.ts";
import { runCli } from "../../src/cli/run-cli.ts";
import { secretForms } from "../../src/core/secret-forms.ts";
import { startHarness } from "../support/engine-harness.ts";
import { testKeys } from "../support/keys.ts";

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "asc-provision-cli-"));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function cli(argv: string[], overrides: Partial<CliDeps> = {}): Promise<Run> {
  let stdout = "";
  let stderr = "";
  const code = await runCli(argv, {
    ...nodeCliDeps(),
    env: {},
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    ...overrides,
  });
  return { code, stdout, stderr };
}

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content, { mode: 0o600 });
  return path;
}

/** True when any form of the secret (its lines, base64, one-line forms) appears in the text. */
function leaks(text: string, secret: string): boolean {
  return secretForms(secret).some((form) => form.length >= 16 && text.includes(form));
}

describe("asc-provision (no command, help, version)", () => {
  it("prints the commands and exits 2 without a command", async () => {
    const run = await cli([]);
    expect(run.code).toBe(2);
    for (const name of ["generate-key", "secrets", "plan"]) expect(run.stderr).toContain(name);
  });

  it("names an unknown command", async () => {
    const run = await cli(["deploy"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('unknown command "deploy"');
  });

  it("prints each command's help on stdout with exit 0", async () => {
    for (const name of ["generate-key", "secrets", "plan"]) {
      const run = await cli([name, "--help"]);
      expect(run.code, name).toBe(0);
      expect(run.stdout, name).toContain(`Usage: node dist/cli/index.js ${name}`);
    }
    expect((await cli(["help", "plan"])).stdout).toContain("--bundle-ids");
    expect((await cli(["--version"])).stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it("rejects an unknown flag naming it, with exit 2", async () => {
    const run = await cli(["plan", "--bundle-id", "com.example.app"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--bundle-id");
    expect(run.stderr).toContain("node dist/cli/index.js plan --help");
  });
});

describe("asc-provision generate-key", () => {
  it("writes an RSA 2048 key with mode 0600 where --out says, and prints the gh command, never the key", async () => {
    const out = join(dir, "signing.pem");
    const run = await cli(["generate-key", "--out", out, "--env", "app-store-connect"]);
    expect(run.code).toBe(0);
    const pem = readFileSync(out, "utf8");
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const key = createPrivateKey(pem);
    expect(key.asymmetricKeyType).toBe("rsa");
    expect(key.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(run.stdout).toBe(`gh secret set ASC_CERTIFICATE_PRIVATE_KEY --env app-store-connect < ${out}\n`);
    expect(leaks(run.stdout, pem)).toBe(false);
    expect(leaks(run.stderr, pem)).toBe(false);
    expect(run.stderr).toContain(`Wrote a new RSA 2048 signing key to ${out} (mode 0600)`);
  });

  it("the gh command it prints stores the file's key (run with a stand-in gh)", async () => {
    const out = join(dir, "signing with space.pem");
    const run = await cli(["generate-key", "--out", out, "--repo", "owner/app"]);
    expect(run.code).toBe(0);
    const bin = join(dir, "bin");
    mkdirSync(bin, { recursive: true });
    const stored = join(dir, "gh-stdin");
    writeFileSync(join(bin, "gh"), `#!/bin/sh\nprintf '%s\\n' "$*" > "${stored}.args"\ncat > "${stored}"\n`, {
      mode: 0o755,
    });
    const sh = spawnSync("sh", ["-c", run.stdout], {
      env: { PATH: `${bin}:/usr/bin:/bin` },
      encoding: "utf8",
    });
    expect(sh.status).toBe(0);
    expect(readFileSync(`${stored}.args`, "utf8")).toBe(
      "secret set ASC_CERTIFICATE_PRIVATE_KEY --repo owner/app\n",
    );
    expect(readFileSync(stored, "utf8")).toBe(readFileSync(out, "utf8"));
  });

  it("needs --out: it writes only where the user says", async () => {
    const run = await cli(["generate-key"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--out is required");
    expect(run.stdout).toBe("");
  });

  it("refuses to overwrite an existing key unless --force, and narrows an overwritten file to 0600", async () => {
    const out = file("existing.pem", "keep me");
    chmodSync(out, 0o644);
    const refused = await cli(["generate-key", "--out", out]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("already exists");
    expect(readFileSync(out, "utf8")).toBe("keep me");
    const forced = await cli(["generate-key", "--out", out, "--force"]);
    expect(forced.code).toBe(0);
    expect(readFileSync(out, "utf8")).toContain("BEGIN PRIVATE KEY");
    expect(statSync(out).mode & 0o777).toBe(0o600);
  });
});

describe("asc-provision secrets", () => {
  it("lists the variables and secrets with gh commands, filling the values given", async () => {
    const p8 = file("AuthKey_ABCDE12345.p8", testKeys().apiKeyPem);
    const signing = file("signing-key.pem", testKeys().signingKeyPem);
    const run = await cli([
      "secrets",
      "--issuer-id",
      "57246542-96fe-1a63-e053-0824d011072a",
      "--key-id",
      "ABCDE12345",
      "--private-key",
      p8,
      "--certificate-private-key",
      signing,
      "--repo",
      "example/app",
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      "gh variable set ASC_ISSUER_ID --body 57246542-96fe-1a63-e053-0824d011072a --repo example/app",
    );
    expect(run.stdout).toContain(`gh secret set ASC_PRIVATE_KEY --repo example/app < ${p8}`);
    expect(run.stdout).toContain(`gh secret set ASC_CERTIFICATE_PRIVATE_KEY --repo example/app < ${signing}`);
    expect(run.stdout).toContain(`private-key: \${{ secrets.ASC_PRIVATE_KEY }}`);
    expect(run.stderr).toContain("EC P-256");
    expect(leaks(run.stdout + run.stderr, testKeys().apiKeyPem)).toBe(false);
    expect(leaks(run.stdout + run.stderr, testKeys().signingKeyPem)).toBe(false);
  });

  it("catches keys swapped between the two inputs, without printing them", async () => {
    const p8 = file("swapped-api.pem", testKeys().signingKeyPem);
    const signing = file("swapped-signing.pem", testKeys().apiKeyPem);
    const run = await cli(["secrets", "--private-key", p8, "--certificate-private-key", signing]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/--private-key: .*RSA/);
    expect(run.stderr).toMatch(/--certificate-private-key: .*API key/);
    expect(leaks(run.stdout + run.stderr, testKeys().apiKeyPem)).toBe(false);
    expect(leaks(run.stdout + run.stderr, testKeys().signingKeyPem)).toBe(false);
  });

  it("rejects malformed IDs", async () => {
    const run = await cli(["secrets", "--key-id", "abc", "--issuer-id", "nope"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("--key-id");
    expect(run.stderr).toContain("--issuer-id");
  });
});

describe("asc-provision plan (against the fake App Store Connect)", () => {
  const harness = startHarness();
  let apiKeyPath: string;
  let signingKeyPath: string;

  beforeAll(() => {
    apiKeyPath = file("AuthKey_fake.p8", harness.fake.apiKey.privateKeyPem);
    signingKeyPath = file("plan-signing.pem", testKeys().signingKeyPem);
  });

  beforeEach(() => {
    harness.fake.clearLog();
  });

  const planArgs = (...extra: string[]): string[] => [
    "plan",
    "--issuer-id",
    harness.fake.apiKey.issuerId,
    "--key-id",
    harness.fake.apiKey.keyId,
    "--private-key",
    apiKeyPath,
    "--api-base-url",
    harness.fake.url,
    ...extra,
  ];

  it("prints what a first run would create, and writes nothing", async () => {
    const run = await cli(
      planArgs("--bundle-ids", "com.example.cli", "--certificate-private-key", signingKeyPath),
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^3 change\(s\) needed/);
    expect(run.stdout).toMatch(/^1\. create-bundle-id +com\.example\.cli +it did not exist$/m);
    expect(run.stdout).toMatch(/^2\. create-certificate +DISTRIBUTION +no certificate/m);
    expect(run.stdout).toMatch(
      /^3\. create-profile +com\.example\.cli IOS_APP_STORE +no profile had this name$/m,
    );
    expect(run.stdout).toContain("none usable for this key");
    expect(harness.fake.stats().writes).toBe(0);
    expect(harness.fake.stats().requests).toBeGreaterThan(0);
  });

  it("prints the plan once, its columns aligned, and the run's log only with --verbose", async () => {
    const args = planArgs(
      "--bundle-ids",
      "com.example.cli.cols,com.example.cli.cols.widget",
      "--capabilities",
      "APP_GROUPS",
      "--certificate-private-key",
      signingKeyPath,
    );
    const run = await cli(args);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe("");
    const rows = run.stdout.split("\n").filter((line) => /^\d+\. /.test(line));
    expect(rows.map((row) => row.split(/ +/)[1])).toEqual([
      "create-bundle-id",
      "create-bundle-id",
      "create-certificate",
      "enable-capability",
      "create-profile",
      "create-profile",
    ]);
    // Each column starts at the same offset on every row: the target after the kind, the reason after it.
    const targets = [
      "com.example.cli.cols ",
      "com.example.cli.cols.widget",
      "DISTRIBUTION",
      "com.example.cli.cols APP_GROUPS",
      "com.example.cli.cols IOS_APP_STORE",
      "com.example.cli.cols.widget IOS_APP_STORE",
    ];
    expect(new Set(rows.map((row, i) => row.indexOf(targets[i]!))).size).toBe(1);
    const reasons = [
      "it did not exist",
      "it did not exist",
      "no certificate",
      "it was not enabled",
      "no profile",
      "no profile",
    ];
    expect(new Set(rows.map((row, i) => row.indexOf(reasons[i]!))).size).toBe(1);

    const verbose = await cli([...args, "--verbose"]);
    expect(verbose.code, verbose.stderr).toBe(0);
    expect(verbose.stderr).toContain("Read App Store Connect");
    expect(verbose.stdout).toBe(run.stdout);
  });

  it("reports no changes after an apply, as JSON on request, with the reused certificate", async () => {
    await harness.run({ "bundle-ids": "com.example.cli.done" });
    harness.fake.clearLog();
    const run = await cli(
      planArgs("-b", "com.example.cli.done", "--certificate-private-key", signingKeyPath, "--json"),
    );
    expect(run.code, run.stderr).toBe(0);
    const json = JSON.parse(run.stdout) as {
      changed: boolean;
      plan: unknown[];
      teamId: string;
      certificate: { sha1: string } | null;
      profiles: { bundleId: string; name: string }[];
    };
    expect(json.changed).toBe(false);
    expect(json.plan).toEqual([]);
    expect(json.teamId).toMatch(/^[A-Z0-9]{10}$/);
    expect(json.certificate?.sha1).toMatch(/^[0-9A-F]{40}$/);
    expect(json.profiles).toEqual([
      expect.objectContaining({
        bundleId: "com.example.cli.done",
        name: "com.example.cli.done IOS_APP_STORE",
      }),
    ]);
    expect(harness.fake.stats().writes).toBe(0);
  });

  it("plans for a throwaway key when no signing key is given, and says so", async () => {
    await harness.run({ "bundle-ids": "com.example.cli.nokey" });
    harness.fake.clearLog();
    const run = await cli(planArgs("--bundle-ids", "com.example.cli.nokey"));
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain("no --certificate-private-key");
    expect(run.stdout).toContain("create-certificate");
    expect(harness.fake.stats().writes).toBe(0);
  });

  it("takes the API key from the environment, like the repository secrets", async () => {
    const run = await cli(
      ["plan", "--api-base-url", harness.fake.url, "--bundle-ids", "com.example.cli.env"],
      {
        env: {
          ASC_ISSUER_ID: harness.fake.apiKey.issuerId,
          ASC_KEY_ID: harness.fake.apiKey.keyId,
          ASC_PRIVATE_KEY: harness.fake.apiKey.privateKeyPem,
          ASC_CERTIFICATE_PRIVATE_KEY: signingKeyPath,
        },
      },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/create-bundle-id +com\.example\.cli\.env /);
  });

  it("reports every input problem at once, by flag, without echoing key material", async () => {
    const run = await cli(
      planArgs(
        "--bundle-ids",
        "not a bundle id",
        "--profile-type",
        "IOS_APP_SHOP",
        "--certificate-private-key",
        apiKeyPath,
      ),
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("--bundle-ids:");
    expect(run.stderr).toContain("--profile-type:");
    expect(run.stderr).toContain("--certificate-private-key:");
    expect(leaks(run.stdout + run.stderr, harness.fake.apiKey.privateKeyPem)).toBe(false);
    expect(harness.fake.stats().requests).toBe(0);
  });

  it("fails with App Store Connect's reason when the key is not accepted, redacting secrets in verbose logs", async () => {
    const other = harness.fake.addApiKey();
    harness.fake.revokeApiKey(other.keyId);
    const otherPath = file("AuthKey_revoked.p8", other.privateKeyPem);
    const run = await cli([
      "plan",
      "--issuer-id",
      other.issuerId,
      "--key-id",
      other.keyId,
      "--private-key",
      otherPath,
      "--api-base-url",
      harness.fake.url,
      "--bundle-ids",
      "com.example.cli.revoked",
      "--certificate-private-key",
      signingKeyPath,
      "--verbose",
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/401|NOT_AUTHORIZED/);
    expect(leaks(run.stdout + run.stderr, other.privateKeyPem)).toBe(false);
    expect(leaks(run.stdout + run.stderr, testKeys().signingKeyPem)).toBe(false);
  });
});
