// A minimal client for tests that talk to the fake directly (the project's own client is tested
// separately): JWTs signed with jose, requests through undici, JSON bodies parsed when they are JSON.
import { createPrivateKey } from "node:crypto";
import { SignJWT } from "jose";
import { Agent, type Dispatcher, request } from "undici";
import type { ApiKeyCredentials } from "./auth.ts";

export interface TokenOptions {
  audience?: string;
  /** Seconds since the epoch (default: now). */
  iat?: number;
  /** Seconds since the epoch (default: iat + 19 minutes). */
  exp?: number;
  /** null leaves `iss` out. */
  issuer?: string | null;
  subject?: string;
  keyId?: string;
  /** Sign with another key than the one named by `keyId`. */
  privateKeyPem?: string;
}

export async function signToken(key: ApiKeyCredentials, options: TokenOptions = {}): Promise<string> {
  const iat = options.iat ?? Math.floor(Date.now() / 1000);
  const jwt = new SignJWT({})
    .setProtectedHeader({ alg: "ES256", kid: options.keyId ?? key.keyId, typ: "JWT" })
    .setIssuedAt(iat)
    .setExpirationTime(options.exp ?? iat + 19 * 60)
    .setAudience(options.audience ?? "appstoreconnect-v1");
  if (options.issuer !== null) jwt.setIssuer(options.issuer ?? key.issuerId);
  if (options.subject) jwt.setSubject(options.subject);
  return jwt.sign(createPrivateKey(options.privateKeyPem ?? key.privateKeyPem));
}

/** JSON documents as tests read them: freely, without casts at every step. */
// biome-ignore lint/suspicious/noExplicitAny: response documents are navigated freely in tests
export type Json = any;

export interface FakeResponse<T = Json> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON, the raw text when it is not JSON, undefined when empty. */
  body: T;
  text: string;
}

export interface FakeClientOptions {
  key: ApiKeyCredentials;
  /** The fake's TLS CA, when it serves HTTPS. */
  caCertPem?: string;
  token?: TokenOptions;
}

export interface FakeClient {
  request<T = Json>(
    method: string,
    path: string,
    init?: { body?: unknown; token?: string | null },
  ): Promise<FakeResponse<T>>;
  get<T = Json>(path: string): Promise<FakeResponse<T>>;
  post<T = Json>(path: string, body: unknown): Promise<FakeResponse<T>>;
  patch<T = Json>(path: string, body: unknown): Promise<FakeResponse<T>>;
  delete<T = Json>(path: string): Promise<FakeResponse<T>>;
  close(): Promise<void>;
}

/** `path` may be a path (/v1/...) or an absolute URL (a `links.next`). */
export function fakeClient(baseUrl: string, options: FakeClientOptions): FakeClient {
  const dispatcher: Dispatcher = new Agent(options.caCertPem ? { connect: { ca: options.caCertPem } } : {});
  const call = async (method: string, path: string, init: { body?: unknown; token?: string | null } = {}) => {
    const token = init.token === undefined ? await signToken(options.key, options.token) : init.token;
    const url = path.startsWith("http") ? path : `${baseUrl}${path}`;
    const response = await request(url, {
      method: method as Dispatcher.HttpMethod,
      dispatcher,
      headers: {
        ...(token !== null ? { authorization: `Bearer ${token}` } : {}),
        ...(init.body !== undefined ? { "content-type": "application/json" } : {}),
      },
      ...(init.body !== undefined
        ? { body: typeof init.body === "string" ? init.body : JSON.stringify(init.body) }
        : {}),
    });
    const text = await response.body.text();
    let body: unknown;
    if (text !== "") {
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
    }
    return { status: response.statusCode, headers: response.headers, body, text } as FakeResponse;
  };
  return {
    request: call,
    get: (path) => call("GET", path),
    post: (path, body) => call("POST", path, { body }),
    patch: (path, body) => call("PATCH", path, { body }),
    delete: (path) => call("DELETE", path),
    close: () => dispatcher.close(),
  };
}
