// Node benchmark (issue 3, "Performance"): start-up time to the first block, tx/s through broadcast_tx_sync
// over HTTP with several concurrent clients (mempool, block production and indexing in the loop), and the
// latency from broadcast to inclusion (p50, p99). By default it runs the KV test app, so the node's own cost is
// measured; `benchNode({ app, makeTxs, appState })` runs it with another app (e.g. the DeCloud app and
// pre-signed bank sends). Txs are made before the clock starts: signing is the client's cost.
import { rmSync } from "node:fs";
import { Agent, request } from "node:http";
import type { AbciApplication } from "../../app/abci.js";
import { KvApp } from "../testing/kv-app.js";
import { makeTempHome, startTestNode } from "../testing/test-node.js";
import { txHash } from "../types/hashing.js";

export interface BenchApp {
  app: AbciApplication;
  close?: () => Promise<void>;
}

export interface NodeBenchOptions {
  /** A fresh app per run (one run per block mode), given a directory for its data. */
  app?: (dataDir: string) => Promise<BenchApp>;
  /** The txs each client sends, in order (called before the clock starts, once per run). */
  makeTxs?: (clients: number, perClient: number) => Uint8Array[][];
  appState?: unknown;
  chainId?: string;
  txs?: number;
  clients?: number;
  /** The timed block mode measured besides instant mining (default 200 ms). */
  blockTimeMs?: number;
}

/** A JSON POST over a keep-alive agent (one connection per client, as a real client would hold). */
function post(agent: Agent, url: string, body: unknown): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: "POST", agent, headers: { "content-type": "application/json" } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve(JSON.parse(Buffer.concat(chunks).toString("utf8"))));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(JSON.stringify(body));
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

const kvTxs = (clients: number, perClient: number) =>
  Array.from({ length: clients }, (_, c) =>
    Array.from({ length: perClient }, (_, i) => new TextEncoder().encode(`c${c}-${i}=${i}`)),
  );

export async function benchNode(opts: NodeBenchOptions = {}): Promise<Record<string, string>> {
  const figures: Record<string, string> = {};
  const clients = opts.clients ?? 8;
  const perClient = Math.ceil((opts.txs ?? 10_000) / clients);
  const total = clients * perClient;

  for (const blockTimeMs of [0, opts.blockTimeMs ?? 200]) {
    const label = blockTimeMs === 0 ? "instant" : `${blockTimeMs}ms blocks`;
    const home = makeTempHome("decloud-bench-");
    const bench = opts.app ? await opts.app(`${home}/app`) : { app: new KvApp() };
    const txs = (opts.makeTxs ?? kvTxs)(clients, perClient);
    const agent = new Agent({ keepAlive: true, maxSockets: clients });
    const t0 = performance.now();
    const tn = await startTestNode({
      home,
      app: bench.app,
      blockTimeMs,
      appState: opts.appState,
      chainId: opts.chainId,
    });
    figures[`start-up to first block, serving RPC (${label})`] = `${(performance.now() - t0).toFixed(0)} ms`;

    const sentAt = new Map<string, number>();
    const latencies: number[] = [];
    let included = 0;
    let failed = 0;
    let allIncluded: () => void = () => undefined;
    const done = new Promise<void>((resolve) => {
      allIncluded = resolve;
    });
    tn.node.solo.events.subscribe("tm.event='Tx'", (msg) => {
      if (msg.event.type !== "Tx") return;
      const t = sentAt.get(Buffer.from(txHash(msg.event.tx)).toString("hex"));
      if (t !== undefined) latencies.push(performance.now() - t);
      if (msg.event.result.code !== 0) failed++;
      if (++included === total) allIncluded();
    });

    let rejected = 0;
    const start = performance.now();
    await Promise.all(
      txs.map(async (list) => {
        for (const [i, tx] of list.entries()) {
          sentAt.set(Buffer.from(txHash(tx)).toString("hex"), performance.now());
          const body = (await post(agent, tn.rpcUrl, {
            jsonrpc: "2.0",
            id: i,
            method: "broadcast_tx_sync",
            params: { tx: Buffer.from(tx).toString("base64") },
          })) as { result?: { code: number } };
          if (body.result?.code !== 0) rejected++;
        }
      }),
    );
    const accepted = performance.now() - start;
    await Promise.race([done, new Promise((r) => setTimeout(r, 60_000))]);
    const end = performance.now() - start;
    latencies.sort((a, b) => a - b);
    figures[`broadcast_tx_sync, ${clients} clients (${label})`] =
      `${((total / accepted) * 1000).toFixed(0)} tx/s`;
    figures[`${total} txs broadcast to committed (${label})`] =
      `${((included / end) * 1000).toFixed(0)} tx/s; ${included} included, ${failed} failed, ${rejected} rejected`;
    figures[`inclusion latency (${label})`] =
      `p50 ${percentile(latencies, 50).toFixed(0)} ms, p99 ${percentile(latencies, 99).toFixed(0)} ms`;
    figures[`blocks (${label})`] = String(tn.node.solo.height);
    await tn.stop();
    await bench.close?.();
    agent.destroy();
    rmSync(home, { recursive: true, force: true });
  }
  return figures;
}

// Run directly: node dist/node/bench/node-bench.js
if (import.meta.url === `file://${process.argv[1]}`) {
  for (const [k, v] of Object.entries(await benchNode())) console.log(`  ${k}: ${v}`);
}
