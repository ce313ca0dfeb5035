// The error for a team at its certificate limit: every current certificate that blocks (of every type
// counting against the same limit), and the ways out. Nothing is revoked.
import type { CertificateType } from "../asc/types.ts";
import { AscApiError } from "../errors.ts";
import type { CandidateCertificate } from "./certificate-decision.ts";

/**
 * The types whose current certificates count against the same limit as `type`: Apple Distribution and
 * iOS Distribution certificates share one (codemagic-ci-cd/cli-tools#262); other types have their own.
 */
export function typesSharingLimit(type: CertificateType): CertificateType[] {
  return type === "DISTRIBUTION" || type === "IOS_DISTRIBUTION"
    ? ["DISTRIBUTION", "IOS_DISTRIBUTION"]
    : [type];
}

export function certificateLimitError(
  type: CertificateType,
  candidates: CandidateCertificate[],
  cause: AscApiError,
  now: number,
): AscApiError {
  const types = typesSharingLimit(type);
  const typesText = types.join(" and ");
  const blocking = candidates
    .filter((certificate) =>
      (types as string[]).includes(certificate.resource.attributes?.certificateType ?? ""),
    )
    .filter((certificate) => certificate.info.notAfter.getTime() > now)
    .map(
      (certificate) =>
        `  - ${certificate.resource.attributes?.certificateType} ${certificate.resource.id} "${certificate.resource.attributes?.name ?? certificate.info.commonName}" serial ${certificate.info.serialNumber}, expires ${certificate.info.notAfter.toISOString().slice(0, 10)}${certificate.matchesKey ? " (matches your key)" : ""}`,
    );
  const message = [
    `The team has reached its limit of ${type} certificates${types.length > 1 ? ` (${typesText} certificates count against one limit)` : ""}, so no certificate can be created for this private key (409 ${cause.code}: ${cause.detail || cause.title}).`,
    blocking.length > 0
      ? `Certificates that count against it:\n${blocking.join("\n")}`
      : `No current ${typesText} certificate was listed.`,
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
