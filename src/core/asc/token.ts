// The App Store Connect API token: an ES256 JWT signed with the team key (.p8), minted once and reused
// while it has minutes left. Concurrent callers share one mint.
import type { KeyObject } from "node:crypto";
import { SignJWT } from "jose";
import type { Clock, SecretMasker } from "../ports.ts";

export const APPLE_API_BASE_URL = "https://api.appstoreconnect.apple.com";
export const ENTERPRISE_API_BASE_URL = "https://api.enterprise.developer.apple.com";

/** Apple allows at most 20 minutes; stay under it so a skewed clock does not push past the limit. */
export const TOKEN_LIFETIME_SECONDS = 19 * 60;
/** A token is reused while at least this much of its life is left. */
export const TOKEN_MIN_REMAINING_MS = 2 * 60 * 1000;

export type Audience = "appstoreconnect-v1" | "apple-developer-enterprise-v1";

/** The enterprise host takes its own audience; every other host (Apple's, a fake) the App Store Connect one. */
export function audienceFor(baseUrl: string): Audience {
  let host: string;
  try {
    host = new URL(baseUrl).hostname.toLowerCase();
  } catch {
    return "appstoreconnect-v1";
  }
  return host === new URL(ENTERPRISE_API_BASE_URL).hostname
    ? "apple-developer-enterprise-v1"
    : "appstoreconnect-v1";
}

export interface TokenSourceOptions {
  issuerId: string;
  keyId: string;
  privateKey: KeyObject;
  audience: string;
  clock: Clock;
  masker?: SecretMasker;
}

interface MintedToken {
  jwt: string;
  expiresAtMs: number;
}

export class TokenSource {
  readonly #options: TokenSourceOptions;
  #current: MintedToken | undefined;
  #pending: Promise<MintedToken> | undefined;
  /** How many tokens were minted (for tests and stats). */
  minted = 0;

  constructor(options: TokenSourceOptions) {
    this.#options = options;
  }

  async token(): Promise<string> {
    const current = this.#current;
    if (current && current.expiresAtMs - this.#options.clock.now() >= TOKEN_MIN_REMAINING_MS)
      return current.jwt;
    if (!this.#pending) {
      this.#pending = this.#mint().finally(() => {
        this.#pending = undefined;
      });
    }
    return (await this.#pending).jwt;
  }

  /**
   * Drops the current token so that the next call mints a new one. With `rejected`, only when that is
   * still the current token: concurrent requests that all got 401 with the same token cause one new mint.
   */
  invalidate(rejected?: string): void {
    if (rejected === undefined || this.#current?.jwt === rejected) this.#current = undefined;
  }

  async #mint(): Promise<MintedToken> {
    const { issuerId, keyId, privateKey, audience, clock, masker } = this.#options;
    const iat = Math.floor(clock.now() / 1000);
    const exp = iat + TOKEN_LIFETIME_SECONDS;
    const jwt = await new SignJWT({})
      .setProtectedHeader({ alg: "ES256", kid: keyId, typ: "JWT" })
      .setIssuer(issuerId)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .setAudience(audience)
      .sign(privateKey);
    masker?.mask(jwt);
    this.minted += 1;
    const minted = { jwt, expiresAtMs: exp * 1000 };
    this.#current = minted;
    return minted;
  }
}
