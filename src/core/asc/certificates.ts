// Signing certificates: listed by type (all pages) and created from a CSR.
import type { AscClient } from "./http.ts";
import type { CertificateResource, CertificateType } from "./types.ts";

/**
 * Types Apple refuses as `filter[certificateType]` values although its spec lists them (400
 * PARAMETER_ERROR.INVALID "'DEVELOPER_ID_APPLICATION_G2' is not a valid filter value"; codemagic-ci-cd/
 * cli-tools#467, fastlane's UNSUPPORTED_CERTIFICATE_TYPE_FILTERS). Filtering on DEVELOPER_ID_APPLICATION
 * does not find G2 certificates either (codemagic-ci-cd/cli-tools#414): their type is the G2 one.
 */
export const CERTIFICATE_TYPES_REFUSED_AS_FILTER: ReadonlySet<CertificateType> = new Set([
  "DEVELOPER_ID_APPLICATION_G2",
  "DEVELOPER_ID_KEXT_G2",
]);

/**
 * GET /v1/certificates?filter[certificateType]=A,B&limit=200, all pages (no types: every certificate).
 * A type Apple refuses as a filter is matched here instead: still one request, never a 400.
 */
export async function listCertificates(
  client: AscClient,
  types: readonly CertificateType[],
): Promise<CertificateResource[]> {
  const wanted = [...new Set(types)];
  const filterable = wanted.every((type) => !CERTIFICATE_TYPES_REFUSED_AS_FILTER.has(type));
  const { data } = await client.getAll<CertificateResource>("/v1/certificates", {
    "filter[certificateType]": filterable ? wanted : undefined,
    limit: 200,
  });
  if (filterable || wanted.length === 0) return data;
  const accepted = new Set<string>(wanted);
  return data.filter((certificate) => accepted.has(certificate.attributes?.certificateType ?? ""));
}

/** `csrContent`: the CSR in PEM or its base64 DER body, as Apple accepts either. */
export async function createCertificate(
  client: AscClient,
  fields: { csrContent: string; certificateType: CertificateType },
): Promise<CertificateResource> {
  const doc = await client.post<CertificateResource>("/v1/certificates", {
    data: {
      type: "certificates",
      attributes: { csrContent: fields.csrContent, certificateType: fields.certificateType },
    },
  });
  return doc.data;
}
