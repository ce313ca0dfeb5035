// Certificates and PKCS#12 as the fake `security` reads them: node:crypto for X.509, node-forge for the
// PKCS#12 (decrypted with the password, like macOS does), and the checks macOS makes on import.
import { createPrivateKey, createPublicKey, type KeyObject, X509Certificate } from "node:crypto";
import forge from "node-forge";
import type { FakeCertificate } from "./fake-keychain-state.ts";

export function describeCertificate(der: Uint8Array): FakeCertificate {
  const x = new X509Certificate(Buffer.from(der));
  const cn = /(?:^|\n)CN=([^\n]*)/.exec(x.subject)?.[1] ?? "";
  return {
    sha1: x.fingerprint.replace(/:/g, "").toUpperCase(),
    subject: x.subject,
    issuer: x.issuer,
    commonName: cn,
    ca: x.ca,
    pem: x.toString(),
  };
}

/** DER or PEM file content → certificates. */
export function readCertificateFile(bytes: Buffer): FakeCertificate[] {
  const text = bytes.toString("latin1");
  if (text.includes("-----BEGIN CERTIFICATE-----"))
    return [...text.matchAll(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g)].map((m) =>
      describeCertificate(new X509Certificate(m[0]).raw),
    );
  return [describeCertificate(bytes)];
}

const oid = (hex: string): Buffer => Buffer.from(hex.replace(/\s/g, ""), "hex");
/** PBES2 (AES, OpenSSL 3's default): macOS `security import` answers "MAC verification failed". */
const PBES2 = oid("06 09 2A 86 48 86 F7 0D 01 05 0D");
/** HMAC-SHA-256 as the PKCS#12 MAC digest (OpenSSL 3's default). */
const SHA256 = oid("06 09 60 86 48 01 65 03 04 02 01");
/** pbeWithSHAAnd3-KeyTripleDES-CBC: the legacy key bag encryption macOS reads. */
const PBE_3DES = oid("06 0A 2A 86 48 86 F7 0D 01 0C 01 03");

export interface Pkcs12Identity {
  certificate: FakeCertificate;
  /** The key in the file belongs to the certificate. */
  keyMatches: boolean;
}

export class Pkcs12ImportError extends Error {}

/** What macOS would import from this PKCS#12, or the error it would give. */
export function readPkcs12Identity(bytes: Buffer, password: string): Pkcs12Identity {
  if (bytes.includes(PBES2) || bytes.includes(SHA256) || !bytes.includes(PBE_3DES))
    throw new Pkcs12ImportError(
      "security: SecKeychainItemImport: MAC verification failed during PKCS12 import (wrong password?) [the file does not use the legacy 3DES/SHA-1 PKCS#12 profile]",
    );
  let p12: forge.pkcs12.Pkcs12Pfx;
  try {
    p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(bytes.toString("binary")), password);
  } catch {
    throw new Pkcs12ImportError(
      "security: SecKeychainItemImport: MAC verification failed during PKCS12 import (wrong password?)",
    );
  }
  const certBagType = forge.pki.oids.certBag as string;
  const keyBagType = forge.pki.oids.pkcs8ShroudedKeyBag as string;
  const certBag = p12.getBags({ bagType: certBagType })[certBagType]?.[0];
  const keyBag = p12.getBags({ bagType: keyBagType })[keyBagType]?.[0];
  // forge parses only RSA-signed certificates into `cert`; otherwise it keeps the certificate's ASN.1.
  const certAsn1 = certBag?.cert ? forge.pki.certificateToAsn1(certBag.cert) : certBag?.asn1;
  if (!certAsn1 || !keyBag?.key)
    throw new Pkcs12ImportError(
      "security: SecKeychainItemImport: the PKCS#12 holds no certificate and key pair",
    );
  const der = Buffer.from(forge.asn1.toDer(certAsn1).getBytes(), "binary");
  const key = createPrivateKey(forge.pki.privateKeyToPem(keyBag.key as forge.pki.rsa.PrivateKey));
  const spki = (k: KeyObject): Buffer => k.export({ type: "spki", format: "der" });
  const keyMatches = spki(createPublicKey(key)).equals(spki(new X509Certificate(der).publicKey));
  return { certificate: describeCertificate(der), keyMatches };
}
