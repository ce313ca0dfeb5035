// A fake Apple PKI for the fake App Store Connect server: a root, a WWDR-like intermediate that issues
// developer certificates from CSRs, and a provisioning-profile signer whose CMS signatures OpenSSL verifies
// against the fake root. CA keys are EC P-256 (fast to generate); leaves carry whatever key the CSR holds.
import "reflect-metadata";
import { execFile } from "node:child_process";
import { type KeyObject, randomBytes, randomInt, webcrypto } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import * as x509 from "@peculiar/x509";
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";

x509.cryptoProvider.set(webcrypto);

export interface IssuedCertificate {
  der: Uint8Array;
  /** Upper-case hex, as written in the certificate (leading zeros kept), e.g. `796259D1CD27CFDD`. */
  serialNumber: string;
  commonName: string;
  /** As encoded in the certificate (whole seconds). */
  notBefore: Date;
  notAfter: Date;
}

export interface LeafInfo {
  /** ASC CertificateType, e.g. `DISTRIBUTION`; picks the common-name prefix. */
  certificateType: string;
  teamId: string;
  teamName: string;
  notBefore: Date;
  notAfter: Date;
  /** Serial number in hex; random 8 bytes when absent. */
  serialHex?: string;
}

export interface SignProfileOptions {
  /** Indefinite-length BER like Apple's own files (through `openssl cms -sign -stream`); DER otherwise. */
  ber?: boolean;
}

export interface FakeAppleCa {
  /** "Fake Apple Root CA" (self-signed, CA:true). */
  rootDer: Uint8Array;
  /** "Fake Apple Worldwide Developer Relations Certification Authority" (G3-like), issued by the root. */
  wwdrDer: Uint8Array;
  /** "Fake Apple iPhone OS Provisioning Profile Signing", issued by the root. */
  profileSignerDer: Uint8Array;
  /** Verifies the PKCS#10 signature (throws `InvalidCsrError` when invalid or unparsable) and issues a leaf for its public key. */
  issueFromCsr(csr: string, info: LeafInfo): Promise<IssuedCertificate>;
  /** Issues a leaf for a given public key (for seeding state without a CSR). */
  issueForPublicKey(publicKey: KeyObject, info: LeafInfo): Promise<IssuedCertificate>;
  /** CMS SignedData of `content`, signed by the profile signer; its certificates are the signer and the root. */
  signProfile(content: Uint8Array, options?: SignProfileOptions): Promise<Uint8Array>;
}

export class InvalidCsrError extends Error {
  override name = "InvalidCsrError";
}

/** Common-name prefixes Apple gives each certificate type; other types use the type name. */
export const CERTIFICATE_NAME_PREFIXES: Readonly<Record<string, string>> = {
  DEVELOPMENT: "Apple Development",
  DISTRIBUTION: "Apple Distribution",
  IOS_DEVELOPMENT: "iPhone Developer",
  IOS_DISTRIBUTION: "iPhone Distribution",
  MAC_APP_DEVELOPMENT: "Mac Developer",
  MAC_APP_DISTRIBUTION: "3rd Party Mac Developer Application",
  MAC_INSTALLER_DISTRIBUTION: "3rd Party Mac Developer Installer",
  DEVELOPER_ID_APPLICATION: "Developer ID Application",
  DEVELOPER_ID_APPLICATION_G2: "Developer ID Application",
};

export const UID_OID = "0.9.2342.19200300.100.1.1";
const ID_DATA = "1.2.840.113549.1.7.1";
const ID_SIGNED_DATA = "1.2.840.113549.1.7.2";
const ID_CONTENT_TYPE = "1.2.840.113549.1.9.3";
const ID_MESSAGE_DIGEST = "1.2.840.113549.1.9.4";
const ID_SIGNING_TIME = "1.2.840.113549.1.9.5";

const CA_KEY: webcrypto.EcKeyGenParams = { name: "ECDSA", namedCurve: "P-256" };
const CA_SIGNING: webcrypto.EcdsaParams = { name: "ECDSA", hash: "SHA-256" };
// Wide enough for any test clock; UTCTime-encodable.
const CA_NOT_BEFORE = new Date("2000-01-01T00:00:00Z");
const CA_NOT_AFTER = new Date("2049-12-31T00:00:00Z");
const APPLE_ORG: x509.JsonName = [{ O: ["Apple Inc."] }, { C: ["US"] }];

interface CaIdentity {
  cert: x509.X509Certificate;
  keys: webcrypto.CryptoKeyPair;
}

