// The stand-in `security` must punish what the real one would punish, or the adapter tests prove nothing.
// Each behaviour below is one test: the source it follows is named in test/support/fake-security/.
import { execFileSync, spawnSync } from "node:child_process";
import { createPrivateKey, webcrypto } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import forge from "node-forge";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createProcessExec } from "../../src/action/exec.ts";
import { buildPkcs12 } from "../../src/core/signing/pkcs12-build.ts";
import { evaluateCodeSigning } from "../support/fake-security/code-signing-trust.ts";
import { pkcs12MacDigest } from "../support/fake-security/fake-certificates.ts";
import {
  FAKE_SECURITY_DIR,
  type FakeSecurity,
  setUpFakeSecurity,
} from "../support/fake-security/fake-security-harness.ts";
import { getopt } from "../support/fake-security/getopt.ts";
import { testKeys } from "../support/keys.ts";
import { x509 } from "../support/x509-library.ts";
import { type CannedIdentity, cannedIdentity } from "./support/canned-identity.ts";

/** `openssl` 3 on PATH writes its default profile (PBES2 AES-256-CBC, PBKDF2-HMAC-SHA256, SHA-256 MAC). */
const hasOpenssl3 = /^OpenSSL 3\./.test(spawnSync("openssl", ["version"], { encoding: "utf8" }).stdout ?? "");

let dir: string;
let fake: FakeSecurity;
let keychain: string;
let identity: CannedIdentity;

beforeAll(async () => {
  identity = await cannedIdentity();
});

function start(options: Parameters<typeof setUpFakeSecurity>[2] = {}): void {
  fake = setUpFakeSecurity(dir, dir, options);
}

/** Runs the stand-in through the action's Exec port (a new session: no terminal, even when the tests run
 * in one), so getpass falls back to standard input as it would for the action. */
async function security(
  args: string[],
  input = "",
): Promise<{ code: number; stdout: string; stderr: string }> {
  return createProcessExec({ timeoutMs: 30_000 }).run("security", args, {
    input,
    env: { ...fake.env, HOME: dir },
  });
}

const createKeychain = async (path = keychain, password = "k"): Promise<void> => {
  expect((await security(["create-keychain", path], `${password}\n${password}\n`)).code).toBe(0);
};

function file(name: string, bytes: Uint8Array | string): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

/** The canned identity (its leaf issued by the WWDR-like intermediate) as a legacy PKCS#12. */
function cannedP12(password: string): string {
  return file(
    "canned.p12",
    buildPkcs12({
      privateKey: createPrivateKey(identity.keyPem),
      certificateDer: identity.leafDer,
      password,
      friendlyName: "canned",
    }),
  );
}

/**
 * A self-signed RSA identity as a PKCS#12 written by node-forge:
 * - "legacy": 3DES bags, SHA-1 MAC (what the action writes);
 * - "forge-aes": PBES2 AES-256 with PBKDF2-HMAC-SHA1 (forge's default PRF), SHA-1 MAC;
 * - "openssl3": PBES2 AES-256 with PBKDF2-HMAC-SHA256 and a SHA-256 MAC (OpenSSL 3's default profile).
 */
