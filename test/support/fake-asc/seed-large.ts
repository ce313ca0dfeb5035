// A large team for benchmarks and pagination tests, seeded fast: one RSA key shared by every seeded
// certificate, profiles signed lazily on first read of their content.
import { generateKeyPairSync } from "node:crypto";
import type { FakeState } from "./state.ts";

export interface LargeTeamOptions {
  profiles: number;
  devices: number;
  certificates: number;
  /** Profiles per bundle ID (default 10). */
  profilesPerBundleId: number;
}

export interface LargeTeamSeed {
  bundleIdIds: string[];
  certificateIds: string[];
  deviceIds: string[];
  profileIds: string[];
  /** PKCS#8 PEM of the RSA key every seeded certificate was issued for. */
  certificateKeyPem: string;
}

/** Seeded certificate types: one Apple Distribution first, then development types in turn. */
const DEVELOPMENT_TYPES = ["DEVELOPMENT", "IOS_DEVELOPMENT", "MAC_APP_DEVELOPMENT"];

export async function seedLargeTeam(
  state: FakeState,
  options: Partial<LargeTeamOptions> = {},
): Promise<LargeTeamSeed> {
  const { profiles = 1000, devices = 500, certificates = 20, profilesPerBundleId = 10 } = options;
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });

  const certificateRecords = await Promise.all(
    Array.from({ length: Math.max(1, certificates) }, (_, i) =>
      state.addCertificate({
        certificateType: i === 0 ? "DISTRIBUTION" : DEVELOPMENT_TYPES[(i - 1) % DEVELOPMENT_TYPES.length]!,
        publicKey: privateKey,
      }),
    ),
  );
  const distribution = certificateRecords[0]!;
  const development = certificateRecords.find((c) => c.certificateType === "DEVELOPMENT") ?? distribution;

  const deviceRecords = Array.from({ length: devices }, (_, i) =>
    state.addDevice({
      name: `Large Team Device ${i + 1}`,
      udid: `00008030-${(0x1000000000000 + i).toString(16).toUpperCase().padStart(16, "0")}`,
      platform: "IOS",
      deviceClass: i % 5 === 4 ? "IPAD" : "IPHONE",
    }),
  );
  const profileDevices = deviceRecords.slice(0, Math.min(5, deviceRecords.length)).map((d) => d.id);

  const bundleCount = Math.ceil(profiles / profilesPerBundleId);
  const bundleIds = Array.from({ length: bundleCount }, (_, i) =>
    state.addBundleId({ identifier: `com.example.large.app${i + 1}`, name: `Large App ${i + 1}` }),
  );

  const profileIds: string[] = [];
  for (let i = 0; i < profiles; i++) {
    const bundle = bundleIds[Math.floor(i / profilesPerBundleId)]!;
    const development_ = i % 2 === 1 && profileDevices.length > 0;
    const profile = state.addProfile({
      name: `${bundle.identifier} ${development_ ? "Development" : "AppStore"} ${i + 1}`,
      profileType: development_ ? "IOS_APP_DEVELOPMENT" : "IOS_APP_STORE",
      bundleIdId: bundle.id,
      certificateIds: [development_ ? development.id : distribution.id],
      ...(development_ ? { deviceIds: profileDevices } : {}),
    });
    profileIds.push(profile.id);
  }

  return {
    bundleIdIds: bundleIds.map((b) => b.id),
    certificateIds: certificateRecords.map((c) => c.id),
    deviceIds: deviceRecords.map((d) => d.id),
    profileIds,
    certificateKeyPem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
  };
}
