// CMS SignedData (RFC 5652) as Apple signs provisioning profiles, in DER or in the indefinite-length BER
// with a chunked eContent that Apple's newer files use. The structure is walked as carried (ber.ts): the
// content, the certificates' DER, each signer's identifier and signed attributes are the bytes that were
// signed, never re-encoded; @peculiar/asn1-cms parses only the SignerInfos. The signature is checked with
// node:crypto over the signed attributes, the message digest against the content.
import { createHash, verify, X509Certificate } from "node:crypto";
import { type SignerInfo, SignerInfos } from "@peculiar/asn1-cms";
import { AsnParser, OctetString } from "@peculiar/asn1-schema";
import { Certificate } from "@peculiar/asn1-x509";
import { SigningError } from "../errors.ts";
import { berChildren, octetStringContent } from "./ber.ts";

export interface ParsedSignedData {
  /** The encapsulated content (eContent), chunks joined. */
  content: Uint8Array;
  /** DER of every certificate the CMS carries, as carried. */
  certificates: Uint8Array[];
  signers: Signer[];
}

export interface Signer {
  info: SignerInfo;
  /** The SignerIdentifier as carried: IssuerAndSerialNumber (SEQUENCE) or [0] SubjectKeyIdentifier. */
  sid: Uint8Array;
  /** The [0] IMPLICIT signedAttrs as carried, when there are any. */
  signedAttributes: Uint8Array | undefined;
}

/** DER of the OID id-signedData (1.2.840.113549.1.7.2), ContentInfo's contentType for a SignedData. */
const ID_SIGNED_DATA = Uint8Array.of(0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02);
const TAG = { sequence: 0x30, set: 0x31, context0: 0xa0, context0Primitive: 0x80 };

const DIGESTS: Record<string, string> = {
  "1.3.14.3.2.26": "sha1",
  "2.16.840.1.101.3.4.2.1": "sha256",
  "2.16.840.1.101.3.4.2.2": "sha384",
  "2.16.840.1.101.3.4.2.3": "sha512",
};
/** Signature algorithms that name their own digest; rsaEncryption uses the signer's digest algorithm. */
const SIGNATURE_DIGESTS: Record<string, string> = {
  "1.2.840.113549.1.1.5": "sha1",
  "1.2.840.113549.1.1.11": "sha256",
  "1.2.840.113549.1.1.12": "sha384",
  "1.2.840.113549.1.1.13": "sha512",
  "1.2.840.10045.4.1": "sha1",
  "1.2.840.10045.4.3.2": "sha256",
  "1.2.840.10045.4.3.3": "sha384",
  "1.2.840.10045.4.3.4": "sha512",
};
const RSA_ENCRYPTION = "1.2.840.113549.1.1.1";
const EC_PUBLIC_KEY = "1.2.840.10045.2.1";
const ATTRIBUTE = { contentType: "1.2.840.113549.1.9.3", messageDigest: "1.2.840.113549.1.9.4" };
const SUBJECT_KEY_IDENTIFIER = "2.5.29.14";

/** Parses a CMS SignedData; SigningError `${what} is not a CMS SignedData: truncated?` when it is not one. */
export function parseSignedData(bytes: Uint8Array, what: string): ParsedSignedData {
  const notCms = (): never => {
    throw new SigningError(`${what} is not a CMS SignedData: truncated?`);
  };
  try {
    // ContentInfo { contentType, [0] EXPLICIT SignedData }
    const [contentType, explicitContent] = berChildren(bytes);
    if (!contentType || !explicitContent || !equalBytes(contentType, ID_SIGNED_DATA)) return notCms();
    const [signedData] = berChildren(explicitContent);
    if (!signedData || signedData[0] !== TAG.sequence) return notCms();
    // SignedData { version, digestAlgorithms, encapContentInfo, [0] certificates, [1] crls, signerInfos }
    const fields = berChildren(signedData);
    const [, , encapsulated] = fields;
    const signerInfos = fields[fields.length - 1];
    if (!encapsulated || !signerInfos || fields.length < 4 || signerInfos[0] !== TAG.set) return notCms();
    // EncapsulatedContentInfo { eContentType, [0] EXPLICIT eContent OCTET STRING }
    const [, explicitEContent] = berChildren(encapsulated);
    const eContent = explicitEContent && berChildren(explicitEContent)[0];
    if (!eContent) throw new SigningError(`${what} is a CMS SignedData without its content (detached).`);
    // certificates [0] IMPLICIT CertificateSet: the plain certificates (SEQUENCE) among its choices.
    const set = fields.slice(3, -1).find((field) => field[0] === TAG.context0);
    const certificates = set ? berChildren(set).filter((choice) => choice[0] === TAG.sequence) : [];
    const infos = AsnParser.parse(signerInfos, SignerInfos);
    const signers = berChildren(signerInfos).map((carried, index): Signer => {
      // SignerInfo { version, sid, digestAlgorithm, [0] signedAttrs, signatureAlgorithm, signature, [1] … }
      const [, sid, , maybeAttributes] = berChildren(carried);
      const info = infos[index];
      if (!sid || !info) return notCms();
      return {
        info,
        sid,
        signedAttributes: maybeAttributes?.[0] === TAG.context0 ? maybeAttributes : undefined,
      };
    });
    return { content: octetStringContent(eContent), certificates, signers };
  } catch (error) {
    if (error instanceof SigningError) throw error;
    return notCms();
  }
}

