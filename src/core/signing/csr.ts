// A certificate signing request for App Store Connect's `POST /v1/certificates` (`csrContent`): PKCS#10
// (RFC 2986), sha256WithRSAEncryption, from the runner's RSA key. The private key never leaves the runner.
// The structure comes from @peculiar/asn1-csr and asn1-x509 (the schema library the CMS reader uses
// too); node:crypto signs it.
import { createPublicKey, type KeyObject, sign } from "node:crypto";
import { Attributes, CertificationRequest, CertificationRequestInfo } from "@peculiar/asn1-csr";
import { AsnConvert } from "@peculiar/asn1-schema";
import {
  AlgorithmIdentifier,
  AttributeTypeAndValue,
  AttributeValue,
  Name,
  RelativeDistinguishedName,
  SubjectPublicKeyInfo,
} from "@peculiar/asn1-x509";
import { SigningError } from "../errors.ts";

export const DEFAULT_CSR_COMMON_NAME = "asc-provision";

const OID = {
  commonName: "2.5.4.3",
  emailAddress: "1.2.840.113549.1.9.1",
  sha256WithRSAEncryption: "1.2.840.113549.1.1.11",
};

/**
 * A PEM CSR for an RSA private key, as App Store Connect takes in `csrContent`. Subject: the common name
 * (default "asc-provision") and any e-mail address; Apple replaces it with the team's own anyway.
 */
export async function createCsr(
  key: KeyObject,
  subject?: { commonName?: string; email?: string },
): Promise<string> {
  if (key.type !== "private" || key.asymmetricKeyType !== "rsa")
    throw new SigningError("a CSR for App Store Connect needs an RSA private key (RSA 2048).");
  const attribute = (type: string, value: AttributeValue) =>
    new RelativeDistinguishedName([new AttributeTypeAndValue({ type, value })]);
  const commonName = subject?.commonName || DEFAULT_CSR_COMMON_NAME;
  // PrintableString when the name fits its alphabet, as OpenSSL and @peculiar/x509 write it; else UTF8String.
  const commonNameValue = /^[A-Za-z0-9 '()+,\-./:=?]+$/.test(commonName)
    ? new AttributeValue({ printableString: commonName })
    : new AttributeValue({ utf8String: commonName });
  const name = new Name([attribute(OID.commonName, commonNameValue)]);
  if (subject?.email)
    name.push(attribute(OID.emailAddress, new AttributeValue({ ia5String: subject.email })));
  const info = new CertificationRequestInfo({
    subject: name,
    subjectPKInfo: AsnConvert.parse(
      createPublicKey(key).export({ type: "spki", format: "der" }),
      SubjectPublicKeyInfo,
    ),
    // No attributes, encoded as the empty [0] OpenSSL writes.
    attributes: new Attributes(),
  });
  const signature = sign("sha256", Buffer.from(AsnConvert.serialize(info)), key);
  const request = new CertificationRequest({
    certificationRequestInfo: info,
    signatureAlgorithm: new AlgorithmIdentifier({ algorithm: OID.sha256WithRSAEncryption, parameters: null }),
    signature: new Uint8Array(signature).buffer,
  });
  return pem(Buffer.from(AsnConvert.serialize(request)));
}

function pem(der: Buffer): string {
  const lines = der.toString("base64").match(/.{1,64}/g) ?? [];
  return ["-----BEGIN CERTIFICATE REQUEST-----", ...lines, "-----END CERTIFICATE REQUEST-----"].join("\n");
}
