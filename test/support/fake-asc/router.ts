// The route table: path templates like /v1/profiles/{id}, each with its method, declared query parameters
// and handler. An unknown path answers 404, a known path with another method 405.
import type { DocumentContext } from "./documents.ts";
import { type AscHttpError, methodNotAllowed, unknownPath } from "./errors.ts";
import type { ParsedQuery, QuerySpec } from "./query.ts";
import { resolverFor } from "./serializers.ts";
import type { Store } from "./store.ts";

export type Method = "GET" | "POST" | "PATCH" | "DELETE";

export interface RouteContext {
  method: Method;
  /** The request path, e.g. /v1/profiles/ABC (no query). */
  path: string;
  params: Record<string, string>;
  /** The raw query (last value wins). */
  query: Record<string, string>;
  q: ParsedQuery;
  body: unknown;
  /** e.g. http://127.0.0.1:54321 */
  baseUrl: string;
  store: Store;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface Route {
  method: Method;
  template: string;
  query?: QuerySpec;
  /** Individual API keys may call it (everything but /v1/apps is a provisioning endpoint). */
  allowsIndividualKeys?: boolean;
  handler(ctx: RouteContext): Reply | Promise<Reply>;
}

export type RouteMatch = { route: Route; params: Record<string, string> } | { error: AscHttpError };

export class Router {
  readonly #routes: { route: Route; segments: string[] }[];

  constructor(routes: Route[]) {
    this.#routes = routes.map((route) => ({ route, segments: route.template.split("/") }));
  }

  match(method: string, path: string): RouteMatch {
    const parts = path.split("/");
    const allowed: string[] = [];
    let best: { route: Route; params: Record<string, string>; literals: number } | undefined;
    for (const { route, segments } of this.#routes) {
      const params = matchSegments(segments, parts);
      if (!params) continue;
      if (route.method !== method) {
        allowed.push(route.method);
        continue;
      }
      const literals = segments.filter((s) => !s.startsWith("{")).length;
      if (!best || literals > best.literals) best = { route, params, literals };
    }
    if (best) return { route: best.route, params: best.params };
    return { error: allowed.length > 0 ? methodNotAllowed(method, allowed) : unknownPath() };
  }

  /** The template a path belongs to (for request statistics), whatever the method. */
  templateOf(path: string): string | undefined {
    const parts = path.split("/");
    let best: { template: string; literals: number } | undefined;
    for (const { route, segments } of this.#routes) {
      if (!matchSegments(segments, parts)) continue;
      const literals = segments.filter((s) => !s.startsWith("{")).length;
      if (!best || literals > best.literals) best = { template: route.template, literals };
    }
    return best?.template;
  }
}

function matchSegments(segments: string[], parts: string[]): Record<string, string> | undefined {
  if (segments.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    const part = parts[i]!;
    if (segment.startsWith("{")) {
      if (part === "") return undefined;
      try {
        params[segment.slice(1, -1)] = decodeURIComponent(part);
      } catch {
        return undefined;
      }
    } else if (segment !== part) {
      return undefined;
    }
  }
  return params;
}

export function documentContext(ctx: RouteContext): DocumentContext {
  return { baseUrl: ctx.baseUrl, query: ctx.q, resolve: resolverFor(ctx.store) };
}

/** The request's own URL for `links.self`. */
export function selfUrl(ctx: RouteContext): string {
  const search = new URLSearchParams(ctx.query).toString();
  return `${ctx.baseUrl}${ctx.path}${search ? `?${search}` : ""}`;
}

export const ok = (body: unknown): Reply => ({ status: 200, body });
export const created = (body: unknown): Reply => ({ status: 201, body });
export const noContent = (): Reply => ({ status: 204 });
