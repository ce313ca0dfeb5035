// One HTTP exchange with App Store Connect through an undici dispatcher: send, read the whole body, under a
// per-attempt timeout. Transport failures come out classified (not sent / maybe sent / TLS / timeout) for
// the retry policy; "not sent" is exact: undici reports when the request has been written to its socket.
import type { Dispatcher } from "undici";
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

/** The answer with its body as text; throws ExchangeFailure when no complete answer arrived in time. */
export function exchange(
  dispatcher: Dispatcher,
  req: ExchangeRequest,
  timeoutMs: number,
): Promise<HttpAnswer> {
  return new Promise<HttpAnswer>((resolve, reject) => {
    let written = false;
    let timedOut = false;
    let settled = false;
    let abort: ((reason?: Error) => void) | undefined;
    const timeoutError = (): Error => new Error(`no complete answer within ${timeoutMs} ms`);
    // On time-out the exchange fails at once; the request is aborted now or as soon as undici starts it.
    const timer = setTimeout(() => {
      timedOut = true;
      abort?.(timeoutError());
      fail(timeoutError());
    }, timeoutMs);
    const settle = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outcome();
    };
    const fail = (error: unknown): void =>
      settle(() => reject(new ExchangeFailure(classifyTransportError(error, timedOut, written), error)));

    let status = 0;
    let headers: HttpAnswer["headers"] = {};
    const chunks: Buffer[] = [];
    // undici 7's handler in its original form: only this form gets onRequestSent (called once the request is
    // written; not in its types), which makes "not sent" exact. The newer form (onRequestStart...) gets it
    // from undici 8, which needs Node 22.19 and would leave the CLI off Node 20.
    const handler: Dispatcher.DispatchHandler & { onRequestSent(): void } = {
      onConnect(abortRequest) {
        abort = abortRequest;
        if (timedOut) abortRequest(timeoutError());
      },
      onRequestSent() {
        written = true;
      },
      onHeaders(statusCode, rawHeaders) {
        status = statusCode;
        headers = parseRawHeaders(rawHeaders);
        return true;
      },
      onData(chunk) {
        chunks.push(chunk);
        return true;
      },
      onComplete() {
        settle(() => resolve({ status, headers, body: Buffer.concat(chunks).toString("utf8") }));
      },
      onError(error) {
        fail(error);
      },
    };
    try {
      dispatcher.dispatch(
        {
          origin: req.url.origin,
          path: `${req.url.pathname}${req.url.search}`,
          method: req.method,
          headers: req.headers,
          body: req.body,
        },
        handler,
      );
    } catch (error) {
      fail(error);
    }
  });
}

/** undici's raw header list (name, value, name, value...) as lower-case names; repeated names as arrays. */
function parseRawHeaders(raw: Buffer[]): HttpAnswer["headers"] {
  const headers: Record<string, string | string[]> = {};
  for (let index = 0; index + 1 < raw.length; index += 2) {
    const name = raw[index]!.toString("latin1").toLowerCase();
    const value = raw[index + 1]!.toString("utf8");
    const existing = headers[name];
    headers[name] =
      existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
  }
  return headers;
}
