// PKCS#12: what users export (read), and what macOS `security import` accepts (built: the legacy
// profile: 3DES key bag, plain certificate bags, a SHA-1 MAC).
import { execFileSync, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import forge from "node-forge";
import { afterAll, describe, expect, it } from "vitest";
import { readPkcs12 } from "../../src/core/signing/pkcs12.ts";
import { buildPkcs12, derivePkcs12Key } from "../../src/core/signing/pkcs12-build.ts";
import { hasShared, sharedPath } from "../support/shared-dir.ts";
import {
  expectInputError,
  pemOf,
  rsaKey,
  secretEncodings,
  selfSignedCertificate,
} from "../support/signing-test-kit.ts";

const PASSWORD = "Kc7-pw-for-tests";
const noFiles = () => undefined;
const OID = {
  pbeWithSHAAnd3KeyTripleDESCBC: "1.2.840.113549.1.12.1.3",
  pbes2: "1.2.840.113549.1.5.13",
  sha1: "1.3.14.3.2.26",
  data: "1.2.840.113549.1.7.1",
  encryptedData: "1.2.840.113549.1.7.6",
  certBag: "1.2.840.113549.1.12.10.1.3",
  shroudedKeyBag: "1.2.840.113549.1.12.10.1.2",
};

const opensslVersion = (() => {
  try {
    return execFileSync("openssl", ["version"], { encoding: "utf8" });
  } catch {
    return "";
  }
})();
const hasOpenssl3 = /^OpenSSL 3\./.test(opensslVersion);
if (!hasOpenssl3) console.log("skipped: the OpenSSL 3 cross-checks need `openssl` 3.x on PATH");

const workDir = mkdtempSync(join(tmpdir(), "signing-pkcs12-"));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

async function leafAndChain() {
  const key = rsaKey();
  const leaf = await selfSignedCertificate(key);
  const chain = [
    await selfSignedCertificate(rsaKey(2048, "ca"), { name: "CN=Test Intermediate CA", ca: true }),
  ];
  return { key, leaf, chain };
}

describe("buildPkcs12 → readPkcs12", () => {
  it("round-trips the key and the exact leaf certificate bytes, leaf chosen by key", async () => {
    const { key, leaf, chain } = await leafAndChain();
    const p12 = buildPkcs12({
      privateKey: key,
      certificateDer: leaf,
      chainDer: chain,
      password: PASSWORD,
      friendlyName: "Test",
    });
    const read = readPkcs12(Buffer.from(p12).toString("base64"), PASSWORD, { readFile: noFiles });
    expect(read.privateKey.equals(key)).toBe(true);
    expect(Buffer.from(read.certificateDer!).equals(Buffer.from(leaf))).toBe(true);
  });

  it("reads the .p12 from a path (binary file, and a file holding its base64)", async () => {
    const { key, leaf } = await leafAndChain();
    const p12 = Buffer.from(
      buildPkcs12({ privateKey: key, certificateDer: leaf, password: PASSWORD, friendlyName: "T" }),
    );
    const files: Record<string, Buffer> = {
      "/secrets/cert.p12": p12,
      "/secrets/cert.p12.b64": Buffer.from(`${p12.toString("base64")}\n`),
    };
    for (const path of Object.keys(files)) {
      const read = readPkcs12(path, PASSWORD, { readFile: (p) => files[p] });
      expect(read.privateKey.equals(key)).toBe(true);
    }
  });

  it("a wrong password is an InputError on the password input, without the password", async () => {
    const { key, leaf } = await leafAndChain();
    const p12 = Buffer.from(
      buildPkcs12({ privateKey: key, certificateDer: leaf, password: PASSWORD, friendlyName: "T" }),
    );
    expectInputError(
      () => readPkcs12(p12.toString("base64"), "Wr0ng!Secret#9", { readFile: noFiles }),
      "certificate-p12-password",
      /the password does not open this \.p12/,
      [PASSWORD, "Wr0ng!Secret#9", p12.toString("base64"), ...secretEncodings(key)],
    );
    expectInputError(
      () => readPkcs12(p12.toString("base64"), "", { readFile: noFiles, passwordInput: "p12-password" }),
      "p12-password",
      /is empty, and the \.p12 needs a password/,
    );
  });

  it("a .p12 without a private key is an InputError", async () => {
    const { leaf } = await leafAndChain();
    const certificate = forge.pki.certificateFromAsn1(
      forge.asn1.fromDer(Buffer.from(leaf).toString("binary")),
    );
    const onlyCert = forge.asn1.toDer(forge.pkcs12.toPkcs12Asn1(null, [certificate], PASSWORD)).getBytes();
    expectInputError(
      () => readPkcs12(Buffer.from(onlyCert, "binary").toString("base64"), PASSWORD, { readFile: noFiles }),
      "certificate-p12",
      /holds no private key/,
    );
  });

  it("a key without its certificate reads, with no certificate", async () => {
    const key = rsaKey();
    const forgeKey = forge.pki.privateKeyFromPem(key.export({ type: "pkcs1", format: "pem" }).toString());
    const onlyKey = forge.asn1
      .toDer(
        forge.pkcs12.toPkcs12Asn1(forgeKey, [], PASSWORD, { algorithm: "3des", generateLocalKeyId: false }),
      )
      .getBytes();
    const read = readPkcs12(Buffer.from(onlyKey, "binary").toString("base64"), PASSWORD, {
      readFile: noFiles,
    });
    expect(read.privateKey.equals(key)).toBe(true);
    expect(read.certificateDer).toBeUndefined();
  });

  it.each([
    ["empty", "", /is empty/],
    [
      "a PEM",
      pemOf("PRIVATE KEY", new Uint8Array(64)),
      /looks like a PEM, not a PKCS#12.*`certificate-private-key`/,
    ],
    ["a missing file", "/secrets/missing.p12", /is a path to a file that does not exist/],
    ["garbage", "not a p12 at all", /is neither base64 of a \.p12 nor a path to one/],
    [
      "base64 of non-PKCS#12 DER",
      Buffer.from([0x30, 0x03, 0x02, 0x01, 0x05]).toString("base64"),
      /could not be read as PKCS#12/,
    ],
  ])("refuses %s on the .p12 input", (_what, value, pattern) => {
    expectInputError(() => readPkcs12(value, PASSWORD, { readFile: noFiles }), "certificate-p12", pattern, [
      PASSWORD,
    ]);
  });
});

describe("derivePkcs12Key (RFC 7292 appendix B, SHA-1)", () => {
  it.each([
    ["a random hex password, 3DES key", randomBytes(32).toString("hex"), 24],
    ["a random hex password, IV", randomBytes(32).toString("hex"), 8],
    ["a short password, MAC key", "abc", 20],
    ["an empty password, two blocks", "", 40],
    ["a non-ASCII password", "pässwörd€", 24],
  ])("gives node-forge's bytes for %s", (_what, password, length) => {
    for (const id of [1, 2, 3]) {
      const salt = randomBytes(8).toString("binary");
      const expected = forge.pkcs12
        .generateKey(password, forge.util.createBuffer(salt), id, 2048, length)
        .getBytes();
      expect(Buffer.from(derivePkcs12Key(password, salt, id, length), "binary").toString("hex")).toBe(
        Buffer.from(expected, "binary").toString("hex"),
      );
    }
  });
});

describe("buildPkcs12: the legacy profile macOS accepts", () => {
  const fromDer = (bytes: string) => forge.asn1.fromDer(bytes);
  const oidOf = (node: forge.asn1.Asn1) => forge.asn1.derToOid(node.value as string);
  const children = (node: forge.asn1.Asn1) => node.value as forge.asn1.Asn1[];

  it("uses pbeWithSHAAnd3-KeyTripleDES-CBC for the key bag, plain certificate bags, and a SHA-1 MAC", async () => {
    const { key, leaf, chain } = await leafAndChain();
    const p12 = buildPkcs12({
      privateKey: key,
      certificateDer: leaf,
      chainDer: chain,
      password: PASSWORD,
      friendlyName: "iPhone Distribution: Test",
    });
    const pfx = fromDer(Buffer.from(p12).toString("binary"));
    const [version, authSafe, macData] = children(pfx);
    expect(forge.asn1.derToInteger(version!.value as string)).toBe(3);

    // MacData: DigestInfo { SHA-1 }, salt, iterations.
    const [digestInfo, , iterations] = children(macData!);
    expect(oidOf(children(children(digestInfo!)[0]!)[0]!)).toBe(OID.sha1);
    expect(forge.asn1.derToInteger(iterations!.value as string)).toBeGreaterThanOrEqual(2048);

    // AuthenticatedSafe: [data (certificate bags, public, not encrypted), data (key bag)].
    expect(oidOf(children(authSafe!)[0]!)).toBe(OID.data);
    const safeBytes = children(children(authSafe!)[1]!)[0]!.value as string;
    const [certificates, keys] = children(fromDer(safeBytes));
    expect(oidOf(children(certificates!)[0]!)).toBe(OID.data);
    const certificateBags = children(fromDer(children(children(certificates!)[1]!)[0]!.value as string));
    expect(certificateBags.map((bag) => oidOf(children(bag)[0]!))).toEqual([OID.certBag, OID.certBag]);
    expect(
      Buffer.from(p12).includes(Buffer.from(forge.asn1.oidToDer(OID.encryptedData).getBytes(), "binary")),
    ).toBe(false);
    expect(Buffer.from(p12).includes(Buffer.from(leaf))).toBe(true);

    expect(oidOf(children(keys!)[0]!)).toBe(OID.data);
    const keyBags = fromDer(children(children(keys!)[1]!)[0]!.value as string);
    const keyBag = children(keyBags)[0]!;
    expect(oidOf(children(keyBag)[0]!)).toBe(OID.shroudedKeyBag);
    const encryptedPrivateKeyInfo = children(children(keyBag)[1]!)[0]!;
    expect(oidOf(children(children(encryptedPrivateKeyInfo)[0]!)[0]!)).toBe(
      OID.pbeWithSHAAnd3KeyTripleDESCBC,
    );
    expect(Buffer.from(p12).includes(Buffer.from(forge.asn1.oidToDer(OID.pbes2).getBytes(), "binary"))).toBe(
      false,
    );
  });

  it("sets friendlyName and localKeyId on the key and the leaf, chain certificates after the leaf", async () => {
    const { key, leaf, chain } = await leafAndChain();
    const p12 = buildPkcs12({
      privateKey: key,
      certificateDer: leaf,
      chainDer: chain,
      password: PASSWORD,
      friendlyName: "iPhone Distribution: Test",
    });
    const pfx = forge.pkcs12.pkcs12FromAsn1(fromDer(Buffer.from(p12).toString("binary")), PASSWORD);
    const keyBag = pfx.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag! })[
      forge.pki.oids.pkcs8ShroudedKeyBag!
    ]![0]!;
    const certBags = pfx.getBags({ bagType: forge.pki.oids.certBag! })[forge.pki.oids.certBag!]!;
    expect(keyBag.attributes.friendlyName).toEqual(["iPhone Distribution: Test"]);
    expect(certBags).toHaveLength(2);
    expect(certBags[0]!.attributes.friendlyName).toEqual(["iPhone Distribution: Test"]);
    expect(certBags[0]!.attributes.localKeyId).toEqual(keyBag.attributes.localKeyId);
    expect(certBags[1]!.attributes.localKeyId).toBeUndefined();
    expect(certBags[1]!.cert?.subject.getField("CN").value).toBe("Test Intermediate CA");
  });
});

