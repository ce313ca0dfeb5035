// Turns App Store Connect's error answers and transport failures into AscApiError with a message that
// names the cause and the fix. Never sees the Authorization header; never quotes request bodies.
import { AscApiError, type AscAssociatedError, type AscErrorDetail } from "../errors.ts";
import type { Failure, Method } from "./retry-policy.ts";
import type { ErrorDocument } from "./types.ts";

export type ResponseHeaders = Record<string, string | string[] | undefined>;

/** An HTTP answer, body read as text. */
export interface HttpAnswer {
  status: number;
  headers: ResponseHeaders;
  body: string;
}

/** The request an error is about. `path` is the path and query (never a header). */
export interface RequestRef {
  method: Method;
  path: string;
  host: string;
}

const REQUEST_ID_HEADERS = ["x-request-id", "x-apple-request-uuid", "x-apple-jingle-correlation-key"];

export function headerValue(headers: ResponseHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

export function requestIdOf(headers: ResponseHeaders): string | undefined {
  for (const name of REQUEST_ID_HEADERS) {
    const value = headerValue(headers, name);
    if (value) return value;
  }
  return undefined;
}

/** The parsed body, or undefined when it is empty or not JSON. */
export function parseJson(body: string): unknown {
  if (body.trim() === "") return undefined;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Removes credentials a server or a proxy may echo back from the request (the Authorization header's
 * bearer token, any JWT), so that they never reach an error message.
 */
export function redactCredentials(text: string): string {
  return text
    .replace(/\b(Bearer\s+)[A-Za-z0-9._~+/-]{16,}=*/gi, "$1[redacted]")
    .replace(/eyJ[A-Za-z0-9_-]{6,}(?:\.[A-Za-z0-9_-]*){0,2}/g, "[redacted]");
}

/** The first 200 characters of a body, tags and scripts stripped, whitespace collapsed, credentials redacted. */
export function bodyExcerpt(body: string): string {
  const text = redactCredentials(
    body
      .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, " ")
      .replace(/<[^>]*>/g, " ")
      .replace(/&nbsp;/g, " ")
      .replace(/\s+/g, " ")
      .trim(),
  );
  if (text === "") return "(empty body)";
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

function errorDetails(value: unknown): AscErrorDetail[] {
  const errors = (value as Partial<ErrorDocument> | undefined)?.errors;
  if (!Array.isArray(errors)) return [];
  return errors.filter(isObject).map((error) => errorDetail(error, 0));
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null;
const text = (value: unknown): string | undefined =>
  typeof value === "string" ? redactCredentials(value) : undefined;

function errorDetail(error: Record<string, unknown>, depth: number): AscErrorDetail {
  const source = isObject(error.source)
    ? {
        ...(typeof error.source.pointer === "string" ? { pointer: error.source.pointer } : {}),
        ...(typeof error.source.parameter === "string" ? { parameter: error.source.parameter } : {}),
      }
    : undefined;
  const associated = depth < 2 ? associatedErrors(error.meta, depth + 1) : [];
  return {
    id: typeof error.id === "string" ? error.id : undefined,
    status: String(error.status ?? ""),
    code: typeof error.code === "string" ? error.code : "",
    title: text(error.title) ?? "",
    detail: text(error.detail),
    ...(source && Object.keys(source).length > 0 ? { source } : {}),
    ...(associated.length > 0 ? { associated } : {}),
  };
}

/** `meta.associatedErrors`: `{ "<resource path>": [error, ...] }` (the spec's ResponseError.meta). */
function associatedErrors(meta: unknown, depth: number): AscAssociatedError[] {
  const map = isObject(meta) ? meta.associatedErrors : undefined;
  if (!isObject(map)) return [];
  return Object.entries(map).flatMap(([about, list]) =>
    Array.isArray(list)
      ? list
          .filter(isObject)
          .map((error) => ({ ...errorDetail(error, depth), about: redactCredentials(about) }))
      : [],
  );
}

const MAX_ASSOCIATED_SHOWN = 10;

/** Each associated error as `code: detail (at <pointer>) [about]`, for the message. */
function describeAssociated(details: AscErrorDetail[]): string {
  const all = details.flatMap((detail) => detail.associated ?? []);
  if (all.length === 0) return "";
  const shown = all.slice(0, MAX_ASSOCIATED_SHOWN).map((associated) => {
    const where = associated.source?.pointer
      ? ` (at ${associated.source.pointer})`
      : associated.source?.parameter
        ? ` (parameter ${associated.source.parameter})`
        : "";
    return `${associated.code || "(no code)"}: ${associated.detail ?? associated.title}${where} [${associated.about}]`;
  });
  const more = all.length > shown.length ? `; and ${all.length - shown.length} more` : "";
  return ` Associated errors: ${shown.join("; ")}${more}.`;
}

function suffix(requestId: string | undefined, attempts: number | undefined): string {
  const parts: string[] = [];
  if (attempts !== undefined && attempts > 1) parts.push(`after ${attempts} attempts`);
  if (requestId) parts.push(`request id ${requestId}`);
  return parts.length > 0 ? ` [${parts.join(", ")}]` : "";
}

const describe = (status: number, code: string, title: string, detail: string | undefined): string =>
  `${status} ${code}: ${title}${detail ? ` (${detail})` : ""}`;

const source = (detail: AscErrorDetail): string =>
  detail.source?.pointer
    ? ` at ${detail.source.pointer}`
    : detail.source?.parameter
      ? ` in parameter ${detail.source.parameter}`
      : "";

export interface ErrorExtras {
  outcomeUnknown?: boolean;
  attempts?: number;
}

const UNKNOWN_OUTCOME = " Whether the change was applied is unknown: re-read before trying again.";

/** A non-2xx answer (or a 2xx whose body is unusable, with `unusable`) as AscApiError. */
export function errorFromAnswer(answer: HttpAnswer, ref: RequestRef, extras: ErrorExtras = {}): AscApiError {
  const parsed = parseJson(answer.body);
  const details = errorDetails(parsed);
  const requestId = requestIdOf(answer.headers);
  const tail = suffix(requestId, extras.attempts);
  const success = answer.status >= 200 && answer.status < 300;
  const unknown = extras.outcomeUnknown ? UNKNOWN_OUTCOME : "";
  const base = {
    status: answer.status,
    requestId,
    method: ref.method,
    path: ref.path,
    outcomeUnknown: extras.outcomeUnknown ?? false,
  };

  if (parsed === undefined) {
    const excerpt = bodyExcerpt(answer.body);
    return new AscApiError({
      ...base,
      code: "NON_JSON_RESPONSE",
      title: `The answer's body was not JSON: ${excerpt}`,
      message: `${ref.method} ${ref.path} got HTTP ${answer.status} from ${ref.host} with a body that is not JSON: "${excerpt}". ${
        success || answer.status >= 500
          ? "App Store Connect (or a proxy in between) had a transient problem; run the job again."
          : "A proxy or a wrong `api-base-url` may be answering instead of App Store Connect."
      }${unknown}${tail}`,
    });
  }

  const first = details[0];
  if (success || !first) {
    const title = success
      ? "The answer is not a JSON:API document"
      : `HTTP ${answer.status} without an error document`;
    return new AscApiError({
      ...base,
      code: success ? "UNEXPECTED_RESPONSE" : `HTTP_${answer.status}`,
      title,
      errors: details,
      message: `${ref.method} ${ref.path} failed: ${title} (from ${ref.host}).${unknown}${tail}`,
    });
  }

  const { code, title, detail } = first;
  const message = explainError(answer.status, ref, first, details, unknown);
  return new AscApiError({
    ...base,
    code,
    title,
    detail,
    errors: details,
    message: `${message}${describeAssociated(details)}${tail}`,
  });
}

/** The cause and the fix for an error document whose first error is `first`, known cases by name. */
function explainError(
  status: number,
  ref: RequestRef,
  first: AscErrorDetail,
  details: AscErrorDetail[],
  unknown: string,
): string {
  const { code, title, detail } = first;
  const what = describe(status, code, title, detail);
  if (status === 401)
    return `App Store Connect rejected the API key (401 ${code}): check \`issuer-id\`, \`key-id\` and that \`private-key\` is the .p8 of that key, that the key is not revoked, and that the runner's clock is right.`;
  if (status === 403 && code === "FORBIDDEN.REQUIRED_AGREEMENTS_MISSING_OR_EXPIRED")
    return `The Account Holder must accept the latest Apple Developer Program License Agreement at https://developer.apple.com/account before the API can be used (${what}).`;
  if (status === 403)
    return `App Store Connect refused ${ref.method} ${ref.path} (${what}). Provisioning needs a team API key (not an individual key) with the Admin or App Manager role: create one in App Store Connect > Users and Access > Integrations > Team Keys.`;
  if (
    status === 409 &&
    ref.method === "POST" &&
    /\/v1\/certificates$/.test(ref.path.split("?")[0] ?? "") &&
    (detail ?? "").includes("You already have a current")
  )
    return `The certificate limit for this type was reached (${what}).`;
  if (status === 429)
    return `App Store Connect's rate limit was exceeded for ${ref.method} ${ref.path} (${what}). The budget is per API key and per rolling hour: run the job again later, or spread the jobs that share this key.`;
  const others =
    details.length > 1
      ? ` Also: ${details
          .slice(1)
          .map((other) => `${other.code}: ${other.detail ?? other.title}${source(other)}`)
          .join("; ")}.`
      : "";
  return `${ref.method} ${ref.path} failed: ${what}.${others}${unknown}`;
}

/** A 429 whose Retry-After is longer than we are willing to wait. */
export function rateLimitWaitTooLong(
  answer: HttpAnswer,
  ref: RequestRef,
  waitMs: number,
  maxWaitMs: number,
): AscApiError {
  const error = errorFromAnswer(answer, ref);
  const seconds = Math.ceil(waitMs / 1000);
  return new AscApiError({
    status: 429,
    code:
      error.code === "NON_JSON_RESPONSE" || error.code === "HTTP_429" ? "RATE_LIMIT_EXCEEDED" : error.code,
    title: error.title,
    detail: error.detail,
    requestId: error.requestId,
    errors: error.errors,
    method: ref.method,
    path: ref.path,
    message: `App Store Connect's rate limit for this API key is exhausted (429) and it asks to wait ${formatDuration(seconds)}, longer than the ${Math.round(maxWaitMs / 1000)} s this action waits: run the job again in ${formatDuration(seconds)}, or use another API key.${suffix(error.requestId, undefined)}`,
  });
}

function formatDuration(seconds: number): string {
  if (seconds < 120) return `${seconds} s`;
  return `${Math.ceil(seconds / 60)} min`;
}

/** links.next leads to another origin than `api-base-url`: the token must not go there. */
export function foreignNextLink(first: URL, next: URL, origin: string): AscApiError {
  const path = `${first.pathname}${first.search}`;
  return new AscApiError({
    status: 0,
    code: "FOREIGN_NEXT_LINK",
    title: "links.next points to another origin",
    method: "GET",
    path,
    message: `GET ${path}: links.next points to ${next.origin}, not to \`api-base-url\` (${origin}); refusing to send the API token there.`,
  });
}

/** links.next leads back to a page already read. */
export function paginationLoop(first: URL, next: URL): AscApiError {
  const path = `${first.pathname}${first.search}`;
  return new AscApiError({
    status: 0,
    code: "PAGINATION_LOOP",
    title: "links.next repeats an earlier page",
    method: "GET",
    path,
    message: `GET ${path}: App Store Connect's links.next led back to a page already read (${next.pathname}${next.search}); stopping instead of looping. Run the job again.`,
  });
}

const TLS_CODE = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ERR_TLS|ERR_SSL|EPROTO/;

/** Error codes along the cause chain (and inside AggregateErrors), outermost first. */
export function errorCodes(error: unknown): string[] {
  const codes: string[] = [];
  const seen = new Set<unknown>();
  const visit = (node: unknown): void => {
    if (typeof node !== "object" || node === null || seen.has(node)) return;
    seen.add(node);
    const code = (node as { code?: unknown }).code;
    if (typeof code === "string") codes.push(code);
    if (node instanceof AggregateError) for (const inner of node.errors) visit(inner);
    visit((node as { cause?: unknown }).cause);
  };
  visit(error);
  return codes;
}

export interface TransportFailure {
  failure: Failure;
  /** The most telling code, e.g. ECONNREFUSED or SELF_SIGNED_CERT_IN_CHAIN. */
  cause: string;
}

/**
 * Classifies a thrown transport error. Before the request was fully `written` nothing can have reached
 * Apple, so it is "not sent" (safe to retry, even a write); after, it may have been processed. TLS
 * verification failures stay `tls`: a configuration problem.
 */
export function classifyTransportError(
  error: unknown,
  timedOut: boolean,
  written: boolean,
): TransportFailure {
  const codes = errorCodes(error);
  const tls = timedOut ? undefined : codes.find((code) => TLS_CODE.test(code));
  if (tls) return { failure: { kind: "tls" }, cause: tls };
  const cause = timedOut ? "TIMEOUT" : (codes[0] ?? (error instanceof Error ? error.name : "UNKNOWN"));
  return { failure: { kind: written ? "sent" : "not-sent" }, cause };
}

/** A transport failure as AscApiError (status 0) naming the host and the likely fix. */
export function errorFromTransport(
  classified: TransportFailure,
  ref: RequestRef,
  timeoutMs: number,
  extras: ErrorExtras & { error?: unknown } = {},
): AscApiError {
  const { failure, cause } = classified;
  const tail = suffix(undefined, extras.attempts);
  const unknown = extras.outcomeUnknown
    ? " The request may have reached App Store Connect, so whether it was applied is unknown: re-read before trying again."
    : "";
  let code: string;
  let title: string;
  let message: string;
  if (failure.kind === "tls") {
    code = "TLS_ERROR";
    title = `TLS verification failed (${cause})`;
    message = `${ref.method} ${ref.path}: the TLS certificate of ${ref.host} could not be verified (${cause}). If a TLS-intercepting proxy is in the way, point NODE_EXTRA_CA_CERTS at its CA certificate (PEM file); otherwise check \`api-base-url\` and the proxy settings (HTTPS_PROXY, NO_PROXY).`;
  } else if (cause === "TIMEOUT") {
    code = "TIMEOUT";
    title = `No complete answer within ${Math.round(timeoutMs / 1000)} s`;
    message = `${ref.method} ${ref.path}: ${ref.host} did not answer within ${Math.round(timeoutMs / 1000)} s. Check the runner's network, the proxy settings (HTTPS_PROXY, NO_PROXY) and \`api-base-url\`, or run the job again.${unknown}`;
  } else {
    code = "NETWORK_ERROR";
    title = `Network failure (${cause})`;
    const fix =
      failure.kind === "not-sent"
        ? ` Check \`api-base-url\`, the runner's network and DNS, and the proxy settings (HTTPS_PROXY, HTTP_PROXY, NO_PROXY).`
        : ` The connection broke (${cause}); check the proxy settings (HTTPS_PROXY, NO_PROXY) or run the job again.`;
    message = `${ref.method} ${ref.path}: could not talk to ${ref.host} (${cause}).${fix}${unknown}`;
  }
  return new AscApiError({
    status: 0,
    code,
    title,
    method: ref.method,
    path: ref.path,
    message: `${message}${tail}`,
    cause: extras.error,
    outcomeUnknown: extras.outcomeUnknown ?? false,
  });
}
