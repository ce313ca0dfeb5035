// A loopback fake of the GitHub Actions cache service v2, enough for @actions/cache 6 to run saveCache and
// restoreCache for real: the three Twirp JSON methods at ACTIONS_RESULTS_URL and a blob endpoint at the
// signed URLs (Azure block-blob PUT as @azure/storage-blob's BlockBlobClient sends it, plain GET for the
// download). Entries are immutable per key and version, restore keys match by prefix (newest first), the
// bearer token and URL signatures are checked. An `outage` switch makes it reset connections, refuse them
// or answer an HTTP error; `entries()` shows what was stored.
import { createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { gunzipSync, zstdDecompressSync } from "node:zlib";

/** A response was written. */
type Sent = true;

const TWIRP_PREFIX = "/twirp/github.actions.results.api.v1.CacheService/";
const BLOB_PREFIX = "/devstoreaccount1/actions-cache/";

export interface FakeCacheEntry {
  id: number;
  key: string;
  version: string;
  /** The uploaded archive (a tar, zstd- or gzip-compressed as @actions/cache chose). */
  data: Buffer;
  sizeBytes: number;
  committed: boolean;
  /** Order of creation: restore keys match the newest first. */
  createdAt: number;
}

export interface FakeCacheRequest {
  method: string;
  /** The path without the query (signatures stay out of the log). */
  path: string;
  status: number;
}

/** false: working; "reset": connections destroyed; "refuse": nothing listening; a number: that HTTP status. */
export type CacheOutage = false | "reset" | "refuse" | number;

export interface FakeCacheService {
  /** ACTIONS_RESULTS_URL. */
  readonly url: string;
  readonly token: string;
  /** The environment @actions/cache needs to use this service (v2, GitHub.com, runner temp). */
  env(runnerTemp: string): Record<string, string>;
  setOutage(outage: CacheOutage): Promise<void>;
  readonly requests: FakeCacheRequest[];
  /** Committed entries, oldest first. */
  entries(): FakeCacheEntry[];
  entry(key: string): FakeCacheEntry | undefined;
  /** The uncompressed tar of an entry. */
  archive(entry: FakeCacheEntry): Buffer;
  stop(): Promise<void>;
}

export async function startFakeCacheService(options: { token?: string } = {}): Promise<FakeCacheService> {
  const token = options.token ?? `fake-runtime-token-${randomBytes(8).toString("hex")}`;
  const entries: FakeCacheEntry[] = [];
  const requests: FakeCacheRequest[] = [];
  const sockets = new Set<Socket>();
  const signatures = new Map<string, { id: number; access: "read" | "write" }>();
  const blocks = new Map<number, Map<string, Buffer>>();
  let outage: CacheOutage = false;
  let nextId = 1;
  let clock = 0;

  const server: Server = createServer((request, response) => {
    void handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) twirpError(response, 500, "internal", String(error));
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await listen(server, 0);
  const port = (server.address() as AddressInfo).port;
  const base = `http://127.0.0.1:${port}/`;

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", base);
    const body = await readBody(request);
    response.on("finish", () =>
      requests.push({ method: request.method ?? "", path: url.pathname, status: response.statusCode }),
    );
    if (outage === "reset") {
      request.socket.destroy();
      return;
    }
    if (typeof outage === "number")
      twirpError(response, outage, "unavailable", `fake cache service outage (${outage})`);
    else if (url.pathname.startsWith(TWIRP_PREFIX)) twirp(request, response, url, body);
    else if (url.pathname.startsWith(BLOB_PREFIX)) blob(request, response, url, body);
    else twirpError(response, 404, "bad_route", `no route for ${request.method} ${url.pathname}`);
  }

  function twirp(request: IncomingMessage, response: ServerResponse, url: URL, body: Buffer): Sent {
    if (request.method !== "POST")
      return twirpError(response, 404, "bad_route", "Twirp methods are POST only");
    if (request.headers.authorization !== `Bearer ${token}`)
      return twirpError(response, 401, "unauthenticated", "invalid or missing runtime token");
    let input: Record<string, unknown>;
    try {
      input = JSON.parse(body.toString("utf8")) as Record<string, unknown>;
    } catch {
      return twirpError(response, 400, "malformed", "the body is not JSON");
    }
    const key = typeof input.key === "string" ? input.key : "";
    const version = typeof input.version === "string" ? input.version : "";
    if (!key || !version)
      return twirpError(response, 400, "invalid_argument", "key and version are required");
    const method = url.pathname.slice(TWIRP_PREFIX.length);

    if (method === "CreateCacheEntry") {
      if (entries.some((entry) => entry.key === key && entry.version === version))
        return twirpError(
          response,
          409,
          "already_exists",
          "cache entry with the same key, version, and scope already exists",
        );
      const entry: FakeCacheEntry = {
        id: nextId++,
        key,
        version,
        data: Buffer.alloc(0),
        sizeBytes: 0,
        committed: false,
        createdAt: clock++,
      };
      entries.push(entry);
      return json(response, { ok: true, signed_upload_url: signedUrl(entry.id, "write") });
    }

    if (method === "FinalizeCacheEntryUpload") {
      const entry = entries.find((e) => e.key === key && e.version === version && !e.committed);
      if (!entry) return json(response, { ok: false, message: `no pending upload for key ${key}` });
      const size = Number(input.size_bytes ?? 0);
      if (entry.data.length === 0 || entry.data.length !== size)
        return json(response, {
          ok: false,
          message: `uploaded ${entry.data.length} bytes, finalize says ${size}`,
        });
      entry.committed = true;
      entry.sizeBytes = size;
      return json(response, { ok: true, entry_id: String(entry.id) });
    }

    if (method === "GetCacheEntryDownloadURL") {
      const restoreKeys = Array.isArray(input.restore_keys) ? (input.restore_keys as string[]) : [];
      const entry = lookup([key, ...restoreKeys], version);
      if (!entry) return json(response, { ok: false });
      return json(response, {
        ok: true,
        signed_download_url: signedUrl(entry.id, "read"),
        matched_key: entry.key,
      });
    }

    return twirpError(response, 404, "bad_route", `unknown method ${method}`);
  }

  /** Each key: exact match first, then the newest entry it is a prefix of. */
  function lookup(keys: string[], version: string): FakeCacheEntry | undefined {
    const usable = entries.filter((entry) => entry.committed && entry.version === version);
    for (const key of keys) {
      const exact = usable.find((entry) => entry.key === key);
      if (exact) return exact;
      const prefixed = usable
        .filter((entry) => entry.key.startsWith(key))
        .sort((a, b) => b.createdAt - a.createdAt);
      if (prefixed[0]) return prefixed[0];
    }
    return undefined;
  }

  function signedUrl(id: number, access: "read" | "write"): string {
    const sig = randomBytes(18).toString("base64url");
    signatures.set(sig, { id, access });
    const expiry = new Date(Date.now() + 3_600_000).toISOString();
    return `${base.slice(0, -1)}${BLOB_PREFIX}${id}?sv=2023-11-03&sp=${access === "read" ? "r" : "cw"}&se=${encodeURIComponent(expiry)}&sig=${encodeURIComponent(sig)}`;
  }

  function blob(request: IncomingMessage, response: ServerResponse, url: URL, body: Buffer): Sent {
    const id = Number(url.pathname.slice(BLOB_PREFIX.length));
    const signature = signatures.get(url.searchParams.get("sig") ?? "");
    const entry = entries.find((e) => e.id === id);
    const method = request.method ?? "";
    const access = method === "GET" || method === "HEAD" ? "read" : "write";
    if (!entry || !signature || signature.id !== id || signature.access !== access)
      return azureError(response, 403, "AuthenticationFailed", "Server failed to authenticate the request.");

    if (access === "read") {
      if (!entry.committed)
        return azureError(response, 404, "BlobNotFound", "The specified blob does not exist.");
      response.writeHead(200, {
        ...azureHeaders(),
        "content-type": "application/octet-stream",
        "content-length": String(entry.data.length),
        "x-ms-blob-type": "BlockBlob",
        etag: etag(entry.data),
      });
      response.end(method === "HEAD" ? undefined : entry.data);
      return true;
    }
    if (method !== "PUT")
      return azureError(response, 405, "UnsupportedHttpVerb", `${method} is not supported`);
    if (entry.committed)
      return azureError(response, 409, "BlobImmutable", "The blob of a committed cache entry cannot change.");
    const comp = url.searchParams.get("comp");
    if (comp === "block") {
      const blockId = url.searchParams.get("blockid") ?? "";
      const staged = blocks.get(id) ?? new Map<string, Buffer>();
      staged.set(blockId, body);
      blocks.set(id, staged);
      response.writeHead(201, { ...azureHeaders(), "content-md5": md5(body) });
      response.end();
      return true;
    }
    if (comp === "blocklist") {
      const staged = blocks.get(id) ?? new Map<string, Buffer>();
      const ids = [...body.toString("utf8").matchAll(/<(?:Latest|Committed|Uncommitted)>([^<]*)<\//g)].map(
        (m) => m[1] ?? "",
      );
      const parts = ids.map((blockId) => staged.get(blockId));
      if (parts.some((part) => part === undefined))
        return azureError(response, 400, "InvalidBlockList", "The specified block list is invalid.");
      entry.data = Buffer.concat(parts as Buffer[]);
      blocks.delete(id);
      response.writeHead(201, { ...azureHeaders(), etag: etag(entry.data) });
      response.end();
      return true;
    }
    if (request.headers["x-ms-blob-type"] !== "BlockBlob")
      return azureError(response, 400, "InvalidHeaderValue", "x-ms-blob-type must be BlockBlob.");
    entry.data = body;
    response.writeHead(201, {
      ...azureHeaders(),
      etag: etag(body),
      "content-md5": md5(body),
      "x-ms-request-server-encrypted": "true",
    });
    response.end();
    return true;
  }

  function azureHeaders(): Record<string, string> {
    return {
      "x-ms-request-id": randomBytes(16).toString("hex"),
      "x-ms-version": "2025-05-05",
      date: new Date().toUTCString(),
      "last-modified": new Date().toUTCString(),
    };
  }

  function azureError(response: ServerResponse, status: number, code: string, message: string): Sent {
    const xml = `<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`;
    response.writeHead(status, {
      ...azureHeaders(),
      "x-ms-error-code": code,
      "content-type": "application/xml",
      "content-length": String(Buffer.byteLength(xml)),
    });
    response.end(xml);
    return true;
  }

  return {
    url: base,
    token,
    env: (runnerTemp) => ({
      ACTIONS_CACHE_SERVICE_V2: "true",
      ACTIONS_RESULTS_URL: base,
      ACTIONS_RUNTIME_TOKEN: token,
      RUNNER_TEMP: runnerTemp,
      GITHUB_SERVER_URL: "https://github.com",
    }),
    async setOutage(next) {
      if (next === outage) return;
      if (outage === "refuse") await listen(server, port);
      outage = next;
      if (next === "refuse") await close(server, sockets);
    },
    requests,
    entries: () => entries.filter((entry) => entry.committed),
    entry: (key) => entries.find((entry) => entry.committed && entry.key === key),
    archive: (entry) => decompress(entry.data),
    async stop() {
      if (outage !== "refuse") await close(server, sockets);
      outage = "refuse";
    },
  };
}

/** Sets variables on process.env (where @actions/cache reads them); returns the function that restores them. */
export function setProcessEnv(values: Record<string, string | undefined>): () => void {
  const previous = Object.fromEntries(Object.keys(values).map((name) => [name, process.env[name]]));
  const apply = (vars: Record<string, string | undefined>): void => {
    for (const [name, value] of Object.entries(vars)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  apply(values);
  return () => apply(previous);
}

function decompress(data: Buffer): Buffer {
  if (data[0] === 0x28 && data[1] === 0xb5 && data[2] === 0x2f && data[3] === 0xfd)
    return zstdDecompressSync(data);
  if (data[0] === 0x1f && data[1] === 0x8b) return gunzipSync(data);
  return data;
}

function json(response: ServerResponse, value: unknown): Sent {
  const text = JSON.stringify(value);
  response.writeHead(200, {
    "content-type": "application/json",
    "content-length": String(Buffer.byteLength(text)),
  });
  response.end(text);
  return true;
}

function twirpError(response: ServerResponse, status: number, code: string, msg: string): Sent {
  const text = JSON.stringify({ code, msg });
  response.writeHead(status, {
    "content-type": "application/json",
    "content-length": String(Buffer.byteLength(text)),
  });
  response.end(text);
  return true;
}

function etag(data: Buffer): string {
  return `"0x${createHash("sha1").update(data).digest("hex").slice(0, 16).toUpperCase()}"`;
}

function md5(data: Buffer): string {
  return createHash("md5").update(data).digest("base64");
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks)));
    request.on("error", reject);
  });
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
}

function close(server: Server, sockets: Set<Socket>): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    for (const socket of sockets) socket.destroy();
  });
}
