// The error for a team at its certificate limit: what exists, and the ways out. Nothing is revoked.
import type { CertificateType } from "../asc/types.ts";
import { AscApiError } from "../errors.ts";
import type { CandidateCertificate } from "./certificate-decision.ts";

export function certificateLimitError(
  type: CertificateType,
  candidates: CandidateCertificate[],
  cause: AscApiError,
): AscApiError {
  const existing = candidates
    .filter((c) => c.resource.attributes?.certificateType === type)
    .map(
      (c) =>
        `  - ${c.resource.id} "${c.resource.attributes?.name ?? c.info.commonName}" serial ${c.info.serialNumber}, expires ${c.info.notAfter.toISOString().slice(0, 10)}${c.matchesKey ? " (matches your key)" : ""}`,
    );
  const message = [
    `The team has reached its limit of ${type} certificates, so no certificate can be created for this private key (409 ${cause.code}: ${cause.detail || cause.title}).`,
    existing.length > 0
      ? `Existing ${type} certificates:\n${existing.join("\n")}`
      : `No ${type} certificate was listed.`,
    "Choose one:",
    "  1. give the private key (or .p12) of one of these certificates in `certificate-private-key` / `certificate-p12`, so it is adopted;",
    "  2. revoke one you no longer use in Certificates, Identifiers & Profiles (apps already shipped keep working; its profiles become invalid and are repaired on the next run);",
    "  3. set `certificate-type` to another type this profile type accepts.",
  ].join("\n");
  return new AscApiError({
    status: cause.status,
    code: cause.code,
    title: cause.title,
    detail: cause.detail,
    ...(cause.requestId ? { requestId: cause.requestId } : {}),
    errors: cause.errors,
    method: cause.method,
    path: cause.path,
    message,
    cause,
  });
}
