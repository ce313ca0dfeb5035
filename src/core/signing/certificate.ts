// An X.509 certificate as App Store Connect returns it (`certificateContent`: base64 DER), or as found in
// a profile or a .p12: the facts the action compares and reports, and whether it belongs to a key.
import { createHash, createPublicKey, type KeyObject, X509Certificate } from "node:crypto";
import { SigningError } from "../errors.ts";

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

/**
 * Parses a certificate given as DER bytes, base64 of the DER, or PEM; SigningError when it is not one.
 * Node's own X509Certificate: a fraction of a millisecond, and no ASN.1 library on the start-up path.
 */
export function parseCertificate(der: Uint8Array | string): CertificateInfo {
  const bytes = typeof der === "string" ? certificateBytes(der) : der;
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(bytes);
  } catch {
    throw new SigningError(
      "the certificate content is not an X.509 certificate (DER, base64 of the DER, or PEM expected): truncated or another kind of file?",
    );
  }
  const subject = subjectFields(cert.subject);
  const copy = Uint8Array.from(bytes);
  return {
    der: copy,
    serialNumber: cert.serialNumber.toUpperCase().replace(/^0+(?=.)/, ""),
    sha1: createHash("sha1").update(copy).digest("hex").toUpperCase(),
    sha256: createHash("sha256").update(copy).digest("hex").toUpperCase(),
    commonName: subject.get("CN") ?? "",
    organizationalUnit: subject.get("OU"),
    organization: subject.get("O"),
    notBefore: cert.validFromDate,
    notAfter: cert.validToDate,
    spkiSha256: createHash("sha256")
      .update(cert.publicKey.export({ type: "spki", format: "der" }))
      .digest("hex"),
  };
}

/** Node's multi-line subject ("C=US\nO=Example\nCN=..."): the first value of each attribute. */
function subjectFields(subject: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of subject.split("\n")) {
    const at = line.indexOf("=");
    if (at <= 0) continue;
    const name = line.slice(0, at);
    if (!fields.has(name)) fields.set(name, line.slice(at + 1));
  }
  return fields;
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
