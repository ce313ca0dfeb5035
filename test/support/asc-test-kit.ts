// Test kit for the App Store Connect client: a scripted loopback HTTP(S) server that records every
// request, a client wired to a fake clock, sleep and logger, and a leak check: no token and no
// Authorization header in any error or log line the tests produced.
import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer as createHttpServer, type IncomingHttpHeaders, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { inspect } from "node:util";
import { Agent } from "undici";
import { expect } from "vitest";
import { AscClient, type AscClientOptions } from "../../src/core/asc/http.ts";
import { AscApiError } from "../../src/core/errors.ts";
import type { Logger } from "../../src/core/ports.ts";
import { loadSpecValidator } from "./openapi-validator.ts";
import { sharedPath } from "./shared-dir.ts";

export interface RecordedRequest {
  method: string;
  /** Path and query exactly as sent. */
  url: string;
  pathname: string;
  /** The raw query string without `?`. */
  rawQuery: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  /** An object is sent as JSON; a string as given (text/html). */
  body?: unknown;
  /** Destroy the socket instead of answering. */
  reset?: boolean;
  /** Never answer. */
  hang?: boolean;
}

export type Handler = (request: RecordedRequest, index: number) => Reply | Promise<Reply>;

export interface TestServer {
  url: string;
  port: number;
  requests: RecordedRequest[];
  /** Highest number of requests in flight at once. */
  maxInFlight: number;
  close(): Promise<void>;
}

/** Every token the servers saw and every log line and error the tests produced, for the leak check. */
const seenAuthorizations = new Set<string>();
const producedErrors: unknown[] = [];
const logLines: string[] = [];

export async function startServer(
  handler: Handler,
  options: { tls?: { cert: string; key: string }; port?: number } = {},
): Promise<TestServer> {
  const requests: RecordedRequest[] = [];
  let inFlight = 0;
  const state = { maxInFlight: 0 };
  const listener = (
    req: import("node:http").IncomingMessage,
    res: import("node:http").ServerResponse,
  ): void => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const url = req.url ?? "/";
      const [pathname = "/", rawQuery = ""] = url.split("?", 2);
      const recorded: RecordedRequest = {
        method: req.method ?? "",
        url,
        pathname,
        rawQuery,
        query: new URLSearchParams(rawQuery),
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      if (req.headers.authorization) seenAuthorizations.add(req.headers.authorization);
      requests.push(recorded);
      inFlight += 1;
      state.maxInFlight = Math.max(state.maxInFlight, inFlight);
      try {
        const reply = await handler(recorded, requests.length - 1);
        if (reply.reset) {
          req.socket.destroy();
          return;
        }
        if (reply.hang) return;
        const isText = typeof reply.body === "string";
        const payload =
          reply.body === undefined ? "" : isText ? (reply.body as string) : JSON.stringify(reply.body);
        res.writeHead(reply.status ?? 200, {
          ...(reply.body === undefined ? {} : { "content-type": isText ? "text/html" : "application/json" }),
          ...reply.headers,
        });
        res.end(payload);
      } finally {
        inFlight -= 1;
      }
    });
  };
  const server: Server = options.tls ? createHttpsServer(options.tls, listener) : createHttpServer(listener);
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `${options.tls ? "https" : "http"}://127.0.0.1:${port}`,
    port,
    requests,
    get maxInFlight() {
      return state.maxInFlight;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port nothing listens on (yet). */
export async function freePort(): Promise<number> {
  const server = createHttpServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

let apiKey: KeyObject | undefined;
export function testApiKey(): KeyObject {
  apiKey ??= generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey;
  return apiKey;
}

export interface Harness {
  client: AscClient;
  /** Every sleep requested, in ms. */
  sleeps: number[];
  logs: string[];
  masked: string[];
  clock: { now(): number; advance(ms: number): void };
  close(): Promise<void>;
}

export const START = Date.UTC(2025, 0, 15, 12, 0, 0);

/**
 * A client on a fake clock (sleep advances it), a recording logger and masker, no proxy. Its own keep-alive
 * undici Agent trusts no test CA; a `dispatcher` in `overrides` replaces it and stays the caller's to close.
 */
export function makeClient(baseUrl: string, overrides: Partial<AscClientOptions> = {}): Harness {
  let now = START;
  const clock = {
    now: () => now,
    advance: (ms: number): void => {
      now += ms;
    },
  };
  const sleeps: number[] = [];
  const logs: string[] = [];
  const masked: string[] = [];
  const record = (level: string) => (message: string) => {
    logs.push(`${level}: ${message}`);
    logLines.push(message);
  };
  const logger: Logger = {
    debug: record("debug"),
    info: record("info"),
    warning: record("warning"),
    error: record("error"),
    group: (_name, fn) => fn(),
  };
  const ownDispatcher = overrides.dispatcher === undefined ? new Agent() : undefined;
  const client = new AscClient({
    issuerId: "69a6de7e-0000-47e3-e053-5b8c7c11a4d1",
    keyId: "ABC123DEFG",
    privateKey: testApiKey(),
    baseUrl,
    dispatcher: ownDispatcher,
    clock,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
    random: () => 0.5,
    logger,
    masker: { mask: (s) => void masked.push(s) },
    ...overrides,
  });
  return { client, sleeps, logs, masked, clock, close: async () => ownDispatcher?.close() };
}

/** Awaits a rejection that must be an AscApiError and registers it for the leak check. */
export async function ascError(promise: Promise<unknown>): Promise<AscApiError> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(AscApiError);
  producedErrors.push(caught);
  return caught as AscApiError;
}

/** No token, no `Bearer`, no Authorization header in any error (message, fields, causes) or log line. */
export function assertNoSecretsLeaked(): void {
  const tokens = [...seenAuthorizations].map((a) => a.replace(/^Bearer /, ""));
  expect(tokens.length).toBeGreaterThan(0);
  const texts = [
    ...producedErrors.map((e) => `${(e as Error).message}\n${inspect(e, { depth: 8 })}`),
    ...logLines,
  ];
  for (const text of texts) {
    expect(text).not.toMatch(/authorization/i);
    expect(text).not.toContain("Bearer");
    for (const token of tokens) expect(text).not.toContain(token);
  }
}

export const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(sharedPath("asc", "fixtures", name), "utf8")) as unknown;

/**
 * What Apple's spec does not allow in a recorded request (test/support/openapi-validator.ts): unknown
 * operation, undeclared query parameter, limit above its maximum, enum value, body schema. `cursor`
 * (Apple's own paging parameter inside links.next) is left out.
 */
export function specViolations(request: RecordedRequest): string[] {
  const query = Object.fromEntries([...request.query].filter(([name]) => name !== "cursor"));
  return loadSpecValidator().validateRequest({
    method: request.method,
    path: request.pathname,
    query,
    body: request.body === "" ? undefined : (JSON.parse(request.body) as unknown),
  });
}
