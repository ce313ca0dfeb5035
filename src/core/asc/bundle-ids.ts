// Bundle IDs: found in one request for any number of identifiers (with their capabilities and, where the
// host has apps, their app), and created.
import { apiHostOf } from "./api-host.ts";
import type { AscClient } from "./http.ts";
import {
  hasRelationshipData,
  indexIncluded,
  pickIncluded,
  relationshipId,
  relationshipIds,
} from "./json-api.ts";
import type { AppResource, BundleIdCapabilityResource, BundleIdPlatform, BundleIdResource } from "./types.ts";

export interface FoundBundleId {
  resource: BundleIdResource;
  capabilities: BundleIdCapabilityResource[];
  app: AppResource | undefined;
}

/** Apple's cap on an included to-many relationship. */
const INCLUDED_CAP = 50;

/**
 * ONE request for any number of identifiers (plus pages). `filter[identifier]` is a substring match:
 * only exact, case-sensitive matches are kept. A bundle whose included capabilities reach the cap of 50
 * has them read in full. Keyed by identifier. The enterprise host has no apps: `include=app` is sent
 * only to App Store Connect (its document allows `bundleIdCapabilities,profiles` only).
 */
export async function findBundleIds(
  client: AscClient,
  identifiers: readonly string[],
): Promise<Map<string, FoundBundleId>> {
  const found = new Map<string, FoundBundleId>();
  const wanted = new Set(identifiers);
  if (wanted.size === 0) return found;
  const { data, included } = await client.getAll<BundleIdResource>("/v1/bundleIds", {
    "filter[identifier]": [...wanted],
    include: apiHostOf(client) === "enterprise" ? ["bundleIdCapabilities"] : ["bundleIdCapabilities", "app"],
    limit: 200,
    "limit[bundleIdCapabilities]": INCLUDED_CAP,
  });
  const index = indexIncluded(included);
  const capped: FoundBundleId[] = [];
  for (const resource of data) {
    const identifier = resource.attributes?.identifier;
    if (identifier === undefined || !wanted.has(identifier) || found.has(identifier)) continue;
    const capabilityIds = relationshipIds(resource, "bundleIdCapabilities");
    const appId = relationshipId(resource, "app");
    const entry: FoundBundleId = {
      resource,
      capabilities: pickIncluded<BundleIdCapabilityResource>(index, "bundleIdCapabilities", capabilityIds),
      app: appId === undefined ? undefined : pickIncluded<AppResource>(index, "apps", [appId])[0],
    };
    found.set(identifier, entry);
    if (capabilityIds.length >= INCLUDED_CAP || !hasRelationshipData(resource, "bundleIdCapabilities")) {
      capped.push(entry);
    }
  }
  await Promise.all(
    capped.map(async (entry) => {
      entry.capabilities = await listBundleIdCapabilities(client, entry.resource.id);
    }),
  );
  return found;
}

/**
 * Every capability of one bundle ID (all pages, following `links.next`). No `limit`: the spec declares it,
 * but Apple answers it here with 400 PARAMETER_ERROR.ILLEGAL "This relationship does not support this
 * parameter" (pathorsAI/parley#263).
 */
export async function listBundleIdCapabilities(
  client: AscClient,
  bundleIdId: string,
): Promise<BundleIdCapabilityResource[]> {
  const { data } = await client.getAll<BundleIdCapabilityResource>(
    `/v1/bundleIds/${encodeURIComponent(bundleIdId)}/bundleIdCapabilities`,
  );
  return data;
}

export async function createBundleId(
  client: AscClient,
  fields: { identifier: string; name: string; platform: BundleIdPlatform },
): Promise<BundleIdResource> {
  const doc = await client.post<BundleIdResource>("/v1/bundleIds", {
    data: {
      type: "bundleIds",
      attributes: { identifier: fields.identifier, name: fields.name, platform: fields.platform },
    },
  });
  return doc.data;
}
