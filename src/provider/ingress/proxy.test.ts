// The ingress against upstreams the test starts itself (Node servers and raw sockets, no Docker): routing by
// Host, the forwarded and hop-by-hop headers, streamed bodies, pooled upstream connections, websocket
// upgrades, every refusal (404, 503, 502), and CGI answers whose header lines end in a bare LF.
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { once } from "node:events";
import http from "node:http";
import net, { type AddressInfo } from "node:net";
import { after, before, beforeEach, describe, it } from "node:test";
import { Ingress } from "./proxy.js";

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

async function listen(server: net.Server): Promise<number> {
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return (server.address() as AddressInfo).port;
}

async function close(server: net.Server): Promise<void> {
  if ("closeAllConnections" in server) (server as http.Server).closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

/** An upstream that answers every connection's first request with `response`, bytes as given, then closes. */
function rawUpstream(response: string): net.Server {
  return net.createServer((socket) => {
    socket.once("data", () => socket.end(response, "latin1"));
    socket.on("error", () => {});
  });
}

function request(
  port: number,
  host: string,
  opts: { method?: string; path?: string; headers?: http.OutgoingHttpHeaders; body?: Buffer[] } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: "127.0.0.1",
        port,
        method: opts.method ?? "GET",
        path: opts.path ?? "/",
        headers: { ...opts.headers, host },
        agent: false,
        timeout: 5000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      },
    );
    req.on("timeout", () => req.destroy(new Error(`no answer from the ingress for ${host}`)));
    req.on("error", reject);
    for (const chunk of opts.body ?? []) req.write(chunk);
    req.end();
  });
}

