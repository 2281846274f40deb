// The HTTP ingress: a reverse proxy that routes by `Host` to the lease and service that hostname is bound to
// (generated under the ingress domain, or the tenant's `accept` hosts), across the service's replicas, to
// the ports the cluster published on loopback. Akash does this with ingress-nginx (reference:
// akash-provider.md §5.3). Plain HTTP, as Akash serves tenants; websockets are passed through.
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import { connect } from "node:net";
import type { Duplex } from "node:stream";

export interface IngressOptions {
  readonly host: string;
  readonly port: number;
}

export interface IngressModules {
  /** The upstreams serving a hostname, or undefined if none is bound to it. */
  readonly targets: (hostname: string) => Promise<{ host: string; port: number }[] | undefined>;
}

/** Hop-by-hop headers are the proxy's own business (RFC 9110 §7.6.1). */
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "transfer-encoding",
  "te",
  "trailer",
  "upgrade",
]);

export class Ingress {
  private server: http.Server | undefined;
  private readonly cache = new Map<string, Promise<{ host: string; port: number }[] | undefined>>();
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
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
    const server = http.createServer((req, res) => void this.handle(req, res));
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

  private async pick(
    hostHeader: string | undefined,
  ): Promise<{ host: string; port: number } | "unknown" | "down"> {
    const hostname = (hostHeader ?? "").replace(/:\d+$/, "").toLowerCase();
    let cached = this.cache.get(hostname);
    if (!cached) {
      cached = this.modules.targets(hostname).catch(() => []);
      this.cache.set(hostname, cached);
      // Replicas come and go with deploys (which also clear the cache); a short life bounds any staleness.
      setTimeout(() => this.cache.delete(hostname), 2_000).unref();
    }
    const targets = await cached;
    if (targets === undefined) return "unknown";
    if (targets.length === 0) return "down";
    return targets[this.next++ % targets.length]!;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const target = await this.pick(req.headers.host);
    if (target === "unknown") {
      res
        .writeHead(404, { "content-type": "text/plain" })
        .end(`no lease serves ${req.headers.host ?? "this host"}\n`);
      return;
    }
    if (target === "down") {
      res.writeHead(503, { "content-type": "text/plain" }).end("the service has no running replica\n");
      return;
    }
    const headers: http.OutgoingHttpHeaders = {};
    for (const [k, v] of Object.entries(req.headers)) if (!HOP_BY_HOP.has(k)) headers[k] = v;
    headers["x-forwarded-for"] = req.socket.remoteAddress ?? "";
    headers["x-forwarded-host"] = req.headers.host ?? "";
    headers["x-forwarded-proto"] = "http";
    const upstream = http.request(
      { host: target.host, port: target.port, method: req.method, path: req.url, headers, agent: this.agent },
      (up) => {
        const out: http.OutgoingHttpHeaders = {};
        for (const [k, v] of Object.entries(up.headers)) if (!HOP_BY_HOP.has(k)) out[k] = v;
        res.writeHead(up.statusCode ?? 502, out);
        up.pipe(res);
      },
    );
    upstream.on("error", () => {
      if (!res.headersSent) res.writeHead(502, { "content-type": "text/plain" }).end("bad gateway\n");
      else res.destroy();
    });
    req.pipe(upstream);
  }

  private async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const target = await this.pick(req.headers.host);
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
