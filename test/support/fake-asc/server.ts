// The HTTP(S) side of the fake: loopback only, latency on every answer, faults applied before or after the
// pipeline, every exchange logged and (with a validator) checked against Apple's spec. stop() closes every
// socket and clears every timer, so held "timeout" faults never keep the process alive.
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import type { SpecValidator } from "../openapi-validator.ts";
import { HTML_502_PAGE, serverErrorBody } from "./errors.ts";
import type { FaultDecision, FaultInjector } from "./faults.ts";
import { validateExchange } from "./live-validation.ts";
import { type PipelineDeps, runPipeline } from "./pipeline.ts";
import type { RequestLog, RequestLogEntry } from "./request-log.ts";
import type { Reply } from "./router.ts";

export interface FakeServerOptions extends PipelineDeps {
  tls?: { certPem: string; keyPem: string };
  faults: FaultInjector;
  log: RequestLog;
  validator?: SpecValidator;
  specViolations: string[];
  latencyMs: () => number;
  /** 0: any free port. */
  port: number;
}

export interface RunningServer {
  url: string;
  stop(): Promise<void>;
}

export async function startServer(options: FakeServerOptions): Promise<RunningServer> {
  const timers = new Set<NodeJS.Timeout>();
  const sleep = (ms: number) =>
    ms <= 0
      ? Promise.resolve()
      : new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            timers.delete(timer);
            resolve();
          }, ms);
          timer.unref();
          timers.add(timer);
        });
  const protocol = options.tls ? "https" : "http";

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://fake.invalid");
    const method = (req.method ?? "GET").toUpperCase();
    const path = url.pathname;
    const query = Object.fromEntries(url.searchParams);
    const entry = options.log.start(method, path, query);
    const raw = await readBody(req);
    let body: unknown;
    let bodyError: string | undefined;
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw);
      } catch (error) {
        bodyError = `The request body is not valid JSON (${(error as Error).message}).`;
        body = raw;
      }
      entry.requestBody = body;
    }
    const fault = options.faults.decide(method, path);
    if (fault) entry.fault = `${fault.kind} ${fault.when}`;
    if (fault?.when === "before") {
      await sleep(options.latencyMs());
      await applyFault(fault, res, entry, undefined);
      return;
    }

    const result = await runPipeline(options, {
      method,
      path,
      query,
      authorization: req.headers.authorization,
      body,
      bodyError,
      baseUrl: `${protocol}://${req.headers.host ?? url.host}`,
    });
    if (result.keyId) entry.keyId = result.keyId;
    if (result.rejection) entry.rejection = result.rejection;
    if (result.internalError) {
      options.specViolations.push(`fake internal error on ${method} ${path}: ${result.internalError}`);
    }
    if (options.validator && !fault) {
      options.specViolations.push(
        ...validateExchange(options.validator, {
          method,
          path,
          query,
          requestBody: body,
          status: result.reply.status,
          responseBody: result.reply.body,
        }),
      );
    }
    await sleep(options.latencyMs());
    try {
      if (fault) await applyFault(fault, res, entry, result.reply);
      else send(res, entry, result.reply);
    } finally {
      if (result.inFlightKey) options.rateLimiter.end(result.inFlightKey);
    }
  };

  const send = (res: ServerResponse, entry: RequestLogEntry, reply: Reply) => {
    options.log.finish(entry, reply.status);
    if (res.destroyed) return;
    if (reply.body === undefined || reply.status === 204) {
      res.writeHead(reply.status, { ...reply.headers });
      res.end();
      return;
    }
    const text = JSON.stringify(reply.body);
    res.writeHead(reply.status, {
      "Content-Type": "application/json",
      "Content-Length": Buffer.byteLength(text),
      ...reply.headers,
    });
    res.end(text);
  };

  const sendText = (
    res: ServerResponse,
    entry: RequestLogEntry,
    status: number,
    type: string,
    text: string,
    headers = {},
  ) => {
    options.log.finish(entry, status);
    if (res.destroyed) return;
    res.writeHead(status, { "Content-Type": type, "Content-Length": Buffer.byteLength(text), ...headers });
    res.end(text);
  };

  const applyFault = async (
    fault: FaultDecision,
    res: ServerResponse,
    entry: RequestLogEntry,
    reply: Reply | undefined,
  ) => {
    switch (fault.kind) {
      case "500":
      case "502":
      case "503": {
        const status = Number(fault.kind) as 500 | 502 | 503;
        send(res, entry, { status, body: serverErrorBody(status) });
        return;
      }
      case "html502":
        sendText(res, entry, 502, "text/html", HTML_502_PAGE);
        return;
      case "nonjson": {
        // The answer cut off half-way: a status that says success (or what the API said), a body that is not JSON.
        const status = reply && reply.status !== 204 ? reply.status : 200;
        const full = reply?.body === undefined ? '{"data":{"type":"' : JSON.stringify(reply.body);
        sendText(
          res,
          entry,
          status,
          "application/json",
          full.slice(0, Math.max(1, Math.floor(full.length / 2))),
          {
            ...reply?.headers,
          },
        );
        return;
      }
      case "reset":
        options.log.finish(entry, 0);
        res.socket?.destroy();
        return;
      case "timeout":
        await sleep(fault.holdMs);
        options.log.finish(entry, 0);
        res.socket?.destroy();
        return;
    }
  };

  const listener = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((error: unknown) => {
      if (req.destroyed || res.destroyed) return; // the client went away (or the fake stopped)
      options.specViolations.push(`fake internal error on ${req.method} ${req.url}: ${String(error)}`);
      if (!res.headersSent && !res.destroyed) {
        res.writeHead(500, { "Content-Type": "application/json" });
        res.end(JSON.stringify(serverErrorBody(500)));
      }
    });
  };
  const server: Server = options.tls
    ? createHttpsServer({ cert: options.tls.certPem, key: options.tls.keyPem }, listener)
    : createHttpServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `${protocol}://127.0.0.1:${port}`,
    async stop() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}
