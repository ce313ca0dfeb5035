// /v1/profiles and its relationship endpoints. Profiles are immutable (no PATCH: the router answers 405);
// zombies answer 404 here while their bundle ID still lists them.
import { readEntity, requiredString, toMany, toOne } from "./body.ts";
import { linkageDocument, linkagesDocument, listDocument, resourceDocument } from "./documents.ts";
import { notFound, relationshipRequired } from "./errors.ts";
import { BUNDLE_ID_FIELDS, CERTIFICATE_FIELDS, DEVICE_FIELDS, PROFILE_FIELDS } from "./fields.ts";
import { resourceId, uuidV4, YEAR_MS } from "./ids.ts";
import { PROFILE_TYPE_NAMES } from "./profile-rules.ts";
import { checkProfileRequest } from "./profile-validation.ts";
import { applyFilters, applySort, containsIgnoringCase, pageOf, type QuerySpec } from "./query.ts";
import type { ProfileRecord } from "./records.ts";
import { created, documentContext, noContent, ok, type Route, type RouteContext, selfUrl } from "./router.ts";
import { bundleIdResource, profileResource, resolverFor } from "./serializers.ts";

const FIELDS = {
  profiles: PROFILE_FIELDS,
  bundleIds: BUNDLE_ID_FIELDS,
  devices: DEVICE_FIELDS,
  certificates: CERTIFICATE_FIELDS,
};
const INCLUDE = ["bundleId", "devices", "certificates"];
const INCLUDE_LIMITS = ["certificates", "devices"];

const LIST_QUERY: QuerySpec = {
  filters: { id: null, name: null, profileState: ["ACTIVE", "INVALID"], profileType: PROFILE_TYPE_NAMES },
  sort: ["name", "-name", "profileType", "-profileType", "profileState", "-profileState", "id", "-id"],
  fields: FIELDS,
  include: INCLUDE,
  includeLimits: INCLUDE_LIMITS,
  paged: true,
};

function profileOr404(ctx: RouteContext): ProfileRecord {
  const id = ctx.params.id!;
  const profile = ctx.store.liveProfile(id);
  if (!profile) throw notFound("profiles", id);
  return profile;
}

async function list(ctx: RouteContext) {
  const { store, q } = ctx;
  // filter[name] is not an exact match at Apple; the fake makes it a case-insensitive substring match
  // (an assumption) so that clients must compare names themselves.
  const filtered = applyFilters(store.liveProfiles(), q, {
    id: (p, v) => p.id === v,
    name: (p, v) => containsIgnoringCase(p.name, v),
    profileState: (p, v) => store.profileState(p) === v,
    profileType: (p, v) => p.profileType === v,
  });
  const sorted = applySort(filtered, q.sort, {
    name: (p) => p.name,
    profileType: (p) => p.profileType,
    profileState: (p) => store.profileState(p),
    id: (p) => p.id,
  });
  const page = pageOf(sorted, q);
  return ok(
    await listDocument(
      { ...page, items: page.items.map((p) => profileResource(store, p)) },
      documentContext(ctx),
      { self: selfUrl(ctx), path: ctx.path, query: ctx.query },
    ),
  );
}

async function create(ctx: RouteContext) {
  const { store } = ctx;
  const { attributes, relationships } = readEntity(ctx.body, "profiles");
  const name = requiredString(attributes, "name");
  const profileType = requiredString(attributes, "profileType");
  const bundleIdId = toOne(relationships, "bundleId", "bundleIds");
  const certificateIds = toMany(relationships, "certificates", "certificates");
  if (!certificateIds) throw relationshipRequired("certificates");
  const deviceIds = toMany(relationships, "devices", "devices");
  const checked = checkProfileRequest(store, { name, profileType, bundleIdId, certificateIds, deviceIds });
  const now = store.now();
  const profile = store.insertProfile({
    id: resourceId(),
    name,
    profileType,
    bundleIdId: checked.bundle.id,
    certificateIds: checked.certificates.map((c) => c.id),
    deviceIds: checked.devices.map((d) => d.id),
    uuid: uuidV4(),
    createdAt: now,
    expiresAt: Math.min(now + YEAR_MS, ...checked.certificates.map((c) => c.expiresAt)),
    invalid: false,
    deleted: false,
    zombie: false,
    capabilities: store
      .capabilitiesOf(checked.bundle.id)
      .map((c) => ({ type: c.capabilityType, settings: c.settings })),
    bundleIdentifier: checked.bundle.identifier,
    appIdName: checked.bundle.name,
  });
  return created(await resourceDocument(profileResource(store, profile), documentContext(ctx), selfUrl(ctx)));
}

