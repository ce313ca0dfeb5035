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
/** PBES2 (PKCS#5 v2, OpenSSL 3's default key and certificate bag encryption). */
const PBES2 = oid("06 09 2A 86 48 86 F7 0D 01 05 0D");
/** hmacWithSHA256, the PBKDF2 PRF OpenSSL 3 writes. */
const HMAC_SHA256 = oid("06 08 2A 86 48 86 F7 0D 02 09");
/** aes256-CBC. */
const AES_256_CBC = oid("06 09 60 86 48 01 65 03 04 01 2A");
const MAC_DIGESTS: Record<string, string> = {
  "1.3.14.3.2.26": "SHA-1",
  "2.16.840.1.101.3.4.2.4": "SHA-224",
  "2.16.840.1.101.3.4.2.1": "SHA-256",
  "2.16.840.1.101.3.4.2.2": "SHA-384",
  "2.16.840.1.101.3.4.2.3": "SHA-512",
  "1.2.840.113549.2.5": "MD5",
};

export interface Pkcs12Identity {
  certificate: FakeCertificate;
  /** The key in the file belongs to the certificate. */
  keyMatches: boolean;
}

export class Pkcs12ImportError extends Error {}

/** The digest of the PFX's MAC (macData.mac.digestAlgorithm), or undefined when the file has no MAC. */
export function pkcs12MacDigest(bytes: Buffer): string | undefined {
  const pfx = forge.asn1.fromDer(bytes.toString("binary"));
  const macData = (pfx.value as forge.asn1.Asn1[])[2];
  if (!macData) return undefined;
  const digestInfo = (macData.value as forge.asn1.Asn1[])[0]!;
  const algorithm = (digestInfo.value as forge.asn1.Asn1[])[0]!;
  const oidNode = (algorithm.value as forge.asn1.Asn1[])[0]!;
  const dotted = forge.asn1.derToOid(oidNode.value as string);
  return MAC_DIGESTS[dotted] ?? dotted;
}

/**
 * What `security import -f pkcs12` would import from this file on the given macOS major version, or the
 * error it would print. macOS 14 and older decode with the legacy CSSM PKCS#12 code (Security
 * OSX/libsecurity_pkcs12: MAC digest SHA-1 or MD5 only, pkcs12Crypto.cpp p12GenMac; the OpenSSL 3 default
 * file fails there as "MAC verification failed"); macOS 15 and newer call SecPKCS12Import, whose decoder
 * (OSX/sec/Security/p12import.c) takes MAC digests SHA-1 to SHA-512 and PBES2 only as AES-256-CBC with
 * PBKDF2-HMAC-SHA256 (the PRF is hard-coded: rdar://119278907 in that file). Both decoders read the
 * AuthenticatedSafe's elements alike whether encrypted or plain: `authSafeElementParse`, `case CT_Data`
 * ("unencrypted SafeContents") and `case CT_EncryptedData`, in pkcs12Decode.cpp and p12import.c at the
 * three commits in fake-security.ts (macOS 14, 15, 26); so a file whose certificate bags are not encrypted
 * (`openssl pkcs12 -certpbe NONE`, what the action writes) imports.
 */
export function readPkcs12Identity(bytes: Buffer, password: string, macosMajor: number): Pkcs12Identity {
  const legacy = macosMajor <= 14;
  const wrongPassword = legacy
    ? "security: SecKeychainItemImport: MAC verification failed during PKCS12 import (wrong password?)"
    : "security: SecKeychainItemImport: The user name or passphrase you entered is not correct.";
  let mac: string | undefined;
  try {
    mac = pkcs12MacDigest(bytes);
  } catch {
    throw new Pkcs12ImportError("security: SecKeychainItemImport: Unable to decode the provided data.");
  }
  if (legacy && (bytes.includes(PBES2) || (mac !== "SHA-1" && mac !== "MD5")))
    throw new Pkcs12ImportError(
      `${wrongPassword} [macOS ${macosMajor} reads only the legacy PKCS#12 profile: this file uses ${bytes.includes(PBES2) ? "PBES2" : "no legacy"} encryption and a ${mac ?? "missing"} MAC]`,
    );
  if (!legacy && (mac === undefined || mac === "MD5" || mac.includes(".")))
    throw new Pkcs12ImportError(wrongPassword);
  if (!legacy && bytes.includes(PBES2) && !(bytes.includes(HMAC_SHA256) && bytes.includes(AES_256_CBC)))
    throw new Pkcs12ImportError(
      "security: SecKeychainItemImport: Unable to decode the provided data. [PBES2 other than AES-256-CBC with PBKDF2-HMAC-SHA256]",
    );
  let p12: forge.pkcs12.Pkcs12Pfx;
  try {
    p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(bytes.toString("binary")), password);
  } catch {
    throw new Pkcs12ImportError(wrongPassword);
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
