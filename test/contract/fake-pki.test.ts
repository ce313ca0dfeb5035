// The fake Apple PKI (certificates from CSRs, CMS-signed profiles) and the loopback TLS test CA.
import "reflect-metadata";
import { execFile, spawnSync } from "node:child_process";
import { generateKeyPairSync, webcrypto } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { Agent, createServer, get, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { ContentInfo, SignedData } from "@peculiar/asn1-cms";
import { AsnConvert } from "@peculiar/asn1-schema";
import * as x509 from "@peculiar/x509";
import { parse } from "plist";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CAPABILITY_ENTITLEMENT_KEYS } from "../../src/core/reconcile/capability-entitlements.ts";
import {
  CERTIFICATE_NAME_PREFIXES,
  createFakeAppleCa,
  type FakeAppleCa,
  InvalidCsrError,
  type LeafInfo,
  UID_OID,
} from "../support/fake-asc/apple-ca.ts";
import {
  buildProfilePlist,
  entitlementsFor,
  type ProfilePlistInput,
  signedProfile,
} from "../support/fake-asc/profile-signer.ts";
import { createTestTls } from "../support/tls-ca.ts";

x509.cryptoProvider.set(webcrypto);

const execFileAsync = promisify(execFile);
const hasOpenssl = spawnSync("openssl", ["version"]).status === 0;
if (!hasOpenssl) console.warn("skipped: the openssl checks need `openssl` on PATH");

const RSA: webcrypto.RsaHashedKeyGenParams = {
  name: "RSASSA-PKCS1-v1_5",
  modulusLength: 2048,
  publicExponent: new Uint8Array([1, 0, 1]),
  hash: "SHA-256",
};

const info: LeafInfo = {
  certificateType: "DISTRIBUTION",
  teamId: "ABCDE12345",
  teamName: "Example Ltd",
  notBefore: new Date("2025-01-02T03:04:05.678Z"),
  notAfter: new Date("2026-01-02T03:04:05.678Z"),
};

let ca: FakeAppleCa;
let csr: x509.Pkcs10CertificateRequest;
let dir: string;

beforeAll(async () => {
  ca = await createFakeAppleCa();
  const keys = (await webcrypto.subtle.generateKey(RSA, true, ["sign", "verify"])) as webcrypto.CryptoKeyPair;
  csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: "E=dev@example.com, CN=Example Ltd, C=US",
    keys,
    signingAlgorithm: RSA,
  });
  dir = await mkdtemp(join(tmpdir(), "fake-pki-test-"));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const bytes = (data: ArrayBuffer | Uint8Array) =>
  Buffer.from(data instanceof Uint8Array ? data : new Uint8Array(data));

