// /v1/apps: the app records of App Store Connect, read-only and minimal (name, bundleId, sku,
// primaryLocale). Only the parameters the fake implements are accepted; the spec declares more.
import { listDocument, resourceDocument } from "./documents.ts";
import { notFound } from "./errors.ts";
import { APP_FIELDS } from "./fields.ts";
import { applyFilters, applySort, pageOf, type QuerySpec } from "./query.ts";
import { documentContext, ok, type Route, type RouteContext, selfUrl } from "./router.ts";
import { appResource } from "./serializers.ts";

const LIST_QUERY: QuerySpec = {
  filters: { bundleId: null, id: null, name: null, sku: null },
  sort: ["name", "-name", "bundleId", "-bundleId", "sku", "-sku"],
  fields: { apps: APP_FIELDS },
  paged: true,
};

async function list(ctx: RouteContext) {
  const filtered = applyFilters([...ctx.store.apps.values()], ctx.q, {
    bundleId: (a, v) => a.bundleId === v,
    id: (a, v) => a.id === v,
    name: (a, v) => a.name === v,
    sku: (a, v) => a.sku === v,
  });
  const sorted = applySort(filtered, ctx.q.sort, {
    name: (a) => a.name,
    bundleId: (a) => a.bundleId,
    sku: (a) => a.sku,
  });
  const page = pageOf(sorted, ctx.q);
  return ok(
    await listDocument({ ...page, items: page.items.map(appResource) }, documentContext(ctx), {
      self: selfUrl(ctx),
      path: ctx.path,
      query: ctx.query,
    }),
  );
}

async function get(ctx: RouteContext) {
  const id = ctx.params.id!;
  const app = ctx.store.apps.get(id);
  if (!app) throw notFound("apps", id);
  return ok(await resourceDocument(appResource(app), documentContext(ctx), selfUrl(ctx)));
}

export const appRoutes: Route[] = [
  { method: "GET", template: "/v1/apps", query: LIST_QUERY, allowsIndividualKeys: true, handler: list },
  {
    method: "GET",
    template: "/v1/apps/{id}",
    query: { fields: { apps: APP_FIELDS } },
    allowsIndividualKeys: true,
    handler: get,
  },
];
