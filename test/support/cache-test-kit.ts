// Shared by the cache tests: an in-memory CacheStore (directory snapshots, immutable keys, prefix restore
// keys newest first, an outage switch), a logger that records, a configuration and a two-target result.
import { createHash, type KeyObject, randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import type { CacheStore } from "../../src/core/cache/cache-port.ts";
import type { Config } from "../../src/core/config.ts";
import type { Logger } from "../../src/core/ports.ts";
import type { ProvisionResult } from "../../src/core/result.ts";
import { ecKey, rsaKey, selfSignedCertificate } from "../support/signing-test-kit.ts";

export const ISSUER_ID = "69a6de70-03db-47e3-e053-5b8c7c11a4d1";
export const DAY_MS = 86_400_000;
export const NOW = Date.parse("2025-06-01T12:00:00Z");

interface MemoryEntry {
  key: string;
  /** The path strings it was saved from (the Actions cache's "version" covers them too). */
  version: string;
  files: Map<string, Buffer>;
  order: number;
}

export class MemoryCacheStore implements CacheStore {
  readonly entries: MemoryEntry[] = [];
  /** Thrown by every call while set (an outage). */
  failure: Error | undefined;
  readonly calls: string[] = [];
  #order = 0;

  async restore(
    paths: string[],
    primaryKey: string,
    restoreKeys: string[] = [],
  ): Promise<string | undefined> {
    this.calls.push(`restore ${primaryKey}`);
    if (this.failure) throw this.failure;
    const version = paths.join("|");
    const usable = this.entries.filter((entry) => entry.version === version);
    for (const key of [primaryKey, ...restoreKeys]) {
      const match =
        usable.find((entry) => entry.key === key) ??
        usable.filter((entry) => entry.key.startsWith(key)).sort((a, b) => b.order - a.order)[0];
      if (!match) continue;
      for (const [name, content] of match.files) {
        const [index, ...rest] = name.split("/");
        const target = join(paths[Number(index)] ?? "", ...rest);
        mkdirSync(dirname(target), { recursive: true });
        writeFileSync(target, content);
      }
      return match.key;
    }
    return undefined;
  }

  async save(paths: string[], key: string): Promise<void> {
    this.calls.push(`save ${key}`);
    if (this.failure) throw this.failure;
    if (this.entries.some((entry) => entry.key === key)) return;
    const files = new Map<string, Buffer>();
    paths.forEach((path, index) => {
      for (const file of walk(path)) files.set(`${index}/${relative(path, file)}`, readFileSync(file));
    });
    this.entries.push({ key, version: paths.join("|"), files, order: this.#order++ });
  }

  /** The only file of the newest entry whose key starts with `prefix`. */
  newestFile(prefix: string): Buffer {
    const entry = this.entries.filter((e) => e.key.startsWith(prefix)).sort((a, b) => b.order - a.order)[0];
    const file = entry ? [...entry.files.values()][0] : undefined;
    if (!file) throw new Error(`no entry under ${prefix}`);
    return file;
  }
}

function walk(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path).flatMap((name) => walk(join(path, name)));
}

export interface RecordingLogger extends Logger {
  readonly lines: Array<{ level: "debug" | "info" | "warning" | "error"; message: string }>;
  warnings(): string[];
  text(): string;
}

export function recordingLogger(): RecordingLogger {
  const lines: RecordingLogger["lines"] = [];
  return {
    lines,
    debug: (message) => lines.push({ level: "debug", message }),
    info: (message) => lines.push({ level: "info", message }),
    warning: (message) => lines.push({ level: "warning", message }),
    error: (message) => lines.push({ level: "error", message }),
    group: (_name, fn) => fn(),
    warnings: () => lines.filter((line) => line.level === "warning").map((line) => line.message),
    text: () => lines.map((line) => line.message).join("\n"),
  };
}

/** A configuration for two targets, with the test signing key. */
export function sampleConfig(overrides: Partial<Config> = {}): Config {
  return {
    apiKey: {
      issuerId: ISSUER_ID,
      keyId: "2X9R4HXF34",
      privateKey: ecKey(),
      baseUrl: "https://api.appstoreconnect.apple.com",
    },
    bundleIds: [
      { identifier: "com.example.app", name: "Example App" },
      { identifier: "com.example.app.widget", name: "Example Widget" },
    ],
    platform: "IOS",
    profileType: "IOS_APP_STORE",
    profileNameTemplate: "{bundleId} {type}",
    minDaysValid: 30,
    capabilities: [
      { bundleId: "com.example.app", type: "ICLOUD", settings: { ICLOUD_VERSION: "XCODE_6" } },
      { bundleId: "com.example.app", type: "PUSH_NOTIFICATIONS", settings: {} },
    ],
    capabilitiesExclusive: false,
    certificate: { privateKey: rsaKey() },
    certificateType: undefined,
    certificateRenewDays: 0,
    devices: [],
    deviceSelection: { kind: "all" },
    reenableDevices: false,
    mode: "apply",
    ...overrides,
  };
}

/** A successful two-target run: a certificate for `key` and two profiles of realistic size. */
export async function sampleResult(
  options: { key?: KeyObject; profileExpiry?: string; certificateExpiry?: string } = {},
): Promise<ProvisionResult> {
  const key = options.key ?? rsaKey();
  const profileExpiry = options.profileExpiry ?? new Date(NOW + 300 * DAY_MS).toISOString();
  const profile = (bundleId: string, n: number) => ({
    bundleId,
    bundleIdResourceId: `BUNDLE${n}`,
    appId: n === 1 ? "1234567890" : undefined,
    id: `PROFILE${n}`,
    uuid: `0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5${n}`,
    name: `${bundleId} IOS_APP_STORE`,
    profileType: "IOS_APP_STORE" as const,
    expirationDate: profileExpiry,
    content: new Uint8Array(randomBytes(12_000)),
    extension: ".mobileprovision" as const,
    outcome: "reused" as const,
    reason: "valid",
  });
  const der = await selfSignedCertificate(key);
  return {
    mode: "apply",
    teamId: "TEAM123456",
    certificate: {
      id: "CERT1",
      certificateType: "DISTRIBUTION",
      serialNumber: "0123456789ABCDEF",
      sha1: createHash("sha1").update(der).digest("hex").toUpperCase(),
      commonName: "Apple Distribution: Test Team (TEAM123456)",
      name: "Apple Distribution: Test Team",
      expirationDate: options.certificateExpiry ?? new Date(NOW + 360 * DAY_MS).toISOString(),
      der,
      privateKey: key,
      outcome: "reused",
      reason: "matches the key",
    },
    bundleIds: [
      { identifier: "com.example.app", id: "BUNDLE1", outcome: "reused", capabilities: [] },
      { identifier: "com.example.app.widget", id: "BUNDLE2", outcome: "reused", capabilities: [] },
    ],
    profiles: [profile("com.example.app", 1), profile("com.example.app.widget", 2)],
    plan: [],
    changed: false,
  };
}
