// The HTTP ingress: a reverse proxy that routes by `Host` to the lease and service that hostname is bound to
// (generated under the ingress domain, or the tenant's `accept` hosts), across the service's replicas, to
// the ports the cluster published on loopback. Akash does this with ingress-nginx (reference:
// akash-provider.md §5.3). Plain HTTP, as Akash serves tenants; websockets are passed through.
//
// Every request to every lease passes through here, so the request path is kept lean (measured by
// `npm run bench provider`): routes are cached and answered synchronously once resolved, headers are
// copied as raw name/value lists (`rawHeaders`) rather than through header objects, upstream connections
// are pooled and kept alive, and bodies stream through without being buffered.
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import { connect } from "node:net";
import type { Duplex } from "node:stream";

export interface IngressOptions {
  readonly host: string;
  readonly port: number;
}

interface Target {
  readonly host: string;
  readonly port: number;
}

export interface IngressModules {
  /** The upstreams serving a hostname, or undefined if none is bound to it. */
  readonly targets: (hostname: string) => Promise<Target[] | undefined>;
}

/** A hostname's upstreams as last looked up; `targets` is set once the lookup has settled. */
interface Route {
  readonly lookup: Promise<Target[] | undefined>;
  settled: boolean;
  targets: Target[] | undefined;
}

/** Hop-by-hop headers are the proxy's own business (RFC 9110 §7.6.1), as are those `Connection` names. */
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "transfer-encoding",
  "te",
  "trailer",
  "upgrade",
]);

/** Methods a proxy may send again when a connection failed before any answer (RFC 9110 §9.2.2). */
const IDEMPOTENT = new Set(["GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE"]);

/** How a pooled connection that the upstream already closed fails when it is reused. */
const RETRYABLE = new Set(["ECONNRESET", "EPIPE"]);

/** The ingress sets these itself; a client's own values would let it pose as another address. */
const FORWARDED = new Set(["x-forwarded-for", "x-forwarded-host", "x-forwarded-proto"]);

/** The value of the first `name` (lower case) in `raw`, a `rawHeaders` list. */
function rawHeader(raw: readonly string[], name: string): string | undefined {
  for (let i = 0; i < raw.length; i += 2) {
    const k = raw[i]!;
    if (k.length === name.length && k.toLowerCase() === name) return raw[i + 1];
  }
  return undefined;
}

/** `raw` (a `rawHeaders` list) without hop-by-hop fields, nor any in `drop`. */
function endToEnd(raw: readonly string[], drop?: ReadonlySet<string>): string[] {
  const connection = rawHeader(raw, "connection");
  const named =
    connection === undefined ? undefined : new Set(connection.split(",").map((t) => t.trim().toLowerCase()));
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const k = raw[i]!.toLowerCase();
    if (HOP_BY_HOP.has(k) || drop?.has(k) || named?.has(k)) continue;
    out.push(raw[i]!, raw[i + 1]!);
  }
  return out;
}

export class Ingress {
  private server: http.Server | undefined;
  private readonly cache = new Map<string, Route>();
  // Upstream connections are kept alive and reused: a new TCP connection per request would cost more than
  // the proxying. Free sockets are capped per upstream so that an idle lease does not hold many open, and
  // closed after a minute idle, or sooner if the upstream announces a shorter `Keep-Alive: timeout`
  // (Node's agent honours it once `timeout` is set; the timeout does not cut a response in progress).
  private readonly agent = new http.Agent({
    keepAlive: true,
    maxSockets: 256,
    maxFreeSockets: 64,
    timeout: 60_000,
  });
  private next = 0;

  constructor(
    private readonly opts: IngressOptions,
    private readonly modules: IngressModules,
  ) {}

  /** Routes may have changed (a deploy, a teardown): forget what was looked up. */
  invalidate(): void {
    this.cache.clear();
  }

  get port(): number {
    const a = this.server?.address();
    return typeof a === "object" && a ? a.port : this.opts.port;
  }

