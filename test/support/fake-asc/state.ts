// Seeding and inspection of the fake's state for tests, the demo and the benchmark. Seeding skips the API's
// validation (so tests can set up states the API would refuse, such as a fourth distribution certificate)
// but keeps Apple's side effects (capability changes and disabled devices invalidate profiles).
import { createPublicKey, type KeyObject } from "node:crypto";
import { issuedCertificateRecord } from "./certificate-rules.ts";
import { defaultDeviceClass, modelFor } from "./device-rules.ts";
import { DAY_MS, numericId, resourceId, uuidV4, YEAR_MS } from "./ids.ts";
import type {
  AppRecord,
  BundleIdRecord,
  CapabilityRecord,
  CapabilitySettingValue,
  CertificateRecord,
  DeviceRecord,
  ProfileRecord,
  ProfileStateValue,
} from "./records.ts";
import { type LargeTeamOptions, type LargeTeamSeed, seedLargeTeam } from "./seed-large.ts";
import type { Store } from "./store.ts";

export interface AddBundleIdInput {
  identifier: string;
  name?: string;
  platform?: string;
}

export interface AddDeviceInput {
  name: string;
  udid: string;
  platform: string;
  deviceClass?: string;
  status?: "ENABLED" | "DISABLED";
}

export interface AddCertificateInput {
  certificateType: string;
  /** The public key (or a private key, whose public half is used) the certificate is issued for. */
  publicKey: KeyObject;
  notAfter?: Date;
  /** When it was issued (notBefore); default now. Seeds for an account that existed before the run. */
  issuedAt?: Date;
  /** Overrides the ASC `name`. */
  name?: string;
}

export interface AddProfileInput {
  name: string;
  profileType: string;
  bundleIdId: string;
  certificateIds: string[];
  deviceIds?: string[];
  expiresAt?: Date | number;
  state?: "ACTIVE" | "INVALID";
}

const copy = <T extends object>(record: T): T => ({ ...record });

export class FakeState {
  readonly #store: Store;

  constructor(store: Store) {
    this.#store = store;
  }

  get teamId(): string {
    return this.#store.teamId;
  }

  // ---- seeding ----