async function get(ctx: RouteContext) {
  const profile = profileOr404(ctx);
  return ok(await resourceDocument(profileResource(ctx.store, profile), documentContext(ctx), selfUrl(ctx)));
}

function remove(ctx: RouteContext) {
  const profile = profileOr404(ctx);
  ctx.store.deleteProfile(profile.id);
  return noContent();
}

async function relatedBundleId(ctx: RouteContext) {
  const profile = profileOr404(ctx);
  const bundle = ctx.store.bundleIds.get(profile.bundleIdId);
  if (!bundle) throw notFound("bundleIds", profile.bundleIdId);
  return ok(await resourceDocument(bundleIdResource(ctx.store, bundle), documentContext(ctx), selfUrl(ctx)));
}

function bundleIdLinkage(ctx: RouteContext) {
  const profile = profileOr404(ctx);
  return ok(linkageDocument({ type: "bundleIds", id: profile.bundleIdId }, selfUrl(ctx)));
}

function relatedList(type: "certificates" | "devices") {
  return async (ctx: RouteContext) => {
    const profile = profileOr404(ctx);
    const resolve = resolverFor(ctx.store);
    const ids = type === "certificates" ? profile.certificateIds : profile.deviceIds;
    const page = pageOf(ids, ctx.q);
    const items = page.items.flatMap((id) => {
      const d = resolve(type, id);
      return d ? [d] : [];
    });
    return ok(
      await listDocument({ ...page, items }, documentContext(ctx), {
        self: selfUrl(ctx),
        path: ctx.path,
        query: ctx.query,
      }),
    );
  };
}

function linkages(type: "certificates" | "devices") {
  return (ctx: RouteContext) => {
    const profile = profileOr404(ctx);
    const ids = (type === "certificates" ? profile.certificateIds : profile.deviceIds).map((id) => ({
      type,
      id,
    }));
    return ok(
      linkagesDocument(pageOf(ids, ctx.q), ctx.baseUrl, {
        self: selfUrl(ctx),
        path: ctx.path,
        query: ctx.query,
      }),
    );
  };
}

export const profileRoutes: Route[] = [
  { method: "GET", template: "/v1/profiles", query: LIST_QUERY, handler: list },
  { method: "POST", template: "/v1/profiles", handler: create },
  {
    method: "GET",
    template: "/v1/profiles/{id}",
    query: { fields: FIELDS, include: INCLUDE, includeLimits: INCLUDE_LIMITS },
    handler: get,
  },
  { method: "DELETE", template: "/v1/profiles/{id}", handler: remove },
  {
    method: "GET",
    template: "/v1/profiles/{id}/bundleId",
    query: { fields: { bundleIds: BUNDLE_ID_FIELDS } },
    handler: relatedBundleId,
  },
  { method: "GET", template: "/v1/profiles/{id}/relationships/bundleId", handler: bundleIdLinkage },
  {
    method: "GET",
    template: "/v1/profiles/{id}/certificates",
    query: { fields: { certificates: CERTIFICATE_FIELDS }, paged: true },
    handler: relatedList("certificates"),
  },
  {
    method: "GET",
    template: "/v1/profiles/{id}/relationships/certificates",
    query: { paged: true },
    handler: linkages("certificates"),
  },
  {
    method: "GET",
    template: "/v1/profiles/{id}/devices",
    query: { fields: { devices: DEVICE_FIELDS }, paged: true },
    handler: relatedList("devices"),
  },
  {
    method: "GET",
    template: "/v1/profiles/{id}/relationships/devices",
    query: { paged: true },
    handler: linkages("devices"),
  },
];