function selfSignedP12(password: string, profile: "legacy" | "forge-aes" | "openssl3"): string {
  const key = forge.pki.privateKeyFromPem(testKeys().signingKeyPem);
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  cert.serialNumber = "01";
  cert.validity.notBefore = new Date(Date.now() - 86_400_000);
  cert.validity.notAfter = new Date(Date.now() + 86_400_000);
  cert.setSubject([{ name: "commonName", value: "Fake Developer" }]);
  cert.setIssuer([{ name: "commonName", value: "Fake Developer" }]);
  cert.sign(key, forge.md.sha256.create());
  const options =
    profile === "legacy"
      ? { algorithm: "3des" as const }
      : profile === "forge-aes"
        ? { algorithm: "aes256" as const }
        : { algorithm: "aes256" as const, prfAlgorithm: "sha256", useMac: false };
  const pfx = forge.pkcs12.toPkcs12Asn1(
    key,
    [cert],
    password,
    options as Parameters<typeof forge.pkcs12.toPkcs12Asn1>[3],
  );
  if (profile === "openssl3") {
    // forge writes SHA-1 MACs only: add the SHA-256 MAC (PKCS#12 key derivation, id 3) by hand.
    const authSafe = (pfx.value as forge.asn1.Asn1[])[1]!;
    const content = ((authSafe.value as forge.asn1.Asn1[])[1]!.value as forge.asn1.Asn1[])[0]!;
    const salt = forge.random.getBytesSync(8);
    const iterations = 2048;
    const macKey = forge.pkcs12.generateKey(
      password,
      forge.util.createBuffer(salt),
      3,
      iterations,
      32,
      forge.md.sha256.create(),
    );
    const hmac = forge.hmac.create();
    hmac.start("sha256", macKey);
    hmac.update(content.value as string);
    const A = forge.asn1;
    (pfx.value as forge.asn1.Asn1[]).push(
      A.create(A.Class.UNIVERSAL, A.Type.SEQUENCE, true, [
        A.create(A.Class.UNIVERSAL, A.Type.SEQUENCE, true, [
          A.create(A.Class.UNIVERSAL, A.Type.SEQUENCE, true, [
            A.create(A.Class.UNIVERSAL, A.Type.OID, false, A.oidToDer(forge.pki.oids.sha256!).getBytes()),
            A.create(A.Class.UNIVERSAL, A.Type.NULL, false, ""),
          ]),
          A.create(A.Class.UNIVERSAL, A.Type.OCTETSTRING, false, hmac.digest().getBytes()),
        ]),
        A.create(A.Class.UNIVERSAL, A.Type.OCTETSTRING, false, salt),
        A.create(A.Class.UNIVERSAL, A.Type.INTEGER, false, A.integerToDer(iterations).getBytes()),
      ]),
    );
  }
  return file(`self-signed-${profile}.p12`, Buffer.from(forge.asn1.toDer(pfx).getBytes(), "binary"));
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "fake-security-"));
  start();
  keychain = join(dir, "test.keychain-db");
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("passwords through getpass (Libc readpassphrase.c)", () => {
  it("reads create-keychain and unlock-keychain passwords from stdin when /dev/tty cannot be opened", async () => {
    expect((await security(["create-keychain", keychain], "secret\nsecret\n")).code).toBe(0);
    expect((await security(["unlock-keychain", keychain], "wrong\n")).code).toBe(51);
    expect(await security(["unlock-keychain", keychain], "secret\n")).toMatchObject({ code: 0 });
    const log = fake.log();
    expect(log.map((c) => c.tty)).toEqual(["ENXIO", "ENXIO", "ENXIO"]);
    expect(log.flatMap((c) => c.violations)).toEqual([]);
  });

  it("under a pseudo-terminal: the Exec port's child has no terminal (ENXIO), a plain child prompts on it and fails", async () => {
    const driver = join(FAKE_SECURITY_DIR, "tty-driver.ts");
    const viaPort = join(dir, "via-port.keychain-db");
    const viaPlain = join(dir, "via-plain.keychain-db");
    const command = [process.execPath, driver, viaPort, viaPlain].map((a) => `'${a}'`).join(" ");
    const args =
      process.platform === "darwin"
        ? ["-q", "/dev/null", process.execPath, driver, viaPort, viaPlain]
        : ["-qec", command, "/dev/null"];
    const run = spawnSync("script", args, {
      env: { ...process.env, ...fake.env, HOME: dir },
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      timeout: 60_000,
    });
    expect(run.error, "script(1) (util-linux on Linux) must be installed").toBeUndefined();
    expect(run.status, run.stdout + run.stderr).toBe(0);
    // The terminal shows the plain child's prompt (written to /dev/tty), never the Exec port child's.
    expect(run.stdout.match(/password for new keychain: /g)).toHaveLength(1);
    const line = /\{"driverTty".*\}/.exec(run.stdout)?.[0];
    expect(JSON.parse(line ?? "{}")).toEqual({ driverTty: "opened", port: { code: 0 }, plain: { code: 1 } });
    const [port, plain] = fake.log();
    expect(port).toMatchObject({ argv: ["create-keychain", viaPort], tty: "ENXIO", exit: 0, violations: [] });
    expect(plain).toMatchObject({ argv: ["create-keychain", viaPlain], tty: "opened", exit: 1 });
    expect(plain!.violations.join("\n")).toMatch(/\/dev\/tty/);
    expect(Object.keys(fake.state().keychains)).toContain(viaPort);
    expect(Object.keys(fake.state().keychains)).not.toContain(viaPlain);
  });

  it("ends a password at \\r: CRLF input makes an empty-password keychain that the CRLF password cannot unlock", async () => {
    const created = await security(["create-keychain", keychain], "secret\r\nsecret\r\n");
    // "secret" / "" (up to the \n) twice, then "" / "" at end of input: a match, on the third prompt.
    expect(created.code).toBe(0);
    expect(created.stderr.match(/passwords don't match/g)).toHaveLength(2);
    expect(fake.state().keychains[keychain]!.password).toBe("");
    expect((await security(["unlock-keychain", keychain], "secret\r\n")).code).toBe(51);
  });

  it("create-keychain asks up to three times; a mismatch then end of input creates it with an empty password", async () => {
    const mismatchThenEof = await security(["create-keychain", keychain], "a\nb\n");
    expect(mismatchThenEof.code).toBe(0);
    expect(mismatchThenEof.stderr).toMatch(/passwords don't match/);
    expect(fake.state().keychains[keychain]!.password).toBe("");

    const other = join(dir, "other.keychain-db");
    const threeMismatches = await security(["create-keychain", other], "a\nb\nc\nd\ne\nf\n");
    expect(threeMismatches.code).toBe(1);
    expect(threeMismatches.stderr.match(/passwords don't match/g)).toHaveLength(3);
    expect(fake.state().keychains[other]).toBeUndefined();

    const third = join(dir, "third.keychain-db");
    expect((await security(["create-keychain", third], "a\nb\nright\nright\n")).code).toBe(0);
    expect(fake.state().keychains[third]!.password).toBe("right");
  });

  it("keeps 128 characters of a password and drops the rest of the line", async () => {
    const long = "x".repeat(130);
    await createKeychain(keychain, long);
    expect(fake.state().keychains[keychain]!.password).toBe("x".repeat(128));
    expect((await security(["unlock-keychain", keychain], `${"x".repeat(128)}\n`)).code).toBe(0);
  });

  it("flags passwords on argv where stdin would do", async () => {
    await security(["create-keychain", "-p", "secret", keychain]);
    await security(["unlock-keychain", "-psecret", keychain]);
    await security(["set-key-partition-list", "-S", "apple-tool:", "-s", "-k", "secret", keychain]);
    expect(fake.log().map((c) => c.violations.length)).toEqual([1, 1, 1]);
  });
});

describe("set-key-partition-list (keychain_find.c)", () => {
  it("exits 1 when no key matches, or when the password is wrong; sets the partitions otherwise", async () => {
    await createKeychain();
    const args = ["set-key-partition-list", "-S", "apple-tool:,apple:,codesign:", "-s", keychain];
    const none = await security(args, "k\n");
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/SecItemCopyMatching: The specified item could not be found/);
    expect((await security(["import", cannedP12("p"), "-k", keychain, "-f", "pkcs12", "-P", "p"])).code).toBe(
      0,
    );
    expect(await security(args, "wrong\n")).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/SecKeychainUnlock/),
    });
    expect((await security(args, "k\n")).code).toBe(0);
    expect(fake.state().keychains[keychain]!.identities[0]!.partitionList).toBe(
      "apple-tool:,apple:,codesign:",
    );
  });
});

describe.each([14, 15])("import on macOS %i (keychain_import.c)", (macos) => {
  beforeEach(async () => {
    start({ macos });
    await createKeychain();
  });
  const importP12 = async (path: string, password?: string, stdin = "") =>
    await security(
      ["import", path, "-k", keychain, "-f", "pkcs12", ...(password === undefined ? [] : ["-P", password])],
      stdin,
    );

  it("imports the legacy profile with -P; a wrong -P is refused", async () => {
    const legacy = selfSignedP12("p12-pass", "legacy");
    expect((await importP12(legacy, "nope")).stderr).toMatch(
      macos <= 14 ? /MAC verification failed/ : /passphrase you entered is not correct/,
    );
    expect(await importP12(legacy, "p12-pass")).toEqual({
      code: 0,
      stdout: "1 identity imported.\n",
      stderr: "",
    });
  });

  it(`without -P ${macos <= 14 ? "needs the GUI (fails, flagged)" : "reads the passphrase from stdin"}`, async () => {
    const legacy = selfSignedP12("p12-pass", "legacy");
    const result = await importP12(legacy, undefined, "p12-pass\n");
    const [entry] = fake.log().filter((c) => c.argv[0] === "import");
    if (macos <= 14) {
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/SecurityAgent/);
      expect(entry!.violations).toHaveLength(1);
      expect(entry!.tty).toBeUndefined();
    } else {
      expect(result.code).toBe(0);
      expect(result.stderr).toBe("password to unlock self-signed-legacy.p12: ");
      expect(entry).toMatchObject({ tty: "ENXIO", violations: [] });
    }
  });

  it(`${macos <= 14 ? "refuses" : "accepts"} OpenSSL 3's default profile (PBES2 AES-256, PBKDF2-SHA256, SHA-256 MAC)`, async () => {
    const modern = selfSignedP12("p12-pass", "openssl3");
    expect(pkcs12MacDigest(readFileSync(modern)), "the fixture has OpenSSL 3's MAC").toBe("SHA-256");
    const result = await importP12(modern, "p12-pass");
    if (macos <= 14) expect(result.stderr).toMatch(/MAC verification failed/);
    else expect(result.code).toBe(0);
  });

  it.skipIf(!hasOpenssl3)(
    "treats a file from `openssl pkcs12 -export` (OpenSSL 3) the same way",
    async () => {
      const key = file("key.pem", testKeys().signingKeyPem);
      const cert = forge.pki.createCertificate();
      const forgeKey = forge.pki.privateKeyFromPem(testKeys().signingKeyPem);
      cert.publicKey = forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e);
      cert.serialNumber = "02";
      cert.validity.notBefore = new Date(Date.now() - 86_400_000);
      cert.validity.notAfter = new Date(Date.now() + 86_400_000);
      cert.setSubject([{ name: "commonName", value: "OpenSSL Export" }]);
      cert.setIssuer([{ name: "commonName", value: "OpenSSL Export" }]);
      cert.sign(forgeKey, forge.md.sha256.create());
      const certPem = file("cert.pem", forge.pki.certificateToPem(cert));
      const out = join(dir, "openssl3.p12");
      execFileSync("openssl", [
        "pkcs12",
        "-export",
        "-inkey",
        key,
        "-in",
        certPem,
        "-passout",
        "pass:p12-pass",
        "-out",
        out,
      ]);
      expect(pkcs12MacDigest(readFileSync(out))).toBe("SHA-256");
      const result = await importP12(out, "p12-pass");
      if (macos <= 14) expect(result.stderr).toMatch(/MAC verification failed/);
      else expect(result).toMatchObject({ code: 0, stdout: "1 identity imported.\n" });
    },
  );

  it("refuses PBES2 with PBKDF2-HMAC-SHA1 (15+ hard-codes the SHA-256 PRF for AES)", async () => {
    const result = await importP12(selfSignedP12("p12-pass", "forge-aes"), "p12-pass");
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(macos <= 14 ? /MAC verification failed/ : /Unable to decode/);
  });
});

