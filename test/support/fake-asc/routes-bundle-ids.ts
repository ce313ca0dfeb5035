// /v1/bundleIds and its relationship endpoints.
import { onlyAttributes, optionalString, readEntity, requiredString } from "./body.ts";
import { linkageDocument, linkagesDocument, listDocument, resourceDocument } from "./documents.ts";
import { ENTERPRISE_PLATFORMS } from "./enterprise-mode.ts";
import { attributeInvalid, notFound, notFoundBecause } from "./errors.ts";
import { APP_FIELDS, BUNDLE_ID_FIELDS, CAPABILITY_FIELDS, PROFILE_FIELDS } from "./fields.ts";
import { resourceId } from "./ids.ts";
import { applyFilters, applySort, containsIgnoringCase, pageOf, type QuerySpec } from "./query.ts";
import type { BundleIdRecord } from "./records.ts";
import { created, documentContext, noContent, ok, type Route, type RouteContext, selfUrl } from "./router.ts";
import { appResource, bundleIdResource, capabilityResource, profileResource } from "./serializers.ts";

export const BUNDLE_ID_PLATFORMS: readonly string[] = ["IOS", "MAC_OS", "UNIVERSAL"];

const FIELDS = {
  bundleIds: BUNDLE_ID_FIELDS,
  profiles: PROFILE_FIELDS,
  bundleIdCapabilities: CAPABILITY_FIELDS,
  apps: APP_FIELDS,
};
const INCLUDE = ["profiles", "bundleIdCapabilities", "app"];
const INCLUDE_LIMITS = ["bundleIdCapabilities", "profiles"];

const LIST_QUERY: QuerySpec = {
  filters: { id: null, identifier: null, name: null, platform: BUNDLE_ID_PLATFORMS, seedId: null },
  sort: [
    "name",
    "-name",
    "platform",
    "-platform",
    "identifier",
    "-identifier",
    "seedId",
    "-seedId",
    "id",
    "-id",
  ],
  fields: FIELDS,
  include: INCLUDE,
  includeLimits: INCLUDE_LIMITS,
  paged: true,
};

