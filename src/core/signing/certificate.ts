// An X.509 certificate as App Store Connect returns it (`certificateContent`: base64 DER), or as found in
// a profile or a .p12: the facts the action compares and reports, and whether it belongs to a key.
import { createHash, createPublicKey, type KeyObject } from "node:crypto";
import { SigningError } from "../errors.ts";
import { x509 } from "./x509-library.ts";

export interface CertificateInfo {
  der: Uint8Array;
  /** Upper-case hex without leading zeros, as App Store Connect's `serialNumber` attribute. */
  serialNumber: string;
  /** SHA-1 of the DER, upper-case hex: the identity `codesign` and Keychain show. */
  sha1: string;
  /** SHA-256 of the DER, upper-case hex. */
  sha256: string;
  commonName: string;
  /** The team ID on Apple's certificates. */
  organizationalUnit: string | undefined;
  organization: string | undefined;
  notBefore: Date;
  notAfter: Date;
  /** SHA-256 of the SubjectPublicKeyInfo DER, lower-case hex: equals publicKeyFingerprint of the matching key. */
  spkiSha256: string;
}

/** Parses a certificate given as DER bytes, base64 of the DER, or PEM; SigningError when it is not one. */
export function parseCertificate(der: Uint8Array | string): CertificateInfo {
  const bytes = typeof der === "string" ? certificateBytes(der) : der;
  let cert: InstanceType<typeof x509.X509Certificate>;
  try {
    cert = new x509.X509Certificate(bytes);
  } catch {
    throw new SigningError(
      "the certificate content is not an X.509 certificate (DER, base64 of the DER, or PEM expected): truncated or another kind of file?",
    );
  }
  const field = (name: string): string | undefined => cert.subjectName.getField(name)[0];
  const copy = Uint8Array.from(bytes);
  return {
    der: copy,
    serialNumber: cert.serialNumber.toUpperCase().replace(/^0+(?=.)/, ""),
    sha1: createHash("sha1").update(copy).digest("hex").toUpperCase(),
    sha256: createHash("sha256").update(copy).digest("hex").toUpperCase(),
    commonName: field("CN") ?? "",
    organizationalUnit: field("OU"),
    organization: field("O"),
    notBefore: cert.notBefore,
    notAfter: cert.notAfter,
    spkiSha256: spkiFingerprint(new Uint8Array(cert.publicKey.rawData)),
  };
}

/** SHA-256 hex of the SubjectPublicKeyInfo DER of a key (or of the public part of a private key). */
export function publicKeyFingerprint(key: KeyObject): string {
  const publicKey = key.type === "public" ? key : createPublicKey(key);
  const spki = publicKey.export({ type: "spki", format: "der" });
  return createHash("sha256").update(spki).digest("hex");
}

/** Whether the certificate was issued for this key (the same public key). */
export function certificateMatchesKey(cert: CertificateInfo, key: KeyObject): boolean {
  return cert.spkiSha256 === publicKeyFingerprint(key);
}

/** Hashes the SPKI as Node re-exports it, so both sides of a comparison share one encoding. */
function spkiFingerprint(spki: Uint8Array): string {
  let canonical: Uint8Array = spki;
  try {
    canonical = createPublicKey({ key: Buffer.from(spki), format: "der", type: "spki" }).export({
      type: "spki",
      format: "der",
    });
  } catch {
    // A key type Node cannot load: hash the bytes as they are.
  }
  return createHash("sha256").update(canonical).digest("hex");
}

function certificateBytes(text: string): Uint8Array {
  const pem =
    /-----BEGIN (?:TRUSTED |X509 )?CERTIFICATE-----([\s\S]*?)-----END (?:TRUSTED |X509 )?CERTIFICATE-----/.exec(
      text.replace(/\\n/g, "\n"),
    );
  const body = (pem ? (pem[1] ?? "") : text).replace(/\s+/g, "");
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body) || body === "")
    throw new SigningError(
      "the certificate content is neither PEM nor base64 of a DER certificate: truncated or another kind of data?",
    );
  return Buffer.from(body, "base64");
}
