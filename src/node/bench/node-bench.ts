// Node benchmark (issue 3, "Performance"): start-up time to the first block, tx/s through broadcast_tx_sync
// over HTTP with several concurrent clients (mempool, block production and indexing in the loop), and the
// latency from broadcast to inclusion (p50, p99). Runs the KV test app by default so the node's own cost is
// measured; pass another AbciApplication (and tx maker) to measure with the real app.
import { rmSync } from "node:fs";
import { Agent, request } from "node:http";
import type { AbciApplication } from "../../app/abci.js";
import { KvApp } from "../testing/kv-app.js";
import { makeTempHome, startTestNode } from "../testing/test-node.js";
import { txHash } from "../types/hashing.js";

export interface NodeBenchOptions {
  app?: () => AbciApplication;
  /** Makes the i-th tx of client c (must be unique). */
  makeTx?: (client: number, i: number) => Uint8Array;
  txs?: number;
  clients?: number;
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

export async function benchNode(opts: NodeBenchOptions = {}): Promise<Record<string, string>> {
  const figures: Record<string, string> = {};
  const makeApp = opts.app ?? (() => new KvApp());
  const makeTx = opts.makeTx ?? ((c, i) => new TextEncoder().encode(`c${c}-${i}=${i}`));
  const total = opts.txs ?? 10_000;
  const clients = opts.clients ?? 8;

  for (const blockTimeMs of [0, opts.blockTimeMs ?? 200]) {
    const label = blockTimeMs === 0 ? "instant" : `${blockTimeMs}ms blocks`;
    const agent = new Agent({ keepAlive: true, maxSockets: clients });
    const home = makeTempHome("decloud-bench-");
    const t0 = performance.now();
    const tn = await startTestNode({ home, app: makeApp(), blockTimeMs });
    figures[`start-up to first block, serving RPC (${label})`] = `${(performance.now() - t0).toFixed(0)} ms`;

    const sentAt = new Map<string, number>();
    const latencies: number[] = [];
    let included = 0;
    let allIncluded: () => void = () => undefined;
    const done = new Promise<void>((resolve) => {
      allIncluded = resolve;
    });
    tn.node.solo.events.subscribe("tm.event='Tx'", (msg) => {
      if (msg.event.type !== "Tx") return;
      const key = Buffer.from(txHash(msg.event.tx)).toString("hex");
      const t = sentAt.get(key);
      if (t !== undefined) latencies.push(performance.now() - t);
      if (++included === total) allIncluded();
    });

    const perClient = Math.ceil(total / clients);
    let rejected = 0;
    const start = performance.now();
    await Promise.all(
      Array.from({ length: clients }, async (_, c) => {
        for (let i = 0; i < perClient && c * perClient + i < total; i++) {
          const tx = makeTx(c, i);
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
      `${((total / accepted) * 1000).toFixed(0)} tx/s accepted`;
    figures[`all ${total} txs committed (${label})`] =
      `${((included / end) * 1000).toFixed(0)} tx/s end to end, ${included} included, ${rejected} rejected`;
    figures[`inclusion latency (${label})`] =
      `p50 ${percentile(latencies, 50).toFixed(0)} ms, p99 ${percentile(latencies, 99).toFixed(0)} ms`;
    figures[`blocks (${label})`] = String(tn.node.solo.height);
    await tn.stop();
    agent.destroy();
    rmSync(home, { recursive: true, force: true });
  }
  return figures;
}

// Run directly: node dist/node/bench/node-bench.js
if (import.meta.url === `file://${process.argv[1]}`) {
  for (const [k, v] of Object.entries(await benchNode())) console.log(`  ${k}: ${v}`);
}
