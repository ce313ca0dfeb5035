// The current state of App Store Connect, read in one concurrent wave: bundle IDs (with capabilities and
// app) by identifier list, certificates of the acceptable types, our profiles by name, and devices only
// when they matter. Independent of the number of bundle IDs.
import { type ApiHost, apiHostOf } from "../asc/api-host.ts";
import { type FoundBundleId, findBundleIds } from "../asc/bundle-ids.ts";
import { listCertificates } from "../asc/certificates.ts";
import { listDevices } from "../asc/devices.ts";
import type { AscClient } from "../asc/http.ts";
import { type FoundProfile, findProfilesByName } from "../asc/profiles.ts";
import type { CertificateResource, DeviceResource } from "../asc/types.ts";
import type { DesiredState } from "./desired-state.ts";

export interface CurrentState {
  /** App Store Connect or the Enterprise Program API: what may be created there. */
  host: ApiHost;
  bundleIds: Map<string, FoundBundleId>;
  certificates: CertificateResource[];
  /** Profiles whose name is exactly one of ours (any state). */
  profiles: FoundProfile[];
  /** Undefined when the profile type takes no devices and none are registered. */
  devices: DeviceResource[] | undefined;
}

export async function readState(client: AscClient, desired: DesiredState): Promise<CurrentState> {
  const { config, rule } = desired;
  const identifiers = config.bundleIds.map((bundle) => bundle.identifier);
  const [bundleIds, certificates, profiles, devices] = await Promise.all([
    findBundleIds(client, identifiers),
    listCertificates(client, desired.certificateTypes),
    findProfilesByName(client, [...desired.profileNames.values()], config.profileType),
    desired.readDevices
      ? listDevices(client, config.devices.length > 0 ? {} : { platform: rule.devicePlatform })
      : Promise.resolve(undefined),
  ]);
  return { host: apiHostOf(client), bundleIds, certificates, profiles, devices };
}
