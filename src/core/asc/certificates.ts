// Signing certificates: listed by type (all pages) and created from a CSR.
import type { AscClient } from "./http.ts";
import type { CertificateResource, CertificateType } from "./types.ts";

/** GET /v1/certificates?filter[certificateType]=A,B&limit=200, all pages. No types: every certificate. */
export async function listCertificates(
  client: AscClient,
  types: readonly CertificateType[],
): Promise<CertificateResource[]> {
  const { data } = await client.getAll<CertificateResource>("/v1/certificates", {
    "filter[certificateType]": [...new Set(types)],
    limit: 200,
  });
  return data;
}

/** `csrContent`: the CSR in PEM or its base64 DER body, as Apple accepts either. */
export async function createCertificate(
  client: AscClient,
  a: { csrContent: string; certificateType: CertificateType },
): Promise<CertificateResource> {
  const doc = await client.post<CertificateResource>("/v1/certificates", {
    data: {
      type: "certificates",
      attributes: { csrContent: a.csrContent, certificateType: a.certificateType },
    },
  });
  return doc.data;
}
