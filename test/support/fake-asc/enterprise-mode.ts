// The Enterprise Program API (../shared/asc/enterprise-openapi.json, host api.enterprise.developer.apple.com,
// audience apple-developer-enterprise-v1): the fake's routes cut to the document's operations (any other
// path answers 404, PATCH /v1/certificates/{id} 405) and their query parameters to the document's values:
// no apps (`include=app`, `fields[apps]`), no UNIVERSAL platform filter, 11 certificate types.
import type { QuerySpec } from "./query.ts";
import type { Route } from "./router.ts";

/** The document's operations that the fake serves (26 of the public document's 35 provisioning ones). */
export const ENTERPRISE_OPERATIONS: ReadonlySet<string> = new Set([
  "POST /v1/bundleIdCapabilities",
  "PATCH /v1/bundleIdCapabilities/{id}",
  "DELETE /v1/bundleIdCapabilities/{id}",
  "GET /v1/bundleIds",
  "POST /v1/bundleIds",
  "GET /v1/bundleIds/{id}",
  "PATCH /v1/bundleIds/{id}",
  "DELETE /v1/bundleIds/{id}",
  "GET /v1/bundleIds/{id}/bundleIdCapabilities",
  "GET /v1/bundleIds/{id}/profiles",
  "GET /v1/certificates",
  "POST /v1/certificates",
  "GET /v1/certificates/{id}",
  "DELETE /v1/certificates/{id}",
  "GET /v1/certificates/{id}/passTypeId",
  "GET /v1/devices",
  "POST /v1/devices",
  "GET /v1/devices/{id}",
  "PATCH /v1/devices/{id}",
  "GET /v1/profiles",
  "POST /v1/profiles",
  "GET /v1/profiles/{id}",
  "DELETE /v1/profiles/{id}",
  "GET /v1/profiles/{id}/bundleId",
  "GET /v1/profiles/{id}/certificates",
  "GET /v1/profiles/{id}/devices",
]);

/** The document's BundleIdPlatform. */
export const ENTERPRISE_PLATFORMS: readonly string[] = ["IOS", "MAC_OS"];

/** The document's CertificateType (no G2, no Apple Pay, no IDENTITY_ACCESS). */
export const ENTERPRISE_CERTIFICATE_TYPES: readonly string[] = [
  "IOS_DEVELOPMENT",
  "IOS_DISTRIBUTION",
  "MAC_APP_DISTRIBUTION",
  "MAC_INSTALLER_DISTRIBUTION",
  "MAC_APP_DEVELOPMENT",
  "DEVELOPER_ID_KEXT",
  "DEVELOPER_ID_APPLICATION",
  "DEVELOPMENT",
  "DISTRIBUTION",
  "PASS_TYPE_ID",
  "PASS_TYPE_ID_WITH_NFC",
];

/** Field names the enterprise document does not have (no apps; certificates have no `activated`). */
const ABSENT_FIELDS = new Set(["app", "activated"]);

function enterpriseQuery(spec: QuerySpec): QuerySpec {
  const filters = spec.filters
    ? Object.fromEntries(
        Object.entries(spec.filters).map(([name, values]) => [
          name,
          name === "platform" && values
            ? values.filter((v) => ENTERPRISE_PLATFORMS.includes(v))
            : name === "certificateType" && values
              ? values.filter((v) => ENTERPRISE_CERTIFICATE_TYPES.includes(v))
              : values,
        ]),
      )
    : undefined;
  const fields = spec.fields
    ? Object.fromEntries(
        Object.entries(spec.fields)
          .filter(([type]) => type !== "apps")
          .map(([type, names]) => [type, names.filter((n) => !ABSENT_FIELDS.has(n))]),
      )
    : undefined;
  return {
    ...spec,
    ...(filters ? { filters } : {}),
    ...(fields ? { fields } : {}),
    ...(spec.include ? { include: spec.include.filter((i) => i !== "app") } : {}),
  };
}

/** The routes an Enterprise Program team reaches, with the enterprise document's parameters. */
export function enterpriseRoutes(routes: readonly Route[]): Route[] {
  return routes
    .filter((r) => ENTERPRISE_OPERATIONS.has(`${r.method} ${r.template}`))
    .map((r) => (r.query ? { ...r, query: enterpriseQuery(r.query) } : r));
}
