// Apple-shaped error answers: `{ errors: [{ id, status, code, title, detail, source? }] }` as in
// ../shared/asc/fixtures. Route handlers throw `AscHttpError`; the server turns it into the response.
// Titles and codes follow Apple's where a real answer was seen (fixtures, public issue threads); the
// details of the fake's own rules say what was wrong and, where Apple's do not, how to fix it.
import { randomUUID } from "node:crypto";

export interface AppleErrorSource {
  pointer?: string;
  parameter?: string;
}

export interface AppleError {
  id?: string;
  status: string;
  code: string;
  title: string;
  detail?: string;
  source?: AppleErrorSource;
  links?: Record<string, string>;
}

export interface ErrorBody {
  errors: AppleError[];
}

export class AscHttpError extends Error {
  override name = "AscHttpError";
  readonly status: number;
  readonly body: ErrorBody;
  readonly headers: Record<string, string>;
  constructor(
    status: number,
    errors: Omit<AppleError, "status" | "id">[],
    headers: Record<string, string> = {},
  ) {
    super(`${status} ${errors[0]?.code ?? ""}: ${errors[0]?.detail ?? errors[0]?.title ?? ""}`);
    this.status = status;
    this.body = { errors: errors.map((e) => ({ id: randomUUID(), status: String(status), ...e })) };
    this.headers = headers;
  }
}

const ENTITY_TITLE = "There is a problem with the request entity";
const ATTRIBUTE_TITLE = "An attribute value is invalid.";
const RELATIONSHIP_TITLE = "The provided entity includes a relationship with an invalid value";

/** 401: exactly fixtures/error-401-not-authorized.json (no `id`, no `source`). */
export function notAuthorizedBody(): ErrorBody {
  return {
    errors: [
      {
        status: "401",
        code: "NOT_AUTHORIZED",
        title: "Authentication credentials are missing or invalid.",
        detail:
          "Provide a properly configured and signed bearer token, and make sure that it has not expired. Learn more about Generating Tokens for API Requests https://developer.apple.com/go/?id=api-generating-tokens",
      },
    ],
  };
}

export const forbidden = (detail: string): AscHttpError =>
  new AscHttpError(403, [
    { code: "FORBIDDEN_ERROR", title: "This request is forbidden for security reasons", detail },
  ]);

/**
 * 403 like fixtures/error-403-agreements-missing-with-links.codemagic.json, `links.see` included: the spec's
 * ErrorLinks does not define `see`, but nothing forbids extra keys, so it validates.
 */
export const agreementsMissing = (): AscHttpError =>
  new AscHttpError(403, [
    {
      code: "FORBIDDEN.REQUIRED_AGREEMENTS_MISSING_OR_EXPIRED",
      title: "A required agreement is missing or has expired.",
      detail: "This request requires an in-effect agreement that has not been signed or has expired.",
      links: { see: "/agreements" },
    },
  ]);

/** 429. Apple's body as users quote it; the Retry-After header is the fake's assumption (see rate-limit.ts). */
export const rateLimited = (retryAfterSeconds: number): AscHttpError =>
  new AscHttpError(
    429,
    [
      {
        code: "RATE_LIMIT_EXCEEDED",
        title: "The request rate limit has been reached.",
        detail:
          "We've received too many requests for this API. Please wait and try again or slow down your request rate.",
      },
    ],
    { "Retry-After": String(retryAfterSeconds) },
  );

export const notFound = (type: string, id: string): AscHttpError =>
  new AscHttpError(404, [
    {
      code: "NOT_FOUND",
      title: "The specified resource does not exist",
      detail: `There is no resource of type '${type}' with id '${id}'`,
    },
  ]);

export const notFoundBecause = (detail: string): AscHttpError =>
  new AscHttpError(404, [{ code: "NOT_FOUND", title: "The specified resource does not exist", detail }]);

export const unknownPath = (): AscHttpError =>
  new AscHttpError(404, [
    {
      code: "NOT_FOUND",
      title: "The specified resource does not exist",
      detail: "The path provided does not match a defined resource type.",
    },
  ]);

