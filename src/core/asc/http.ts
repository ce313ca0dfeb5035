// AscClient: the one way the core talks to App Store Connect. Token, JSON:API requests, pagination,
// retries (429, 5xx, resets, 401 once), the hourly budget, and typed errors. Safe for concurrent use.
import type { KeyObject } from "node:crypto";
import { type Dispatcher, EnvHttpProxyAgent } from "undici";
import { InputError } from "../errors.ts";
import {
  type Clock,
  type Logger,
  realSleep,
  type SecretMasker,
  type Sleep,
  silentLogger,
  systemClock,
} from "../ports.ts";
import { VERSION } from "../version.ts";
import {
  errorFromAnswer,
  errorFromTransport,
  foreignNextLink,
  type HttpAnswer,
  headerValue,
  paginationLoop,
  parseJson,
  type RequestRef,
  rateLimitWaitTooLong,
} from "./error-mapping.ts";
import { ExchangeFailure, exchange } from "./exchange.ts";
import { buildUrl, normaliseBaseUrl, type Query } from "./json-api.ts";
import { isBudgetLow, parseRateLimit, type RateLimitInfo, RequestPacer } from "./rate-limit.ts";
import {
  backoffDelay,
  DEFAULT_RETRY,
  decideRetry,
  type Method,
  parseRetryAfter,
  type RetryOptions,
  rateLimitBackoffDelay,
} from "./retry-policy.ts";
import { APPLE_API_BASE_URL, audienceFor, TokenSource } from "./token.ts";
import type { AnyResource, Document } from "./types.ts";

export type { Query, QueryValue } from "./json-api.ts";
export type { RateLimitInfo } from "./rate-limit.ts";

export interface AscClientOptions {
  issuerId: string;
  keyId: string;
  privateKey: KeyObject;
  /** Default Apple's host; a trailing slash is tolerated. The enterprise host switches the audience. */
  baseUrl?: string;
  /** Overrides the audience derived from the host (a fake enterprise server on loopback). */
  audience?: string;
  /**
   * The undici dispatcher for every request; it belongs to the caller, who closes it. Default: a keep-alive
   * EnvHttpProxyAgent of the client's own (HTTPS_PROXY / HTTP_PROXY / NO_PROXY from the environment).
   */
  dispatcher?: Dispatcher;
  clock?: Clock;
  sleep?: Sleep;
  random?: () => number;
  logger?: Logger;
  masker?: SecretMasker;
  /** Default `asc-provision/<version>`. */
  userAgent?: string;
  retry?: Partial<RetryOptions>;
  /** Per attempt, headers and body; default 60 s. */
  timeoutMs?: number;
  /** Spacing between requests once the hourly budget runs low; default 250 ms. */
  pacingIntervalMs?: number;
}

export interface AscClientStats {
  /** HTTP attempts sent, retries included. */
  requests: number;
  /** Attempts that repeated an earlier one (backoff, 429 wait, new token after 401). */
  retries: number;
  /** 429 answers waited out. */
  rateLimitWaits: number;
  /** Requests serialised through the pacer because the budget was low. */
  pacedRequests: number;
  /** JWTs minted. */
  tokensMinted: number;
}

const DEFAULT_TIMEOUT_MS = 60_000;
const MAX_PAGES = 10_000;

const isDocument = (value: unknown): value is Document<unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value) && "data" in value;

/** Requests run concurrently; each is sent with its own timeout and retried by the rules of retry-policy.ts. */
export class AscClient {
  readonly #baseUrl: string;
  readonly #origin: string;
  readonly #tokens: TokenSource;
  readonly #dispatcher: Dispatcher;
  readonly #ownsDispatcher: boolean;
  readonly #audience: string;
  readonly #clock: Clock;
  readonly #sleep: Sleep;
  readonly #random: () => number;
  readonly #logger: Logger;
  readonly #userAgent: string;
  readonly #retry: RetryOptions;
  readonly #timeoutMs: number;
  readonly #pacer: RequestPacer;
  #rateLimit: RateLimitInfo | undefined;
  #pacingLogged = false;
  readonly #counts = { requests: 0, retries: 0, rateLimitWaits: 0 };

