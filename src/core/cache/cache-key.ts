// Cache keys: derived from the issuer ID, a hash of the non-secret configuration (which includes the
// fingerprint of the certificate key's public half) and, for last-known-good entries, a hash of the
// resources saved. Never from a secret: no private key, JWT or .p8 goes into a key.
import { createHash } from "node:crypto";
import type { Config } from "../config.ts";
import { publicKeyFingerprint } from "../signing/certificate.ts";
import type { LastKnownGoodManifest } from "./last-known-good.ts";

export const CACHE_KEY_PREFIX = "asc-provision";

/** The configuration facts that decide which profiles a run produces. None of them is secret. */
export interface CacheConfigFacts {
  issuerId: string;
  baseUrl: string;
  bundleIds: string[];
  platform: string;
  profileType: string;
  profileNameTemplate: string;
  capabilities: string[];
  capabilitiesExclusive: boolean;
  certificateType: string;
  /** SHA-256 of the certificate key's public key (SPKI DER), hex. */
  certificateKeyFingerprint: string;
  devices: string[];
  deviceSelection: string[];
}

export function cacheConfigFacts(config: Config): CacheConfigFacts {
  const sorted = (values: string[]): string[] => [...values].sort();
  return {
    issuerId: config.apiKey.issuerId,
    baseUrl: config.apiKey.baseUrl,
    bundleIds: config.bundleIds.map((bundleId) => bundleId.identifier),
    platform: config.platform,
    profileType: config.profileType,
    profileNameTemplate: config.profileNameTemplate,
    capabilities: sorted(
      config.capabilities.map((capability) => {
        const settings = Object.entries(capability.settings)
          .map(([key, value]) => `${key}=${value}`)
          .sort();
        return [capability.bundleId, capability.type, ...settings].join(" ");
      }),
    ),
    capabilitiesExclusive: config.capabilitiesExclusive,
    certificateType: config.certificateType ?? "",
    certificateKeyFingerprint: publicKeyFingerprint(config.certificate.privateKey),
    devices: sorted(config.devices.map((device) => `${device.udid} ${device.platform}`)),
    deviceSelection: config.deviceSelection.kind === "all" ? ["*"] : sorted(config.deviceSelection.values),
  };
}

/** SHA-256 (hex) of the canonical JSON of the configuration facts. */
export function configHash(config: Config): string {
  return hashFacts(cacheConfigFacts(config));
}

export function hashFacts(facts: CacheConfigFacts): string {
  return sha256Hex(canonicalJson(facts));
}

/** Every last-known-good entry of this configuration starts with it; restore by this prefix. */
export function lastKnownGoodKeyPrefix(issuerId: string, configHashHex: string): string {
  return `${CACHE_KEY_PREFIX}-lkg-v1-${keyPart(issuerId)}-${configHashHex.slice(0, 32)}-`;
}

/** The key one saved state is stored under: the same resources give the same key (saved once). */
export function lastKnownGoodKey(issuerId: string, manifest: LastKnownGoodManifest): string {
  return `${lastKnownGoodKeyPrefix(issuerId, manifest.configHash)}${lastKnownGoodStateHash(manifest).slice(0, 16)}`;
}

/** Hash of what identifies a saved state: team, certificate, profile ids and UUIDs. */
export function lastKnownGoodStateHash(manifest: LastKnownGoodManifest): string {
  const parts = [
    manifest.teamId,
    manifest.certificate.id,
    manifest.certificate.sha1,
    ...manifest.profiles.map((profile) => `${profile.bundleId}:${profile.id}:${profile.uuid}`),
  ];
  return sha256Hex(parts.join("\n"));
}

/** Cache keys allow no commas and at most 512 characters; keep them to a plain alphabet. */
function keyPart(value: string): string {
  const cleaned = value.trim().replace(/[^A-Za-z0-9._-]/g, "_");
  return cleaned.length > 64 ? sha256Hex(cleaned).slice(0, 32) : cleaned || "none";
}

function sha256Hex(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

/** JSON with object keys sorted, so equal facts hash equally whatever their insertion order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, entry]) => entry !== undefined)
      .sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0));
    return `{${entries.map(([key, entry]) => `${JSON.stringify(key)}:${canonicalJson(entry)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}
