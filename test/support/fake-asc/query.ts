// Query parameters as Apple treats them: strictly. Every parameter must be declared for the endpoint
// (else 400 PARAMETER_ERROR.ILLEGAL); filter/fields/include/sort values must be known and limits in range
// (else 400 PARAMETER_ERROR.INVALID). Collections page with `limit` and an opaque `cursor` that
// `links.next` carries.
import { parameterIllegal, parameterInvalid } from "./errors.ts";

/** What an endpoint accepts. */
export interface QuerySpec {
  /** filter name → allowed values, or null for free strings. Values are comma lists (OR). */
  filters?: Readonly<Record<string, readonly string[] | null>>;
  /** resource type → field names for `fields[type]`. */
  fields?: Readonly<Record<string, readonly string[]>>;
  include?: readonly string[];
  sort?: readonly string[];
  /** A collection: `limit` (at most 200) and `cursor`. */
  paged?: boolean;
  /** To-many includes that take `limit[name]` (at most 50). */
  includeLimits?: readonly string[];
}

export interface ParsedQuery {
  filters: Map<string, string[]>;
  fields: Map<string, Set<string>>;
  include: Set<string>;
  sort: string[];
  limit: number | undefined;
  includeLimits: Map<string, number>;
  offset: number;
}

export const MAX_LIMIT = 200;
export const MAX_INCLUDE_LIMIT = 50;
/** Page size when `limit` is absent. Apple's default is not documented; 20 is the fake's assumption. */
export const DEFAULT_LIMIT = 20;
/** Included to-many relationships without `limit[x]`: 10 items (an assumption; Apple does not document it). */
export const DEFAULT_INCLUDE_LIMIT = 10;

const BRACKETED = /^(filter|fields|limit)\[([^\]]+)\]$/;

export function parseQuery(query: Record<string, string>, spec: QuerySpec): ParsedQuery {
  const parsed: ParsedQuery = {
    filters: new Map(),
    fields: new Map(),
    include: new Set(),
    sort: [],
    limit: undefined,
    includeLimits: new Map(),
    offset: 0,
  };
  for (const [name, value] of Object.entries(query)) {
    const bracketed = BRACKETED.exec(name);
    if (bracketed) {
      const [, family, key] = bracketed as unknown as [string, string, string];
      if (family === "filter") {
        if (!spec.filters || !(key in spec.filters)) throw parameterIllegal(name);
        parsed.filters.set(key, listOf(name, value, spec.filters[key] ?? null, "filter value"));
      } else if (family === "fields") {
        const allowed = spec.fields?.[key];
        if (!allowed) throw parameterIllegal(name);
        parsed.fields.set(key, new Set(listOf(name, value, allowed, "field name")));
      } else {
        if (!spec.includeLimits?.includes(key)) throw parameterIllegal(name);
        parsed.includeLimits.set(key, integerIn(name, value, MAX_INCLUDE_LIMIT));
      }
    } else if (name === "include") {
      if (!spec.include) throw parameterIllegal(name);
      for (const v of listOf(name, value, spec.include, "relationship name")) parsed.include.add(v);
    } else if (name === "sort") {
      if (!spec.sort) throw parameterIllegal(name);
      parsed.sort = listOf(name, value, spec.sort, "sort field");
    } else if (name === "limit") {
      if (!spec.paged) throw parameterIllegal(name);
      parsed.limit = integerIn(name, value, MAX_LIMIT);
    } else if (name === "cursor") {
      if (!spec.paged) throw parameterIllegal(name);
      parsed.offset = decodeCursor(value);
    } else {
      throw parameterIllegal(name);
    }
  }
  return parsed;
}

function listOf(parameter: string, raw: string, allowed: readonly string[] | null, what: string): string[] {
  const values = raw.split(",");
  for (const v of values) {
    if (v === "")
      throw parameterInvalid(parameter, `An empty value is not valid for the parameter '${parameter}'.`);
    if (allowed && !allowed.includes(v)) {
      // Apple's words for a filter (codemagic-ci-cd/cli-tools#467, fastlane/fastlane#29497):
      // "'UNIVERSAL' is not a valid filter value. Expected one of: IOS, MAC_OS".
      throw parameterInvalid(
        parameter,
        what === "filter value"
          ? `'${v}' is not a valid filter value. Expected one of: ${allowed.join(", ")}`
          : `'${v}' is not a valid ${what} for the parameter '${parameter}'.`,
      );
    }
  }
  return values;
}

function integerIn(parameter: string, raw: string, max: number): number {
  const n = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(n >= 1 && n <= max)) {
    throw parameterInvalid(
      parameter,
      `'${raw}' is not a valid value for the parameter '${parameter}'. It must be an integer from 1 to ${max}.`,
    );
  }
  return n;
}

export function encodeCursor(offset: number): string {
  return Buffer.from(JSON.stringify({ offset: String(offset) })).toString("base64url");
}

function decodeCursor(cursor: string): number {
  try {
    const decoded = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as { offset?: unknown };
    const offset = Number(decoded.offset);
    if (Number.isInteger(offset) && offset >= 0) return offset;
  } catch {
    // fall through
  }
  throw parameterInvalid("cursor", `'${cursor}' is not a valid cursor for this request.`);
}

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  nextOffset: number | undefined;
}

export function pageOf<T>(items: readonly T[], q: ParsedQuery): Page<T> {
  const limit = q.limit ?? DEFAULT_LIMIT;
  const slice = items.slice(q.offset, q.offset + limit);
  const next = q.offset + limit;
  return { items: slice, total: items.length, limit, nextOffset: next < items.length ? next : undefined };
}

/** The request's own URL (links.self). */
export function selfLink(baseUrl: string, path: string, query: Record<string, string>): string {
  const search = new URLSearchParams(query).toString();
  return `${baseUrl}${path}${search ? `?${search}` : ""}`;
}

/** links.next: the same query with the next cursor and the page size, as Apple writes it. */
export function nextLink(
  baseUrl: string,
  path: string,
  query: Record<string, string>,
  nextOffset: number,
  limit: number,
): string {
  const params = new URLSearchParams({ cursor: encodeCursor(nextOffset) });
  for (const [k, v] of Object.entries(query)) if (k !== "cursor" && k !== "limit") params.set(k, v);
  params.set("limit", String(limit));
  return `${baseUrl}${path}?${params.toString()}`;
}

/** AND across filters, OR within one filter's comma list. Filters without a matcher are ignored. */
export function applyFilters<T>(
  items: readonly T[],
  q: ParsedQuery,
  matchers: Readonly<Record<string, (item: T, value: string) => boolean>>,
): T[] {
  return items.filter((item) => {
    for (const [name, values] of q.filters) {
      const match = matchers[name];
      if (match && !values.some((v) => match(item, v))) return false;
    }
    return true;
  });
}

/** `sort=name,-id`; keys not in `keys` keep the current order. */
export function applySort<T>(
  items: readonly T[],
  sort: readonly string[],
  keys: Readonly<Record<string, (item: T) => string>>,
): T[] {
  const sorted = [...items];
  for (const field of [...sort].reverse()) {
    const descending = field.startsWith("-");
    const key = keys[descending ? field.slice(1) : field];
    if (!key) continue;
    sorted.sort((a, b) => key(a).localeCompare(key(b)) * (descending ? -1 : 1));
  }
  return sorted;
}

export const equalsIgnoringCase = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();
export const containsIgnoringCase = (haystack: string, needle: string): boolean =>
  haystack.toLowerCase().includes(needle.toLowerCase());
