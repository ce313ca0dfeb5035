// /v1/devices: register (UDID checked, duplicates refused), rename, enable/disable. Disabling makes the
// profiles that contain the device INVALID (store.ts). There is no DELETE: Apple has none.
import { onlyAttributes, optionalString, readEntity, requiredString } from "./body.ts";
import { defaultDeviceClass, modelFor, validUdid } from "./device-rules.ts";
import { listDocument, resourceDocument } from "./documents.ts";
import { attributeInvalid, notFound } from "./errors.ts";
import { DEVICE_FIELDS } from "./fields.ts";
import { resourceId } from "./ids.ts";
import { applyFilters, applySort, equalsIgnoringCase, pageOf, type QuerySpec } from "./query.ts";
import type { DeviceRecord } from "./records.ts";
import { created, documentContext, ok, type Route, type RouteContext, selfUrl } from "./router.ts";
import { deviceResource } from "./serializers.ts";

const LIST_QUERY: QuerySpec = {
  filters: {
    id: null,
    name: null,
    platform: ["IOS", "MAC_OS", "UNIVERSAL"],
    status: ["ENABLED", "DISABLED"],
    udid: null,
  },
  sort: ["name", "-name", "platform", "-platform", "udid", "-udid", "status", "-status", "id", "-id"],
  fields: { devices: DEVICE_FIELDS },
  paged: true,
};

function deviceOr404(ctx: RouteContext): DeviceRecord {
  const id = ctx.params.id!;
  const device = ctx.store.devices.get(id);
  if (!device) throw notFound("devices", id);
  return device;
}

async function list(ctx: RouteContext) {
  const { store, q } = ctx;
  const filtered = applyFilters([...store.devices.values()], q, {
    id: (d, v) => d.id === v,
    name: (d, v) => d.name === v,
    platform: (d, v) => d.platform === v,
    status: (d, v) => d.status === v,
    udid: (d, v) => equalsIgnoringCase(d.udid, v),
  });
  const sorted = applySort(filtered, q.sort, {
    name: (d) => d.name,
    platform: (d) => d.platform,
    udid: (d) => d.udid,
    status: (d) => d.status,
    id: (d) => d.id,
  });
  const page = pageOf(sorted, q);
  return ok(
    await listDocument({ ...page, items: page.items.map(deviceResource) }, documentContext(ctx), {
      self: selfUrl(ctx),
      path: ctx.path,
      query: ctx.query,
    }),
  );
}

async function register(ctx: RouteContext) {
  const { store } = ctx;
  const { attributes } = readEntity(ctx.body, "devices");
  const name = requiredString(attributes, "name");
  const platform = requiredString(attributes, "platform");
  const udid = requiredString(attributes, "udid");
  if (platform !== "IOS" && platform !== "MAC_OS") {
    throw attributeInvalid(`'${platform}' is not a valid device platform; use IOS or MAC_OS.`, "platform");
  }
  if (!validUdid(udid, platform)) {
    throw attributeInvalid(
      `An attribute value is invalid. Device UDID '${udid}' is not valid: use 40 hexadecimal digits, the 00008030-001A2B3C4D5E6F70 form${platform === "MAC_OS" ? " or a Mac's hardware UUID" : ""}.`,
      "udid",
    );
  }
  for (const d of store.devices.values()) {
    if (equalsIgnoringCase(d.udid, udid)) {
      throw attributeInvalid(`A device with number '${udid}' already exists on this team.`, "udid");
    }
  }
  const deviceClass = defaultDeviceClass(platform);
  const device = store.insertDevice({
    id: resourceId(),
    name,
    udid,
    platform,
    deviceClass,
    status: "ENABLED",
    model: modelFor(deviceClass),
    addedAt: store.now(),
  });
  return created(await resourceDocument(deviceResource(device), documentContext(ctx), selfUrl(ctx)));
}

async function get(ctx: RouteContext) {
  return ok(await resourceDocument(deviceResource(deviceOr404(ctx)), documentContext(ctx), selfUrl(ctx)));
}

async function update(ctx: RouteContext) {
  const device = deviceOr404(ctx);
  const { attributes } = readEntity(ctx.body, "devices", device.id);
  onlyAttributes(attributes, ["name", "status"], "a device (only its name and status can change)");
  const name = optionalString(attributes, "name");
  const status = optionalString(attributes, "status");
  if (status !== undefined && status !== "ENABLED" && status !== "DISABLED") {
    throw attributeInvalid(`'${status}' is not a valid status; use ENABLED or DISABLED.`, "status");
  }
  if (name !== undefined) device.name = name;
  if (status !== undefined) ctx.store.setDeviceStatus(device.id, status);
  return ok(await resourceDocument(deviceResource(device), documentContext(ctx), selfUrl(ctx)));
}

export const deviceRoutes: Route[] = [
  { method: "GET", template: "/v1/devices", query: LIST_QUERY, handler: list },
  { method: "POST", template: "/v1/devices", handler: register },
  {
    method: "GET",
    template: "/v1/devices/{id}",
    query: { fields: { devices: DEVICE_FIELDS } },
    handler: get,
  },
  { method: "PATCH", template: "/v1/devices/{id}", handler: update },
];
