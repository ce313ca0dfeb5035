// A signing identity for adapter tests: a self-signed root standing in for Apple Root CA, a CA it issued
// standing in for Apple's WWDR intermediate, and an RSA 2048 leaf certificate the intermediate issued
// (the key is test/support/keys.ts's signing key), made with @peculiar/x509.
import "reflect-metadata";
import { createHash, webcrypto } from "node:crypto";
import * as x509 from "@peculiar/x509";
import { testKeys } from "../../support/keys.ts";

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

export interface CannedIdentity {
  /** The self-signed root (a trusted anchor on the simulated runner). */
  rootDer: Uint8Array;
  /** The WWDR-like intermediate that issued the leaf. */
  caDer: Uint8Array;
  caPem: string;
  leafDer: Uint8Array;
  /** PKCS#8 PEM of the leaf's key. */
  keyPem: string;
  sha1: string;
  serialNumber: string;
  commonName: string;
  notAfter: Date;
}

const RSA = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" } as const;
let cached: Promise<CannedIdentity> | undefined;

export function cannedIdentity(): Promise<CannedIdentity> {
  cached ??= make();
  return cached;
}

async function make(): Promise<CannedIdentity> {
  const subtle = webcrypto.subtle;
  const ecdsa = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;
  const caKeys = (await subtle.generateKey(ecdsa, true, ["sign", "verify"])) as webcrypto.CryptoKeyPair;
  const notBefore = new Date(Date.now() - 86_400_000);
  const notAfter = new Date(Date.now() + 365 * 86_400_000);
  const rootKeys = (await subtle.generateKey(ecdsa, true, ["sign", "verify"])) as webcrypto.CryptoKeyPair;
  const root = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: "01",
    name: "CN=Test Apple Root CA, OU=Test Apple Certification Authority, O=Test Apple Inc., C=US",
    notBefore,
    notAfter,
    keys: rootKeys,
    signingAlgorithm: ecdsa,
    extensions: [new x509.BasicConstraintsExtension(true, undefined, true)],
  });
  const ca = await x509.X509CertificateGenerator.create({
    serialNumber: "02",
    subject: "CN=Test Worldwide Developer Relations Certification Authority, OU=G3, O=Test Apple Inc., C=US",
    issuer: root.subject,
    notBefore,
    notAfter,
    publicKey: caKeys.publicKey,
    signingKey: rootKeys.privateKey,
    signingAlgorithm: ecdsa,
    extensions: [new x509.BasicConstraintsExtension(true, 0, true)],
  });
  const { signingKey, signingKeyPem } = testKeys();
  const pkcs8 = signingKey.export({ type: "pkcs8", format: "der" });
  const publicKey = await publicKeyOf(pkcs8);
  const commonName = "Apple Distribution: Example Ltd (ABCDE12345)";
  const serialNumber = "5A1B2C3D4E5F6071";
  const leaf = await x509.X509CertificateGenerator.create({
    serialNumber,
    subject: `CN=${commonName}, OU=ABCDE12345, O=Example Ltd, C=US`,
    issuer: ca.subject,
    notBefore,
    notAfter,
    publicKey,
    signingKey: caKeys.privateKey,
    signingAlgorithm: ecdsa,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension(["1.3.6.1.5.5.7.3.3"], true),
    ],
  });
  const leafDer = new Uint8Array(leaf.rawData);
  return {
    rootDer: new Uint8Array(root.rawData),
    caDer: new Uint8Array(ca.rawData),
    caPem: ca.toString("pem"),
    leafDer,
    keyPem: signingKeyPem,
    sha1: createHash("sha1").update(leafDer).digest("hex").toUpperCase(),
    serialNumber,
    commonName,
    notAfter,
  };
}

async function publicKeyOf(pkcs8: Buffer): Promise<webcrypto.CryptoKey> {
  const privateKey = await webcrypto.subtle.importKey("pkcs8", pkcs8, RSA, true, ["sign"]);
  const jwk = await webcrypto.subtle.exportKey("jwk", privateKey);
  return webcrypto.subtle.importKey("jwk", { kty: jwk.kty, n: jwk.n, e: jwk.e }, RSA, true, ["verify"]);
}
