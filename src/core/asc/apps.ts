// App records, found by bundle identifier in one request.
import type { AscClient } from "./http.ts";
import type { AppResource } from "./types.ts";

/** GET /v1/apps?filter[bundleId]=a,b&fields[apps]=name,bundleId,sku,primaryLocale&limit=200; exact matches, keyed by bundle ID. */
export async function findApps(
  client: AscClient,
  bundleIds: readonly string[],
): Promise<Map<string, AppResource>> {
  const found = new Map<string, AppResource>();
  const wanted = new Set(bundleIds);
  if (wanted.size === 0) return found;
  const { data } = await client.getAll<AppResource>("/v1/apps", {
    "filter[bundleId]": [...wanted],
    "fields[apps]": ["name", "bundleId", "sku", "primaryLocale"],
    limit: 200,
  });
  for (const app of data) {
    const bundleId = app.attributes?.bundleId;
    if (bundleId !== undefined && wanted.has(bundleId) && !found.has(bundleId)) found.set(bundleId, app);
  }
  return found;
}