export const methodNotAllowed = (method: string, allowed: string[]): AscHttpError =>
  new AscHttpError(405, [
    {
      code: "METHOD_NOT_ALLOWED",
      title: "The request method is not valid for the resource path.",
      detail: `The resource path does not support ${method}; allowed: ${allowed.join(", ")}.`,
    },
  ]);

export const parameterIllegal = (parameter: string): AscHttpError =>
  new AscHttpError(400, [
    {
      code: "PARAMETER_ERROR.ILLEGAL",
      title: "A given parameter is not allowed for this request",
      detail: `The parameter '${parameter}' can not be used with this request`,
      source: { parameter },
    },
  ]);

export const parameterInvalid = (parameter: string, detail: string): AscHttpError =>
  new AscHttpError(400, [
    {
      code: "PARAMETER_ERROR.INVALID",
      title: "A parameter has an invalid value",
      detail,
      source: { parameter },
    },
  ]);

export const unparsableBody = (detail: string): AscHttpError =>
  new AscHttpError(400, [
    { code: "PARAMETER_ERROR.INVALID", title: "The request entity is not valid JSON", detail },
  ]);

/** 409 ENTITY_ERROR: the entity as a whole (a missing App ID, a certificate limit, a wrong `data.type`). */
export const entityError = (detail: string, pointer?: string): AscHttpError =>
  new AscHttpError(409, [
    { code: "ENTITY_ERROR", title: ENTITY_TITLE, detail, ...(pointer ? { source: { pointer } } : {}) },
  ]);

/** 409 ENTITY_ERROR.ATTRIBUTE.INVALID: one attribute's value, with its `source.pointer` as Apple's carry. */
export const attributeInvalid = (detail: string, attribute: string): AscHttpError =>
  new AscHttpError(409, [
    {
      code: "ENTITY_ERROR.ATTRIBUTE.INVALID",
      title: ATTRIBUTE_TITLE,
      detail,
      source: { pointer: `/data/attributes/${attribute}` },
    },
  ]);

/** 409 ENTITY_ERROR.ATTRIBUTE.REQUIRED. */
export const attributeRequired = (attribute: string): AscHttpError =>
  new AscHttpError(409, [
    {
      code: "ENTITY_ERROR.ATTRIBUTE.REQUIRED",
      title: "The provided entity is missing a required attribute",
      detail: `You must provide a value for the attribute '${attribute}' with this request`,
      source: { pointer: `/data/attributes/${attribute}` },
    },
  ]);

/** 409 ENTITY_ERROR.RELATIONSHIP.INVALID: a relationship's value. */
export const relationshipInvalid = (detail: string, relationship: string): AscHttpError =>
  new AscHttpError(409, [
    {
      code: "ENTITY_ERROR.RELATIONSHIP.INVALID",
      title: RELATIONSHIP_TITLE,
      detail,
      source: { pointer: `/data/relationships/${relationship}` },
    },
  ]);

/** 409 ENTITY_ERROR.RELATIONSHIP.REQUIRED. */
export const relationshipRequired = (relationship: string): AscHttpError =>
  new AscHttpError(409, [
    {
      code: "ENTITY_ERROR.RELATIONSHIP.REQUIRED",
      title: "The provided entity is missing a required relationship",
      detail: `You must provide a value for the relationship '${relationship}' with this request`,
      source: { pointer: `/data/relationships/${relationship}` },
    },
  ]);

/** The JSON bodies of the 5xx faults. */
export function serverErrorBody(status: 500 | 502 | 503): ErrorBody {
  const byStatus = {
    500: {
      code: "UNEXPECTED_ERROR",
      title: "An unexpected error occurred.",
      detail: "An unexpected error occurred on the server side. If this issue continues, contact us.",
    },
    502: {
      code: "UNEXPECTED_ERROR",
      title: "Could not process this request",
      detail: "The server could not process this request. Please try again later.",
    },
    503: {
      code: "SERVICE_UNAVAILABLE",
      title: "The service is temporarily unavailable.",
      detail: "The service is temporarily unavailable. Please try again later.",
    },
  } as const;
  return { errors: [{ id: randomUUID(), status: String(status), ...byStatus[status] }] };
}

/** The HTML page Apple's edge answers 502 with (no JSON at all). */
export const HTML_502_PAGE =
  "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>Apple</center>\r\n</body>\r\n</html>\r\n";
