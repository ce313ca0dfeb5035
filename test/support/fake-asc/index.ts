// The fake App Store Connect server: start it, point a client at `url` with `apiKey`, seed and inspect
// `state`, assert on `log`/`waves()`/`stats()`, inject `faults`, and read `specViolations`.

import type { SpecValidator } from "../openapi-validator.ts";
import { createTestTls } from "../tls-ca.ts";
import { createFakeAppleCa, type FakeAppleCa } from "./apple-ca.ts";
import { type ApiKeyCredentials, type ApiKeyKind, ApiKeyRegistry } from "./auth.ts";
import { enterpriseRoutes } from "./enterprise-mode.ts";
import { FaultInjector } from "./faults.ts";
import { RateLimiter } from "./rate-limit.ts";
import { RequestLog, type RequestLogEntry, type RequestStats } from "./request-log.ts";
import { Router } from "./router.ts";
import { appRoutes } from "./routes-apps.ts";
import { bundleIdRoutes } from "./routes-bundle-ids.ts";
import { capabilityRoutes } from "./routes-capabilities.ts";
import { certificateRoutes } from "./routes-certificates.ts";
import { deviceRoutes } from "./routes-devices.ts";
import { profileRoutes } from "./routes-profiles.ts";
import { startServer } from "./server.ts";
import { FakeState } from "./state.ts";
import { Store } from "./store.ts";

export type { FakeAppleCa } from "./apple-ca.ts";
export type { ApiKeyCredentials } from "./auth.ts";
export type { FaultInjector, FaultKind, FaultRule, FaultWhen, RandomFaultConfig } from "./faults.ts";
export type * from "./records.ts";
export type { RequestLogEntry, RequestStats } from "./request-log.ts";
export type { FakeState } from "./state.ts";

export interface FakeAscOptions {
  /** HTTPS with a throwaway CA (default false: plain HTTP on 127.0.0.1). */
  tls?: boolean;
  /**
   * Extra names the TLS certificate is valid for, e.g. `api.enterprise.developer.apple.com` when a
   * CONNECT proxy (HTTPS_PROXY) leads that host to the fake. Default: 127.0.0.1 and localhost only.
   */
  tlsHostnames?: string[];
  /** Port on 127.0.0.1 (default: any free port). */
  port?: number;
  /** Added to every response (default 0). */
  latencyMs?: number;
  /** Default "FAKE7EAM42". */
  teamId?: string;
  /** Default "Fake Team Ltd". */
  teamName?: string;
  /**
   * Apple Enterprise Program API (enterprise-mode.ts): audience apple-developer-enterprise-v1, only the
   * enterprise document's operations and parameters, in-house profiles, no DISTRIBUTION, no apps. A
   * `validator` must be the enterprise document's (loadEnterpriseSpecValidator).
   */
  enterprise?: boolean;
  /** Default 3600 per key, rolling hour. */
  rateLimitPerHour?: number;
  /** Requests in flight at once per key beyond which the fake answers 429 (default: off). */
  burstLimit?: number;
  /** Current certificates per distribution type (default 3). */
  distributionCertificateLimit?: number;
  /** The fake's clock in ms (default Date.now): expiry, JWT checks and the rate-limit window use it. */
  now?: () => number;
  /** Validates every request and response live; problems go to `specViolations`. */
  validator?: SpecValidator;
  /** What expired profiles report (default INVALID; EXPIRED is seen in practice but not in the spec). */
  expiredProfileState?: "INVALID" | "EXPIRED";
}

export interface FakeAsc {
  /** e.g. http://127.0.0.1:54321 (client paths are /v1/...). */
  url: string;
  /** The TLS CA (PEM) when `tls`. */
  caCertPem: string | undefined;
  /** A team key: ES256, PKCS#8 PEM like a .p8. */
  apiKey: ApiKeyCredentials;
  addApiKey(kind?: ApiKeyKind): ApiKeyCredentials;
  revokeApiKey(keyId: string): void;
  pki: FakeAppleCa;
  state: FakeState;
  /** Every request so far (live array). */
  readonly log: RequestLogEntry[];
  /** Requests grouped into round-trip waves. */
  waves(): RequestLogEntry[][];
  stats(): RequestStats;
  clearLog(): void;
  faults: FaultInjector;
  specViolations: string[];
  setLatency(ms: number): void;
  stop(): Promise<void>;
}

export const DEFAULT_TEAM_ID = "FAKE7EAM42";
export const DEFAULT_TEAM_NAME = "Fake Team Ltd";

export async function startFakeAsc(options: FakeAscOptions = {}): Promise<FakeAsc> {
  const now = options.now ?? Date.now;
  const teamId = options.teamId ?? DEFAULT_TEAM_ID;
  if (!/^[A-Z0-9]{10}$/.test(teamId))
    throw new Error(`teamId ${JSON.stringify(teamId)} must be 10 upper-case letters or digits`);
  const enterprise = options.enterprise ?? false;
  const [pki, tls] = await Promise.all([
    createFakeAppleCa(),
    options.tls
      ? createTestTls(["127.0.0.1", "localhost", ...(options.tlsHostnames ?? [])])
      : Promise.resolve(undefined),
  ]);
  const store = new Store({
    teamId,
    teamName: options.teamName ?? DEFAULT_TEAM_NAME,
    enterprise,
    now,
    pki,
    expiredProfileState: options.expiredProfileState ?? "INVALID",
    distributionCertificateLimit: options.distributionCertificateLimit ?? 3,
  });
  const keys = new ApiKeyRegistry();
  const apiKey = keys.add("team");
  const log = new RequestLog();
  const faults = new FaultInjector();
  const specViolations: string[] = [];
  const routes = [
    ...bundleIdRoutes,
    ...capabilityRoutes,
    ...certificateRoutes,
    ...deviceRoutes,
    ...profileRoutes,
    ...appRoutes,
  ];
  if (enterprise && options.validator && options.validator.document !== "enterprise")
    throw new Error(
      "an enterprise fake validates against the enterprise document: loadEnterpriseSpecValidator()",
    );
  const router = new Router(enterprise ? enterpriseRoutes(routes) : routes);
  let latencyMs = options.latencyMs ?? 0;

  const server = await startServer({
    router,
    store,
    keys,
    audience: enterprise ? "apple-developer-enterprise-v1" : "appstoreconnect-v1",
    rateLimiter: new RateLimiter(options.rateLimitPerHour ?? 3600, options.burstLimit, now),
    faults,
    log,
    ...(options.validator ? { validator: options.validator } : {}),
    specViolations,
    latencyMs: () => latencyMs,
    port: options.port ?? 0,
    ...(tls ? { tls: { certPem: tls.certPem, keyPem: tls.keyPem } } : {}),
  });

  return {
    url: server.url,
    caCertPem: tls?.caCertPem,
    apiKey,
    addApiKey: (kind = "team") => keys.add(kind),
    revokeApiKey: (keyId) => keys.revoke(keyId),
    pki,
    state: new FakeState(store),
    get log() {
      return log.entries;
    },
    waves: () => log.waves(),
    stats: () => log.stats((path) => router.templateOf(path)),
    clearLog: () => log.clear(),
    faults,
    specViolations,
    setLatency(ms) {
      latencyMs = ms;
    },
    stop: () => server.stop(),
  };
}
