// The optional `wwdr-certificates` input: Apple WWDR intermediates to import into our keychain.
// GitHub-hosted macOS runners carry them already; no copy ships with this action (none could be
// verified), so self-hosted runners that lack them pass them here.
import { X509Certificate } from "node:crypto";
import type { InputProblem } from "../errors.ts";

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g;

/** PEM blocks, or base64 DER (one per line or comma separated), or base64 of a PEM bundle → DER list. */
export function parseWwdrCertificates(value: string, problems: InputProblem[]): Uint8Array[] {
  const text = value.trim();
  if (!text) return [];
  const chunks = text.includes("-----BEGIN") ? pemBodies(text) : base64Chunks(text);
  const result: Uint8Array[] = [];
  chunks.forEach((der, index) => {
    const label = chunks.length > 1 ? `certificate ${index + 1}` : "the certificate";
    let certificate: X509Certificate;
    try {
      certificate = new X509Certificate(der);
    } catch {
      problems.push({
        input: "wwdr-certificates",
        message: `${label} is not an X.509 certificate: give PEM blocks or base64 of the DER .cer files (Apple PKI page, "Worldwide Developer Relations" intermediates).`,
      });
      return;
    }
    if (!certificate.ca)
      problems.push({
        input: "wwdr-certificates",
        message: `${label} (${certificate.subject.replace(/\n/g, ", ")}) is not a CA certificate: give Apple's WWDR intermediate certificates, not a signing certificate.`,
      });
    else if (!result.some((der) => certificate.raw.equals(der))) result.push(new Uint8Array(certificate.raw));
  });
  // A certificate given twice is kept once (`security add-certificates` would call the second "already in").
  return result;
}

function pemBodies(text: string): Buffer[] {
  return [...text.matchAll(PEM_BLOCK)].map((match) =>
    Buffer.from((match[1] ?? "").replace(/\s+/g, ""), "base64"),
  );
}

function base64Chunks(text: string): Buffer[] {
  return text
    .split(/[\s,]+/)
    .filter(Boolean)
    .flatMap((chunk) => {
      const bytes = Buffer.from(chunk, "base64");
      const decoded = bytes.toString("latin1");
      return decoded.includes("-----BEGIN CERTIFICATE-----") ? pemBodies(decoded) : [bytes];
    });
}