describe("ingress", () => {
  const routes = new Map<string, { host: string; port: number }[]>();
  const servers: net.Server[] = [];
  let ingress: Ingress;

  before(async () => {
    ingress = new Ingress({ host: "127.0.0.1", port: 0 }, { targets: async (h) => routes.get(h) });
    await ingress.start();
  });

  after(async () => {
    await ingress.stop();
    for (const s of servers) await close(s);
  });

  beforeEach(() => ingress.invalidate());

  async function route(hostname: string, server: net.Server): Promise<void> {
    servers.push(server);
    routes.set(hostname, [{ host: "127.0.0.1", port: await listen(server) }]);
  }

  it("routes by Host, sets the X-Forwarded headers and drops hop-by-hop ones both ways", async () => {
    let seen: { method?: string; url?: string; headers: http.IncomingHttpHeaders; body: string } | undefined;
    await route(
      "app.example",
      http.createServer(async (req, res) => {
        let body = "";
        for await (const c of req) body += c;
        seen = { method: req.method, url: req.url, headers: req.headers, body };
        res.writeHead(201, {
          "content-type": "text/plain",
          "keep-alive": "timeout=5",
          connection: "x-hop",
          "x-hop": "upstream's own",
          "x-kept": "yes",
        });
        res.end(`got ${body}`);
      }),
    );
    const r = await request(ingress.port, "App.Example:8080", {
      method: "POST",
      path: "/a/b?c=1",
      headers: {
        connection: "keep-alive, x-private",
        "x-private": "for the proxy only",
        "proxy-connection": "keep-alive",
        te: "trailers",
        "x-forwarded-for": "6.6.6.6",
        "x-forwarded-proto": "https",
        "content-length": "5",
      },
      body: [Buffer.from("hello")],
    });
    assert.equal(r.status, 201);
    assert.equal(r.body.toString(), "got hello");
    assert.equal(r.headers["x-kept"], "yes");
    assert.equal(r.headers["x-hop"], undefined, "a header the upstream's Connection names stays behind");
    assert.notEqual(r.headers["keep-alive"], "timeout=5", "the upstream's Keep-Alive stays behind");

    assert.ok(seen);
    assert.equal(seen.method, "POST");
    assert.equal(seen.url, "/a/b?c=1");
    assert.equal(seen.body, "hello");
    assert.equal(seen.headers.host, "App.Example:8080");
    assert.equal(seen.headers["x-forwarded-for"], "127.0.0.1");
    assert.equal(seen.headers["x-forwarded-host"], "App.Example:8080");
    assert.equal(seen.headers["x-forwarded-proto"], "http");
    for (const h of ["x-private", "proxy-connection", "te"])
      assert.equal(seen.headers[h], undefined, `${h} is not passed upstream`);
  });

  it("streams large bodies both ways, chunked on the way in", async () => {
    await route(
      "echo.example",
      http.createServer((req, res) => {
        res.writeHead(200, { "content-type": "application/octet-stream" });
        req.pipe(res);
      }),
    );
    const chunks = Array.from({ length: 64 }, () => randomBytes(64 * 1024));
    const r = await request(ingress.port, "echo.example", { method: "PUT", body: chunks });
    assert.equal(r.status, 200);
    assert.equal(r.body.length, 64 * 64 * 1024);
    const digest = (b: Buffer) => createHash("sha256").update(b).digest("hex");
    assert.equal(digest(r.body), digest(Buffer.concat(chunks)));
  });

  it("keeps upstream connections alive and reuses them", async () => {
    let connections = 0;
    const server = http.createServer((_req, res) => res.end("ok"));
    server.on("connection", () => connections++);
    await route("pooled.example", server);
    for (let i = 0; i < 20; i++) assert.equal((await request(ingress.port, "pooled.example")).status, 200);
    assert.equal(connections, 1);
  });

  it("sends a bodiless GET again on a new connection when a pooled one turns out closed, not a POST", async () => {
    // Each connection answers its first request, then resets: as an upstream closing an idle connection
    // the moment the ingress reuses it.
    let connections = 0;
    const server = net.createServer((socket) => {
      connections++;
      let requests = 0;
      socket.on("data", () => {
        if (++requests === 1) socket.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        else socket.resetAndDestroy();
      });
      socket.on("error", () => {});
    });
    await route("flaky.example", server);
    for (let i = 0; i < 3; i++) {
      const r = await request(ingress.port, "flaky.example");
      assert.equal(r.status, 200, `GET ${i}`);
      assert.equal(r.body.toString(), "ok", `GET ${i}`);
    }
    assert.equal(connections, 3);
    const post = await request(ingress.port, "flaky.example", {
      method: "POST",
      headers: { "content-length": "2" },
      body: [Buffer.from("hi")],
    });
    assert.equal(post.status, 502);
    assert.match(post.body.toString(), /ECONNRESET/);
  });

  it("serves a CGI answer whose header lines end in a bare LF, as BusyBox httpd passes them on", async () => {
    // BusyBox httpd writes its status line, then the script's output as printed.
    await route(
      "cgi.example",
      rawUpstream("HTTP/1.1 200 OK\r\nContent-Type: text/plain\nX-Cgi: yes\n\nhello from cgi\n"),
    );
    const r = await request(ingress.port, "cgi.example", { path: "/cgi-bin/hello" });
    assert.equal(r.status, 200);
    assert.equal(r.body.toString(), "hello from cgi\n");
    assert.equal(r.headers["content-type"], "text/plain");
    assert.equal(r.headers["x-cgi"], "yes");
  });

  it("answers 502 for a header it cannot pass on, and keeps serving", async () => {
    await route(
      "bad-header.example",
      rawUpstream("HTTP/1.1 200 OK\r\nX-Bad: a\x01b\r\nContent-Length: 2\r\n\r\nok"),
    );
    const r = await request(ingress.port, "bad-header.example");
    assert.equal(r.status, 502);
    assert.match(r.body.toString(), /a header that cannot be passed on/);
    await route(
      "fine.example",
      http.createServer((_req, res) => res.end("fine")),
    );
    assert.equal((await request(ingress.port, "fine.example")).body.toString(), "fine");
  });

  it("refuses unknown hosts (404), services without replicas (503) and upstreams that do not answer (502)", async () => {
    const unknown = await request(ingress.port, "nobody.example");
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.toString(), "no lease serves nobody.example\n");

    routes.set("empty.example", []);
    const empty = await request(ingress.port, "empty.example");
    assert.equal(empty.status, 503);
    assert.equal(empty.body.toString(), "the service has no running replica\n");

    const gone = http.createServer();
    const port = await listen(gone);
    await close(gone);
    routes.set("down.example", [{ host: "127.0.0.1", port }]);
    const down = await request(ingress.port, "down.example");
    assert.equal(down.status, 502);
    assert.match(down.body.toString(), /^bad gateway: the service did not answer \(ECONNREFUSED\)/);
  });

  it("drops the upstream exchange when the client goes away mid-response", async () => {
    let upstreamClosed: Promise<unknown> | undefined;
    await route(
      "slow.example",
      http.createServer((req, res) => {
        upstreamClosed = once(req.socket, "close");
        res.writeHead(200, { "content-type": "text/plain" });
        res.write("first part");
      }),
    );
    await new Promise<void>((resolve, reject) => {
      const req = http.get(
        { host: "127.0.0.1", port: ingress.port, headers: { host: "slow.example" }, agent: false },
        (res) =>
          res.once("data", () => {
            req.destroy();
            resolve();
          }),
      );
      req.on("error", reject);
    });
    assert.ok(upstreamClosed);
    await upstreamClosed;
  });

  it("passes websocket upgrades through", async () => {
    const server = net.createServer((socket) => {
      socket.once("data", (head) => {
        assert.match(head.toString(), /^GET \/ws HTTP\/1\.1\r\n/);
        socket.write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n");
        socket.pipe(socket);
      });
      socket.on("error", () => {});
    });
    await route("ws.example", server);
    const socket = await new Promise<net.Socket>((resolve, reject) => {
      const req = http.request({
        host: "127.0.0.1",
        port: ingress.port,
        path: "/ws",
        headers: { host: "ws.example", connection: "Upgrade", upgrade: "websocket" },
        agent: false,
      });
      req.on("upgrade", (res, s: net.Socket) => {
        assert.equal(res.statusCode, 101);
        resolve(s);
      });
      req.on("error", reject);
      req.end();
    });
    socket.write("ping");
    const [echo] = (await once(socket, "data")) as [Buffer];
    assert.equal(echo.toString(), "ping");
    socket.destroy();
  });
});
