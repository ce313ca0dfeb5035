// Loopback relays for transport tests: a forward proxy that tunnels CONNECT requests (what HTTPS_PROXY
// points at) and a TCP front that decides, connection by connection, to reset, hold or pass the bytes
// through to a real server.
import { createServer as createHttpServer } from "node:http";
import { connect, createServer as createTcpServer, type Server, type Socket } from "node:net";

export interface ConnectProxy {
  url: string;
  /** The target of every CONNECT received, e.g. `127.0.0.1:4431`. */
  tunnels: string[];
  /** The Proxy-Authorization header of every CONNECT received ("" when absent). */
  authorizations: string[];
  close(): Promise<void>;
}

/** Pipes a and b both ways; an error or close on either side ends both. */
function splice(a: Socket, b: Socket): void {
  a.pipe(b);
  b.pipe(a);
  for (const [one, other] of [
    [a, b],
    [b, a],
  ] as const) {
    one.on("error", () => other.destroy());
    one.on("close", () => other.destroy());
  }
}

function listen(server: Server | ReturnType<typeof createHttpServer>): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      resolve(typeof address === "object" && address ? address.port : 0);
    }),
  );
}

/**
 * An HTTP forward proxy that only tunnels (CONNECT host:port → 200, then raw bytes both ways). `route`
 * may send a target elsewhere (e.g. Apple's enterprise host to a loopback fake); `tunnels` records the
 * target asked for. With `credentials` ("user:password") it answers 407 to a CONNECT without the
 * matching Basic authorization.
 */
export async function startConnectProxy(
  route: (target: string) => string = (t) => t,
  options: { credentials?: string } = {},
): Promise<ConnectProxy> {
  const tunnels: string[] = [];
  const authorizations: string[] = [];
  const expected = options.credentials
    ? `Basic ${Buffer.from(options.credentials).toString("base64")}`
    : undefined;
  const sockets = new Set<Socket>();
  const server = createHttpServer((_req, res) => {
    res.writeHead(405).end("this proxy only tunnels");
  });
  server.on("connect", (req, client: Socket, head: Buffer) => {
    const target = req.url ?? "";
    const authorization = req.headers["proxy-authorization"] ?? "";
    authorizations.push(authorization);
    if (expected !== undefined && authorization !== expected) {
      client.end(
        'HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\n\r\n',
      );
      return;
    }
    tunnels.push(target);
    const { hostname, port } = new URL(`http://${route(target)}`);
    const upstream = connect(Number(port), hostname.replace(/^\[|\]$/g, ""));
    sockets.add(client).add(upstream);
    client.on("error", () => upstream.destroy());
    upstream.on("error", () => client.destroy());
    upstream.on("connect", () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      if (head.length > 0) upstream.write(head);
      splice(client, upstream);
    });
  });
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}`,
    tunnels,
    authorizations,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** What the front does with one incoming connection. */
export type FrontAction = "reset" | "pass" | { hold: (release: () => void) => void };

export interface TcpFront {
  port: number;
  /** Connections accepted so far. */
  connections: number;
  close(): Promise<void>;
}

/**
 * A TCP server in front of 127.0.0.1:`targetPort`. For its n-th connection (from 0) `script(n)` says:
 * `reset` destroys it at once (before any TLS handshake completes), `pass` relays it to the target,
 * `{ hold }` keeps it waiting, bytes unread, until the test calls the `release` it is handed (then relays).
 */
export async function startTcpFront(
  targetPort: number,
  script: (n: number) => FrontAction,
): Promise<TcpFront> {
  const sockets = new Set<Socket>();
  const state = { connections: 0 };
  const relay = (client: Socket): void => {
    const upstream = connect(targetPort, "127.0.0.1");
    sockets.add(upstream);
    upstream.on("error", () => client.destroy());
    splice(client, upstream);
  };
  const server = createTcpServer((client) => {
    const action = script(state.connections);
    state.connections += 1;
    sockets.add(client);
    client.on("error", () => {});
    if (action === "reset") client.resetAndDestroy();
    else if (action === "pass") relay(client);
    else {
      client.pause();
      action.hold(() => relay(client));
    }
  });
  const port = await listen(server);
  return {
    port,
    get connections() {
      return state.connections;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
