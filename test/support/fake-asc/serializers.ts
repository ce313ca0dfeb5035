// Stored records → resource descriptors (documents.ts renders them).
import type { Resolver, ResourceDescriptor } from "./documents.ts";
import { appleDate } from "./ids.ts";
import { profileRule } from "./profile-rules.ts";
import type {
  AppRecord,
  BundleIdRecord,
  CapabilityRecord,
  CertificateRecord,
  DeviceRecord,
  ProfileRecord,
} from "./records.ts";
import type { Store } from "./store.ts";

export function bundleIdResource(store: Store, b: BundleIdRecord): ResourceDescriptor {
  return {
    type: "bundleIds",
    id: b.id,
    attributes: { name: b.name, platform: b.platform, identifier: b.identifier, seedId: b.seedId },
    relationships: {
      profiles: {
        toMany: true,
        targetType: "profiles",
        ids: () => store.profilesOfBundle(b.id).map((p) => p.id),
      },
      bundleIdCapabilities: {
        toMany: true,
        targetType: "bundleIdCapabilities",
        ids: () => store.capabilitiesOf(b.id).map((c) => c.id),
      },
      // The Enterprise Program API has no apps: its BundleId has no `app` relationship.
      ...(store.enterprise
        ? {}
        : {
            app: {
              toMany: false,
              targetType: "apps",
              ids: () => {
                const app = store.appOfBundle(b);
                return app ? [app.id] : [];
              },
            },
          }),
    },
  };
}

export function capabilityResource(c: CapabilityRecord): ResourceDescriptor {
  return {
    type: "bundleIdCapabilities",
    id: c.id,
    // Apple sends `settings: null` for capabilities without settings (fixture), which the spec's
    // non-nullable array rejects: the fake leaves the key out instead.
    attributes: { capabilityType: c.capabilityType, settings: c.settings ?? undefined },
    // Not in the spec's BundleIdCapability, but Apple sends it (fixture bundle-id-capability-resource).
    relationships: { bundleId: { toMany: false, targetType: "bundleIds", ids: () => [c.bundleIdId] } },
  };
}

export function certificateResource(c: CertificateRecord): ResourceDescriptor {
  return {
    type: "certificates",
    id: c.id,
    attributes: {
      name: c.name,
      certificateType: c.certificateType,
      displayName: c.displayName,
      serialNumber: c.serialNumber,
      platform: c.platform,
      expirationDate: appleDate(c.expiresAt),
      certificateContent: Buffer.from(c.der).toString("base64"),
      activated: c.activated,
    },
    relationships: { passTypeId: { toMany: false, targetType: "passTypeIds", ids: () => [] } },
  };
}

export function deviceResource(d: DeviceRecord): ResourceDescriptor {
  return {
    type: "devices",
    id: d.id,
    attributes: {
      name: d.name,
      platform: d.platform,
      udid: d.udid,
      deviceClass: d.deviceClass,
      status: d.status,
      model: d.model,
      addedDate: appleDate(d.addedAt),
    },
    relationships: {},
  };
}

export function profileResource(store: Store, p: ProfileRecord): ResourceDescriptor {
  return {
    type: "profiles",
    id: p.id,
    attributes: {
      name: p.name,
      platform: profileRule(p.profileType)?.platform,
      profileType: p.profileType,
      profileState: store.profileState(p),
      createdDate: appleDate(p.createdAt),
      expirationDate: appleDate(p.expiresAt),
      uuid: p.uuid,
    },
    lazyAttributes: {
      profileContent: async () => Buffer.from(await store.contents.content(p)).toString("base64"),
    },
    relationships: {
      bundleId: { toMany: false, targetType: "bundleIds", ids: () => [p.bundleIdId] },
      devices: { toMany: true, targetType: "devices", ids: () => [...p.deviceIds] },
      certificates: { toMany: true, targetType: "certificates", ids: () => [...p.certificateIds] },
    },
  };
}

export function appResource(a: AppRecord): ResourceDescriptor {
  return {
    type: "apps",
    id: a.id,
    attributes: { name: a.name, bundleId: a.bundleId, sku: a.sku, primaryLocale: a.primaryLocale },
    relationships: {},
  };
}

/** Included resources. Revoked certificates and zombie profiles resolve too: relationships still name them. */
export function resolverFor(store: Store): Resolver {
  return (type, id) => {
    switch (type) {
      case "bundleIds": {
        const b = store.bundleIds.get(id);
        return b && bundleIdResource(store, b);
      }
      case "bundleIdCapabilities": {
        const c = store.capabilities.get(id);
        return c && capabilityResource(c);
      }
      case "certificates": {
        const c = store.certificates.get(id);
        return c && certificateResource(c);
      }
      case "devices": {
        const d = store.devices.get(id);
        return d && deviceResource(d);
      }
      case "profiles": {
        const p = store.profiles.get(id);
        return p && !p.deleted ? profileResource(store, p) : undefined;
      }
      case "apps": {
        const a = store.apps.get(id);
        return a && appResource(a);
      }
      default:
        return undefined;
    }
  };
}