/** Reverse-DNS: letters, digits, hyphens and periods; a wildcard `*` only as the last component. */
const IDENTIFIER = /^(\*|[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*(\.\*)?)$/;
const NAME = /^[A-Za-z0-9 ]+$/;

/** Enabled by Apple on every new iOS bundle ID. */
export const CAPABILITIES_OF_NEW_IOS_BUNDLE_IDS = ["IN_APP_PURCHASE", "GAME_CENTER"] as const;

function bundleOr404(ctx: RouteContext): BundleIdRecord {
  const id = ctx.params.id!;
  const bundle = ctx.store.bundleIds.get(id);
  if (!bundle) throw notFound("bundleIds", id);
  return bundle;
}

function checkName(name: string): void {
  if (!NAME.test(name)) {
    throw attributeInvalid(
      `An attribute value has invalid characters. The App ID name '${name}' can only contain letters, numbers and spaces.`,
      "name",
    );
  }
}

async function list(ctx: RouteContext) {
  const { store, q } = ctx;
  // filter[identifier] is a substring match, as Apple's is (com.a.app also finds com.a.app.widget); the
  // fake compares case-insensitively (an assumption). filter[name] is exact.
  const filtered = applyFilters([...store.bundleIds.values()], q, {
    id: (b, v) => b.id === v,
    identifier: (b, v) => containsIgnoringCase(b.identifier, v),
    name: (b, v) => b.name === v,
    platform: (b, v) => b.platform === v,
    seedId: (b, v) => b.seedId === v,
  });
  const sorted = applySort(filtered, q.sort, {
    name: (b) => b.name,
    platform: (b) => b.platform,
    identifier: (b) => b.identifier,
    seedId: (b) => b.seedId,
    id: (b) => b.id,
  });
  const page = pageOf(sorted, q);
  return ok(
    await listDocument(
      { ...page, items: page.items.map((b) => bundleIdResource(store, b)) },
      documentContext(ctx),
      {
        self: selfUrl(ctx),
        path: ctx.path,
        query: ctx.query,
      },
    ),
  );
}

async function create(ctx: RouteContext) {
  const { store } = ctx;
  const { attributes } = readEntity(ctx.body, "bundleIds");
  const identifier = requiredString(attributes, "identifier");
  const name = requiredString(attributes, "name");
  const platform = requiredString(attributes, "platform");
  const platforms = store.enterprise ? ENTERPRISE_PLATFORMS : BUNDLE_ID_PLATFORMS;
  if (!platforms.includes(platform)) {
    throw attributeInvalid(`'${platform}' is not a valid platform; use ${platforms.join(", ")}.`, "platform");
  }
  if (!IDENTIFIER.test(identifier)) {
    throw attributeInvalid(
      `An attribute value has invalid characters. The identifier '${identifier}' may contain only letters, digits, hyphens and periods (and a final '*' for a wildcard App ID).`,
      "identifier",
    );
  }
  checkName(name);
  if (store.bundleIdByIdentifier(identifier)) {
    throw attributeInvalid(
      `An App ID with Identifier '${identifier}' is not available. Please enter a different string.`,
      "identifier",
    );
  }
  const bundle = store.insertBundleId({ id: resourceId(), identifier, name, platform, seedId: store.teamId });
  // A new iOS App ID comes with In-App Purchase and Game Center enabled (the developer website does the
  // same; fastlane/fastlane#12853, #21488).
  if (platform === "IOS")
    for (const capabilityType of CAPABILITIES_OF_NEW_IOS_BUNDLE_IDS)
      store.putCapability({
        id: `${bundle.id}_${capabilityType}`,
        bundleIdId: bundle.id,
        capabilityType,
        settings: null,
      });
  return created(await resourceDocument(bundleIdResource(store, bundle), documentContext(ctx), selfUrl(ctx)));
}

async function get(ctx: RouteContext) {
  const bundle = bundleOr404(ctx);
  return ok(await resourceDocument(bundleIdResource(ctx.store, bundle), documentContext(ctx), selfUrl(ctx)));
}

async function update(ctx: RouteContext) {
  const bundle = bundleOr404(ctx);
  const { attributes } = readEntity(ctx.body, "bundleIds", bundle.id);
  onlyAttributes(attributes, ["name"], "a bundle ID (only its name can change)");
  const name = optionalString(attributes, "name");
  if (name !== undefined) {
    checkName(name);
    bundle.name = name;
  }
  return ok(await resourceDocument(bundleIdResource(ctx.store, bundle), documentContext(ctx), selfUrl(ctx)));
}

function remove(ctx: RouteContext) {
  const bundle = bundleOr404(ctx);
  ctx.store.deleteBundleId(bundle.id);
  return noContent();
}

async function relatedApp(ctx: RouteContext) {
  const bundle = bundleOr404(ctx);
  const app = ctx.store.appOfBundle(bundle);
  if (!app) throw notFoundBecause(`The bundle ID '${bundle.id}' has no app in App Store Connect.`);
  return ok(await resourceDocument(appResource(app), documentContext(ctx), selfUrl(ctx)));
}

function appLinkage(ctx: RouteContext) {
  const bundle = bundleOr404(ctx);
  const app = ctx.store.appOfBundle(bundle);
  if (!app) throw notFoundBecause(`The bundle ID '${bundle.id}' has no app in App Store Connect.`);
  return ok(linkageDocument({ type: "apps", id: app.id }, selfUrl(ctx)));
}

async function relatedCapabilities(ctx: RouteContext) {
  const bundle = bundleOr404(ctx);
  const capabilities = ctx.store.capabilitiesOf(bundle.id);
  // Apple answers `limit` here with 400 PARAMETER_ERROR.ILLEGAL although the spec declares it ("The parameter
  // 'limit' can not be used with this request : This relationship does not support this parameter.",
  // pathorsAI/parley#263), so the route takes no `limit` and the list comes whole, in one page.
  const page = {
    items: capabilities.map(capabilityResource),
    total: capabilities.length,
    limit: Math.max(1, capabilities.length),
    nextOffset: undefined,
  };
  return ok(
    await listDocument(page, documentContext(ctx), { self: selfUrl(ctx), path: ctx.path, query: ctx.query }),
  );
}

function capabilityLinkages(ctx: RouteContext) {
  const bundle = bundleOr404(ctx);
  const ids = ctx.store.capabilitiesOf(bundle.id).map((c) => ({ type: "bundleIdCapabilities", id: c.id }));
  return ok(
    linkagesDocument(pageOf(ids, ctx.q), ctx.baseUrl, {
      self: selfUrl(ctx),
      path: ctx.path,
      query: ctx.query,
    }),
  );
}

async function relatedProfiles(ctx: RouteContext) {
  const bundle = bundleOr404(ctx);
  const page = pageOf(ctx.store.profilesOfBundle(bundle.id), ctx.q);
  return ok(
    await listDocument(
      { ...page, items: page.items.map((p) => profileResource(ctx.store, p)) },
      documentContext(ctx),
      { self: selfUrl(ctx), path: ctx.path, query: ctx.query },
    ),
  );
}

function profileLinkages(ctx: RouteContext) {
  const bundle = bundleOr404(ctx);
  const ids = ctx.store.profilesOfBundle(bundle.id).map((p) => ({ type: "profiles", id: p.id }));
  return ok(
    linkagesDocument(pageOf(ids, ctx.q), ctx.baseUrl, {
      self: selfUrl(ctx),
      path: ctx.path,
      query: ctx.query,
    }),
  );
}

export const bundleIdRoutes: Route[] = [
  { method: "GET", template: "/v1/bundleIds", query: LIST_QUERY, handler: list },
  { method: "POST", template: "/v1/bundleIds", handler: create },
  {
    method: "GET",
    template: "/v1/bundleIds/{id}",
    query: { fields: FIELDS, include: INCLUDE, includeLimits: INCLUDE_LIMITS },
    handler: get,
  },
  { method: "PATCH", template: "/v1/bundleIds/{id}", handler: update },
  { method: "DELETE", template: "/v1/bundleIds/{id}", handler: remove },
  {
    method: "GET",
    template: "/v1/bundleIds/{id}/app",
    query: { fields: { apps: APP_FIELDS } },
    handler: relatedApp,
  },
  { method: "GET", template: "/v1/bundleIds/{id}/relationships/app", handler: appLinkage },
  {
    method: "GET",
    template: "/v1/bundleIds/{id}/bundleIdCapabilities",
    query: { fields: { bundleIdCapabilities: CAPABILITY_FIELDS } },
    handler: relatedCapabilities,
  },
  {
    method: "GET",
    template: "/v1/bundleIds/{id}/relationships/bundleIdCapabilities",
    query: { paged: true },
    handler: capabilityLinkages,
  },
  {
    method: "GET",
    template: "/v1/bundleIds/{id}/profiles",
    query: { fields: { profiles: PROFILE_FIELDS }, paged: true },
    handler: relatedProfiles,
  },
  {
    method: "GET",
    template: "/v1/bundleIds/{id}/relationships/profiles",
    query: { paged: true },
    handler: profileLinkages,
  },
];