describe("add-certificates (keychain_add.c)", () => {
  it("adds every file it can; one already present prints 'already in' and exits 1", async () => {
    await createKeychain();
    const ca = file("ca.cer", identity.caDer);
    const root = file("root.cer", identity.rootDer);
    const result = await security(["add-certificates", "-k", keychain, ca, ca, root]);
    expect(result).toEqual({ code: 1, stdout: "", stderr: `security: ${ca}: already in ${keychain}\n` });
    expect(fake.state().keychains[keychain]!.certificates.map((c) => c.commonName)).toEqual([
      "Test Worldwide Developer Relations Certification Authority",
      "Test Apple Root CA",
    ]);
    expect((await security(["add-certificates", "-k", keychain, root])).stderr).toMatch(/already in/);
  });
});

describe("search list and default keychain (keychain_list.c, StorageManager.cpp)", () => {
  it("list-keychains -s takes paths that do not exist; default-keychain -s refuses them", async () => {
    const missing = join(dir, "missing.keychain-db");
    const login = fake.state().searchList[0]!;
    expect((await security(["list-keychains", "-d", "user"])).stdout).toBe(`    "${login}"\n`);
    expect((await security(["list-keychains", "-d", "user", "-s", missing, login])).code).toBe(0);
    expect((await security(["list-keychains", "-d", "user"])).stdout).toBe(
      `    "${missing}"\n    "${login}"\n`,
    );
    const refused = await security(["default-keychain", "-d", "user", "-s", missing]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/Will not set default: file .* does not exist/);
    await createKeychain();
    expect((await security(["default-keychain", "-d", "user", "-s", keychain])).code).toBe(0);
    expect(fake.state().defaultKeychain).toBe(keychain);
  });

  it("refuses unknown subcommands and options, and fails what FAKE_SECURITY_FAIL names", async () => {
    expect((await security(["dump-keychain"])).code).toBe(2);
    expect((await security(["set-keychain-settings", "-x", keychain])).stderr).toMatch(/illegal option -- x/);
    fake.env.FAKE_SECURITY_FAIL = "list-keychains";
    expect((await security(["list-keychains"])).stderr).toMatch(/simulated failure/);
  });
});

