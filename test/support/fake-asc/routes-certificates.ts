// /v1/certificates: created from a CSR by the fake Apple CA, limited per team for distribution types
// (DISTRIBUTION and IOS_DISTRIBUTION share one limit), revoked by DELETE (profiles containing them turn INVALID), PATCH toggles `activated` only.

import { InvalidCsrError } from "./apple-ca.ts";
import { readEntity, requiredString } from "./body.ts";
import {
  ALL_CERTIFICATE_TYPES,
  API_CREATABLE_TYPES,
  issuedCertificateRecord,
  LIMITED_TYPES,
  limitGroup,
  limitMessage,
} from "./certificate-rules.ts";
import { listDocument, resourceDocument } from "./documents.ts";
import { ENTERPRISE_CERTIFICATE_TYPES } from "./enterprise-mode.ts";
import { attributeInvalid, entityError, notFound, notFoundBecause } from "./errors.ts";
import { CERTIFICATE_FIELDS, PASS_TYPE_ID_FIELDS } from "./fields.ts";
import { YEAR_MS } from "./ids.ts";
import { applyFilters, applySort, equalsIgnoringCase, pageOf, type QuerySpec } from "./query.ts";
import type { CertificateRecord } from "./records.ts";
import { created, documentContext, noContent, ok, type Route, type RouteContext, selfUrl } from "./router.ts";
import { certificateResource } from "./serializers.ts";
import type { Store } from "./store.ts";

const FIELDS = { certificates: CERTIFICATE_FIELDS, passTypeIds: PASS_TYPE_ID_FIELDS };

/**
 * Apple refuses the G2 types as `filter[certificateType]` values although its spec lists them: 400
 * PARAMETER_ERROR.INVALID "'DEVELOPER_ID_APPLICATION_G2' is not a valid filter value. Expected one of: ..."
 * (codemagic-ci-cd/cli-tools#467; fastlane's spaceship keeps them in UNSUPPORTED_CERTIFICATE_TYPE_FILTERS).
 * The expected list Apple gives leaves out DEVELOPER_ID_KEXT_G2 as well.
 */
export const CERTIFICATE_TYPES_REFUSED_AS_FILTER: readonly string[] = [
  "DEVELOPER_ID_APPLICATION_G2",
  "DEVELOPER_ID_KEXT_G2",
];
const FILTERABLE_CERTIFICATE_TYPES = ALL_CERTIFICATE_TYPES.filter(
  (t) => !CERTIFICATE_TYPES_REFUSED_AS_FILTER.includes(t),
);

const LIST_QUERY: QuerySpec = {
  filters: { certificateType: FILTERABLE_CERTIFICATE_TYPES, displayName: null, id: null, serialNumber: null },
  sort: [
    "displayName",
    "-displayName",
    "certificateType",
    "-certificateType",
    "serialNumber",
    "-serialNumber",
    "id",
    "-id",
  ],
  fields: FIELDS,
  include: ["passTypeId"],
  paged: true,
};

function certificateOr404(ctx: RouteContext): CertificateRecord {
  const id = ctx.params.id!;
  const certificate = ctx.store.visibleCertificate(id);
  if (!certificate) throw notFound("certificates", id);
  return certificate;
}

async function list(ctx: RouteContext) {
  const { store, q } = ctx;
  const filtered = applyFilters(store.visibleCertificates(), q, {
    certificateType: (c, v) => c.certificateType === v,
    displayName: (c, v) => c.displayName === v,
    id: (c, v) => c.id === v,
    serialNumber: (c, v) => equalsIgnoringCase(c.serialNumber, v),
  });
  const sorted = applySort(filtered, q.sort, {
    displayName: (c) => c.displayName,
    certificateType: (c) => c.certificateType,
    serialNumber: (c) => c.serialNumber,
    id: (c) => c.id,
  });
  const page = pageOf(sorted, q);
  return ok(
    await listDocument({ ...page, items: page.items.map(certificateResource) }, documentContext(ctx), {
      self: selfUrl(ctx),
      path: ctx.path,
      query: ctx.query,
    }),
  );
}

