// API keys and JWT verification as Apple does it: ES256 only; header `kid` a registered, non-revoked key;
// `iss` its issuer id (individual keys: `sub: "user"` instead); `aud` appstoreconnect-v1 (enterprise:
// apple-developer-enterprise-v1); `iat` and `exp` required, `exp` not passed and at most 20 minutes after
// `iat`; `iat` at most a minute in the future. Requiring `iat` follows Apple's documentation ("Required").
import { createPublicKey, generateKeyPairSync, type KeyObject, randomInt, randomUUID } from "node:crypto";
import { decodeProtectedHeader, jwtVerify } from "jose";

export type ApiKeyKind = "team" | "individual";

export interface ApiKeyCredentials {
  issuerId: string;
  keyId: string;
  /** PKCS#8 PEM, like the .p8 Apple hands out. */
  privateKeyPem: string;
}

interface RegisteredKey extends ApiKeyCredentials {
  kind: ApiKeyKind;
  publicKey: KeyObject;
  revoked: boolean;
}

export const MAX_TOKEN_LIFETIME_S = 20 * 60;
export const MAX_IAT_SKEW_S = 60;

export class ApiKeyRegistry {
  readonly #keys = new Map<string, RegisteredKey>();

  add(kind: ApiKeyKind = "team"): ApiKeyCredentials {
    const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    let keyId = "";
    do {
      keyId = Array.from({ length: 10 }, () => "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"[randomInt(36)]).join(
        "",
      );
    } while (this.#keys.has(keyId));
    const credentials: ApiKeyCredentials = {
      issuerId: randomUUID(),
      keyId,
      privateKeyPem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    };
    this.#keys.set(keyId, { ...credentials, kind, publicKey: createPublicKey(privateKey), revoked: false });
    return credentials;
  }

  revoke(keyId: string): void {
    const key = this.#keys.get(keyId);
    if (!key) throw new Error(`no API key ${keyId}`);
    key.revoked = true;
  }

  get(keyId: string): RegisteredKey | undefined {
    return this.#keys.get(keyId);
  }
}

export type AuthResult =
  | { ok: true; keyId: string; kind: ApiKeyKind }
  | { ok: false; keyId: string | undefined; reason: string };

/** Checks `Authorization: Bearer <JWT>`. `reason` is for the request log only (Apple's 401 says nothing). */
export async function authenticate(
  authorization: string | undefined,
  keys: ApiKeyRegistry,
  audience: string,
  nowMs: number,
): Promise<AuthResult> {
  const match = /^Bearer ([^\s]+)$/.exec(authorization ?? "");
  if (!match) return { ok: false, keyId: undefined, reason: "no Bearer token in the Authorization header" };
  const token = match[1]!;
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(token);
  } catch {
    return { ok: false, keyId: undefined, reason: "the token is not a JWT" };
  }
  const keyId = typeof header.kid === "string" ? header.kid : undefined;
  if (header.alg !== "ES256") return { ok: false, keyId, reason: `alg ${String(header.alg)} is not ES256` };
  const key = keyId ? keys.get(keyId) : undefined;
  if (!key || !keyId) return { ok: false, keyId, reason: `kid ${String(keyId)} is not a key of this team` };
  if (key.revoked) return { ok: false, keyId, reason: `key ${keyId} was revoked` };

  let payload: Awaited<ReturnType<typeof jwtVerify>>["payload"];
  try {
    ({ payload } = await jwtVerify(token, key.publicKey, {
      algorithms: ["ES256"],
      audience,
      currentDate: new Date(nowMs),
      requiredClaims: ["exp", "iat"],
    }));
  } catch (error) {
    return { ok: false, keyId, reason: `JWT rejected: ${(error as Error).message}` };
  }
  if (key.kind === "team" && payload.iss !== key.issuerId) {
    return { ok: false, keyId, reason: `iss ${String(payload.iss)} is not the issuer of key ${keyId}` };
  }
  if (key.kind === "individual" && payload.iss !== undefined && payload.iss !== key.issuerId) {
    return { ok: false, keyId, reason: `iss ${String(payload.iss)} is not the issuer of key ${keyId}` };
  }
  if (key.kind === "individual" && payload.iss === undefined && payload.sub !== "user") {
    return { ok: false, keyId, reason: "an individual key's token needs sub: user (or iss)" };
  }
  const iat = payload.iat!;
  const exp = payload.exp!;
  const nowS = nowMs / 1000;
  if (iat > nowS + MAX_IAT_SKEW_S) return { ok: false, keyId, reason: "iat is in the future" };
  if (exp - iat > MAX_TOKEN_LIFETIME_S) {
    return { ok: false, keyId, reason: `exp is ${exp - iat} s after iat; Apple allows at most 1200` };
  }
  return { ok: true, keyId, kind: key.kind };
}
