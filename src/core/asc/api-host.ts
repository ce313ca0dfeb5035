// Which API the client talks to: App Store Connect (`appstoreconnect-v1`) or Apple's Enterprise Program API
// (`apple-developer-enterprise-v1`, host api.enterprise.developer.apple.com). The enterprise document
// (../shared/asc/enterprise-openapi.json) is a subset: no apps (so no `include=app`), no UNIVERSAL
// platform, 11 certificate types (no G2, Apple Pay or IDENTITY_ACCESS). Requests sent to the enterprise
// host stay inside it.
import type { CertificateType } from "./types.ts";

export type ApiHost = "app-store-connect" | "enterprise";

export const ENTERPRISE_AUDIENCE = "apple-developer-enterprise-v1";

/** From the client's JWT audience (the enterprise host, or a loopback fake of it, takes its own). */
export function apiHostOf(client: { readonly audience: string }): ApiHost {
  return client.audience === ENTERPRISE_AUDIENCE ? "enterprise" : "app-store-connect";
}

/** `CertificateType` of the enterprise document. */
export const ENTERPRISE_CERTIFICATE_TYPES: ReadonlySet<CertificateType> = new Set([
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
]);

/** Whether the host knows the certificate type (it can be created and filtered on there). */
export function hostHasCertificateType(host: ApiHost, type: CertificateType): boolean {
  return host === "app-store-connect" || ENTERPRISE_CERTIFICATE_TYPES.has(type);
}