describe("find-identity -v -p codesigning (identity_find.m, SecPolicyCreateCodeSigning)", () => {
  const validCount = async (): Promise<string> =>
    /(\d+) valid identities found/.exec(
      (await security(["find-identity", "-v", "-p", "codesigning", keychain])).stdout,
    )?.[1] ?? "?";

  async function withIdentity(systemCertificates: Uint8Array[]): Promise<void> {
    start({ systemCertificates });
    await createKeychain();
    expect((await security(["import", cannedP12("p"), "-k", keychain, "-f", "pkcs12", "-P", "p"])).code).toBe(
      0,
    );
  }

  it("is valid with the root trusted and the intermediate in the system keychain", async () => {
    await withIdentity([identity.rootDer, identity.caDer]);
    expect((await security(["find-identity", "-v", "-p", "codesigning", keychain])).stdout).toBe(
      `  1) ${identity.sha1} "${identity.commonName}"\n     1 valid identities found\n`,
    );
  });

  it("is not valid while the WWDR intermediate is missing, and becomes valid once it is added", async () => {
    await withIdentity([identity.rootDer]);
    expect(await validCount()).toBe("0");
    expect((await security(["find-identity", "-p", "codesigning", keychain])).stdout).toContain(
      `  1) ${identity.sha1} "${identity.commonName}" (CSSMERR_TP_NOT_TRUSTED)\n`,
    );
    expect((await security(["add-certificates", "-k", keychain, file("ca.cer", identity.caDer)])).code).toBe(
      0,
    );
    expect(await validCount()).toBe("1");
  });

  it("is not valid when the root is not a trusted anchor", async () => {
    await withIdentity([identity.caDer]);
    expect(await validCount()).toBe("0");
  });

  it("calls a self-signed certificate present but not valid", async () => {
    await createKeychain();
    expect(
      (await security(["import", selfSignedP12("p", "legacy"), "-k", keychain, "-f", "pkcs12", "-P", "p"]))
        .code,
    ).toBe(0);
    expect(await validCount()).toBe("0");
    expect((await security(["find-identity", "-p", "codesigning", keychain])).stdout).toMatch(
      /1\) [0-9A-F]{40} "Fake Developer" \(CSSMERR_TP_VERIFY_ACTION_FAILED\)/,
    );
  });
});

