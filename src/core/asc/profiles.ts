// Provisioning profiles: found by name in one request, read, created and deleted (they are immutable).
import { AscApiError } from "../errors.ts";
import type { AscClient } from "./http.ts";
import { linkage, relationshipId } from "./json-api.ts";
import type { ProfileResource, ProfileType } from "./types.ts";

export interface FoundProfile {
  resource: ProfileResource;
  bundleIdId: string | undefined;
}

/**
 * ONE request (plus pages): GET /v1/profiles?filter[name]=n1,n2[&filter[profileType]=T]&include=bundleId.
 * `filter[name]` is not exact: only exact name matches are kept.
 */
export async function findProfilesByName(
  client: AscClient,
  names: readonly string[],
  profileType?: ProfileType,
): Promise<FoundProfile[]> {
  const wanted = new Set(names);
  if (wanted.size === 0) return [];
  const { data } = await client.getAll<ProfileResource>("/v1/profiles", {
    "filter[name]": [...wanted],
    "filter[profileType]": profileType,
    include: ["bundleId"],
    limit: 200,
  });
  return data
    .filter((profile) => profile.attributes?.name !== undefined && wanted.has(profile.attributes.name))
    .map((resource) => ({ resource, bundleIdId: relationshipId(resource, "bundleId") }));
}

/** The profile, or undefined when it answers 404 (deleted, or a zombie). */
export async function getProfile(client: AscClient, id: string): Promise<ProfileResource | undefined> {
  try {
    const doc = await client.get<ProfileResource>(`/v1/profiles/${encodeURIComponent(id)}`);
    return doc.data;
  } catch (error) {
    if (error instanceof AscApiError && error.status === 404) return undefined;
    throw error;
  }
}

/** The devices relationship is left out when there are none (App Store, in-house, Developer ID). */
export async function createProfile(
  client: AscClient,
  fields: {
    name: string;
    profileType: ProfileType;
    bundleIdId: string;
    certificateIds: readonly string[];
    deviceIds: readonly string[];
  },
): Promise<ProfileResource> {
  const doc = await client.post<ProfileResource>("/v1/profiles", {
    data: {
      type: "profiles",
      attributes: { name: fields.name, profileType: fields.profileType },
      relationships: {
        bundleId: { data: linkage("bundleIds", fields.bundleIdId) },
        certificates: { data: fields.certificateIds.map((id) => linkage("certificates", id)) },
        ...(fields.deviceIds.length > 0
          ? { devices: { data: fields.deviceIds.map((id) => linkage("devices", id)) } }
          : {}),
      },
    },
  });
  return doc.data;
}

/**
 * True when deleted; false on 404 (already gone, or a zombie). A DELETE whose outcome is unknown is sent
 * once more: deleting is idempotent, and a 404 then means the first one went through.
 */
export async function deleteProfile(client: AscClient, id: string, resent = false): Promise<boolean> {
  try {
    await client.delete(`/v1/profiles/${encodeURIComponent(id)}`);
    return true;
  } catch (error) {
    if (error instanceof AscApiError && error.status === 404) return resent;
    if (error instanceof AscApiError && error.outcomeUnknown && !resent)
      return deleteProfile(client, id, true);
    throw error;
  }
}
