// Smoke test of the keychain install and the post cleanup against the real macOS `security` and `codesign`
// (.github/workflows/macos-keychain.yml runs it on macos-14, macos-15 and macos-26). Two scenarios, each
// through the action's own code (installKeychain, the Exec port, undoRecordedEntries):
//
// 1. keychain-default + wwdr-certificates: a throwaway PKI (root → "WWDR" intermediate → code signing
//    leaf); the intermediate and the root are passed as WWDR certificates, the intermediate twice (the
//    real `add-certificates` then says "already in", which must not fail the install), and the keychain
//    is made the default one.
// 2. a self-signed code signing identity, no WWDR certificates, default keychain untouched.
//
// After each import, a copy of /usr/bin/true is signed with
//   codesign --force --sign <SHA-1> --keychain <keychain> --timestamp=none <file>
// under a timeout: if the key's partition list or the keychain's lock made codesign ask for a password,
// it would wait on a dialog and the timeout turns that into a failure. For scenario 1, `codesign -dvv`
// must show the whole chain (leaf, intermediate, root: built from the certificates we added). Then the
// cleanup runs and the search list and default keychain must be back as they were, the files gone.
//
// Neither throwaway root is trusted, so `find-identity -v` (valid only) does not list the identities and
// installKeychain logs its "not a valid code signing identity" warning: expected here. codesign signs with
// an untrusted identity; trust matters when the signature is evaluated, not when it is made.
//
// Run: node scripts/keychain-smoke.ts. Off macOS it runs against the stand-in `security` (put
// test/support/fake-security first on PATH and set FAKE_SECURITY_LOG and FAKE_SECURITY_STATE) and skips
// the codesign steps, saying so.
import { createHash, createPrivateKey, generateKeyPairSync, randomBytes, webcrypto } from "node:crypto";
import { copyFileSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createProcessExec } from "../src/action/exec.ts";
import { undoRecordedEntries } from "../src/core/cleanup.ts";
import { installKeychain } from "../src/core/install/keychain.ts";
import { writeP12File } from "../src/core/install/p12-file.ts";
import { keychainPath, workDirectory } from "../src/core/install/paths.ts";
import { writeRecordedFile } from "../src/core/install/recorded-files.ts";
import {
  parseIdentities,
  parseKeychainList,
  sameKeychainPath,
} from "../src/core/install/security-command.ts";
import type { CleanupEntry, Exec, Logger } from "../src/core/ports.ts";
import { x509 } from "../test/support/x509-library.ts";

/** A prompt is a hang: nothing here may take longer than this. */
const TIMEOUT_MS = 60_000;
const CODE_SIGNING = "1.3.6.1.5.5.7.3.3";
const RSA = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" } as const;

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

interface KeyPair {
  privateKeyPem: string;
  keys: webcrypto.CryptoKeyPair;
}

async function rsaKeyPair(): Promise<KeyPair> {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const sign = await webcrypto.subtle.importKey(
    "pkcs8",
    privateKey.export({ type: "pkcs8", format: "der" }),
    RSA,
    true,
    ["sign"],
  );
  const jwk = await webcrypto.subtle.exportKey("jwk", sign);
  const verify = await webcrypto.subtle.importKey("jwk", { kty: jwk.kty, n: jwk.n, e: jwk.e }, RSA, true, [
    "verify",
  ]);
  return {
    privateKeyPem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    keys: { privateKey: sign, publicKey: verify },
  };
}

interface Identity {
  leafDer: Uint8Array;
  sha1: string;
  privateKeyPem: string;
  /** CA certificates to pass as WWDR certificates (intermediate first), empty for a self-signed leaf. */
  caDers: Uint8Array[];
  names: string[];
}

const tag = randomBytes(4).toString("hex");
const window = { notBefore: new Date(Date.now() - 3_600_000), notAfter: new Date(Date.now() + 86_400_000) };
const serial = (): string => randomBytes(8).toString("hex");
const leafExtensions = (): x509.Extension[] => [
  new x509.BasicConstraintsExtension(false, undefined, true),
  new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
  new x509.ExtendedKeyUsageExtension([CODE_SIGNING], true),
];
const sha1 = (der: Uint8Array): string => createHash("sha1").update(der).digest("hex").toUpperCase();

