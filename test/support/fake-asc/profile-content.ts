// A profile's `profileContent`: the CMS-signed plist matching the resource, built on first read and cached
// (seeding a thousand profiles signs none of them).
import type { FakeAppleCa } from "./apple-ca.ts";
import { DAY_MS } from "./ids.ts";
import { profileRule } from "./profile-rules.ts";
import { entitlementsFor, type ProfilePlistInput, signedProfile } from "./profile-signer.ts";
import type { CertificateRecord, DeviceRecord, ProfileRecord } from "./records.ts";

export interface ProfileContentSource {
  teamId: string;
  teamName: string;
  pki: FakeAppleCa;
  certificate(id: string): CertificateRecord | undefined;
  device(id: string): DeviceRecord | undefined;
}

export class ProfileContentCache {
  readonly #source: ProfileContentSource;
  readonly #cache = new Map<string, Promise<Uint8Array>>();

  constructor(source: ProfileContentSource) {
    this.#source = source;
  }

  content(profile: ProfileRecord): Promise<Uint8Array> {
    let pending = this.#cache.get(profile.id);
    if (!pending) {
      pending = signedProfile(this.#source.pki, this.plistInput(profile));
      pending.catch(() => this.#cache.delete(profile.id));
      this.#cache.set(profile.id, pending);
    }
    return pending;
  }

  /** Serves `content` for the profile from now on (tests seeding broken or foreign-signed content). */
  set(profileId: string, content: Uint8Array): void {
    this.#cache.set(profileId, Promise.resolve(content));
  }

  /** Drops the cached content (the profile's expiry moved). */
  forget(profileId: string): void {
    this.#cache.delete(profileId);
  }

  plistInput(profile: ProfileRecord): ProfilePlistInput {
    const { teamId, teamName } = this.#source;
    const rule = profileRule(profile.profileType);
    const certificates = profile.certificateIds
      .map((id) => this.#source.certificate(id))
      .filter((c): c is CertificateRecord => c !== undefined);
    const devices = profile.deviceIds
      .map((id) => this.#source.device(id))
      .filter((d): d is DeviceRecord => d !== undefined);
    const takesDevices = rule?.deviceClasses !== undefined;
    return {
      appIdName: profile.appIdName,
      teamId,
      teamName,
      bundleIdentifier: profile.bundleIdentifier,
      platforms: [...(rule?.plistPlatforms ?? ["iOS"])],
      name: profile.name,
      uuid: profile.uuid,
      creationDate: new Date(profile.createdAt),
      expirationDate: new Date(profile.expiresAt),
      developerCertificatesDer: certificates.map((c) => c.der),
      ...(takesDevices ? { provisionedDevices: devices.map((d) => d.udid) } : {}),
      ...(rule?.distribution === "inhouse" || rule?.distribution === "direct"
        ? { provisionsAllDevices: true }
        : {}),
      entitlements: entitlementsFor({
        profileType: profile.profileType,
        teamId,
        bundleIdentifier: profile.bundleIdentifier,
        capabilities: profile.capabilities.map((c) => ({ type: c.type, settings: c.settings })),
      }),
      timeToLive: Math.max(0, Math.round((profile.expiresAt - profile.createdAt) / DAY_MS)),
    };
  }
}
