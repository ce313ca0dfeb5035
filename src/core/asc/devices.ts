// Devices: listed (all pages, optionally filtered), registered, enabled or disabled.
import type { AscClient } from "./http.ts";
import type { BundleIdPlatform, DeviceResource, DeviceStatus } from "./types.ts";

export interface DeviceFilter {
  platform?: BundleIdPlatform;
  status?: DeviceStatus;
  /** Only these UDIDs (compared case-insensitively). */
  udids?: readonly string[];
}

export async function listDevices(client: AscClient, filter: DeviceFilter = {}): Promise<DeviceResource[]> {
  const { data } = await client.getAll<DeviceResource>("/v1/devices", {
    "filter[platform]": filter.platform,
    "filter[status]": filter.status,
    "filter[udid]": filter.udids ? [...new Set(filter.udids)] : undefined,
    limit: 200,
  });
  if (!filter.udids || filter.udids.length === 0) return data;
  const wanted = new Set(filter.udids.map((udid) => udid.toLowerCase()));
  return data.filter((device) => wanted.has((device.attributes?.udid ?? "").toLowerCase()));
}

export async function registerDevice(
  client: AscClient,
  fields: { name: string; udid: string; platform: BundleIdPlatform },
): Promise<DeviceResource> {
  const doc = await client.post<DeviceResource>("/v1/devices", {
    data: {
      type: "devices",
      attributes: { name: fields.name, udid: fields.udid, platform: fields.platform },
    },
  });
  return doc.data;
}

export async function setDeviceStatus(
  client: AscClient,
  id: string,
  status: DeviceStatus,
): Promise<DeviceResource> {
  const doc = await client.patch<DeviceResource>(`/v1/devices/${encodeURIComponent(id)}`, {
    data: { type: "devices", id, attributes: { status } },
  });
  return doc.data;
}