describe.skipIf(!hasOpenssl3)("OpenSSL 3 cross-checks", () => {
  it("`openssl pkcs12 -info -legacy` reads the built file: 3DES key bag, plain certificates, SHA-1 MAC", async () => {
    const { key, leaf } = await leafAndChain();
    const path = join(workDir, "built.p12");
    writeFileSync(
      path,
      buildPkcs12({ privateKey: key, certificateDer: leaf, password: PASSWORD, friendlyName: "T" }),
    );
    const run = spawnSync(
      "openssl",
      ["pkcs12", "-info", "-legacy", "-noout", "-in", path, "-passin", `pass:${PASSWORD}`],
      { encoding: "utf8" },
    );
    expect(run.status).toBe(0);
    const info = `${run.stdout}${run.stderr}`;
    expect(info).toMatch(/MAC: sha1/);
    expect(info).not.toMatch(/PKCS7 Encrypted data/);
    expect(info.match(/PKCS7 Data/g)).toHaveLength(2);
    expect(info).toMatch(/Certificate bag/);
    expect(info).toMatch(/Shrouded Keybag: pbeWithSHA1And3-KeyTripleDES-CBC/);
  });

  it("reads what `openssl pkcs12 -export` writes, modern (AES-256, SHA-256 MAC) and legacy", async () => {
    const { key, leaf } = await leafAndChain();
    writeFileSync(join(workDir, "key.pem"), key.export({ type: "pkcs8", format: "pem" }));
    writeFileSync(join(workDir, "cert.pem"), pemOf("CERTIFICATE", leaf));
    for (const extra of [[], ["-legacy"]]) {
      const out = join(workDir, `exported${extra.join("")}.p12`);
      execFileSync("openssl", [
        "pkcs12",
        "-export",
        ...extra,
        "-inkey",
        join(workDir, "key.pem"),
        "-in",
        join(workDir, "cert.pem"),
        "-out",
        out,
        "-passout",
        `pass:${PASSWORD}`,
      ]);
      const read = readPkcs12(readFileSync(out).toString("base64"), PASSWORD, { readFile: noFiles });
      expect(read.privateKey.equals(key)).toBe(true);
      expect(Buffer.from(read.certificateDer!).equals(Buffer.from(leaf))).toBe(true);
    }
  });
});

describe.skipIf(!hasShared)("with Apple's certificates", () => {
  it("keeps an Apple-issued certificate's bytes exactly (as the chain)", async () => {
    const { key, leaf } = await leafAndChain();
    const apple = new Uint8Array(readFileSync(sharedPath("asc", "samples", "AppleIncRootCertificate.cer")));
    const p12 = buildPkcs12({
      privateKey: key,
      certificateDer: leaf,
      chainDer: [apple],
      password: PASSWORD,
      friendlyName: "T",
    });
    const pfx = forge.pkcs12.pkcs12FromAsn1(
      forge.asn1.fromDer(Buffer.from(p12).toString("binary")),
      PASSWORD,
    );
    const certBags = pfx.getBags({ bagType: forge.pki.oids.certBag! })[forge.pki.oids.certBag!]!;
    const der = forge.asn1.toDer(forge.pki.certificateToAsn1(certBags[1]!.cert!)).getBytes();
    expect(Buffer.from(der, "binary").equals(Buffer.from(apple))).toBe(true);
  });
});