/** The certificate (DER) among `certificates` that the signer identifies. */
export function signerCertificate(signer: Signer, certificates: Uint8Array[]): Uint8Array | undefined {
  if (signer.sid[0] === TAG.sequence) {
    // IssuerAndSerialNumber { issuer, serialNumber } against TBSCertificate { [0] version, serialNumber,
    // signature, issuer, … }, byte for byte.
    const [issuer, serialNumber] = berChildren(signer.sid);
    return certificates.find((der) => {
      const [tbs] = berChildren(der);
      if (!tbs || !issuer || !serialNumber) return false;
      const fields = berChildren(tbs);
      const first = fields[0]?.[0] === TAG.context0 ? 1 : 0;
      const [serial, , certificateIssuer] = fields.slice(first);
      return (
        !!serial &&
        !!certificateIssuer &&
        equalBytes(serial, serialNumber) &&
        equalBytes(certificateIssuer, issuer)
      );
    });
  }
  const keyId = signer.info.sid.subjectKeyIdentifier;
  if (!keyId) return undefined;
  return certificates.find((der) => {
    const extension = AsnParser.parse(der, Certificate).tbsCertificate.extensions?.find(
      (candidate) => candidate.extnID === SUBJECT_KEY_IDENTIFIER,
    );
    return (
      !!extension && equalBytes(AsnParser.parse(extension.extnValue.buffer, OctetString).buffer, keyId.buffer)
    );
  });
}

/**
 * Checks the message digest attribute against the content, then the signature over the signed attributes
 * (or the content when there are none) with the signer certificate's key; SigningError on any mismatch.
 */
export function verifySignerSignature(
  { info: signer, signedAttributes }: Signer,
  certificateDer: Uint8Array,
  content: Uint8Array,
  what: string,
): void {
  const digest = DIGESTS[signer.digestAlgorithm.algorithm];
  if (!digest)
    throw new SigningError(
      `${what} uses digest algorithm ${signer.digestAlgorithm.algorithm}, which is not supported.`,
    );
  const signatureAlgorithm = signer.signatureAlgorithm.algorithm;
  const hash = SIGNATURE_DIGESTS[signatureAlgorithm] ?? digest;
  if (
    !(signatureAlgorithm in SIGNATURE_DIGESTS) &&
    signatureAlgorithm !== RSA_ENCRYPTION &&
    signatureAlgorithm !== EC_PUBLIC_KEY
  )
    throw new SigningError(`${what} uses signature algorithm ${signatureAlgorithm}, which is not supported.`);

  let signed: Uint8Array = content;
  const attributes = signer.signedAttrs ?? [];
  if (signedAttributes) {
    const messageDigest = attributes.find((attribute) => attribute.attrType === ATTRIBUTE.messageDigest)
      ?.attrValues[0];
    const contentType = attributes.find((attribute) => attribute.attrType === ATTRIBUTE.contentType);
    if (!messageDigest || !contentType)
      throw new SigningError(`${what} has signed attributes without a message digest or content type.`);
    const expected = new Uint8Array(AsnParser.parse(messageDigest, OctetString).buffer);
    if (!equalBytes(createHash(digest).update(content).digest(), expected))
      throw new SigningError(
        `${what}: the content does not match its signed digest (altered after signing?).`,
      );
    signed = asSigned(signedAttributes);
  }
  const publicKey = new X509Certificate(certificateDer).publicKey;
  const ok = verify(hash, signed, publicKey, new Uint8Array(signer.signature.buffer));
  if (!ok) throw new SigningError(`${what}: the CMS signature does not verify (altered after signing?).`);
}

/**
 * What the signer signed: the DER of the signed attributes with a SET tag in place of their [0] (RFC 5652
 * 5.4, which also requires them in DER), i.e. the carried bytes with the first one changed.
 */
function asSigned(signedAttributes: Uint8Array): Uint8Array {
  const signed = Uint8Array.from(signedAttributes);
  signed[0] = TAG.set;
  return signed;
}

function equalBytes(left: ArrayBuffer | Uint8Array, right: ArrayBuffer | Uint8Array): boolean {
  return Buffer.from(left instanceof Uint8Array ? left : new Uint8Array(left)).equals(
    Buffer.from(right instanceof Uint8Array ? right : new Uint8Array(right)),
  );
}
