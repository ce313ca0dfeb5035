// Reading JSON:API request entities: `{ data: { type, id?, attributes, relationships } }`.
import {
  attributeInvalid,
  attributeRequired,
  entityError,
  relationshipInvalid,
  relationshipRequired,
} from "./errors.ts";

export interface Entity {
  id: string | undefined;
  attributes: Record<string, unknown>;
  relationships: Record<string, unknown>;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** The entity of a POST (`pathId` undefined) or PATCH (its `data.id` must be the path's id). */
export function readEntity(body: unknown, type: string, pathId?: string): Entity {
  if (!isObject(body) || !isObject(body.data)) {
    throw entityError("The request entity must be a JSON object with a 'data' object.", "/data");
  }
  const data = body.data;
  if (data.type !== type) {
    throw entityError(
      `The resource type '${String(data.type)}' is not valid for this request; expected '${type}'.`,
      "/data/type",
    );
  }
  if (pathId !== undefined && data.id !== pathId) {
    throw entityError(
      `The id '${String(data.id)}' in the request entity does not match the id '${pathId}' in the path.`,
      "/data/id",
    );
  }
  if (data.attributes !== undefined && !isObject(data.attributes)) {
    throw entityError("'attributes' must be an object.", "/data/attributes");
  }
  if (data.relationships !== undefined && !isObject(data.relationships)) {
    throw entityError("'relationships' must be an object.", "/data/relationships");
  }
  return {
    id: typeof data.id === "string" ? data.id : undefined,
    attributes: (data.attributes as Record<string, unknown> | undefined) ?? {},
    relationships: (data.relationships as Record<string, unknown> | undefined) ?? {},
  };
}

export function requiredString(attributes: Record<string, unknown>, name: string): string {
  const value = attributes[name];
  if (value === undefined || value === null || value === "") throw attributeRequired(name);
  if (typeof value !== "string") throw attributeInvalid(`'${name}' must be a string.`, name);
  return value;
}

export function optionalString(attributes: Record<string, unknown>, name: string): string | undefined {
  const value = attributes[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw attributeInvalid(`'${name}' must be a string.`, name);
  return value;
}

/** Attributes an update may not carry. */
export function onlyAttributes(
  attributes: Record<string, unknown>,
  allowed: readonly string[],
  what: string,
): void {
  for (const name of Object.keys(attributes)) {
    if (!allowed.includes(name)) {
      throw attributeInvalid(`The attribute '${name}' cannot be changed on ${what}.`, name);
    }
  }
}

export function toOne(relationships: Record<string, unknown>, name: string, type: string): string {
  const rel = relationships[name];
  if (!isObject(rel) || !isObject(rel.data)) throw relationshipRequired(name);
  if (rel.data.type !== type || typeof rel.data.id !== "string") {
    throw relationshipInvalid(`The relationship '${name}' must be { data: { type: '${type}', id } }.`, name);
  }
  return rel.data.id;
}

/** A to-many relationship's ids; `undefined` when absent. */
export function toMany(
  relationships: Record<string, unknown>,
  name: string,
  type: string,
): string[] | undefined {
  const rel = relationships[name];
  if (rel === undefined || rel === null) return undefined;
  if (!isObject(rel) || !Array.isArray(rel.data)) {
    throw relationshipInvalid(
      `The relationship '${name}' must be { data: [{ type: '${type}', id }] }.`,
      name,
    );
  }
  return rel.data.map((item: unknown) => {
    if (!isObject(item) || item.type !== type || typeof item.id !== "string") {
      throw relationshipInvalid(`Each item of '${name}' must be { type: '${type}', id }.`, name);
    }
    return item.id;
  });
}