async function chainedIdentity(): Promise<Identity> {
  const [root, wwdr, leaf] = await Promise.all([rsaKeyPair(), rsaKeyPair(), rsaKeyPair()]);
  const names = [
    `asc-provision smoke leaf ${tag}`,
    `asc-provision smoke WWDR ${tag}`,
    `asc-provision smoke root ${tag}`,
  ];
  const rootCert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=${names[2]}`,
    ...window,
    keys: root.keys,
    signingAlgorithm: RSA,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
    ],
  });
  const wwdrCert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: `CN=${names[1]}`,
    issuer: rootCert.subject,
    ...window,
    publicKey: wwdr.keys.publicKey,
    signingKey: root.keys.privateKey,
    signingAlgorithm: RSA,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
    ],
  });
  const leafCert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: `CN=${names[0]}`,
    issuer: wwdrCert.subject,
    ...window,
    publicKey: leaf.keys.publicKey,
    signingKey: wwdr.keys.privateKey,
    signingAlgorithm: RSA,
    extensions: leafExtensions(),
  });
  const leafDer = new Uint8Array(leafCert.rawData);
  return {
    leafDer,
    sha1: sha1(leafDer),
    privateKeyPem: leaf.privateKeyPem,
    caDers: [new Uint8Array(wwdrCert.rawData), new Uint8Array(rootCert.rawData)],
    names,
  };
}

async function selfSignedIdentity(): Promise<Identity> {
  const leaf = await rsaKeyPair();
  const name = `asc-provision smoke self-signed ${tag}`;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=${name}`,
    ...window,
    keys: leaf.keys,
    signingAlgorithm: RSA,
    extensions: leafExtensions(),
  });
  const leafDer = new Uint8Array(cert.rawData);
  return { leafDer, sha1: sha1(leafDer), privateKeyPem: leaf.privateKeyPem, caDers: [], names: [name] };
}

interface Scenario {
  name: string;
  identity: Identity;
  makeDefault: boolean;
  /** Pass the intermediate twice, as a user's wwdr-certificates list might (the real tool: "already in"). */
  repeatIntermediate: boolean;
}