  addBundleId(input: AddBundleIdInput): BundleIdRecord {
    return copy(
      this.#store.insertBundleId({
        id: resourceId(),
        identifier: input.identifier,
        name: input.name ?? defaultBundleName(input.identifier),
        platform: input.platform ?? "IOS",
        seedId: this.#store.teamId,
      }),
    );
  }

  addCapability(
    bundleIdId: string,
    type: string,
    settings?: CapabilitySettingValue[] | null,
  ): CapabilityRecord {
    this.#bundle(bundleIdId);
    return copy(
      this.#store.putCapability({
        id: `${bundleIdId}_${type}`,
        bundleIdId,
        capabilityType: type,
        settings: settings ?? null,
      }),
    );
  }

  addApp(input: { bundleId: string; name: string; sku?: string; primaryLocale?: string }): AppRecord {
    const record: AppRecord = {
      id: numericId(),
      name: input.name,
      bundleId: input.bundleId,
      sku: input.sku ?? input.bundleId.replace(/[^A-Za-z0-9]/g, "").toUpperCase(),
      primaryLocale: input.primaryLocale ?? "en-US",
    };
    this.#store.apps.set(record.id, record);
    return copy(record);
  }

  addDevice(input: AddDeviceInput): DeviceRecord {
    const deviceClass = input.deviceClass ?? defaultDeviceClass(input.platform);
    return copy(
      this.#store.insertDevice({
        id: resourceId(),
        name: input.name,
        udid: input.udid,
        platform: input.platform,
        deviceClass,
        status: input.status ?? "ENABLED",
        model: modelFor(deviceClass),
        addedAt: this.#store.now(),
      }),
    );
  }

  async addCertificate(input: AddCertificateInput): Promise<CertificateRecord> {
    const store = this.#store;
    const now = store.now();
    const publicKey = input.publicKey.type === "private" ? createPublicKey(input.publicKey) : input.publicKey;
    const issued = await store.pki.issueForPublicKey(publicKey, {
      certificateType: input.certificateType,
      teamId: store.teamId,
      teamName: store.teamName,
      notBefore: input.issuedAt ?? new Date(now),
      notAfter: input.notAfter ?? new Date((input.issuedAt?.getTime() ?? now) + YEAR_MS),
    });
    return copy(
      store.insertCertificate(
        issuedCertificateRecord(issued, input.certificateType, store.teamName, input.name),
      ),
    );
  }

  addProfile(input: AddProfileInput): ProfileRecord {
    const store = this.#store;
    const bundle = this.#bundle(input.bundleIdId);
    const certificates = input.certificateIds.map((id) => {
      const c = store.certificates.get(id);
      if (!c) throw new Error(`addProfile: no certificate ${id}`);
      return c;
    });
    for (const id of input.deviceIds ?? [])
      if (!store.devices.has(id)) throw new Error(`addProfile: no device ${id}`);
    const now = store.now();
    const expiresAt =
      input.expiresAt !== undefined
        ? Number(input.expiresAt)
        : Math.min(now + YEAR_MS, ...certificates.map((c) => c.expiresAt));
    return copy(
      store.insertProfile({
        id: resourceId(),
        name: input.name,
        profileType: input.profileType,
        bundleIdId: bundle.id,
        certificateIds: [...input.certificateIds],
        deviceIds: [...(input.deviceIds ?? [])],
        uuid: uuidV4(),
        createdAt: Math.min(now, expiresAt - DAY_MS),
        expiresAt,
        invalid: input.state === "INVALID",
        deleted: false,
        zombie: false,
        capabilities: store
          .capabilitiesOf(bundle.id)
          .map((c) => ({ type: c.capabilityType, settings: c.settings })),
        bundleIdentifier: bundle.identifier,
        appIdName: bundle.name,
      }),
    );
  }

  /** A profile that shows in its bundle ID's `profiles` relationship but answers 404 on its own. */
  addZombieProfile(bundleIdId: string, name?: string): ProfileRecord {
    const bundle = this.#bundle(bundleIdId);
    const now = this.#store.now();
    return copy(
      this.#store.insertProfile({
        id: resourceId(),
        name: name ?? `${bundle.identifier} zombie`,
        profileType: "IOS_APP_STORE",
        bundleIdId,
        certificateIds: [],
        deviceIds: [],
        uuid: uuidV4(),
        createdAt: now,
        expiresAt: now + YEAR_MS,
        invalid: false,
        deleted: false,
        zombie: true,
        capabilities: [],
        bundleIdentifier: bundle.identifier,
        appIdName: bundle.name,
      }),
    );
  }

  revokeCertificate(id: string): void {
    this.#store.revokeCertificate(id);
  }

  setDeviceStatus(id: string, status: "ENABLED" | "DISABLED"): void {
    this.#store.setDeviceStatus(id, status);
  }

  /** From now on, a request to enable the device is answered 200 with the device still DISABLED. */
  keepDeviceDisabled(id: string): void {
    this.#store.devicesKeptDisabled.add(id);
  }

  /** Moves the profile's expiry a day into the past (its content is rebuilt to match). */
  expireProfile(id: string): void {
    const profile = this.#store.profiles.get(id);
    if (!profile) throw new Error(`expireProfile: no profile ${id}`);
    const now = this.#store.now();
    profile.expiresAt = now - DAY_MS;
    profile.createdAt = Math.min(profile.createdAt, profile.expiresAt - DAY_MS);
    this.#store.contents.forget(id);
  }

  deleteProfile(id: string): void {
    this.#store.deleteProfile(id);
  }

  /** Serves `content` as the profile's `profileContent` (truncated, garbage, signed by another CA). */
  setProfileContent(id: string, content: Uint8Array): void {
    const profile = this.#store.profiles.get(id);
    if (!profile) throw new Error(`setProfileContent: no profile ${id}`);
    this.#store.contents.set(id, content);
  }

  setAgreementsMissing(missing: boolean): void {
    this.#store.agreementsMissing = missing;
  }

  seedLargeTeam(options?: Partial<LargeTeamOptions>): Promise<LargeTeamSeed> {
    return seedLargeTeam(this, options);
  }

  // ---- inspection ----

  bundleIds(): BundleIdRecord[] {
    return [...this.#store.bundleIds.values()].map(copy);
  }

  capabilities(bundleIdId: string): CapabilityRecord[] {
    return this.#store.capabilitiesOf(bundleIdId).map(copy);
  }

  apps(): AppRecord[] {
    return [...this.#store.apps.values()].map(copy);
  }

  /** Certificates the API shows (revoked ones only with `includeRevoked`). */
  certificates(options: { includeRevoked?: boolean } = {}): CertificateRecord[] {
    return [...this.#store.certificates.values()]
      .filter((c) => options.includeRevoked || !c.revoked)
      .map(copy);
  }

  devices(): DeviceRecord[] {
    return [...this.#store.devices.values()].map(copy);
  }

  /** Profiles, zombies included (flagged `zombie`); deleted ones only with `includeDeleted`. */
  profiles(options: { includeDeleted?: boolean } = {}): ProfileRecord[] {
    return [...this.#store.profiles.values()].filter((p) => options.includeDeleted || !p.deleted).map(copy);
  }

  /** The signed content the API serves for the profile (built on first read). */
  profileContent(id: string): Promise<Uint8Array> {
    const profile = this.#store.profiles.get(id);
    if (!profile) throw new Error(`profileContent: no profile ${id}`);
    return this.#store.contents.content(profile);
  }

  /** ACTIVE / INVALID / the configured expired state; undefined for unknown or deleted profiles. */
  profileState(id: string): ProfileStateValue | undefined {
    const profile = this.#store.profiles.get(id);
    return profile && !profile.deleted ? this.#store.profileState(profile) : undefined;
  }

  #bundle(id: string): BundleIdRecord {
    const bundle = this.#store.bundleIds.get(id);
    if (!bundle) throw new Error(`no bundle ID resource ${id} (pass the resource id, not the identifier)`);
    return bundle;
  }
}

/** "com.example.my-app" → "com example my app" (names allow letters, digits and spaces). */
export function defaultBundleName(identifier: string): string {
  return identifier.replace(/[^A-Za-z0-9]+/g, " ").trim() || "App";
}
