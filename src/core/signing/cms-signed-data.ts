// CMS SignedData (RFC 5652) as Apple signs provisioning profiles: parsed with @peculiar/asn1-cms, in DER
// or in the indefinite-length BER with a chunked eContent that Apple's newer files use; the signature
// checked with node:crypto over the signed attributes, the message digest against the content.
// The SignedData is parsed once; the certificates are taken as the bytes they came in, not re-encoded.
import { createHash, verify, X509Certificate } from "node:crypto";
import { SignedData, type SignerInfo } from "@peculiar/asn1-cms";
import { AsnParser, AsnSerializer, OctetString } from "@peculiar/asn1-schema";
import type { Certificate } from "@peculiar/asn1-x509";
import { SigningError } from "../errors.ts";
import { berChildren, derSet, octetStringContent } from "./ber.ts";

export interface ParsedSignedData {
  /** The encapsulated content (eContent), chunks joined. */
  content: Uint8Array;
  /** Every certificate the CMS carries: its DER as carried, and parsed. */
  certificates: { der: Uint8Array; parsed: Certificate }[];
  signers: SignerInfo[];
}

/** DER of the OID id-signedData (1.2.840.113549.1.7.2), ContentInfo's contentType for a SignedData. */
const ID_SIGNED_DATA = Uint8Array.of(0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02);

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
  let signedData: SignedData;
  let carried: Uint8Array[];
  try {
    // ContentInfo { contentType, [0] EXPLICIT content }, read far enough to reach the SignedData.
    const [contentType, explicitContent] = berChildren(bytes);
    if (!contentType || !explicitContent || !equalBytes(contentType, ID_SIGNED_DATA)) return notCms();
    const [element] = berChildren(explicitContent);
    if (!element) return notCms();
    signedData = AsnParser.parse(element, SignedData);
    // certificates [0] IMPLICIT CertificateSet: the plain certificates (SEQUENCE) among its choices.
    const set = berChildren(element).find((child) => child[0] === 0xa0);
    carried = set ? berChildren(set).filter((child) => child[0] === 0x30) : [];
  } catch {
    return notCms();
  }
  const encapsulated = signedData.encapContentInfo.eContent;
  let content: Uint8Array | undefined;
  try {
    if (encapsulated?.single) content = new Uint8Array(encapsulated.single.buffer);
    else if (encapsulated?.any) content = octetStringContent(new Uint8Array(encapsulated.any));
  } catch {
    return notCms();
  }
  if (!content) throw new SigningError(`${what} is a CMS SignedData without its content (detached).`);
  const parsed = (signedData.certificates ?? [])
    .map((choice) => choice.certificate)
    .filter((certificate): certificate is Certificate => certificate !== undefined);
  if (parsed.length !== carried.length) return notCms();
  const certificates = parsed.map((certificate, index) => ({ der: carried[index]!, parsed: certificate }));
  return { content, certificates, signers: [...signedData.signerInfos] };
}

/** The certificate (DER) among `certificates` that the signer identifies. */
export function signerCertificate(
  signer: SignerInfo,
  certificates: ParsedSignedData["certificates"],
): Uint8Array | undefined {
  const byIssuer = signer.sid.issuerAndSerialNumber;
  const keyId = signer.sid.subjectKeyIdentifier;
  return certificates.find(({ parsed }) => {
    const tbs = parsed.tbsCertificate;
    if (byIssuer)
      return (
        equalBytes(tbs.serialNumber, byIssuer.serialNumber) &&
        equalBytes(AsnSerializer.serialize(tbs.issuer), AsnSerializer.serialize(byIssuer.issuer))
      );
    if (keyId) {
      const extension = tbs.extensions?.find((candidate) => candidate.extnID === SUBJECT_KEY_IDENTIFIER);
      if (!extension) return false;
      const id = AsnParser.parse(extension.extnValue.buffer, OctetString);
      return equalBytes(id.buffer, keyId.buffer);
    }
    return false;
  })?.der;
}

/**
 * Checks the message digest attribute against the content, then the signature over the signed attributes
 * (or the content when there are none) with the signer certificate's key; SigningError on any mismatch.
 */
export function verifySignerSignature(
  signer: SignerInfo,
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
  const attributes = signer.signedAttrs;
  if (attributes && attributes.length > 0) {
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
    signed = derSet(attributes.map((attribute) => new Uint8Array(AsnSerializer.serialize(attribute))));
  }
  const publicKey = new X509Certificate(certificateDer).publicKey;
  const ok = verify(hash, signed, publicKey, new Uint8Array(signer.signature.buffer));
  if (!ok) throw new SigningError(`${what}: the CMS signature does not verify (altered after signing?).`);
}

function equalBytes(left: ArrayBuffer | Uint8Array, right: ArrayBuffer | Uint8Array): boolean {
  return Buffer.from(left instanceof Uint8Array ? left : new Uint8Array(left)).equals(
    Buffer.from(right instanceof Uint8Array ? right : new Uint8Array(right)),
  );
}