async function runScenario(exec: Exec, runnerTemp: string, scenario: Scenario): Promise<void> {
  console.log(`\n=== ${scenario.name}`);
  const run = async (command: string, ...args: string[]) => exec.run(command, args);
  const security = async (...args: string[]): Promise<string> => (await run("security", ...args)).stdout;
  const { identity } = scenario;
  const id = randomBytes(6).toString("hex");
  const entries: CleanupEntry[] = [];
  const recorder = { record: (entry: CleanupEntry) => entries.push(entry) };
  const work = workDirectory(runnerTemp, id);
  const path = keychainPath(runnerTemp, id);

  const before = parseKeychainList(await security("list-keychains", "-d", "user"));
  const defaultBefore = parseKeychainList(await security("default-keychain", "-d", "user"))[0];
  console.log(`search list before: ${JSON.stringify(before)}; default keychain: ${defaultBefore}`);

  const p12Path = join(work, "signing.p12");
  const p12Password = randomBytes(32).toString("hex");
  writeP12File(
    {
      path: p12Path,
      privateKey: createPrivateKey(identity.privateKeyPem),
      certificateDer: identity.leafDer,
      password: p12Password,
      friendlyName: "asc-provision keychain smoke",
    },
    recorder,
  );
  const certificatePaths = identity.caDers.map((der, index) => {
    const file = join(work, `wwdr-${index + 1}.cer`);
    writeRecordedFile(file, der, recorder);
    return file;
  });
  if (scenario.repeatIntermediate && identity.caDers[0]) {
    const again = join(work, "wwdr-again.cer");
    writeRecordedFile(again, identity.caDers[0], recorder);
    certificatePaths.push(again);
  }
  const target = join(mkdtempSync(join(runnerTemp, "codesign-")), "true-copy");

  try {
    await logger.group(`installKeychain (${scenario.name})`, () =>
      installKeychain(exec, recorder, logger, {
        path,
        password: randomBytes(32).toString("hex"),
        p12Path,
        p12Password,
        makeDefault: scenario.makeDefault,
        certificatePaths,
        identitySha1: identity.sha1,
      }),
    );
    console.log(
      "installKeychain finished (with a repeated WWDR certificate: add-certificates' 'already in')",
    );
    const listed = parseIdentities(await security("find-identity", "-p", "codesigning", path));
    check(
      listed.some((i) => i.sha1 === identity.sha1),
      `find-identity -p codesigning lists ${identity.sha1} in ${path}`,
    );
    for (const [index, name] of identity.names.slice(1).entries()) {
      const found = await run("security", "find-certificate", "-a", "-Z", "-c", name, path);
      check(
        found.code === 0 && found.stdout.includes(`SHA-1 hash: ${sha1(identity.caDers[index]!)}`),
        `WWDR certificate "${name}" is in the keychain`,
      );
    }
    const during = parseKeychainList(await security("list-keychains", "-d", "user"));
    check(
      during[0] !== undefined && sameKeychainPath(during[0], path),
      "our keychain is first in the search list",
    );
    check(
      before.every((p) => during.some((d) => sameKeychainPath(d, p))),
      "every entry of the search list before is still there",
    );
    const defaultDuring = parseKeychainList(await security("default-keychain", "-d", "user"))[0];
    check(
      scenario.makeDefault
        ? defaultDuring !== undefined && sameKeychainPath(defaultDuring, path)
        : defaultDuring === defaultBefore,
      scenario.makeDefault ? "our keychain is the default keychain" : "the default keychain is unchanged",
    );

    if (process.platform !== "darwin") console.log("skipped: codesign runs on macOS only");
    else {
      copyFileSync("/usr/bin/true", target);
      const started = Date.now();
      const signed = await run(
        "codesign",
        "--force",
        "--sign",
        identity.sha1,
        "--keychain",
        path,
        "--timestamp=none",
        target,
      );
      console.log(`codesign exit ${signed.code} after ${Date.now() - started} ms\n${signed.stderr.trim()}`);
      check(
        signed.code === 0,
        `codesign --sign ${identity.sha1} finished without a prompt (${TIMEOUT_MS / 1000} s limit)`,
      );
      const shown = await run("codesign", "-dvv", target);
      const authorities = [...shown.stderr.matchAll(/^Authority=(.*)$/gm)].map((m) => m[1]);
      console.log(`codesign -dvv authorities: ${JSON.stringify(authorities)}`);
      check(
        JSON.stringify(authorities) === JSON.stringify(identity.names),
        `the signature carries the chain ${JSON.stringify(identity.names)}`,
      );
      const verified = await run("codesign", "--verify", "--verbose", target);
      console.log(`(information) codesign --verify: exit ${verified.code} ${verified.stderr.trim()}`);
    }
  } catch (error) {
    check(false, `${scenario.name}: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    const report = await logger.group(`cleanup (${scenario.name})`, () =>
      undoRecordedEntries(entries, { exec, logger }),
    );
    check(report.warnings.length === 0, "cleanup without warnings");
    const after = parseKeychainList(await security("list-keychains", "-d", "user"));
    check(JSON.stringify(after) === JSON.stringify(before), `search list restored: ${JSON.stringify(after)}`);
    const defaultAfter = parseKeychainList(await security("default-keychain", "-d", "user"))[0];
    check(defaultAfter === defaultBefore, `default keychain restored: ${defaultAfter}`);
    check(!existsSync(path), "keychain file deleted");
    check(!existsSync(p12Path), ".p12 deleted");
    check(!existsSync(work), "work directory deleted");
    rmSync(join(target, ".."), { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  // Off macOS only against the stand-in (test/support/fake-security first on PATH, its variables set).
  if (process.platform !== "darwin" && !process.env.FAKE_SECURITY_LOG)
    throw new Error("keychain-smoke needs macOS and its `security` tool");
  if (process.platform === "darwin") {
    const version = await createProcessExec().run("sw_vers", ["-productVersion"]);
    console.log(`macOS ${version.stdout.trim()}`);
  }
  const exec = createProcessExec({ timeoutMs: TIMEOUT_MS });
  const runnerTemp = process.env.RUNNER_TEMP || mkdtempSync(join(tmpdir(), "keychain-smoke-"));
  await runScenario(exec, runnerTemp, {
    name: "keychain-default and wwdr-certificates",
    identity: await chainedIdentity(),
    makeDefault: true,
    repeatIntermediate: true,
  });
  await runScenario(exec, runnerTemp, {
    name: "self-signed identity, no WWDR certificates",
    identity: await selfSignedIdentity(),
    makeDefault: false,
    repeatIntermediate: false,
  });
  if (!process.env.RUNNER_TEMP) rmSync(runnerTemp, { recursive: true, force: true });
  if (failures.length > 0) {
    console.error(`${failures.length} check(s) failed:\n${failures.map((f) => `  - ${f}`).join("\n")}`);
    process.exitCode = 1;
  } else console.log("\nkeychain smoke test passed");
}

await main();
