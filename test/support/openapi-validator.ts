// Validates requests to and responses from the fake App Store Connect server against Apple's own OpenAPI
// spec (../shared/asc/openapi.oas.json), or, for the Enterprise Program host, against Apple's Enterprise
// Program API document (../shared/asc/enterprise-openapi.json). Each is loaded once per process; schemas
// are compiled only when first needed. OpenAPI 3.0 `nullable` is rewritten into JSON Schema types.
import { readFileSync } from "node:fs";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import { sharedPath } from "./shared-dir.ts";

export interface SpecOperation {
  template: string;
  operationId: string;
}

export interface SpecRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body?: unknown;
}

export interface SpecResponse {
  method: string;
  path: string;
  status: number;
  body: unknown;
}

/** Which of Apple's documents a validator checks against. */
export type SpecDocument = "app-store-connect" | "enterprise";

export interface SpecValidator {
  readonly document: SpecDocument;
  /** Matches a concrete path (/v1/bundleIds/ABC123) to a spec path template and operation. */
  findOperation(method: string, path: string): SpecOperation | undefined;
  /** [] when valid: the operation exists, each query parameter is declared and valid, the body matches. */
  validateRequest(req: SpecRequest): string[];
  /** [] when valid: the status is declared and the body matches its schema (no body for 204). */
  validateResponse(res: SpecResponse): string[];
}

interface SpecParameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: JsonObject;
}

interface SpecMediaType {
  schema?: JsonObject;
}

interface SpecOperationObject {
  operationId?: string;
  parameters?: SpecParameter[];
  requestBody?: { required?: boolean; content?: Record<string, SpecMediaType> };
  responses?: Record<string, { content?: Record<string, SpecMediaType> }>;
}

interface Spec {
  paths: Record<string, Record<string, unknown>>;
  components: { schemas: Record<string, JsonObject> };
}

type JsonObject = { [key: string]: unknown };

interface PathMatcher {
  template: string;
  regex: RegExp;
  literalSegments: number;
}

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
const SPEC_ID = "spec";

// ajv-formats is CommonJS with a default export; under NodeNext its type is the module namespace.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

const cache = new Map<string, SpecValidator>();

export function loadSpecValidator(
  specPath: string = sharedPath("asc", "openapi.oas.json"),
  document: SpecDocument = "app-store-connect",
): SpecValidator {
  let validator = cache.get(specPath);
  if (!validator) {
    validator = createSpecValidator(JSON.parse(readFileSync(specPath, "utf8")) as Spec, document);
    cache.set(specPath, validator);
  }
  return validator;
}

/** The Enterprise Program API document (host api.enterprise.developer.apple.com). */
export function loadEnterpriseSpecValidator(
  specPath: string = sharedPath("asc", "enterprise-openapi.json"),
): SpecValidator {
  return loadSpecValidator(specPath, "enterprise");
}

/** The document for a fake in enterprise mode or not. */
export function specValidatorFor(enterprise: boolean | undefined): SpecValidator {
  return enterprise ? loadEnterpriseSpecValidator() : loadSpecValidator();
}