  async start(): Promise<void> {
    const server = http.createServer((req, res) => this.handle(req, res));
    server.on("upgrade", (req, socket, head) => void this.upgrade(req, socket, head));
    server.keepAliveTimeout = 65_000;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.opts.port, this.opts.host, () => resolve());
    });
    this.server = server;
  }

  async stop(): Promise<void> {
    this.agent.destroy();
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private route(hostHeader: string | undefined): Route {
    const hostname = (hostHeader ?? "").replace(/:\d+$/, "").toLowerCase();
    const cached = this.cache.get(hostname);
    if (cached) return cached;
    const route: Route = {
      lookup: this.modules
        .targets(hostname)
        .catch(() => [])
        .then((targets) => {
          route.targets = targets;
          route.settled = true;
          return targets;
        }),
      settled: false,
      targets: undefined,
    };
    this.cache.set(hostname, route);
    // Replicas come and go with deploys (which also clear the cache); a short life bounds any staleness.
    setTimeout(() => {
      if (this.cache.get(hostname) === route) this.cache.delete(hostname);
    }, 2_000).unref();
    return route;
  }

  private pick(targets: Target[] | undefined): Target | "unknown" | "down" {
    if (targets === undefined) return "unknown";
    if (targets.length === 0) return "down";
    return targets[this.next++ % targets.length]!;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const host = rawHeader(req.rawHeaders, "host");
    const route = this.route(host);
    if (route.settled) this.forward(req, res, host, this.pick(route.targets));
    else void route.lookup.then((targets) => this.forward(req, res, host, this.pick(targets)));
  }

  private forward(
    req: IncomingMessage,
    res: ServerResponse,
    host: string | undefined,
    target: Target | "unknown" | "down",
  ): void {
    if (target === "unknown") {
      res.writeHead(404, { "content-type": "text/plain" }).end(`no lease serves ${host ?? "this host"}\n`);
      return;
    }
    if (target === "down") {
      res.writeHead(503, { "content-type": "text/plain" }).end("the service has no running replica\n");
      return;
    }
    const headers = endToEnd(req.rawHeaders, FORWARDED);
    headers.push(
      "X-Forwarded-For",
      req.socket.remoteAddress ?? "",
      "X-Forwarded-Host",
      host ?? "",
      "X-Forwarded-Proto",
      "http",
    );
    // A request without Content-Length or Transfer-Encoding has no body (RFC 9112 §6.3).
    const length = rawHeader(req.rawHeaders, "content-length");
    const bodyless =
      (length === undefined || length === "0") &&
      rawHeader(req.rawHeaders, "transfer-encoding") === undefined;
    this.exchange(req, res, target, headers, bodyless, false);
  }

  /** One request upstream; `retried` if it is the second, after a pooled connection turned out closed. */
  private exchange(
    req: IncomingMessage,
    res: ServerResponse,
    target: Target,
    headers: string[],
    bodyless: boolean,
    retried: boolean,
  ): void {
    const upstream = http.request(
      {
        host: target.host,
        port: target.port,
        method: req.method,
        path: req.url,
        headers,
        agent: this.agent,
        // BusyBox httpd passes a CGI script's headers on as the script printed them, often ending lines
        // with a bare "\n"; browsers accept that, Node's strict parser refuses it. Lenient parsing here
        // relaxes only what the tenant's own container answers, on connections pooled for that container
        // alone: the public server keeps the strict parser for what clients send.
        insecureHTTPParser: true,
      },
      (up) => this.respond(up, res),
    );
    upstream.on("error", (e: NodeJS.ErrnoException) => {
      // An upstream may close an idle pooled connection just as a request goes out on it. Nothing was
      // answered, so an idempotent request without a body goes again, once, on a new connection
      // (RFC 9110 §9.2.2).
      const again = bodyless && !retried && IDEMPOTENT.has(req.method ?? "");
      if (again && upstream.reusedSocket && !res.headersSent && RETRYABLE.has(e.code ?? "")) {
        this.exchange(req, res, target, headers, bodyless, true);
        return;
      }
      if (!res.headersSent)
        res
          .writeHead(502, { "content-type": "text/plain" })
          .end(`bad gateway: the service did not answer (${e.code ?? e.message})\n`);
      else res.destroy();
    });
    // A client that goes away mid-response: drop the upstream exchange rather than return its connection
    // to the pool with a response still arriving on it.
    res.once("close", () => {
      if (!res.writableFinished) upstream.destroy();
    });
    if (bodyless) upstream.end();
    else req.pipe(upstream);
  }

  private respond(up: IncomingMessage, res: ServerResponse): void {
    try {
      res.writeHead(up.statusCode ?? 502, endToEnd(up.rawHeaders));
    } catch (e) {
      // The lenient upstream parser lets through header values Node will not send on (a control character,
      // say): refuse the response rather than pass it on or fail the whole ingress.
      up.destroy();
      res
        .writeHead(502, { "content-type": "text/plain" })
        .end(
          `bad gateway: the service answered with a header that cannot be passed on (${(e as Error).message})\n`,
        );
      return;
    }
    const resume = () => up.resume();
    up.on("data", (chunk: Buffer) => {
      if (res.write(chunk)) return;
      up.pause();
      res.once("drain", resume);
    });
    up.on("end", () => res.end());
    up.on("error", () => res.destroy());
  }

  private async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const route = this.route(req.headers.host);
    const target = this.pick(route.settled ? route.targets : await route.lookup);
    if (typeof target === "string") {
      socket.end(`HTTP/1.1 ${target === "unknown" ? "404 Not Found" : "503 Service Unavailable"}\r\n\r\n`);
      return;
    }
    const upstream = connect(target.port, target.host, () => {
      let head0 = `${req.method} ${req.url} HTTP/1.1\r\n`;
      for (let i = 0; i < req.rawHeaders.length; i += 2)
        head0 += `${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}\r\n`;
      upstream.write(`${head0}\r\n`);
      if (head.length > 0) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on("error", () => socket.destroy());
    socket.on("error", () => upstream.destroy());
  }
}
