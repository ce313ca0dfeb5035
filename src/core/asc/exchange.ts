// One HTTP exchange with App Store Connect: send, read the whole body, under a per-attempt timeout.
// Transport failures come out classified (not sent / maybe sent / TLS / timeout) for the retry policy.
import { type Dispatcher, request } from "undici";
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
export async function exchange(
  dispatcher: Dispatcher,
  req: ExchangeRequest,
  timeoutMs: number,
): Promise<HttpAnswer> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  try {
    const response = await request(req.url, {
      method: req.method,
      headers: req.headers,
      body: req.body,
      dispatcher,
      signal: controller.signal,
    });
    const body = await response.body.text();
    return { status: response.statusCode, headers: response.headers, body };
  } catch (error) {
    throw new ExchangeFailure(classifyTransportError(error, timedOut), error);
  } finally {
    clearTimeout(timer);
  }
}