function createSpecValidator(spec: Spec, document: SpecDocument): SpecValidator {
  const ajv = new Ajv({ strict: false, allErrors: true, discriminator: true, validateSchema: false });
  addFormats(ajv);
  // Formats Apple uses that ajv-formats does not define (e.g. `number` on strings): accepted as is.
  for (const format of collectFormats(spec.components.schemas)) {
    if (!ajv.formats[format]) ajv.addFormat(format, true);
  }
  const schemas = Object.fromEntries(
    Object.entries(spec.components.schemas).map(([name, schema]) => [name, toJsonSchema(schema)]),
  );
  ajv.addSchema({ $id: SPEC_ID, components: { schemas } });

  const matchers = buildMatchers(Object.keys(spec.paths));
  const compiled = new Map<string, ValidateFunction>();

  function schemaValidator(schema: JsonObject): ValidateFunction {
    const ref = typeof schema.$ref === "string" ? schema.$ref : undefined;
    const key = ref ?? JSON.stringify(schema);
    let validate = compiled.get(key);
    if (!validate) {
      validate = ref
        ? ajv.getSchema(`${SPEC_ID}${ref}`)
        : ajv.compile({ $id: `inline-${compiled.size}`, ...(toJsonSchema(schema) as JsonObject) });
      if (!validate) throw new Error(`the spec has no schema ${ref}`);
      compiled.set(key, validate);
    }
    return validate;
  }

  function resolve(method: string, path: string) {
    const cleanPath = stripQuery(path);
    const matcher = matchers.find((m) => m.regex.test(cleanPath));
    if (!matcher) return { error: `no path in the spec matches ${method.toUpperCase()} ${cleanPath}` };
    const item = spec.paths[matcher.template]!;
    const op = item[method.toLowerCase()] as SpecOperationObject | undefined;
    if (!op || !METHODS.includes(method.toLowerCase())) {
      const allowed = Object.keys(item).filter((k) => METHODS.includes(k));
      return {
        error: `${method.toUpperCase()} is not an operation of ${matcher.template} (it has ${allowed.map((m) => m.toUpperCase()).join(", ")})`,
      };
    }
    const pathParams = (item.parameters as SpecParameter[] | undefined) ?? [];
    return { template: matcher.template, op, parameters: [...pathParams, ...(op.parameters ?? [])] };
  }

  return {
    document,
    findOperation(method, path) {
      const found = resolve(method, path);
      if (!("op" in found) || !found.op) return undefined;
      return { template: found.template, operationId: found.op.operationId ?? "" };
    },

    validateRequest(req) {
      const found = resolve(req.method, req.path);
      if (!("op" in found) || !found.op) return [found.error ?? "unknown operation"];
      const { op, parameters } = found;
      const where = `${req.method.toUpperCase()} ${found.template}`;
      const errors: string[] = [];
      const queryParams = new Map(parameters.filter((p) => p.in === "query").map((p) => [p.name, p]));
      for (const [name, raw] of Object.entries(req.query)) {
        const param = queryParams.get(name);
        if (!param) {
          errors.push(`${where}: query parameter ${name} is not declared for ${op.operationId}`);
          continue;
        }
        if (!param.schema) continue;
        const value = coerceQueryValue(raw, param.schema);
        const validate = schemaValidator(param.schema);
        if (!validate(value))
          errors.push(...formatErrors(`${where}: query parameter ${name}`, validate.errors, value));
      }
      for (const param of queryParams.values()) {
        if (param.required && !(param.name in req.query)) {
          errors.push(`${where}: required query parameter ${param.name} is missing`);
        }
      }
      const bodySchema = op.requestBody?.content?.["application/json"]?.schema;
      if (req.body === undefined || req.body === null) {
        if (op.requestBody?.required) errors.push(`${where}: the request body is required`);
      } else if (!bodySchema) {
        errors.push(`${where}: this operation takes no request body`);
      } else {
        const validate = schemaValidator(bodySchema);
        if (!validate(req.body))
          errors.push(...formatErrors(`${where}: request body`, validate.errors, req.body));
      }
      return errors;
    },

    validateResponse(res) {
      const found = resolve(res.method, res.path);
      if (!("op" in found) || !found.op) return [found.error ?? "unknown operation"];
      const where = `${res.method.toUpperCase()} ${found.template} ${res.status}`;
      const responses = found.op.responses ?? {};
      const declared = responses[String(res.status)] ?? responses.default;
      if (!declared) {
        return [
          `${where}: status ${res.status} is not declared (declared: ${Object.keys(responses).join(", ")})`,
        ];
      }
      const schema = declared.content?.["application/json"]?.schema;
      const empty = res.body === undefined || res.body === null || res.body === "";
      if (!schema) return empty ? [] : [`${where}: this response has no body in the spec, but one was sent`];
      if (empty) return [`${where}: a JSON body is required`];
      const validate = schemaValidator(schema);
      return validate(res.body) ? [] : formatErrors(`${where} response body`, validate.errors, res.body);
    },
  };
}

function stripQuery(path: string): string {
  const q = path.indexOf("?");
  const noQuery = q === -1 ? path : path.slice(0, q);
  return noQuery.length > 1 && noQuery.endsWith("/") ? noQuery.slice(0, -1) : noQuery;
}