describe("the code signing trust evaluation", () => {
  const ecdsa = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;
  const day = 86_400_000;
  type Keys = webcrypto.CryptoKeyPair;
  const keys = async (): Promise<Keys> =>
    (await webcrypto.subtle.generateKey(ecdsa, true, ["sign", "verify"])) as Keys;
  let rootKeys: Keys;
  let caKeys: Keys;
  let leafKeys: Keys;
  let root: x509.X509Certificate;
  let ca: x509.X509Certificate;

  beforeAll(async () => {
    [rootKeys, caKeys, leafKeys] = await Promise.all([keys(), keys(), keys()]);
    root = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: "01",
      name: "CN=Root",
      notBefore: new Date(Date.now() - day),
      notAfter: new Date(Date.now() + 10 * day),
      keys: rootKeys,
      signingAlgorithm: ecdsa,
      extensions: [new x509.BasicConstraintsExtension(true, undefined, true)],
    });
    ca = await issue({ subject: "CN=WWDR", issuer: root, signer: rootKeys, publicKey: caKeys, ca: true });
  });

  async function issue(o: {
    subject: string;
    issuer: x509.X509Certificate;
    signer: Keys;
    publicKey: Keys;
    ca?: boolean;
    notAfter?: Date;
    eku?: string[] | undefined;
    keyUsage?: x509.KeyUsageFlags;
  }): Promise<x509.X509Certificate> {
    const extensions: x509.Extension[] = [new x509.BasicConstraintsExtension(o.ca ?? false, undefined, true)];
    if (!o.ca) {
      extensions.push(new x509.KeyUsagesExtension(o.keyUsage ?? x509.KeyUsageFlags.digitalSignature, true));
      if (o.eku !== undefined) extensions.push(new x509.ExtendedKeyUsageExtension(o.eku, true));
    }
    return x509.X509CertificateGenerator.create({
      serialNumber: String(Math.floor(Math.random() * 1e9)),
      subject: o.subject,
      issuer: o.issuer.subject,
      notBefore: new Date(Date.now() - day),
      notAfter: o.notAfter ?? new Date(Date.now() + 5 * day),
      publicKey: o.publicKey.publicKey,
      signingKey: o.signer.privateKey,
      signingAlgorithm: ecdsa,
      extensions,
    });
  }
  const pem = (c: x509.X509Certificate): string => c.toString("pem");
  const judge = async (leaf: x509.X509Certificate, pool = [pem(ca)], anchors = [pem(root)]) =>
    evaluateCodeSigning(pem(leaf), pool, anchors);
  const leafOf = (o: Partial<Parameters<typeof issue>[0]> = {}) =>
    issue({
      subject: "CN=Apple Distribution: Test",
      issuer: ca,
      signer: caKeys,
      publicKey: leafKeys,
      eku: ["1.3.6.1.5.5.7.3.3"],
      ...o,
    });

  it("accepts a code signing leaf chained to a trusted root", async () => {
    expect(await judge(await leafOf())).toEqual({ valid: true });
  });

  it("refuses an expired leaf, a leaf without the code signing EKU, and one whose key usage cannot sign", async () => {
    const expired = await leafOf({ notAfter: new Date(Date.now() - 1000) });
    expect(await judge(expired)).toEqual({ valid: false, reason: "CSSMERR_TP_CERT_EXPIRED" });
    expect((await judge(await leafOf({ eku: undefined }))).valid).toBe(false);
    expect((await judge(await leafOf({ eku: ["1.3.6.1.5.5.7.3.1"] }))).valid).toBe(false);
    expect((await judge(await leafOf({ eku: ["2.5.29.37.0"] }))).valid).toBe(false);
    const encipherOnly = await leafOf({ keyUsage: x509.KeyUsageFlags.keyEncipherment });
    expect((await judge(encipherOnly)).valid).toBe(false);
  });

  it("refuses a leaf whose signature is not the named issuer's, and a chain without its intermediate", async () => {
    const forged = await leafOf({ signer: leafKeys });
    expect(await judge(forged)).toEqual({ valid: false, reason: "CSSMERR_TP_NOT_TRUSTED" });
    expect(await judge(await leafOf(), [], [pem(root)])).toEqual({
      valid: false,
      reason: "CSSMERR_TP_NOT_TRUSTED",
    });
    // A non-self-signed certificate given as an anchor is not one.
    expect((await judge(await leafOf(), [], [pem(ca)])).valid).toBe(false);
  });
});

describe("getopt", () => {
  it("parses clustered flags, attached and separate arguments, and stops at the first operand", async () => {
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
