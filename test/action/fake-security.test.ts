// The stand-in `security` must catch what the real one would punish, or the adapter tests prove nothing.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import forge from "node-forge";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type FakeSecurity, setUpFakeSecurity } from "../support/fake-security/fake-security-harness.ts";
import { getopt } from "../support/fake-security/getopt.ts";
import { testKeys } from "../support/keys.ts";

let dir: string;
let fake: FakeSecurity;
let keychain: string;

function security(args: string[], input = ""): { code: number; stdout: string; stderr: string } {
  const run = spawnSync("security", args, {
    input,
    env: { ...process.env, ...fake.env, HOME: dir },
    encoding: "utf8",
  });
  return { code: run.status ?? -1, stdout: run.stdout, stderr: run.stderr };
}

/** A self-signed RSA identity as a PKCS#12, with forge's choice of key bag encryption. */
function p12(password: string, algorithm: "3des" | "aes256"): string {
  const key = forge.pki.privateKeyFromPem(testKeys().signingKeyPem);
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  cert.serialNumber = "01";
  cert.validity.notBefore = new Date(Date.now() - 86_400_000);
  cert.validity.notAfter = new Date(Date.now() + 86_400_000);
  cert.setSubject([{ name: "commonName", value: "Fake Developer" }]);
  cert.setIssuer([{ name: "commonName", value: "Fake Developer" }]);
  cert.sign(key, forge.md.sha256.create());
  const path = join(dir, `identity-${algorithm}.p12`);
  const asn1 = forge.pkcs12.toPkcs12Asn1(key, [cert], password, { algorithm });
  writeFileSync(path, Buffer.from(forge.asn1.toDer(asn1).getBytes(), "binary"));
  return path;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "fake-security-"));
  fake = setUpFakeSecurity(dir, dir);
  keychain = join(dir, "test.keychain-db");
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("the fake security", () => {
  it("reads create-keychain and unlock-keychain passwords from stdin and rejects a wrong one", () => {
    expect(security(["create-keychain", keychain], "secret\nsecret\n").code).toBe(0);
    expect(security(["unlock-keychain", keychain], "wrong\n").code).toBe(51);
    expect(security(["unlock-keychain", keychain], "secret\n").code).toBe(0);
    expect(security(["create-keychain", join(dir, "other.keychain-db")], "a\nb\n").stderr).toMatch(
      /don't match/,
    );
    expect(fake.log().flatMap((c) => c.violations)).toEqual([]);
  });

  it("flags passwords on argv where stdin would do", () => {
    security(["create-keychain", "-p", "secret", keychain]);
    security(["unlock-keychain", "-psecret", keychain]);
    security(["set-key-partition-list", "-S", "apple-tool:", "-s", "-k", "secret", keychain]);
    expect(fake.log().map((c) => c.violations.length)).toEqual([1, 1, 1]);
  });

  it("imports a legacy PKCS#12 only with the right -P, and refuses the OpenSSL 3 default format", () => {
    security(["create-keychain", keychain], "k\nk\n");
    const legacy = p12("p12-pass", "3des");
    expect(security(["import", legacy, "-k", keychain, "-f", "pkcs12"]).stderr).toMatch(/User interaction/);
    expect(security(["import", legacy, "-k", keychain, "-f", "pkcs12", "-P", "nope"]).stderr).toMatch(
      /MAC verification/,
    );
    const modern = p12("p12-pass", "aes256");
    expect(security(["import", modern, "-k", keychain, "-f", "pkcs12", "-P", "p12-pass"]).stderr).toMatch(
      /legacy/,
    );
    const ok = security([
      "import",
      legacy,
      "-k",
      keychain,
      "-f",
      "pkcs12",
      "-P",
      "p12-pass",
      "-T",
      "/usr/bin/codesign",
    ]);
    expect(ok).toEqual({ code: 0, stdout: "1 identity imported.\n", stderr: "" });
    expect(fake.state().keychains[keychain]!.identities[0]!.trustedApplications).toEqual([
      "/usr/bin/codesign",
    ]);
    // Self-signed: present, but not a valid code signing identity.
    expect(security(["find-identity", "-v", "-p", "codesigning", keychain]).stdout).toMatch(
      /0 valid identities found/,
    );
    expect(security(["find-identity", "-p", "codesigning", keychain]).stdout).toMatch(
      /1\) [0-9A-F]{40} "Fake Developer"/,
    );
  });

  it("keeps the search list, refuses unknown keychains and subcommands, and fails what FAKE_SECURITY_FAIL names", () => {
    const login = fake.state().searchList[0]!;
    expect(security(["list-keychains", "-d", "user"]).stdout).toBe(`    "${login}"\n`);
    expect(security(["list-keychains", "-d", "user", "-s", join(dir, "missing.keychain-db")]).code).toBe(50);
    expect(security(["dump-keychain"]).code).toBe(2);
    expect(security(["set-keychain-settings", "-x", keychain]).stderr).toMatch(/illegal option -- x/);
    fake.env.FAKE_SECURITY_FAIL = "list-keychains";
    expect(security(["list-keychains"]).stderr).toMatch(/simulated failure/);
  });
});

describe("getopt", () => {
  it("parses clustered flags, attached and separate arguments, and stops at the first operand", () => {
    expect(getopt(["-lut", "21600", "kc", "-x"], "hlut:")).toEqual({
      options: [
        { flag: "l", value: undefined },
        { flag: "u", value: undefined },
        { flag: "t", value: "21600" },
      ],
      operands: ["kc", "-x"],
    });
    expect(getopt(["-pSECRET", "kc"], "hp:P").options).toEqual([{ flag: "p", value: "SECRET" }]);
    expect(() => getopt(["-p"], "hp:")).toThrow(/requires an argument/);
  });
});
