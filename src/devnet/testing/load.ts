// A load generator for the node's RPC: concurrent senders, each broadcasting its own pre-signed txs in
// sequence order through `broadcast_tx_sync` over HTTP (keep-alive), retrying while the mempool is full.
// Shared by the load test and `npm run bench`.
import { Agent, request } from "node:http";
import type { Wire } from "./helpers.js";

/** JSON-RPC over node:http with one keep-alive connection per concurrent caller (lighter than fetch). */
export class RpcHttpClient {
  private readonly agent: Agent;
  private readonly url: URL;
  private id = 0;

  constructor(rpcUrl: string, connections: number) {
    this.url = new URL(rpcUrl);
    this.agent = new Agent({ keepAlive: true, maxSockets: connections });
  }

  call(method: string, params: unknown): Promise<{ result?: Wire; error?: { code: number; data: string } }> {
    const body = JSON.stringify({ jsonrpc: "2.0", id: ++this.id, method, params });
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: this.url.hostname,
          port: this.url.port,
          path: "/",
          method: "POST",
          agent: this.agent,
          headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => {
            try {
              resolve(JSON.parse(Buffer.concat(chunks).toString("utf8")));
            } catch (e) {
              reject(e);
            }
          });
          res.on("error", reject);
        },
      );
      req.on("error", reject);
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

export interface BroadcastReport {
  /** Broadcasts refused with "mempool is full" and sent again. */
  mempoolFullRetries: number;
  /** ms from the start to each sender's last accepted broadcast. */
  elapsedMs: number;
}

const MEMPOOL_FULL = /^mempool is full/;

/**
 * Broadcasts `txs[s]` for every sender `s` concurrently, each sender's txs one after the other (the next is
 * sent once CheckTx accepted the previous, so sequences arrive in order). A "mempool is full" refusal is
 * retried after a pause; any other refusal throws. `onSent(s, i, at)` is called before each first attempt.
 * With several clients (several nodes), sender s uses `clients[s mod n]`.
 */
export async function broadcastSequentially(
  clients: RpcHttpClient | readonly RpcHttpClient[],
  txs: readonly (readonly string[])[],
  opts: {
    onSent?: (sender: number, index: number, at: number) => void;
    /** Awaited (when it returns a promise) before each tx, e.g. to pace the senders. */
    before?: (sender: number, index: number) => Promise<void> | undefined;
    retryDelayMs?: number;
  } = {},
): Promise<BroadcastReport> {
  let retries = 0;
  const start = performance.now();
  await Promise.all(
    txs.map(async (list, s) => {
      const client = Array.isArray(clients) ? clients[s % clients.length]! : (clients as RpcHttpClient);
      for (let i = 0; i < list.length; i++) {
        const wait = opts.before?.(s, i);
        if (wait) await wait;
        opts.onSent?.(s, i, performance.now());
        for (;;) {
          const reply = await client.call("broadcast_tx_sync", { tx: list[i] });
          if (reply.error) {
            if (!MEMPOOL_FULL.test(reply.error.data)) {
              throw new Error(`sender ${s}, tx ${i}: ${JSON.stringify(reply.error)}`);
            }
            retries++;
            await new Promise((resolve) => setTimeout(resolve, opts.retryDelayMs ?? 20));
            continue;
          }
          if (reply.result.code !== 0) {
            throw new Error(`sender ${s}, tx ${i}: code ${reply.result.code}: ${reply.result.log}`);
          }
          break;
        }
      }
    }),
  );
  return { mempoolFullRetries: retries, elapsedMs: performance.now() - start };
}