function buildMatchers(templates: string[]): PathMatcher[] {
  return templates
    .map((template) => {
      const segments = template.split("/");
      const pattern = segments
        .map((s) => (/^\{[^}]+\}$/.test(s) ? "[^/]+" : s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
        .join("/");
      return {
        template,
        regex: new RegExp(`^${pattern}$`),
        literalSegments: segments.filter((s) => !s.startsWith("{")).length,
      };
    })
    .sort((a, b) => b.literalSegments - a.literalSegments);
}

/** Query strings are text: comma lists become arrays, numbers and booleans their types, per the schema. */
function coerceQueryValue(raw: string, schema: JsonObject): unknown {
  switch (schema.type) {
    case "array": {
      const items = (schema.items as JsonObject | undefined) ?? {};
      return raw.split(",").map((part) => coerceQueryValue(part, items));
    }
    case "integer":
    case "number":
      return raw.trim() !== "" && Number.isFinite(Number(raw)) ? Number(raw) : raw;
    case "boolean":
      return raw === "true" ? true : raw === "false" ? false : raw;
    default:
      return raw;
  }
}

/** `where /instance/path: message (detail)`; matched by KNOWN_APPLE_DEVIATIONS, so keep the shape stable. */
function formatErrors(where: string, errors: ErrorObject[] | null | undefined, data: unknown): string[] {
  const relevant = (errors ?? []).filter((e) => e.keyword !== "if");
  return relevant.map((e) => {
    const value = valueAt(data, e.instancePath);
    let detail = "";
    if (e.keyword === "enum") {
      detail = ` [${(e.params as { allowedValues: unknown[] }).allowedValues.join(", ")}], got ${JSON.stringify(value)}`;
    } else if (
      e.keyword === "format" ||
      e.keyword === "maximum" ||
      e.keyword === "minimum" ||
      e.keyword === "type"
    ) {
      detail = `, got ${JSON.stringify(value)}`;
    } else if (e.keyword === "additionalProperties") {
      detail = `: ${(e.params as { additionalProperty: string }).additionalProperty}`;
    }
    return `${where} ${e.instancePath || "/"}: ${e.message ?? e.keyword}${detail}`;
  });
}

function valueAt(data: unknown, pointer: string): unknown {
  if (pointer === "") return data;
  let current: unknown = data;
  for (const raw of pointer.slice(1).split("/")) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/**
 * OpenAPI 3.0 → JSON Schema as ajv reads it: `nullable: true` becomes a `"null"` type (and a null enum value);
 * discriminator mappings, which ajv does not support, are dropped (ajv finds the branch by `type`'s enum);
 * a non-string `format` (one property in the spec has `format: null`) is dropped.
 */
function toJsonSchema<T>(schema: T): T {
  if (Array.isArray(schema)) return schema.map((s) => toJsonSchema(s)) as T;
  if (schema === null || typeof schema !== "object") return schema;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(schema as JsonObject)) {
    if (key === "nullable" || (key === "format" && typeof value !== "string")) continue;
    if (key === "discriminator" && value && typeof value === "object") {
      out.discriminator = { propertyName: (value as JsonObject).propertyName };
    } else if (SCHEMA_MAPS.has(key) && value && typeof value === "object" && !Array.isArray(value)) {
      // A map from names to schemas: the names are not keywords (Apple has a property called `properties`).
      out[key] = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, toJsonSchema(sub)]));
    } else if (key === "enum" || key === "required" || key === "example" || key === "examples") {
      out[key] = value;
    } else {
      out[key] = toJsonSchema(value);
    }
  }
  if ((schema as JsonObject).nullable !== true) return out as T;
  if (typeof out.type === "string") {
    out.type = [out.type, "null"];
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
    return out as T;
  }
  return { anyOf: [out, { type: "null" }] } as T;
}

const SCHEMA_MAPS = new Set(["properties", "patternProperties", "definitions", "$defs", "dependentSchemas"]);

function collectFormats(node: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(node)) {
    for (const n of node) collectFormats(n, into);
  } else if (node && typeof node === "object") {
    for (const [key, value] of Object.entries(node)) {
      if (key === "format" && typeof value === "string") into.add(value);
      else collectFormats(value, into);
    }
  }
  return into;
}

export interface AppleDeviation {
  id: string;
  description: string;
  /** True when `error` (one string from validateResponse) is explained by this deviation. */
  matches(error: string, body: unknown): boolean;
}

const enumError = (field: string, values: string[]) => (error: string) =>
  new RegExp(
    `/attributes/${field}: must be equal to one of the allowed values \\[[^\\]]*\\], got (.*)$`,
  ).test(error) && values.some((v) => error.endsWith(`got ${JSON.stringify(v)}`));

/**
 * Where Apple's real responses (../shared/asc/fixtures) break Apple's own schema, as ajv reports it.
 * Differences the schema does not notice are not listed, because nothing would ever match them:
 * - no schema in the spec sets `additionalProperties: false`, so extra keys validate: a certificate's
 *   `csrContent: null`, `links.see` in the 403 agreements error, the developer-portal keys in fastlane's
 *   fixtures (`platformName`, `requesterEmail`, `responseId`, ...);
 * - relationship `meta.paging.limit: 2147483647` validates (`paging.limit` is an integer with no maximum);
 * - timestamps such as `2019-11-29T13:56:50.220+0000` validate: ajv-formats' `date-time` accepts an
 *   offset without a colon.
 */
export const KNOWN_APPLE_DEVIATIONS: AppleDeviation[] = [
  {
    id: "capability-settings-null",
    description:
      "A bundle ID capability without settings comes back with `settings: null` (codemagic's recorded " +
      "GAME_CENTER capability); BundleIdCapability.attributes.settings is an array and not nullable.",
    matches: (error) => /\/attributes\/settings: must be array, got null$/.test(error),
  },
  {
    id: "to-one-relationship-data-null",
    description:
      "An included to-one relationship without a target comes back as `data: null` (a bundle ID without an " +
      "app: `relationships.app.data: null`); the spec's relationship `data` is an object, not nullable.",
    matches: (error) => /\/relationships\/[A-Za-z]+\/data: must be object, got null$/.test(error),
  },
  {
    id: "profile-state-expired",
    description:
      "profileState EXPIRED is returned in practice for expired profiles (no fixture shows it); the Profile " +
      "schema's enum lists only ACTIVE and INVALID.",
    matches: enumError("profileState", ["EXPIRED"]),
  },
  {
    id: "developer-portal-platform-mac-os-x",
    description:
      "fastlane's fixtures come from the developer-portal web API (services-account), which reports " +
      "platform MAC_OS_X for a Developer ID certificate; the App Store Connect API's BundleIdPlatform has MAC_OS.",
    matches: enumError("platform", ["MAC_OS_X"]),
  },
];
