// Whether macOS calls an identity valid for `find-identity -v -p codesigning`: a trust evaluation with the
// code signing policy (Security SecurityTool/macOS/identity_find.m → SecIdentitySearchCreateWithPolicy with
// CSSMOID_APPLE_TP_CODE_SIGNING; the policy is OSX/sec/Security/SecPolicy.c SecPolicyCreateCodeSigning and
// its EKU check OSX/sec/Security/SecPolicyLeafCallbacks.c; commits in fake-security.ts). Modelled here:
// - the leaf and every certificate of the chain inside its validity dates;
// - the leaf's extended key usage present and containing codeSigning (1.3.6.1.5.5.7.3.3): no EKU, or
//   anyExtendedKeyUsage alone, fails on macOS; a key usage extension, when present, must allow
//   digitalSignature or nonRepudiation;
// - a chain built by issuer name and verified signatures, through CA certificates found in the searched
//   keychains and the system keychains, ending at a trusted anchor (a self-signed certificate of the
//   system roots). A missing WWDR intermediate therefore leaves the identity invalid.
// The reason printed after an invalid identity is the stand-in's choice of CSSM name (macOS prints
// cssmErrorString of the trust result code).
import { X509Certificate } from "node:crypto";
import { AsnConvert } from "@peculiar/asn1-schema";
import { Certificate, id_ce_keyUsage, KeyUsage, KeyUsageFlags } from "@peculiar/asn1-x509";

export const CODE_SIGNING_EKU = "1.3.6.1.5.5.7.3.3";

export type TrustResult = { valid: true } | { valid: false; reason: string };

const within = (c: X509Certificate, now: Date): "ok" | "expired" | "not yet valid" =>
  now < new Date(c.validFrom) ? "not yet valid" : now > new Date(c.validTo) ? "expired" : "ok";

function keyUsageAllowsSigning(c: X509Certificate): boolean {
  const parsed = AsnConvert.parse(c.raw, Certificate);
  const extension = parsed.tbsCertificate.extensions?.find((e) => e.extnID === id_ce_keyUsage);
  if (!extension) return true;
  const usage = AsnConvert.parse(extension.extnValue, KeyUsage).toNumber();
  return (usage & (KeyUsageFlags.digitalSignature | KeyUsageFlags.nonRepudiation)) !== 0;
}

const selfSigned = (c: X509Certificate): boolean => c.checkIssued(c) && c.verify(c.publicKey);

/**
 * @param leafPem the identity's certificate
 * @param pool CA certificates available for building the chain (searched keychains + system keychains)
 * @param anchors trusted roots (self-signed)
 */
export function evaluateCodeSigning(
  leafPem: string,
  pool: string[],
  anchors: string[],
  now = new Date(),
): TrustResult {
  const leaf = new X509Certificate(leafPem);
  const dates = within(leaf, now);
  if (dates === "expired") return { valid: false, reason: "CSSMERR_TP_CERT_EXPIRED" };
  if (dates === "not yet valid") return { valid: false, reason: "CSSMERR_TP_CERT_NOT_VALID_YET" };
  const eku = leaf.keyUsage ?? [];
  if (!eku.includes(CODE_SIGNING_EKU) || !keyUsageAllowsSigning(leaf))
    return { valid: false, reason: "CSSMERR_TP_VERIFY_ACTION_FAILED" };

  const anchorCerts = anchors.map((pem) => new X509Certificate(pem)).filter(selfSigned);
  const candidates = [...anchorCerts, ...pool.map((pem) => new X509Certificate(pem))];
  const isAnchor = (c: X509Certificate): boolean => anchorCerts.some((a) => a.raw.equals(c.raw));
  let current = leaf;
  for (let depth = 0; depth < 10; depth++) {
    if (isAnchor(current)) return { valid: true };
    if (selfSigned(current)) return { valid: false, reason: "CSSMERR_TP_NOT_TRUSTED" };
    const issuer = candidates.find(
      (c) => c.ca && !c.raw.equals(current.raw) && current.checkIssued(c) && current.verify(c.publicKey),
    );
    if (!issuer) return { valid: false, reason: "CSSMERR_TP_NOT_TRUSTED" };
    const issuerDates = within(issuer, now);
    if (issuerDates !== "ok")
      return {
        valid: false,
        reason: issuerDates === "expired" ? "CSSMERR_TP_CERT_EXPIRED" : "CSSMERR_TP_CERT_NOT_VALID_YET",
      };
    current = issuer;
  }
  return { valid: false, reason: "CSSMERR_TP_NOT_TRUSTED" };
}