export async function createFakeAppleCa(): Promise<FakeAppleCa> {
  const root = await createRoot();
  const wwdr = await createIntermediate(
    root,
    [
      { CN: ["Fake Apple Worldwide Developer Relations Certification Authority"] },
      { OU: ["G3"] },
      ...APPLE_ORG,
    ],
    true,
  );
  const signer = await createIntermediate(
    root,
    [{ CN: ["Fake Apple iPhone OS Provisioning Profile Signing"] }, ...APPLE_ORG],
    false,
  );

  const issueForSpki = (spki: webcrypto.BufferSource, info: LeafInfo) => issueLeaf(wwdr, spki, info);

  return {
    rootDer: derOf(root.cert),
    wwdrDer: derOf(wwdr.cert),
    profileSignerDer: derOf(signer.cert),
    async issueFromCsr(csr, info) {
      const request = parseCsr(csr);
      let valid = false;
      try {
        valid = await request.verify();
      } catch (error) {
        throw new InvalidCsrError(
          `the CSR's signature could not be checked (${(error as Error).message}); send a PKCS#10 request signed with its own key`,
        );
      }
      if (!valid) {
        throw new InvalidCsrError(
          "the CSR's signature does not match its public key; the request was altered",
        );
      }
      return issueForSpki(request.publicKey.rawData, info);
    },
    async issueForPublicKey(publicKey, info) {
      const spki = publicKey.export({ type: "spki", format: "der" });
      return issueForSpki(spki, info);
    },
    async signProfile(content, options) {
      return options?.ber ? signWithOpenssl(signer, root, content) : signCms(signer, root, content);
    },
  };
}

async function createRoot(): Promise<CaIdentity> {
  const keys = (await webcrypto.subtle.generateKey(CA_KEY, true, [
    "sign",
    "verify",
  ])) as webcrypto.CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerialHex(),
    name: [{ CN: ["Fake Apple Root CA"] }, { OU: ["Apple Certification Authority"] }, ...APPLE_ORG],
    notBefore: CA_NOT_BEFORE,
    notAfter: CA_NOT_AFTER,
    keys,
    signingAlgorithm: CA_SIGNING,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert, keys };
}

async function createIntermediate(
  issuer: CaIdentity,
  subject: x509.JsonName,
  isCa: boolean,
): Promise<CaIdentity> {
  const keys = (await webcrypto.subtle.generateKey(CA_KEY, true, [
    "sign",
    "verify",
  ])) as webcrypto.CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerialHex(),
    subject,
    issuer: issuer.cert.subjectName,
    notBefore: CA_NOT_BEFORE,
    notAfter: CA_NOT_AFTER,
    publicKey: keys.publicKey,
    signingKey: issuer.keys.privateKey,
    signingAlgorithm: CA_SIGNING,
    extensions: [
      new x509.BasicConstraintsExtension(isCa, isCa ? 0 : undefined, true),
      new x509.KeyUsagesExtension(
        isCa
          ? x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign
          : x509.KeyUsageFlags.digitalSignature,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(issuer.keys.publicKey),
    ],
  });
  return { cert, keys };
}

async function issueLeaf(
  issuer: CaIdentity,
  spki: webcrypto.BufferSource,
  info: LeafInfo,
): Promise<IssuedCertificate> {
  const prefix = CERTIFICATE_NAME_PREFIXES[info.certificateType] ?? info.certificateType;
  const commonName = `${prefix}: ${info.teamName} (${info.teamId})`;
  const serialHex = normaliseSerial(info.serialHex) ?? randomSerialHex();
  const publicKey = new x509.PublicKey(spki);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serialHex,
    subject: new x509.Name(
      [
        { UID: [randomUid()] },
        { CN: [commonName] },
        { OU: [info.teamId] },
        { O: [info.teamName] },
        { C: ["US"] },
      ],
      { UID: UID_OID },
    ),
    issuer: issuer.cert.subjectName,
    notBefore: info.notBefore,
    notAfter: info.notAfter,
    publicKey,
    signingKey: issuer.keys.privateKey,
    signingAlgorithm: CA_SIGNING,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.codeSigning], true),
      await x509.AuthorityKeyIdentifierExtension.create(issuer.keys.publicKey),
      await x509.SubjectKeyIdentifierExtension.create(publicKey),
    ],
  });
  return {
    der: derOf(cert),
    serialNumber: cert.serialNumber.toUpperCase(),
    commonName,
    notBefore: cert.notBefore,
    notAfter: cert.notAfter,
  };
}

/** Accepts PEM, base64 DER (a PEM body), or base64 of a whole PEM file (literal `\\n` tolerated). */
function parseCsr(csr: string): x509.Pkcs10CertificateRequest {
  const der = csrDer(csr, 0);
  try {
    return new x509.Pkcs10CertificateRequest(der);
  } catch (error) {
    throw new InvalidCsrError(
      `the CSR is not a PKCS#10 certificate request (${(error as Error).message}); send the base64 DER (or PEM) of a CSR`,
    );
  }
}

