// /v1/bundleIdCapabilities: enable (POST), change settings (PATCH), disable (DELETE). Every change makes
// the bundle ID's profiles INVALID (store.ts).
import { onlyAttributes, readEntity, requiredString, toOne } from "./body.ts";
import { CAPABILITY_TYPES, checkCapabilitySettings } from "./capability-rules.ts";
import { resourceDocument } from "./documents.ts";
import { attributeInvalid, entityError, notFound } from "./errors.ts";
import type { CapabilityRecord } from "./records.ts";
import { created, documentContext, noContent, ok, type Route, type RouteContext, selfUrl } from "./router.ts";
import { capabilityResource } from "./serializers.ts";

function capabilityOr404(ctx: RouteContext): CapabilityRecord {
  const id = ctx.params.id!;
  const capability = ctx.store.capabilities.get(id);
  if (!capability) throw notFound("bundleIdCapabilities", id);
  return capability;
}

function checkType(capabilityType: string): void {
  if (!CAPABILITY_TYPES.includes(capabilityType)) {
    throw attributeInvalid(`'${capabilityType}' is not a valid capability type.`, "capabilityType");
  }
}

async function enable(ctx: RouteContext) {
  const { store } = ctx;
  const { attributes, relationships } = readEntity(ctx.body, "bundleIdCapabilities");
  const capabilityType = requiredString(attributes, "capabilityType");
  checkType(capabilityType);
  const bundleIdId = toOne(relationships, "bundleId", "bundleIds");
  const bundle = store.bundleIds.get(bundleIdId);
  if (!bundle)
    throw entityError(
      `There is no App ID with ID '${bundleIdId}' on this team.`,
      "/data/relationships/bundleId",
    );
  const id = `${bundle.id}_${capabilityType}`;
  if (store.capabilities.has(id)) {
    throw entityError(
      `The capability ${capabilityType} is already enabled for the App ID '${bundle.identifier}'.`,
    );
  }
  const settings = checkCapabilitySettings(capabilityType, attributes.settings);
  const capability = store.putCapability({ id, bundleIdId: bundle.id, capabilityType, settings });
  return created(await resourceDocument(capabilityResource(capability), documentContext(ctx), selfUrl(ctx)));
}

async function update(ctx: RouteContext) {
  const capability = capabilityOr404(ctx);
  const { attributes } = readEntity(ctx.body, "bundleIdCapabilities", capability.id);
  onlyAttributes(attributes, ["capabilityType", "settings"], "a capability");
  const type = attributes.capabilityType;
  if (type !== undefined && type !== null && type !== capability.capabilityType) {
    throw attributeInvalid(
      `The capability type cannot change (${capability.capabilityType} → ${String(type)}); disable it and enable the other.`,
      "capabilityType",
    );
  }
  const settings =
    attributes.settings === undefined
      ? capability.settings
      : checkCapabilitySettings(capability.capabilityType, attributes.settings);
  const updated = ctx.store.putCapability({ ...capability, settings });
  return ok(await resourceDocument(capabilityResource(updated), documentContext(ctx), selfUrl(ctx)));
}

function disable(ctx: RouteContext) {
  const capability = capabilityOr404(ctx);
  ctx.store.removeCapability(capability.id);
  return noContent();
}

export const capabilityRoutes: Route[] = [
  { method: "POST", template: "/v1/bundleIdCapabilities", handler: enable },
  { method: "PATCH", template: "/v1/bundleIdCapabilities/{id}", handler: update },
  { method: "DELETE", template: "/v1/bundleIdCapabilities/{id}", handler: disable },
];