function checkCreatable(store: Store, certificateType: string): void {
  const known = store.enterprise ? ENTERPRISE_CERTIFICATE_TYPES : ALL_CERTIFICATE_TYPES;
  if (!known.includes(certificateType)) {
    throw attributeInvalid(`'${certificateType}' is not a valid certificate type.`, "certificateType");
  }
  if (!API_CREATABLE_TYPES.has(certificateType)) {
    throw attributeInvalid(
      `Certificates of type ${certificateType} cannot be created with an API key; create them in Certificates, Identifiers & Profiles on the developer website.`,
      "certificateType",
    );
  }
  if (store.enterprise && certificateType === "DISTRIBUTION") {
    throw attributeInvalid(
      "Apple Distribution certificates are not available to Apple Enterprise Program teams; use IOS_DISTRIBUTION.",
      "certificateType",
    );
  }
}

function checkLimit(store: Store, certificateType: string): void {
  if (
    LIMITED_TYPES.has(certificateType) &&
    store.currentCertificatesOfTypes(limitGroup(certificateType)).length >= store.distributionCertificateLimit
  ) {
    throw entityError(limitMessage(certificateType));
  }
}

async function create(ctx: RouteContext) {
  const { store } = ctx;
  const { attributes } = readEntity(ctx.body, "certificates");
  const csrContent = requiredString(attributes, "csrContent");
  const certificateType = requiredString(attributes, "certificateType");
  checkCreatable(store, certificateType);
  checkLimit(store, certificateType);
  const now = store.now();
  let issued: Awaited<ReturnType<typeof store.pki.issueFromCsr>>;
  try {
    issued = await store.pki.issueFromCsr(csrContent, {
      certificateType,
      teamId: store.teamId,
      teamName: store.teamName,
      notBefore: new Date(now),
      notAfter: new Date(now + YEAR_MS),
    });
  } catch (error) {
    if (error instanceof InvalidCsrError)
      throw attributeInvalid(`Invalid CSR: ${error.message}`, "csrContent");
    throw error;
  }
  checkLimit(store, certificateType); // another request may have taken the last slot while this one was signed
  const certificate = store.insertCertificate(
    issuedCertificateRecord(issued, certificateType, store.teamName),
  );
  return created(
    await resourceDocument(certificateResource(certificate), documentContext(ctx), selfUrl(ctx)),
  );
}

async function get(ctx: RouteContext) {
  const certificate = certificateOr404(ctx);
  return ok(await resourceDocument(certificateResource(certificate), documentContext(ctx), selfUrl(ctx)));
}

async function update(ctx: RouteContext) {
  const certificate = certificateOr404(ctx);
  const { attributes } = readEntity(ctx.body, "certificates", certificate.id);
  for (const name of Object.keys(attributes)) {
    if (name !== "activated") {
      throw attributeInvalid(
        `The attribute '${name}' cannot be changed; certificates only toggle 'activated'.`,
        name,
      );
    }
  }
  const activated = attributes.activated;
  if (activated !== undefined && activated !== null) {
    if (typeof activated !== "boolean")
      throw attributeInvalid("'activated' must be true or false.", "activated");
    certificate.activated = activated;
  }
  return ok(await resourceDocument(certificateResource(certificate), documentContext(ctx), selfUrl(ctx)));
}

function revoke(ctx: RouteContext) {
  const certificate = certificateOr404(ctx);
  ctx.store.revokeCertificate(certificate.id);
  return noContent();
}

/** No certificate of the fake has a pass type ID: the spec's responses need `data`, so 404. */
function noPassTypeId(ctx: RouteContext): never {
  const certificate = certificateOr404(ctx);
  throw notFoundBecause(`The certificate '${certificate.id}' has no pass type ID.`);
}

export const certificateRoutes: Route[] = [
  { method: "GET", template: "/v1/certificates", query: LIST_QUERY, handler: list },
  { method: "POST", template: "/v1/certificates", handler: create },
  {
    method: "GET",
    template: "/v1/certificates/{id}",
    query: { fields: FIELDS, include: ["passTypeId"] },
    handler: get,
  },
  { method: "PATCH", template: "/v1/certificates/{id}", handler: update },
  { method: "DELETE", template: "/v1/certificates/{id}", handler: revoke },
  {
    method: "GET",
    template: "/v1/certificates/{id}/passTypeId",
    query: { fields: FIELDS, include: ["certificates"], includeLimits: ["certificates"] },
    handler: noPassTypeId,
  },
  { method: "GET", template: "/v1/certificates/{id}/relationships/passTypeId", handler: noPassTypeId },
];