describe("fake Apple CA: certificates", () => {
  it("issues a leaf from a CSR that chains to the root through the WWDR intermediate", async () => {
    const issued = await ca.issueFromCsr(csr.toString("base64"), info);
    const leaf = new x509.X509Certificate(issued.der);
    const wwdr = new x509.X509Certificate(ca.wwdrDer);
    const root = new x509.X509Certificate(ca.rootDer);

    expect(await leaf.verify({ publicKey: wwdr, signatureOnly: true })).toBe(true);
    expect(await wwdr.verify({ publicKey: root, signatureOnly: true })).toBe(true);
    expect(await root.verify({ signatureOnly: true })).toBe(true);
    expect(await leaf.verify({ publicKey: root, signatureOnly: true })).toBe(false);
    expect(leaf.issuer).toBe(wwdr.subject);
    expect(wwdr.issuer).toBe(root.subject);

    const chain = await new x509.X509ChainBuilder({ certificates: [wwdr, root] }).build(leaf);
    expect(chain.map((c) => c.subject)).toEqual([leaf.subject, wwdr.subject, root.subject]);
    expect(root.getExtension(x509.BasicConstraintsExtension)?.ca).toBe(true);
    expect(wwdr.getExtension(x509.BasicConstraintsExtension)?.ca).toBe(true);
    expect(root.subjectName.getField("CN")).toEqual(["Fake Apple Root CA"]);
    expect(wwdr.subjectName.getField("CN")).toEqual([
      "Fake Apple Worldwide Developer Relations Certification Authority",
    ]);
  });

  it("carries the CSR's public key and Apple's subject fields and extensions", async () => {
    const issued = await ca.issueFromCsr(csr.toString("pem"), info);
    const leaf = new x509.X509Certificate(issued.der);
    const wwdr = new x509.X509Certificate(ca.wwdrDer);

    expect(bytes(leaf.publicKey.rawData)).toEqual(bytes(csr.publicKey.rawData));
    const subject = leaf.subjectName;
    expect(subject.getField(UID_OID)[0]).toMatch(/^[A-Z0-9]{10}$/);
    expect(subject.getField("CN")).toEqual(["Apple Distribution: Example Ltd (ABCDE12345)"]);
    expect(subject.getField("OU")).toEqual(["ABCDE12345"]);
    expect(subject.getField("O")).toEqual(["Example Ltd"]);
    expect(subject.getField("C")).toEqual(["US"]);
    expect(subject.toJSON().map((rdn) => Object.keys(rdn)[0])).toEqual([UID_OID, "CN", "OU", "O", "C"]);
    expect(issued.commonName).toBe("Apple Distribution: Example Ltd (ABCDE12345)");

    expect(leaf.getExtension(x509.BasicConstraintsExtension)?.ca).toBe(false);
    expect(leaf.getExtension(x509.KeyUsagesExtension)?.usages).toBe(x509.KeyUsageFlags.digitalSignature);
    expect(leaf.getExtension(x509.ExtendedKeyUsageExtension)?.usages).toEqual([
      x509.ExtendedKeyUsage.codeSigning,
    ]);
    const ski = leaf.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId;
    expect(ski).toBe(Buffer.from(await leaf.publicKey.getKeyIdentifier()).toString("hex"));
    expect(leaf.getExtension(x509.AuthorityKeyIdentifierExtension)?.keyId).toBe(
      wwdr.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId,
    );

    expect(issued.serialNumber).toBe(leaf.serialNumber.toUpperCase());
    expect(issued.serialNumber).toMatch(/^[0-9A-F]{16}$/);
    expect(issued.notBefore.toISOString()).toBe("2025-01-02T03:04:05.000Z");
    expect(issued.notAfter.toISOString()).toBe("2026-01-02T03:04:05.000Z");
  });

  it("accepts the CSR as PEM, as base64 DER and as base64 of a whole PEM file", async () => {
    for (const form of [
      csr.toString("pem"),
      csr.toString("base64"),
      Buffer.from(csr.toString("pem")).toString("base64"),
    ]) {
      const leaf = new x509.X509Certificate((await ca.issueFromCsr(form, info)).der);
      expect(bytes(leaf.publicKey.rawData)).toEqual(bytes(csr.publicKey.rawData));
    }
  });

  it("rejects a CSR that is not one, and one whose signature does not match", async () => {
    await expect(ca.issueFromCsr("", info)).rejects.toBeInstanceOf(InvalidCsrError);
    await expect(ca.issueFromCsr("not a csr!", info)).rejects.toBeInstanceOf(InvalidCsrError);
    await expect(ca.issueFromCsr(Buffer.from("hello world").toString("base64"), info)).rejects.toThrow(
      /not a PKCS#10 certificate request/,
    );
    const tampered = Buffer.from(new Uint8Array(csr.rawData)); // a copy: Buffer.from(ArrayBuffer) would share it
    tampered[tampered.length - 5]! ^= 0xff; // inside the signature
    await expect(ca.issueFromCsr(tampered.toString("base64"), info)).rejects.toThrow(
      /signature does not match its public key/,
    );
  });

  it("issues for a bare public key, with the common-name prefix of each type and a given serial", async () => {
    const { publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    for (const [type, prefix] of [
      ...Object.entries(CERTIFICATE_NAME_PREFIXES),
      ["PASS_TYPE_ID", "PASS_TYPE_ID"],
    ] as const) {
      const issued = await ca.issueForPublicKey(publicKey, { ...info, certificateType: type });
      expect(issued.commonName).toBe(`${prefix}: Example Ltd (ABCDE12345)`);
      const leaf = new x509.X509Certificate(issued.der);
      expect(bytes(leaf.publicKey.rawData)).toEqual(publicKey.export({ type: "spki", format: "der" }));
    }
    expect(CERTIFICATE_NAME_PREFIXES.IOS_DISTRIBUTION).toBe("iPhone Distribution");
    expect(CERTIFICATE_NAME_PREFIXES.DEVELOPER_ID_APPLICATION_G2).toBe("Developer ID Application");

    const serial = await ca.issueForPublicKey(publicKey, { ...info, serialHex: "0a1b2c3d4e5f6071" });
    expect(serial.serialNumber).toBe("0A1B2C3D4E5F6071");
    const highBit = await ca.issueForPublicKey(publicKey, { ...info, serialHex: "F96259D1CD27CFDD" });
    expect(highBit.serialNumber).toBe("F96259D1CD27CFDD");
  });

  it.skipIf(!hasOpenssl)("produces a chain that openssl verifies", async () => {
    const issued = await ca.issueFromCsr(csr.toString("base64"), info);
    const pem = (der: Uint8Array) => new x509.X509Certificate(der).toString("pem");
    await writeFile(join(dir, "root.pem"), pem(ca.rootDer));
    await writeFile(join(dir, "wwdr.pem"), pem(ca.wwdrDer));
    await writeFile(join(dir, "leaf.pem"), pem(issued.der));
    const { stdout } = await execFileAsync("openssl", [
      "verify",
      "-no_check_time",
      "-purpose",
      "any",
      "-CAfile",
      join(dir, "root.pem"),
      "-untrusted",
      join(dir, "wwdr.pem"),
      join(dir, "leaf.pem"),
    ]);
    expect(stdout).toContain("leaf.pem: OK");
  });
});

describe("fake Apple CA: signed profiles", () => {
  async function profileInput(): Promise<ProfilePlistInput> {
    const { publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const cert = await ca.issueForPublicKey(publicKey, { ...info, certificateType: "DEVELOPMENT" });
    return {
      appIdName: "Example App",
      teamId: "ABCDE12345",
      teamName: "Example Ltd",
      bundleIdentifier: "com.example.app",
      platforms: ["iOS", "xrOS", "visionOS"],
      name: "com.example.app Development",
      uuid: "0f6f0f6f-1111-4222-8333-944445555666",
      creationDate: new Date("2025-01-02T03:04:05Z"),
      expirationDate: new Date("2026-01-02T03:04:05Z"),
      developerCertificatesDer: [cert.der],
      provisionedDevices: ["00008030-001A2B3C4D5E6F70", "0123456789abcdef0123456789abcdef01234567"],
      entitlements: entitlementsFor({
        profileType: "IOS_APP_DEVELOPMENT",
        teamId: "ABCDE12345",
        bundleIdentifier: "com.example.app",
        capabilities: [{ type: "PUSH_NOTIFICATIONS" }],
      }),
      timeToLive: 365,
    };
  }

  async function opensslVerify(cms: Uint8Array, name: string): Promise<Buffer> {
    await writeFile(join(dir, "root.pem"), new x509.X509Certificate(ca.rootDer).toString("pem"));
    await writeFile(join(dir, name), cms);
    const out = join(dir, `${name}.out`);
    await execFileAsync("openssl", [
      "cms",
      "-verify",
      "-inform",
      "DER",
      "-in",
      join(dir, name),
      "-CAfile",
      join(dir, "root.pem"),
      "-purpose",
      "any",
      "-out",
      out,
    ]);
    return readFile(out);
  }

  it.skipIf(!hasOpenssl)(
    "verifies with openssl against the fake root and round-trips the plist",
    async () => {
      const input = await profileInput();
      const cms = await signedProfile(ca, input);
      const content = await opensslVerify(cms, "profile.mobileprovision");
      expect(content.toString("utf8")).toBe(buildProfilePlist(input));

      const plist = parse(content.toString("utf8")) as Record<string, unknown>;
      expect(plist.UUID).toBe(input.uuid);
      expect(plist.Name).toBe(input.name);
      expect(plist.AppIDName).toBe(input.appIdName);
      expect(plist.TeamIdentifier).toEqual(["ABCDE12345"]);
      expect(plist.ApplicationIdentifierPrefix).toEqual(["ABCDE12345"]);
      expect(plist.TeamName).toBe("Example Ltd");
      expect(plist.Platform).toEqual(["iOS", "xrOS", "visionOS"]);
      expect(plist.ProvisionedDevices).toEqual(input.provisionedDevices);
      expect(plist.ProvisionsAllDevices).toBeUndefined();
      expect(plist.IsXcodeManaged).toBe(false);
      expect(plist.Version).toBe(1);
      expect(plist.TimeToLive).toBe(365);
      expect((plist.CreationDate as Date).toISOString()).toBe("2025-01-02T03:04:05.000Z");
      expect((plist.ExpirationDate as Date).toISOString()).toBe("2026-01-02T03:04:05.000Z");
      expect((plist.DeveloperCertificates as Uint8Array[]).map((d) => Buffer.from(d))).toEqual(
        input.developerCertificatesDer.map((d) => Buffer.from(d)),
      );
      expect(plist.Entitlements).toEqual({
        "application-identifier": "ABCDE12345.com.example.app",
        "keychain-access-groups": ["ABCDE12345.*", "com.apple.token"],
        "get-task-allow": true,
        "com.apple.developer.team-identifier": "ABCDE12345",
        "aps-environment": "development",
      });
    },
  );

  it.skipIf(!hasOpenssl)("fails openssl verification once tampered with", async () => {
    const cms = Buffer.from(await signedProfile(ca, await profileInput()));
    const at = cms.indexOf("com.example.app Development");
    expect(at).toBeGreaterThan(0);
    cms[at] = "C".charCodeAt(0);
    await expect(opensslVerify(cms, "tampered.mobileprovision")).rejects.toThrow(
      /Verification failure|verify error/i,
    );
  });

  it("is DER: one definite-length SignedData with the signer and the root, content attached", async () => {
    const input = await profileInput();
    const cms = await signedProfile(ca, input);
    expect(Buffer.from(AsnConvert.serialize(AsnConvert.parse(cms, ContentInfo)))).toEqual(Buffer.from(cms));
    const signed = AsnConvert.parse(AsnConvert.parse(cms, ContentInfo).content, SignedData);
    const certs = (signed.certificates ?? []).map(
      (c) => new x509.X509Certificate(AsnConvert.serialize(c.certificate!)).subjectName.getField("CN")[0],
    );
    expect(certs).toEqual(["Fake Apple iPhone OS Provisioning Profile Signing", "Fake Apple Root CA"]);
    expect(signed.signerInfos).toHaveLength(1);
    const attributes = signed.signerInfos[0]!.signedAttrs!.map((a) => a.attrType);
    // content type, signing time, message digest: DER's SET OF order (by encoding).
    expect(attributes).toEqual(["1.2.840.113549.1.9.3", "1.2.840.113549.1.9.5", "1.2.840.113549.1.9.4"]);
    const content = signed.encapContentInfo.eContent?.single?.buffer;
    expect(Buffer.from(content!).toString("utf8")).toBe(buildProfilePlist(input));
  });

  it.skipIf(!hasOpenssl)(
    "offers indefinite-length BER like Apple's files, which openssl also verifies",
    async () => {
      const input = await profileInput();
      const cms = await signedProfile(ca, input, { ber: true });
      expect([cms[0], cms[1]]).toEqual([0x30, 0x80]);
      const content = await opensslVerify(cms, "profile-ber.mobileprovision");
      expect(content.toString("utf8")).toBe(buildProfilePlist(input));
    },
  );

  it("refuses a malformed UUID and an application identifier for another bundle ID", async () => {
    const input = await profileInput();
    expect(() => buildProfilePlist({ ...input, uuid: "0F6F0F6F-1111-4222-8333-944445555666" })).toThrow(
      /UUID/,
    );
    expect(() => buildProfilePlist({ ...input, bundleIdentifier: "com.example.other" })).toThrow(
      /expected ABCDE12345.com.example.other/,
    );
  });

  it("writes ProvisionsAllDevices and DER-Encoded-Profile when given", async () => {
    const input = await profileInput();
    const { provisionedDevices: _omit, ...rest } = input;
    const plist = parse(
      buildProfilePlist({
        ...rest,
        provisionsAllDevices: true,
        derEncodedProfile: new Uint8Array([1, 2, 3]),
      }),
    ) as Record<string, unknown>;
    expect(plist.ProvisionsAllDevices).toBe(true);
    expect(plist.ProvisionedDevices).toBeUndefined();
    expect(Buffer.from(plist["DER-Encoded-Profile"] as Uint8Array)).toEqual(Buffer.from([1, 2, 3]));
  });
});

describe("profile entitlements", () => {
  const base = { teamId: "ABCDE12345", bundleIdentifier: "com.example.app" };

  it("gives iOS and tvOS the plain keys, get-task-allow only for development", () => {
    const store = entitlementsFor({ ...base, profileType: "TVOS_APP_STORE", capabilities: [] });
    expect(store).toEqual({
      "application-identifier": "ABCDE12345.com.example.app",
      "keychain-access-groups": ["ABCDE12345.*", "com.apple.token"],
      "get-task-allow": false,
      "com.apple.developer.team-identifier": "ABCDE12345",
    });
    expect(
      entitlementsFor({ ...base, profileType: "IOS_APP_ADHOC", capabilities: [] })["get-task-allow"],
    ).toBe(false);
  });

  it("gives macOS and Catalyst the com.apple.-prefixed keys", () => {
    expect(
      entitlementsFor({
        ...base,
        profileType: "MAC_APP_DEVELOPMENT",
        capabilities: [{ type: "PUSH_NOTIFICATIONS" }],
      }),
    ).toEqual({
      "com.apple.application-identifier": "ABCDE12345.com.example.app",
      "keychain-access-groups": ["ABCDE12345.*"],
      "com.apple.developer.team-identifier": "ABCDE12345",
      "com.apple.security.get-task-allow": true,
      "com.apple.developer.aps-environment": "development",
    });
    const direct = entitlementsFor({
      ...base,
      profileType: "MAC_CATALYST_APP_DIRECT",
      capabilities: [{ type: "PUSH_NOTIFICATIONS" }],
    });
    expect(direct["com.apple.developer.aps-environment"]).toBe("production");
    expect(direct["com.apple.security.get-task-allow"]).toBeUndefined();
    expect(direct["get-task-allow"]).toBeUndefined();
  });

  it("maps capabilities and their settings", () => {
    const e = entitlementsFor({
      ...base,
      profileType: "IOS_APP_STORE",
      capabilities: [
        {
          type: "ICLOUD",
          settings: [{ key: "ICLOUD_VERSION", options: [{ key: "XCODE_6", enabled: true }] }],
        },
        {
          type: "DATA_PROTECTION",
          settings: [
            { key: "DATA_PROTECTION_PERMISSION_LEVEL", options: [{ key: "PROTECTED_UNLESS_OPEN" }] },
          ],
        },
        { type: "APPLE_ID_AUTH", settings: null },
        { type: "IN_APP_PURCHASE" },
        { type: "FUTURE_THING" },
      ],
    });
    expect(e["com.apple.developer.icloud-services"]).toBe("*");
    expect(e["com.apple.developer.icloud-container-identifiers"]).toEqual([]);
    expect(e["com.apple.developer.ubiquity-kvstore-identifier"]).toBe("ABCDE12345.*");
    expect(e["com.apple.developer.default-data-protection"]).toBe("NSFileProtectionCompleteUnlessOpen");
    expect(e["com.apple.developer.applesignin"]).toEqual(["Default"]);
    expect(e["com.apple.developer.future-thing"]).toBe(true);
    expect(Object.keys(e)).toHaveLength(4 + 4 + 1 + 1 + 1);
  });

  it("agrees with the engine's capability → entitlement key table", () => {
    for (const [capability, keys] of Object.entries(CAPABILITY_ENTITLEMENT_KEYS)) {
      for (const profileType of [
        "IOS_APP_DEVELOPMENT",
        "IOS_APP_STORE",
        "MAC_APP_STORE",
        "MAC_CATALYST_APP_DEVELOPMENT",
      ]) {
        const without = entitlementsFor({ ...base, profileType, capabilities: [] });
        const withIt = entitlementsFor({ ...base, profileType, capabilities: [{ type: capability }] });
        expect(
          keys!.some((k) => k in without),
          `${capability} absent in ${profileType}`,
        ).toBe(false);
        expect(
          keys!.some((k) => k in withIt),
          `${capability} present in ${profileType}`,
        ).toBe(true);
      }
    }
  });
});

describe("test TLS CA", () => {
  let server: Server | undefined;
  afterAll(() => server?.close());

  async function serve(hosts?: string[]) {
    const tls = await createTestTls(hosts);
    server?.close();
    server = createServer({ cert: tls.certPem, key: tls.keyPem }, (_req, res) => res.end("hello over tls"));
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    return { tls, port: (server.address() as AddressInfo).port };
  }

  it("names every host in the server certificate's subjectAltName", async () => {
    const tls = await createTestTls();
    const cert = new x509.X509Certificate(tls.certPem);
    const san = cert.getExtension(x509.SubjectAlternativeNameExtension)!;
    expect(san.names.toJSON()).toEqual([
      { type: "ip", value: "127.0.0.1" },
      { type: "dns", value: "localhost" },
      { type: "ip", value: "::1" },
    ]);
    expect(
      await cert.verify({ publicKey: new x509.X509Certificate(tls.caCertPem), signatureOnly: true }),
    ).toBe(true);
  });

  /** GET over HTTPS through `agent`: the status and the body as text. */
  const fetchText = (url: string, agent: Agent): Promise<{ status: number; body: string }> =>
    new Promise((resolve, reject) => {
      get(url, { agent }, (response) => {
        let body = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => {
          body += chunk;
        });
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
        response.on("error", reject);
      }).on("error", reject);
    });

  it("is trusted by an https.Agent given the CA, and by no other", async () => {
    const { tls, port } = await serve();
    const trusted = new Agent({ ca: tls.caCertPem });
    await expect(fetchText(`https://127.0.0.1:${port}/`, trusted)).resolves.toEqual({
      status: 200,
      body: "hello over tls",
    });
    trusted.destroy();

    const untrusted = new Agent();
    await expect(fetchText(`https://127.0.0.1:${port}/`, untrusted)).rejects.toMatchObject({
      code: expect.stringMatching(/UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED|UNABLE_TO_GET_ISSUER_CERT/),
    });
    untrusted.destroy();
  });

  it("is refused for a host it does not name", async () => {
    const { tls, port } = await serve(["localhost"]);
    const agent = new Agent({ ca: tls.caCertPem });
    await expect(fetchText(`https://127.0.0.1:${port}/`, agent)).rejects.toMatchObject({
      code: "ERR_TLS_CERT_ALTNAME_INVALID",
    });
    agent.destroy();
  });
});
