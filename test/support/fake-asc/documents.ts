// JSON:API documents as Apple writes them: `links.self` on documents and resources, `meta.paging` on lists,
// sparse fieldsets, `included` with to-many relationships capped at `limit[x]`, relationship `data` only
// for included relationships.
import { DEFAULT_INCLUDE_LIMIT, nextLink, type Page, type ParsedQuery } from "./query.ts";

export interface RelationshipDescriptor {
  toMany: boolean;
  targetType: string;
  /** Every target id, in order (the include caps them). */
  ids: () => string[];
}

export interface ResourceDescriptor {
  type: string;
  id: string;
  /** Undefined values are left out. */
  attributes: Record<string, unknown>;
  /** Computed only when the sparse fieldset asks for them (a profile's signed content). */
  lazyAttributes?: Record<string, () => Promise<unknown>>;
  relationships: Record<string, RelationshipDescriptor>;
}

export type Resolver = (type: string, id: string) => ResourceDescriptor | undefined;

export interface DocumentContext {
  baseUrl: string;
  query: ParsedQuery;
  resolve: Resolver;
}

/**
 * What Apple puts in a to-many relationship's `meta.paging` when it is not included: `total: 0` with
 * `limit: 2147483647` (fixtures: bundle-id-resource, profile-resource). Never trust it.
 */
const UNINCLUDED_PAGING = { total: 0, limit: 2147483647 } as const;

type Json = Record<string, unknown>;

class Included {
  readonly items: Json[] = [];
  readonly #seen = new Set<string>();
  has(type: string, id: string): boolean {
    return this.#seen.has(`${type}/${id}`);
  }
  add(type: string, id: string, resource: Json): void {
    this.#seen.add(`${type}/${id}`);
    this.items.push(resource);
  }
}

async function render(
  d: ResourceDescriptor,
  ctx: DocumentContext,
  included: Included | undefined,
): Promise<Json> {
  const base = `${ctx.baseUrl}/v1/${d.type}/${d.id}`;
  const fields = ctx.query.fields.get(d.type);
  const selected = (name: string) => fields === undefined || fields.has(name);

  const attributes: Json = {};
  for (const [name, value] of Object.entries(d.attributes)) {
    if (value !== undefined && selected(name)) attributes[name] = value;
  }
  for (const [name, compute] of Object.entries(d.lazyAttributes ?? {})) {
    if (selected(name)) attributes[name] = await compute();
  }

  const relationships: Json = {};
  for (const [name, rel] of Object.entries(d.relationships)) {
    if (!selected(name)) continue;
    const out: Json = { links: { self: `${base}/relationships/${name}`, related: `${base}/${name}` } };
    if (included && ctx.query.include.has(name)) {
      const ids = rel.ids();
      const cap = rel.toMany ? (ctx.query.includeLimits.get(name) ?? DEFAULT_INCLUDE_LIMIT) : 1;
      const shown = ids.slice(0, cap);
      if (rel.toMany) {
        out.data = shown.map((id) => ({ type: rel.targetType, id }));
        out.meta = { paging: { total: ids.length, limit: cap } };
      } else {
        // An included to-one relationship without a target: `data: null` (Apple's answer for a bundle ID
        // without an app; the spec's schema has no null there, see KNOWN_APPLE_DEVIATIONS).
        out.data = shown[0] !== undefined ? { type: rel.targetType, id: shown[0] } : null;
      }
      for (const id of shown) {
        if (included.has(rel.targetType, id)) continue;
        const target = ctx.resolve(rel.targetType, id);
        if (target) included.add(rel.targetType, id, await render(target, ctx, undefined));
      }
    } else if (rel.toMany) {
      out.meta = { paging: { ...UNINCLUDED_PAGING } };
    }
    relationships[name] = out;
  }

  return {
    type: d.type,
    id: d.id,
    ...(Object.keys(attributes).length > 0 ? { attributes } : {}),
    ...(Object.keys(relationships).length > 0 ? { relationships } : {}),
    links: { self: base },
  };
}

export async function resourceDocument(
  d: ResourceDescriptor,
  ctx: DocumentContext,
  self: string,
): Promise<Json> {
  const included = new Included();
  const data = await render(d, ctx, included);
  return { data, ...(included.items.length > 0 ? { included: included.items } : {}), links: { self } };
}

export interface ListLinks {
  self: string;
  path: string;
  query: Record<string, string>;
}

export async function listDocument(
  page: Page<ResourceDescriptor>,
  ctx: DocumentContext,
  links: ListLinks,
): Promise<Json> {
  const included = new Included();
  const data: Json[] = [];
  for (const d of page.items) data.push(await render(d, ctx, included));
  return {
    data,
    ...(included.items.length > 0 ? { included: included.items } : {}),
    links: {
      self: links.self,
      ...(page.nextOffset !== undefined
        ? { next: nextLink(ctx.baseUrl, links.path, links.query, page.nextOffset, page.limit) }
        : {}),
    },
    meta: { paging: { total: page.total, limit: page.limit } },
  };
}

/** `/relationships/<to-many>`: linkage objects, paged. */
export function linkagesDocument(
  page: Page<{ type: string; id: string }>,
  baseUrl: string,
  links: ListLinks,
): Json {
  return {
    data: page.items.map(({ type, id }) => ({ type, id })),
    links: {
      self: links.self,
      ...(page.nextOffset !== undefined
        ? { next: nextLink(baseUrl, links.path, links.query, page.nextOffset, page.limit) }
        : {}),
    },
    meta: { paging: { total: page.total, limit: page.limit } },
  };
}

/** `/relationships/<to-one>`. */
export function linkageDocument(target: { type: string; id: string }, self: string): Json {
  return { data: { type: target.type, id: target.id }, links: { self } };
}
