// Test helpers around the stand-in `security`: a PATH that finds it first, its log and its state.
import { readFileSync, writeFileSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describeCertificate } from "./fake-certificates.ts";
import { type FakeSecurityState, initialState, loadState } from "./fake-keychain-state.ts";
import { DEFAULT_MACOS, type FakeSecurityLogEntry } from "./fake-security.ts";

export const FAKE_SECURITY_DIR = dirname(fileURLToPath(import.meta.url));

export interface FakeSecurity {
  logPath: string;
  statePath: string;
  /** PATH (the fake first, then this Node 24), FAKE_SECURITY_LOG, FAKE_SECURITY_STATE, FAKE_SECURITY_MACOS. */
  env: Record<string, string>;
  log(): FakeSecurityLogEntry[];
  state(): FakeSecurityState;
}

export interface FakeSecurityOptions {
  /** Keychains already in the user search list after the login keychain (created as existing keychains). */
  extraSearchList?: string[];
  /** DER of CA certificates macOS already has: self-signed ones are trusted roots (SystemRootCertificates),
   * the others intermediates of the System keychain (where runners keep Apple's WWDR intermediates). */
  systemCertificates?: Uint8Array[];
  /** The macOS major version the stand-in models (FAKE_SECURITY_MACOS); 15 when not given. */
  macos?: number;
}

export function setUpFakeSecurity(
  dir: string,
  home: string,
  options: FakeSecurityOptions = {},
): FakeSecurity {
  const logPath = join(dir, "security-log.jsonl");
  const statePath = join(dir, "security-state.json");
  writeFileSync(logPath, "");
  const state = initialState(home, options.extraSearchList ?? []);
  for (const path of options.extraSearchList ?? [])
    state.keychains[path] = {
      ...structuredClone(Object.values(state.keychains)[0]!),
      password: "someone else's",
    };
  state.systemCertificates = (options.systemCertificates ?? []).map((der) => describeCertificate(der));
  writeFileSync(statePath, JSON.stringify(state, null, 2));
  return {
    logPath,
    statePath,
    env: {
      PATH: [FAKE_SECURITY_DIR, dirname(process.execPath), process.env.PATH ?? ""].join(delimiter),
      FAKE_SECURITY_LOG: logPath,
      FAKE_SECURITY_STATE: statePath,
      FAKE_SECURITY_MACOS: String(options.macos ?? DEFAULT_MACOS),
    },
    log: () =>
      readFileSync(logPath, "utf8")
        .split("\n")
        .filter(Boolean)
        .map((line) => JSON.parse(line) as FakeSecurityLogEntry),
    state: () => loadState(statePath, home),
  };
}
