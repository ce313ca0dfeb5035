// The fake's data and the rules that tie resources together (cascades, INVALID transitions, expiry).
// Route handlers validate requests and then call these primitives; seeding (state.ts) calls them too.
import type { FakeAppleCa } from "./apple-ca.ts";
import { ProfileContentCache } from "./profile-content.ts";
import type {
  AppRecord,
  BundleIdRecord,
  CapabilityRecord,
  CertificateRecord,
  DeviceRecord,
  ProfileRecord,
  ProfileStateValue,
} from "./records.ts";

export interface StoreOptions {
  teamId: string;
  teamName: string;
  enterprise: boolean;
  now: () => number;
  pki: FakeAppleCa;
  expiredProfileState: "INVALID" | "EXPIRED";
  distributionCertificateLimit: number;
}

export class Store {
  readonly teamId: string;
  readonly teamName: string;
  readonly enterprise: boolean;
  readonly now: () => number;
  readonly pki: FakeAppleCa;
  readonly expiredProfileState: "INVALID" | "EXPIRED";
  readonly distributionCertificateLimit: number;

  readonly bundleIds = new Map<string, BundleIdRecord>();
  readonly capabilities = new Map<string, CapabilityRecord>();
  readonly apps = new Map<string, AppRecord>();
  readonly devices = new Map<string, DeviceRecord>();
  readonly certificates = new Map<string, CertificateRecord>();
  readonly profiles = new Map<string, ProfileRecord>();
  readonly contents: ProfileContentCache;
  agreementsMissing = false;

  constructor(options: StoreOptions) {
    this.teamId = options.teamId;
    this.teamName = options.teamName;
    this.enterprise = options.enterprise;
    this.now = options.now;
    this.pki = options.pki;
    this.expiredProfileState = options.expiredProfileState;
    this.distributionCertificateLimit = options.distributionCertificateLimit;
    this.contents = new ProfileContentCache({
      teamId: this.teamId,
      teamName: this.teamName,
      pki: this.pki,
      certificate: (id) => this.certificates.get(id),
      device: (id) => this.devices.get(id),
    });
  }

  // ---- reads ----

  bundleIdByIdentifier(identifier: string): BundleIdRecord | undefined {
    const wanted = identifier.toLowerCase();
    for (const b of this.bundleIds.values()) if (b.identifier.toLowerCase() === wanted) return b;
    return undefined;
  }

  capabilitiesOf(bundleIdId: string): CapabilityRecord[] {
    return [...this.capabilities.values()].filter((c) => c.bundleIdId === bundleIdId);
  }

  /** A bundle ID's `profiles` relationship: live profiles and zombies. */
  profilesOfBundle(bundleIdId: string): ProfileRecord[] {
    return [...this.profiles.values()].filter((p) => p.bundleIdId === bundleIdId && !p.deleted);
  }

  appOfBundle(bundle: BundleIdRecord): AppRecord | undefined {
    const wanted = bundle.identifier.toLowerCase();
    for (const a of this.apps.values()) if (a.bundleId.toLowerCase() === wanted) return a;
    return undefined;
  }

  /** A profile /v1/profiles knows: not deleted, not a zombie. */
  liveProfile(id: string): ProfileRecord | undefined {
    const p = this.profiles.get(id);
    return p && !p.deleted && !p.zombie ? p : undefined;
  }

  liveProfiles(): ProfileRecord[] {
    return [...this.profiles.values()].filter((p) => !p.deleted && !p.zombie);
  }

  /** A certificate the API shows: not revoked (expired ones are still listed). */
  visibleCertificate(id: string): CertificateRecord | undefined {
    const c = this.certificates.get(id);
    return c && !c.revoked ? c : undefined;
  }

  visibleCertificates(): CertificateRecord[] {
    return [...this.certificates.values()].filter((c) => !c.revoked);
  }

  isCurrent(certificate: CertificateRecord): boolean {
    return !certificate.revoked && certificate.expiresAt > this.now();
  }

  profileState(profile: ProfileRecord): ProfileStateValue {
    if (profile.expiresAt <= this.now()) return this.expiredProfileState;
    return profile.invalid ? "INVALID" : "ACTIVE";
  }

  // ---- writes ----

  insertBundleId(record: BundleIdRecord): BundleIdRecord {
    this.bundleIds.set(record.id, record);
    return record;
  }

  /** Deletes the bundle ID with its capabilities and profiles. */
  deleteBundleId(id: string): void {
    this.bundleIds.delete(id);
    for (const c of this.capabilitiesOf(id)) this.capabilities.delete(c.id);
    for (const p of this.profiles.values()) if (p.bundleIdId === id) p.deleted = true;
  }

  /** Enabling, changing or disabling a capability makes the bundle ID's profiles INVALID (Apple does). */
  putCapability(record: CapabilityRecord): CapabilityRecord {
    this.capabilities.set(record.id, record);
    this.invalidateProfiles((p) => p.bundleIdId === record.bundleIdId);
    return record;
  }

  removeCapability(id: string): void {
    const record = this.capabilities.get(id);
    if (!record) return;
    this.capabilities.delete(id);
    this.invalidateProfiles((p) => p.bundleIdId === record.bundleIdId);
  }

  insertDevice(record: DeviceRecord): DeviceRecord {
    this.devices.set(record.id, record);
    return record;
  }

  /**
   * Devices kept DISABLED when asked to enable them (a test hook, `state.keepDeviceDisabled`): the PATCH
   * is answered 200 with the device still DISABLED, as issue 12 reproduced against Apple.
   */
  readonly devicesKeptDisabled = new Set<string>();

  /** Disabling a device makes the profiles that contain it INVALID; enabling does not repair them. */
  setDeviceStatus(id: string, status: "ENABLED" | "DISABLED"): void {
    const device = this.devices.get(id);
    if (!device) throw new Error(`no device ${id}`);
    if (status === "ENABLED" && this.devicesKeptDisabled.has(id)) return;
    if (device.status === "ENABLED" && status === "DISABLED") {
      this.invalidateProfiles((p) => p.deviceIds.includes(id));
    }
    device.status = status;
  }

  insertCertificate(record: CertificateRecord): CertificateRecord {
    this.certificates.set(record.id, record);
    return record;
  }

  /**
   * Revoking a certificate makes every profile that contains it INVALID (Apple does: DESIGN.md §4 and the
   * README's sources); the profiles keep their name until deleted.
   */
  revokeCertificate(id: string): void {
    const certificate = this.certificates.get(id);
    if (!certificate) throw new Error(`no certificate ${id}`);
    certificate.revoked = true;
    this.invalidateProfiles((p) => p.certificateIds.includes(id));
  }

  currentCertificatesOfType(certificateType: string): CertificateRecord[] {
    return [...this.certificates.values()].filter(
      (c) => c.certificateType === certificateType && this.isCurrent(c),
    );
  }

  /** Current certificates of any of `certificateTypes` (the types that share one limit). */
  currentCertificatesOfTypes(certificateTypes: readonly string[]): CertificateRecord[] {
    return [...this.certificates.values()].filter(
      (c) => certificateTypes.includes(c.certificateType) && this.isCurrent(c),
    );
  }

  insertProfile(record: ProfileRecord): ProfileRecord {
    this.profiles.set(record.id, record);
    return record;
  }

  deleteProfile(id: string): void {
    const profile = this.profiles.get(id);
    if (profile) profile.deleted = true;
  }

  invalidateProfiles(predicate: (p: ProfileRecord) => boolean): void {
    for (const p of this.profiles.values()) if (!p.deleted && predicate(p)) p.invalid = true;
  }
}