function csrDer(text: string, depth: number): Uint8Array {
  const body = text
    .replace(/-----(BEGIN|END) [A-Z ]+-----/g, "")
    .replace(/\\n/g, "")
    .replace(/\s+/g, "");
  if (body === "" || !/^[A-Za-z0-9+/]+={0,2}$/.test(body)) {
    throw new InvalidCsrError("the CSR is empty or not base64; send the base64 DER (or PEM) of a CSR");
  }
  const bytes = Buffer.from(body, "base64");
  const asText = bytes.subarray(0, 11).toString("latin1");
  if (asText === "-----BEGIN " && depth === 0) return csrDer(bytes.toString("latin1"), 1);
  return new Uint8Array(bytes);
}

async function signCms(signer: CaIdentity, root: CaIdentity, content: Uint8Array): Promise<Uint8Array> {
  const signerCert = pkijs.Certificate.fromBER(signer.cert.rawData);
  const rootCert = pkijs.Certificate.fromBER(root.cert.rawData);
  const digest = await webcrypto.subtle.digest("SHA-256", content);
  const signedData = new pkijs.SignedData({
    version: 1,
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: ID_DATA }),
    signerInfos: [
      new pkijs.SignerInfo({
        version: 1,
        sid: new pkijs.IssuerAndSerialNumber({
          issuer: signerCert.issuer,
          serialNumber: signerCert.serialNumber,
        }),
        // In DER SET OF order (by encoding: content type, signing time, message digest), so that the
        // whole file is strict DER. (OpenSSL verifies the order as received; strict readers may re-sort.)
        signedAttrs: new pkijs.SignedAndUnsignedAttributes({
          type: 0,
          attributes: [
            new pkijs.Attribute({
              type: ID_CONTENT_TYPE,
              values: [new asn1js.ObjectIdentifier({ value: ID_DATA })],
            }),
            new pkijs.Attribute({
              type: ID_SIGNING_TIME,
              values: [new asn1js.UTCTime({ valueDate: new Date() })],
            }),
            new pkijs.Attribute({
              type: ID_MESSAGE_DIGEST,
              values: [new asn1js.OctetString({ valueHex: digest })],
            }),
          ],
        }),
      }),
    ],
    certificates: [signerCert, rootCert],
  });
  // Assigned after construction: pkijs' constructor would split it into a constructed (BER-only) string.
  signedData.encapContentInfo.eContent = new asn1js.OctetString({ valueHex: content });
  await signedData.sign(signer.keys.privateKey, 0, "SHA-256");
  const contentInfo = new pkijs.ContentInfo({
    contentType: ID_SIGNED_DATA,
    content: signedData.toSchema(true),
  });
  return new Uint8Array(contentInfo.toSchema().toBER(false));
}

const execFileAsync = promisify(execFile);

async function signWithOpenssl(
  signer: CaIdentity,
  root: CaIdentity,
  content: Uint8Array,
): Promise<Uint8Array> {
  const dir = await mkdtemp(join(tmpdir(), "fake-apple-cms-"));
  try {
    const pkcs8 = await webcrypto.subtle.exportKey("pkcs8", signer.keys.privateKey);
    await writeFile(join(dir, "signer.pem"), signer.cert.toString("pem"));
    await writeFile(join(dir, "root.pem"), root.cert.toString("pem"));
    await writeFile(join(dir, "key.pem"), x509.PemConverter.encode(pkcs8, "PRIVATE KEY"), { mode: 0o600 });
    await writeFile(join(dir, "content"), content);
    await execFileAsync("openssl", [
      "cms",
      "-sign",
      "-binary",
      "-nodetach",
      "-stream",
      "-md",
      "sha256",
      "-outform",
      "DER",
      "-signer",
      join(dir, "signer.pem"),
      "-inkey",
      join(dir, "key.pem"),
      "-certfile",
      join(dir, "root.pem"),
      "-in",
      join(dir, "content"),
      "-out",
      join(dir, "signed.der"),
    ]);
    return new Uint8Array(await readFile(join(dir, "signed.der")));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function derOf(cert: x509.X509Certificate): Uint8Array {
  return new Uint8Array(cert.rawData);
}

function normaliseSerial(hex: string | undefined): string | undefined {
  if (hex === undefined) return undefined;
  const clean = hex.replace(/[\s:]/g, "").toUpperCase();
  if (!/^[0-9A-F]+$/.test(clean) || /^0*$/.test(clean)) {
    throw new Error(`serialHex ${JSON.stringify(hex)} is not a non-zero hexadecimal number`);
  }
  return clean.length % 2 === 0 ? clean : `0${clean}`;
}

/** 8 random bytes like Apple's serials, first byte 0x10..0x7f: 16 hex digits, positive, no padding byte. */
function randomSerialHex(): string {
  const bytes = randomBytes(8);
  bytes[0] = randomInt(0x10, 0x80);
  return bytes.toString("hex").toUpperCase();
}

function randomUid(): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  let uid = "";
  for (let i = 0; i < 10; i++) uid += alphabet[randomInt(alphabet.length)];
  return uid;
}
