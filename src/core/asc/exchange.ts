// One HTTP exchange with App Store Connect over node:http / node:https: send, read the whole body, under a
// per-attempt timeout. Transport failures come out classified (not sent / maybe sent / TLS / timeout) for
// the retry policy; "not sent" is exact: a request counts as sent once it has been fully written.
import { type Agent, type ClientRequest, request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { classifyTransportError, type HttpAnswer, type TransportFailure } from "./error-mapping.ts";
import type { Method } from "./retry-policy.ts";

/** A transport failure of one exchange; `cause` is the original error. */
export class ExchangeFailure extends Error {
  override name = "ExchangeFailure";
  readonly classified: TransportFailure;
  constructor(classified: TransportFailure, cause: unknown) {
    super(classified.cause, { cause });
    this.classified = classified;
  }
}

export interface ExchangeRequest {
  method: Method;
  url: URL;
  headers: Record<string, string>;
  body: string | undefined;
}

/**
 * The answer with its body as text; throws ExchangeFailure when no complete answer arrived in time.
 * `agent` must match the URL's protocol (an https.Agent for https:). `onWritten` is called once, when the
 * request has been fully written to its socket, or else when the exchange ends (answered or failed).
 */
export function exchange(
  agent: Agent,
  req: ExchangeRequest,
  timeoutMs: number,
  onWritten?: () => void,
): Promise<HttpAnswer> {
  return new Promise<HttpAnswer>((resolve, reject) => {
    const controller = new AbortController();
    let timedOut = false;
    let written = false;
    let settled = false;
    let notified = false;
    const notify = (): void => {
      if (notified) return;
      notified = true;
      onWritten?.();
    };
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const settle = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outcome();
      notify();
    };
    const fail = (error: unknown): void =>
      settle(() => reject(new ExchangeFailure(classifyTransportError(error, timedOut, written), error)));

    const headers: Record<string, string> = { ...req.headers };
    if (req.body !== undefined) headers["content-length"] = String(Buffer.byteLength(req.body));
    let request: ClientRequest;
    try {
      request = (req.url.protocol === "https:" ? httpsRequest : httpRequest)(req.url, {
        method: req.method,
        headers,
        agent,
        signal: controller.signal,
      });
    } catch (error) {
      // Arguments node refuses (an http.Agent for an https: URL): no retry can help, so not an ExchangeFailure.
      settle(() => reject(error));
      return;
    }
    request.on("finish", () => {
      written = true;
      notify();
    });
    request.on("error", fail);
    request.on("response", (response: IncomingMessage) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("error", fail);
      response.on("end", () =>
        settle(() =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks).toString("utf8"),
          }),
        ),
      );
      response.on("close", () => {
        if (!response.complete)
          fail(
            Object.assign(new Error("the connection closed before the answer was complete"), {
              code: "ECONNRESET",
            }),
          );
      });
    });
    request.end(req.body);
  });
}
