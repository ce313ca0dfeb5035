// Smoke test of the keychain install and the post cleanup against the real macOS `security`
// (.github/workflows/macos-keychain.yml runs it on macos-latest). It imports a throwaway self-signed
// identity the way main does, checks that `security` lists it as a code signing identity in our keychain
// and that the search list gained our keychain while keeping its entries, then runs the cleanup and
// checks that the search list is back as it was and the keychain and .p12 are gone.
//
// A self-signed certificate is not trusted, so `find-identity -v` (valid only) would not list it, and
// installKeychain warns about it (that warning is expected here); this script checks the full
// `find-identity -p codesigning` list instead. Run: node scripts/keychain-smoke.ts (on Linux, with the
// stand-in: PATH=test/support/fake-security:$PATH FAKE_SECURITY_LOG=… FAKE_SECURITY_STATE=…).
import { createHash, createPrivateKey, generateKeyPairSync, randomBytes, webcrypto } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createProcessExec } from "../src/action/exec.ts";
import { undoRecordedEntries } from "../src/core/cleanup.ts";
import { installKeychain } from "../src/core/install/keychain.ts";
import { writeP12File } from "../src/core/install/p12-file.ts";
import { keychainPath, workDirectory } from "../src/core/install/paths.ts";
import {
  parseIdentities,
  parseKeychainList,
  sameKeychainPath,
} from "../src/core/install/security-command.ts";
import type { CleanupEntry, Logger } from "../src/core/ports.ts";
import { x509 } from "../src/core/signing/x509-library.ts";

const logger: Logger = {
  debug: (m) => console.log(`  debug: ${m}`),
  info: (m) => console.log(`  ${m}`),
  warning: (m) => console.log(`  warning: ${m}`),
  error: (m) => console.log(`  error: ${m}`),
  group: async (name, fn) => {
    console.log(`::group::${name}`);
    try {
      return await fn();
    } finally {
      console.log("::endgroup::");
    }
  },
};

const failures: string[] = [];
const check = (ok: boolean, what: string): void => {
  console.log(`${ok ? "ok" : "FAILED"}: ${what}`);
  if (!ok) failures.push(what);
};

async function selfSignedIdentity(): Promise<{ der: Uint8Array; sha1: string; privateKeyPem: string }> {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const privateKeyPem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  const alg = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" } as const;
  const signingKey = await webcrypto.subtle.importKey(
    "pkcs8",
    privateKey.export({ type: "pkcs8", format: "der" }),
    alg,
    true,
    ["sign"],
  );
  const jwk = await webcrypto.subtle.exportKey("jwk", signingKey);
  const publicKey = await webcrypto.subtle.importKey("jwk", { kty: jwk.kty, n: jwk.n, e: jwk.e }, alg, true, [
    "verify",
  ]);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomBytes(8).toString("hex"),
    name: `CN=asc-provision keychain smoke ${randomBytes(4).toString("hex")}`,
    notBefore: new Date(Date.now() - 60_000),
    notAfter: new Date(Date.now() + 86_400_000),
    keys: { privateKey: signingKey, publicKey },
    signingAlgorithm: alg,
    extensions: [
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension(["1.3.6.1.5.5.7.3.3"], true),
    ],
  });
  const der = new Uint8Array(cert.rawData);
  return { der, sha1: createHash("sha1").update(der).digest("hex").toUpperCase(), privateKeyPem };
}

async function main(): Promise<void> {
  // Off macOS only against the stand-in (test/support/fake-security first on PATH, its variables set).
  if (process.platform !== "darwin" && !process.env.FAKE_SECURITY_LOG)
    throw new Error("keychain-smoke needs macOS and its `security` tool");
  const exec = createProcessExec();
  const security = async (...args: string[]): Promise<string> => (await exec.run("security", args)).stdout;
  const runnerTemp = process.env.RUNNER_TEMP || mkdtempSync(join(tmpdir(), "keychain-smoke-"));
  const id = randomBytes(6).toString("hex");
  const entries: CleanupEntry[] = [];
  const recorder = { record: (entry: CleanupEntry) => entries.push(entry) };

  const before = parseKeychainList(await security("list-keychains", "-d", "user"));
  console.log(`search list before: ${JSON.stringify(before)}`);
  const identity = await selfSignedIdentity();
  const p12Path = join(workDirectory(runnerTemp, id), "signing.p12");
  const p12Password = randomBytes(32).toString("hex");
  writeP12File(
    {
      path: p12Path,
      privateKey: createPrivateKey(identity.privateKeyPem),
      certificateDer: identity.der,
      password: p12Password,
      friendlyName: "asc-provision keychain smoke",
    },
    recorder,
  );

  const path = keychainPath(runnerTemp, id);
  try {
    await logger.group("installKeychain", () =>
      installKeychain(exec, recorder, logger, {
        path,
        password: randomBytes(32).toString("hex"),
        p12Path,
        p12Password,
        makeDefault: false,
        certificatePaths: [],
        identitySha1: identity.sha1,
      }),
    );
    const listed = parseIdentities(await security("find-identity", "-p", "codesigning", path));
    check(
      listed.some((i) => i.sha1 === identity.sha1),
      `find-identity -p codesigning lists ${identity.sha1} in ${path}`,
    );
    const during = parseKeychainList(await security("list-keychains", "-d", "user"));
    check(
      during[0] !== undefined && sameKeychainPath(during[0], path),
      "our keychain is first in the user search list",
    );
    check(
      before.every((p) => during.includes(p)),
      "every entry of the search list before is still there",
    );
  } catch (error) {
    check(false, `installKeychain: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    const report = await logger.group("cleanup", () => undoRecordedEntries(entries, { exec, logger }));
    check(report.warnings.length === 0, "cleanup without warnings");
    const after = parseKeychainList(await security("list-keychains", "-d", "user"));
    check(JSON.stringify(after) === JSON.stringify(before), `search list restored: ${JSON.stringify(after)}`);
    check(!existsSync(path), "keychain file deleted");
    check(!after.some((p) => sameKeychainPath(p, path)), "keychain gone from the search list");
    check(!existsSync(p12Path), ".p12 deleted");
    if (!process.env.RUNNER_TEMP) rmSync(runnerTemp, { recursive: true, force: true });
  }
  if (failures.length > 0) {
    console.error(`${failures.length} check(s) failed`);
    process.exitCode = 1;
  } else console.log("keychain smoke test passed");
}

await main();
