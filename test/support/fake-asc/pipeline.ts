// One request through the fake, the way Apple's front end takes it: authentication (401), the rate limit
// (429), routing (404/405), the agreements check (403), the individual-key check (403), the query
// parameters (400), the body (400), then the route's handler.
import { type ApiKeyRegistry, authenticate } from "./auth.ts";
import {
  AscHttpError,
  agreementsMissing,
  forbidden,
  notAuthorizedBody,
  rateLimited,
  serverErrorBody,
  unparsableBody,
} from "./errors.ts";
import { parseQuery } from "./query.ts";
import type { RateLimiter } from "./rate-limit.ts";
import type { Method, Reply, Router } from "./router.ts";
import type { Store } from "./store.ts";

export interface PipelineDeps {
  router: Router;
  store: Store;
  keys: ApiKeyRegistry;
  audience: string;
  rateLimiter: RateLimiter;
}

export interface PipelineRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  authorization: string | undefined;
  body: unknown;
  /** Set when the body was not JSON. */
  bodyError: string | undefined;
  baseUrl: string;
}

export interface PipelineResult {
  reply: Reply;
  keyId?: string;
  /** Why a 401 was answered. */
  rejection?: string;
  /** The key whose in-flight count must be released when the response is sent. */
  inFlightKey?: string;
  /** A bug in the fake (answered 500). */
  internalError?: string;
}

export async function runPipeline(deps: PipelineDeps, request: PipelineRequest): Promise<PipelineResult> {
  const { store } = deps;
  const auth = await authenticate(request.authorization, deps.keys, deps.audience, store.now());
  if (!auth.ok) {
    return {
      reply: { status: 401, body: notAuthorizedBody() },
      ...(auth.keyId ? { keyId: auth.keyId } : {}),
      rejection: auth.reason,
    };
  }
  const admission = deps.rateLimiter.begin(auth.keyId);
  const rateHeader = { "X-Rate-Limit": admission.header };
  const base = { keyId: auth.keyId, inFlightKey: auth.keyId };
  try {
    if (!admission.ok) throw rateLimited(admission.retryAfterSeconds);
    const match = deps.router.match(request.method, request.path);
    if ("error" in match) throw match.error;
    if (store.agreementsMissing) throw agreementsMissing();
    if (auth.kind === "individual" && !match.route.allowsIndividualKeys) {
      throw forbidden("The API key in use does not allow this request");
    }
    const q = parseQuery(request.query, match.route.query ?? {});
    const writes = request.method === "POST" || request.method === "PATCH";
    if (writes && request.bodyError) throw unparsableBody(request.bodyError);
    const reply = await match.route.handler({
      method: request.method as Method,
      path: request.path,
      params: match.params,
      query: request.query,
      q,
      body: request.body,
      baseUrl: request.baseUrl,
      store,
    });
    return { ...base, reply: { ...reply, headers: { ...rateHeader, ...reply.headers } } };
  } catch (error) {
    if (error instanceof AscHttpError) {
      return {
        ...base,
        reply: { status: error.status, body: error.body, headers: { ...rateHeader, ...error.headers } },
      };
    }
    return {
      ...base,
      reply: { status: 500, body: serverErrorBody(500), headers: rateHeader },
      internalError: error instanceof Error ? (error.stack ?? error.message) : String(error),
    };
  }
}
