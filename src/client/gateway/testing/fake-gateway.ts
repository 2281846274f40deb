// A provider gateway stand-in for tests of followed streams: a real TLS websocket server on a fixed port whose
// logs route honours `since` and `tail` as Docker does (the lines at `since` itself included), and whose events
// route numbers events but, like Akash's, resends them all on a new connection. It can drop its sockets (a
// proxy's idle cut) or go away and come back on the same port (a provider restart).
import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import type { WebSocket } from "ws";
import { WebSocketServer } from "ws";
import { parseLogTime } from "../log-time.js";
import type { GatewayTarget } from "../provider.js";
import type { LeaseEvent, LogLine } from "../types.js";

export const FAKE_PROVIDER = "akash1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqp";

/** A gateway stand-in: logs (honouring since/tail like Docker) and events (numbered), on a fixed port. */
export class FakeGateway {
  readonly lines: Required<LogLine>[] = [];
  readonly events: LeaseEvent[] = [];
  /** Every upgrade's query, in order. */
  readonly queries: URLSearchParams[] = [];
  /** Close code for the next connection, instead of serving it. */
  refuseWith: number | undefined;
  private server: Server | undefined;
  private wss: WebSocketServer | undefined;
  private readonly followers = new Set<{ ws: WebSocket; kind: "logs" | "events" }>();
  port = 0;

  constructor(private readonly tls: { cert: string; key: string }) {}

  async start(): Promise<void> {
    const server = createServer(this.tls);
    const wss = new WebSocketServer({ server });
    wss.on("connection", (ws, req) => this.serve(ws, new URL(req.url ?? "/", "https://x")));
    await new Promise<void>((resolve) => server.listen(this.port, "127.0.0.1", resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
    this.wss = wss;
  }

  /** Goes away as a killed provider does: every socket dropped without a close frame, the port closed. */
  async stop(): Promise<void> {
    for (const ws of this.wss?.clients ?? []) ws.terminate();
    this.followers.clear();
    this.wss?.close();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
    this.server = undefined;
  }

  /** Drops the open sockets (no close frame) but keeps listening: a proxy's idle cut. */
  drop(): void {
    for (const ws of this.wss?.clients ?? []) ws.terminate();
    this.followers.clear();
  }

  log(name: string, message: string, timestamp: string): void {
    const line = { name, message, timestamp };
    this.lines.push(line);
    for (const f of this.followers) if (f.kind === "logs") f.ws.send(JSON.stringify(line));
  }

  event(reason: string): void {
    const e: LeaseEvent = {
      type: "Normal",
      reportingController: "test",
      reportingInstance: "",
      reason,
      note: reason,
      object: { kind: "Pod", namespace: "n", name: "web-0" },
      seq: this.events.length + 1,
    };
    this.events.push(e);
    for (const f of this.followers) if (f.kind === "events") f.ws.send(JSON.stringify(e));
  }

  get target(): GatewayTarget {
    return {
      provider: FAKE_PROVIDER,
      hostUri: `https://127.0.0.1:${this.port}`,
      certificates: [new X509Certificate(this.tls.cert).raw],
    };
  }

  private serve(ws: WebSocket, url: URL): void {
    const q = url.searchParams;
    this.queries.push(q);
    if (this.refuseWith !== undefined) {
      ws.close(this.refuseWith, "refused");
      return;
    }
    const kind = url.pathname.endsWith("/logs") ? "logs" : "events";
    if (kind === "logs") {
      const since = q.has("since") ? parseLogTime(q.get("since")!) : undefined;
      let lines = this.lines.filter((l) => since === undefined || parseLogTime(l.timestamp)! >= since);
      if (q.has("tail")) lines = lines.slice(lines.length - Number(q.get("tail")));
      for (const l of lines) ws.send(JSON.stringify(l));
    } else {
      // Like Akash's, this provider resends every event on a new connection (it ignores `after`).
      for (const e of this.events) ws.send(JSON.stringify(e));
    }
    if (q.get("follow") !== "true") {
      ws.close(1000);
      return;
    }
    const follower = { ws, kind } as const;
    this.followers.add(follower);
    ws.on("close", () => this.followers.delete(follower));
  }
}

/** Reads a stream in the background, keeping what it yields and how it ended. */
export function reader<T>(stream: AsyncIterable<T>) {
  const items: T[] = [];
  let waiters: (() => void)[] = [];
  const done = (async () => {
    for await (const item of stream) {
      items.push(item);
      for (const w of waiters) w();
      waiters = [];
    }
  })();
  done.catch(() => undefined);
  return {
    items,
    done,
    /** Resolves once `n` items arrived. */
    async count(n: number): Promise<void> {
      const deadline = Date.now() + 5_000;
      while (items.length < n) {
        assert.ok(Date.now() < deadline, `only ${items.length} of ${n} items arrived`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 100);
        });
      }
    },
  };
}
