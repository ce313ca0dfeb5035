// JSON:API plumbing for App Store Connect: query strings, URLs, and reading relationships and included
// resources out of documents.
import type { AnyResource, Resource } from "./types.ts";

export type QueryValue = string | number | boolean | readonly string[] | undefined;
export type Query = Record<string, QueryValue>;

/**
 * `filter[identifier]=a,b&limit=200`: keys literal (brackets unencoded, as Apple documents them), values
 * percent-encoded, list items joined with unencoded commas; undefined values and empty lists left out.
 */
export function buildQueryString(query: Query | undefined): string {
  if (!query) return "";
  const parts: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || (Array.isArray(value) && value.length === 0)) continue;
    const encoded = Array.isArray(value)
      ? value.map((item) => encodeURIComponent(item)).join(",")
      : encodeURIComponent(String(value));
    parts.push(`${encodeURIComponent(key).replaceAll("%5B", "[").replaceAll("%5D", "]")}=${encoded}`);
  }
  return parts.length > 0 ? `?${parts.join("&")}` : "";
}

/** `https://host[/prefix]` without trailing slashes. */
export function normaliseBaseUrl(baseUrl: string): string {
  return baseUrl.trim().replace(/\/+$/, "");
}

/** The absolute URL of `path` (e.g. `/v1/bundleIds`) under the base URL, with the query. */
export function buildUrl(baseUrl: string, path: string, query?: Query): URL {
  const slash = path.startsWith("/") ? "" : "/";
  return new URL(`${normaliseBaseUrl(baseUrl)}${slash}${path}${buildQueryString(query)}`);
}

/** The ids of a to-many relationship (empty when absent or when Apple gave only links). */
export function relationshipIds(resource: Resource<string, unknown>, name: string): string[] {
  const data = resource.relationships?.[name]?.data;
  if (!Array.isArray(data)) return [];
  return data.map((resource) => resource.id);
}

/** Whether the to-many relationship carries its `data` (Apple gives only links unless it was included). */
export function hasRelationshipData(resource: Resource<string, unknown>, name: string): boolean {
  return Array.isArray(resource.relationships?.[name]?.data);
}

/** The id of a to-one relationship, when present. */
export function relationshipId(resource: Resource<string, unknown>, name: string): string | undefined {
  const data = resource.relationships?.[name]?.data;
  if (!data || Array.isArray(data)) return undefined;
  return data.id;
}

/** Included resources indexed by `type/id`. */
export function indexIncluded(included: readonly AnyResource[] | undefined): Map<string, AnyResource> {
  const index = new Map<string, AnyResource>();
  for (const resource of included ?? []) index.set(`${resource.type}/${resource.id}`, resource);
  return index;
}

/** The included resources of `type` with these ids, in the order of the ids; missing ones skipped. */
export function pickIncluded<R extends AnyResource>(
  index: Map<string, AnyResource>,
  type: R["type"],
  ids: readonly string[],
): R[] {
  const found: R[] = [];
  for (const id of ids) {
    const resource = index.get(`${type}/${id}`);
    if (resource) found.push(resource as R);
  }
  return found;
}

/** A resource identifier object for request bodies. */
export const linkage = <T extends string>(type: T, id: string): { type: T; id: string } => ({ type, id });