  constructor(options: AscClientOptions) {
    this.#baseUrl = normaliseBaseUrl(options.baseUrl ?? APPLE_API_BASE_URL);
    let origin: string | undefined;
    try {
      const url = new URL(this.#baseUrl);
      if (url.protocol === "https:" || url.protocol === "http:") origin = url.origin;
    } catch {
      origin = undefined;
    }
    if (origin === undefined) {
      throw new InputError([
        {
          input: "api-base-url",
          message: `"${this.#baseUrl}" is not an http(s) URL; expected e.g. ${APPLE_API_BASE_URL}.`,
        },
      ]);
    }
    this.#origin = origin;
    this.#clock = options.clock ?? systemClock;
    this.#sleep = options.sleep ?? realSleep;
    this.#random = options.random ?? Math.random;
    this.#logger = options.logger ?? silentLogger;
    this.#userAgent = options.userAgent ?? `asc-provision/${VERSION}`;
    const retry = { ...DEFAULT_RETRY, ...stripUndefined(options.retry ?? {}) };
    this.#retry = { ...retry, maxAttempts: Math.max(1, Math.floor(retry.maxAttempts)) };
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#pacer = new RequestPacer(this.#sleep, this.#clock, options.pacingIntervalMs);
    this.#ownsDispatcher = options.dispatcher === undefined;
    this.#dispatcher = options.dispatcher ?? new EnvHttpProxyAgent();
    this.#audience = options.audience ?? audienceFor(this.#baseUrl);
    this.#tokens = new TokenSource({
      issuerId: options.issuerId,
      keyId: options.keyId,
      privateKey: options.privateKey,
      audience: this.#audience,
      clock: this.#clock,
      masker: options.masker,
    });
  }

  /** From the latest `X-Rate-Limit` header. */
  get rateLimit(): RateLimitInfo | undefined {
    return this.#rateLimit;
  }

  get stats(): AscClientStats {
    return { ...this.#counts, pacedRequests: this.#pacer.paced, tokensMinted: this.#tokens.minted };
  }

  get baseUrl(): string {
    return this.#baseUrl;
  }

  /** The JWT audience: which API the host serves (App Store Connect, or the Enterprise Program's). */
  get audience(): string {
    return this.#audience;
  }

  get<T>(path: string, query?: Query): Promise<Document<T>> {
    return this.#send("GET", buildUrl(this.#baseUrl, path, query), undefined) as Promise<Document<T>>;
  }

  /** Follows links.next to the end (never trusts meta.paging.total); returns all data and all included. */
  async getAll<T>(path: string, query?: Query): Promise<{ data: T[]; included: AnyResource[] }> {
    const data: T[] = [];
    const included = new Map<string, AnyResource>();
    const add = (doc: Document<T | T[] | null>): void => {
      if (Array.isArray(doc.data)) data.push(...doc.data);
      else if (doc.data !== null && doc.data !== undefined) data.push(doc.data);
      for (const resource of doc.included ?? []) included.set(`${resource.type}/${resource.id}`, resource);
    };
    const first = buildUrl(this.#baseUrl, path, query);
    const seen = new Set<string>([first.href]);
    let doc = (await this.#send("GET", first, undefined)) as Document<T | T[] | null>;
    add(doc);
    while (doc.links?.next) {
      const next = this.#nextUrl(doc.links.next, first);
      if (seen.has(next.href) || seen.size >= MAX_PAGES) {
        throw paginationLoop(first, next);
      }
      seen.add(next.href);
      doc = (await this.#send("GET", next, undefined)) as Document<T | T[] | null>;
      add(doc);
    }
    return { data, included: [...included.values()] };
  }

  post<T>(path: string, body: unknown): Promise<Document<T>> {
    return this.#send("POST", buildUrl(this.#baseUrl, path), JSON.stringify(body)) as Promise<Document<T>>;
  }

  patch<T>(path: string, body: unknown): Promise<Document<T>> {
    return this.#send("PATCH", buildUrl(this.#baseUrl, path), JSON.stringify(body)) as Promise<Document<T>>;
  }

  async delete(path: string): Promise<void> {
    await this.#send("DELETE", buildUrl(this.#baseUrl, path), undefined);
  }

  /** Closes the default dispatcher and its connections (a dispatcher passed in belongs to the caller). */
  async close(): Promise<void> {
    if (this.#ownsDispatcher) await this.#dispatcher.close();
  }

  #nextUrl(next: string, first: URL): URL {
    const url = new URL(next, first);
    if (url.origin !== this.#origin) {
      throw foreignNextLink(first, url, this.#origin);
    }
    return url;
  }

  /** Sends with retries; resolves to the parsed document (undefined for DELETE). */
  async #send(method: Method, url: URL, body: string | undefined): Promise<unknown> {
    const ref: RequestRef = { method, path: `${url.pathname}${url.search}`, host: url.host };
    let attempt = 0;
    let reauthenticated = false;
    for (;;) {
      attempt += 1;
      let token = "";
      let answer: HttpAnswer;
      try {
        // The token is taken when the request leaves the pacer's queue: a wait there must not outlast it.
        answer = await this.#pacer.run(async () => {
          token = await this.#tokens.token();
          return this.#attempt(method, url, body, token, ref);
        });
      } catch (thrown) {
        if (!(thrown instanceof ExchangeFailure)) throw thrown;
        const decision = decideRetry(method, thrown.classified.failure);
        if (decision.action === "retry" && attempt < this.#retry.maxAttempts) {
          await this.#backoff(attempt, ref, thrown.classified.cause);
          continue;
        }
        throw errorFromTransport(thrown.classified, ref, this.#timeoutMs, {
          outcomeUnknown: decision.action === "outcome-unknown",
          attempts: attempt,
          error: thrown.cause,
        });
      }

      const { status } = answer;
      if (status >= 200 && status < 300) {
        if (method === "DELETE") return undefined;
        const parsed = parseJson(answer.body);
        if (isDocument(parsed)) return parsed;
      } else if (status === 401 && !reauthenticated) {
        reauthenticated = true;
        attempt -= 1; // a new token is not a retry of the same failure
        this.#counts.retries += 1;
        this.#tokens.invalidate(token);
        this.#logger.debug(`${method} ${ref.path}: 401, retrying once with a new token`);
        continue;
      } else if (status === 429) {
        const retryAfter = parseRetryAfter(headerValue(answer.headers, "retry-after"), this.#clock.now());
        if (retryAfter !== undefined && retryAfter > this.#retry.maxRateLimitWaitMs) {
          throw rateLimitWaitTooLong(answer, ref, retryAfter, this.#retry.maxRateLimitWaitMs);
        }
        this.#startPacing("a 429 answer");
        if (attempt < this.#retry.maxAttempts) {
          const wait = retryAfter ?? rateLimitBackoffDelay(attempt, this.#retry, this.#random);
          this.#counts.rateLimitWaits += 1;
          this.#counts.retries += 1;
          this.#logger.debug(`${method} ${ref.path}: 429, waiting ${wait} ms before retrying`);
          await this.#sleep(wait);
          continue;
        }
      }

      const decision = decideRetry(method, { kind: "status", status });
      if (status !== 429 && decision.action === "retry" && attempt < this.#retry.maxAttempts) {
        await this.#backoff(attempt, ref, `HTTP ${status}`);
        continue;
      }
      throw errorFromAnswer(answer, ref, {
        outcomeUnknown: decision.action === "outcome-unknown",
        attempts: attempt,
      });
    }
  }

  async #backoff(attempt: number, ref: RequestRef, why: string): Promise<void> {
    const wait = backoffDelay(attempt, this.#retry, this.#random);
    this.#counts.retries += 1;
    this.#logger.debug(`${ref.method} ${ref.path}: ${why}, retrying in ${wait} ms (attempt ${attempt + 1})`);
    await this.#sleep(wait);
  }

  async #attempt(
    method: Method,
    url: URL,
    body: string | undefined,
    token: string,
    ref: RequestRef,
  ): Promise<HttpAnswer> {
    this.#counts.requests += 1;
    const started = this.#clock.now();
    const headers: Record<string, string> = {
      authorization: `Bearer ${token}`,
      accept: "application/json",
      "user-agent": this.#userAgent,
    };
    if (body !== undefined) headers["content-type"] = "application/json";
    try {
      const answer = await exchange(this.#dispatcher, { method, url, headers, body }, this.#timeoutMs);
      this.#noteBudget(headerValue(answer.headers, "x-rate-limit"));
      this.#logger.debug(`${method} ${ref.path} ${answer.status} ${this.#clock.now() - started} ms`);
      return answer;
    } catch (error) {
      if (error instanceof ExchangeFailure) {
        this.#logger.debug(
          `${method} ${ref.path} failed (${error.classified.cause}) ${this.#clock.now() - started} ms`,
        );
      }
      throw error;
    }
  }

  #noteBudget(header: string | undefined): void {
    const info = parseRateLimit(header);
    if (!info) return;
    this.#rateLimit = info;
    if (isBudgetLow(info)) this.#startPacing(`${info.remaining} of ${info.limit} requests left this hour`);
    else this.#pacer.pacing = false;
  }

  #startPacing(why: string): void {
    if (this.#pacer.pacing) return;
    this.#pacer.pacing = true;
    if (!this.#pacingLogged) {
      this.#pacingLogged = true;
      this.#logger.debug(`Pacing App Store Connect requests one at a time (${why})`);
    }
  }
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as Partial<T>;
}
