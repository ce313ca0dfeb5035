// The fake `security`'s world, kept in a JSON file ($FAKE_SECURITY_STATE) between calls: keychains with
// their password, lock state, certificates and identities; the user search list; the default keychain;
// certificates of the system keychains (where macOS runners keep Apple's WWDR intermediates).
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface FakeCertificate {
  /** Upper-case hex SHA-1 of the DER. */
  sha1: string;
  subject: string;
  issuer: string;
  commonName: string;
  ca: boolean;
  pem: string;
}

export interface FakeIdentity extends FakeCertificate {
  /** -T applications allowed to use the key without a prompt. */
  trustedApplications: string[];
  /** Set by set-key-partition-list -S. */
  partitionList: string | undefined;
}

export interface FakeKeychain {
  password: string;
  locked: boolean;
  settings: { lockOnSleep: boolean; lockAfterTimeout: boolean; timeoutSeconds: number | undefined };
  certificates: FakeCertificate[];
  identities: FakeIdentity[];
}

export interface FakeSecurityState {
  keychains: Record<string, FakeKeychain>;
  searchList: string[];
  defaultKeychain: string;
  /** Certificates macOS already has outside the user's keychains: the self-signed ones stand for
   * SystemRootCertificates (trusted anchors, e.g. Apple Root CA), the others for intermediates in
   * /Library/Keychains/System.keychain (used to build chains, not trusted by themselves). */
  systemCertificates: FakeCertificate[];
}

export function emptyKeychain(password: string): FakeKeychain {
  return {
    password,
    locked: false,
    settings: { lockOnSleep: false, lockAfterTimeout: false, timeoutSeconds: undefined },
    certificates: [],
    identities: [],
  };
}

/** A runner's starting point: the login keychain (password unknown to us), searched and default. */
export function initialState(home: string, extraSearchList: string[] = []): FakeSecurityState {
  const login = join(home, "Library", "Keychains", "login.keychain-db");
  return {
    keychains: { [login]: { ...emptyKeychain("login-password-unknown-to-the-action"), locked: false } },
    searchList: [login, ...extraSearchList],
    defaultKeychain: login,
    systemCertificates: [],
  };
}

export function loadState(path: string, home: string): FakeSecurityState {
  if (!existsSync(path)) return initialState(home);
  return JSON.parse(readFileSync(path, "utf8")) as FakeSecurityState;
}

export function saveState(path: string, state: FakeSecurityState): void {
  writeFileSync(path, `${JSON.stringify(state, null, 2)}\n`);
}
