// The CometBFT-compatible RPC server (default port 26657): JSON-RPC over HTTP POST (single or batch), URI
// GET (`/status`, `/block?height=5`), and websockets at `/websocket`. Plain node:http keeps the hot path
// (broadcast_tx_sync) free of framework overhead. reference: cometbft-cosmos.md §2.1
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocketServer } from "ws";
import { dispatch } from "./dispatch.js";
import { errorEnvelope, RpcError, type RpcRequest, resultEnvelope } from "./jsonrpc.js";
import { METHODS, type RpcEnv } from "./methods.js";
import { argsFromUri } from "./params.js";
import { serveWebsocket } from "./websocket.js";

export interface RpcServerOptions {
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Access-Control-Allow-Origin for browsers (wallets, consoles); empty disables CORS. */
  corsOrigins?: string[];
  /** config.rpc.max_body_bytes */
  maxBodyBytes?: number;
}

const DEFAULT_MAX_BODY_BYTES = 1_000_000;
/** A body this many times over the limit is not even read to the end: the connection is dropped. */
const DISCARD_FACTOR = 16;

export class RpcServer {
  private readonly http: Server;
  private readonly wss = new WebSocketServer({ noServer: true });

  constructor(
    private readonly env: RpcEnv,
    private readonly options: RpcServerOptions = {},
  ) {
    this.http = createServer((req, res) => {
      this.handle(req, res).catch((err) => {
        if (!res.headersSent) this.reply(res, 500, errorEnvelope(null, RpcError.from(err)));
      });
    });
    this.http.keepAliveTimeout = 60_000;
    this.http.on("upgrade", (req, socket, head) => {
      if (new URL(req.url ?? "/", "http://x").pathname !== "/websocket") {
        socket.destroy();
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => serveWebsocket(ws, this.env));
    });
  }

  async listen(): Promise<AddressInfo> {
    const { host = "127.0.0.1", port = 26657 } = this.options;
    await new Promise<void>((resolve, reject) => {
      this.http.once("error", reject);
      this.http.listen(port, host, () => {
        this.http.off("error", reject);
        resolve();
      });
    });
    return this.address();
  }

  address(): AddressInfo {
    return this.http.address() as AddressInfo;
  }

  async close(): Promise<void> {
    for (const ws of this.wss.clients) ws.terminate();
    this.wss.close();
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  private reply(res: ServerResponse, status: number, body: string, type = "application/json"): void {
    const origins = this.options.corsOrigins ?? ["*"];
    const headers: Record<string, string> = { "content-type": type };
    if (origins.length > 0) {
      headers["access-control-allow-origin"] = origins.join(" ");
      headers["access-control-allow-headers"] =
        "Origin, Accept, Content-Type, X-Requested-With, X-Server-Time";
      headers["access-control-allow-methods"] = "HEAD, GET, POST, OPTIONS";
    }
    res.writeHead(status, headers);
    res.end(body);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (req.method === "OPTIONS") return this.reply(res, 200, "");
    if (req.method === "POST") return this.handlePost(req, res);
    if (req.method !== "GET" && req.method !== "HEAD")
      return this.reply(res, 405, "method not allowed", "text/plain");
    const name = url.pathname.slice(1);
    if (name === "") return this.reply(res, 200, this.index(), "text/html");
    const method = Object.hasOwn(METHODS, name) ? METHODS[name] : undefined;
    if (!method) return this.reply(res, 404, "404 page not found\n", "text/plain");
    // URI calls answer with id -1 and HTTP 500 on errors, as CometBFT's http_uri_handler does.
    try {
      const result = await method.handler(argsFromUri(method.params, url.searchParams), this.env);
      this.reply(res, 200, resultEnvelope(-1, result));
    } catch (err) {
      this.reply(res, 500, errorEnvelope(-1, RpcError.from(err)));
    }
  }

  private async handlePost(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const max = this.options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      // Past the limit the rest is read and dropped (up to a bound), so that the client gets the answer
      // below rather than a connection reset in the middle of its upload.
      if (size > max * DISCARD_FACTOR) {
        req.destroy();
        return;
      }
      if (size <= max) chunks.push(chunk as Buffer);
    }
    if (size > max) {
      // CometBFT reads the body through http.MaxBytesReader and answers 400 with Go's error text; Go's server
      // then closes the connection.
      res.setHeader("connection", "close");
      const err = RpcError.invalidRequest("error reading request body: http: request body too large");
      return this.reply(res, 400, errorEnvelope(null, err));
    }
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch (err) {
      const parse = RpcError.parse(`error unmarshaling request: ${(err as Error).message}`);
      return this.reply(res, 500, errorEnvelope(null, parse));
    }
    if (Array.isArray(body)) {
      if (body.length === 0)
        return this.reply(res, 500, errorEnvelope(null, RpcError.invalidRequest("empty batch")));
      const responses = await Promise.all(body.map((r) => dispatch(this.env, r as RpcRequest)));
      return this.reply(res, 200, `[${responses.join(",")}]`);
    }
    this.reply(res, 200, await dispatch(this.env, body as RpcRequest));
  }

  private index(): string {
    const host = "//" + (this.options.host ?? "127.0.0.1") + ":" + this.address().port;
    const links = Object.entries(METHODS)
      .map(([name, m]) => {
        const args = m.params.map((p) => `${p.name}=_`).join("&");
        return `<a href="${host}/${name}${args ? `?${args}` : ""}">${host}/${name}${args ? `?${args}` : ""}</a></br>`;
      })
      .join("\n");
    return `<html><body><br>Available endpoints:<br>\n${links}\n</body></html>`;
  }
}
