// The clients of the node benchmark, in their own process (forked by node.ts) so that the node's process and
// its memory are the node's alone, as with real clients. Over IPC: `prepare` (sign every tx, open a websocket
// subscription to Tx events), `go` (broadcast, report when every tx is seen in a block).
import { WebSocket } from "ws";
import { makeSenders, signSend } from "../app/testing/native-signer.js";
import { txHashHex } from "../devnet/testing/helpers.js";
import { broadcastSequentially, RpcHttpClient } from "../devnet/testing/load.js";

export interface PrepareMessage {
  type: "prepare";
  rpcUrl: string;
  chainId: string;
  label: string;
  accountNumbers: string[];
  /**
   * "load": every sender broadcasts all its txs back to back (closed loop: as fast as the node takes them).
   * "paced": the senders together offer `ratePerSec` txs per second on a fixed schedule (each sender still
   * waits for the previous broadcast). "light": one tx at a time, each waiting for its inclusion and then a
   * random pause of up to `pauseMs`, to see latency without queueing.
   */
  mode: "load" | "paced" | "light";
  /** Where sender s broadcasts: `broadcastUrls[s mod n]` (default: `rpcUrl` only). */
  broadcastUrls?: string[];
  /**
   * How inclusion is seen on `rpcUrl`: "tx" subscribes to Tx events (the solo node); "block" to NewBlock, one
   * message per block — CometBFT cancels a Tx subscription whose buffer a large block overflows.
   */
  watch?: "tx" | "block";
  txsPerSender: number;
  pauseMs?: number;
  ratePerSec?: number;
}

export interface ClientReport {
  type: "done";
  txs: number;
  /** From the first broadcast to the last tx seen in a block. */
  elapsedMs: number;
  /** From the first broadcast to the last broadcast accepted by CheckTx. */
  broadcastMs: number;
  mempoolFullRetries: number;
  failed: number;
  /** Broadcast (first attempt) → Tx event received, per tx, sorted. */
  latenciesMs: number[];
}

function sleepUntil(at: number): Promise<void> | undefined {
  const ms = at - performance.now();
  return ms > 1 ? new Promise((resolve) => setTimeout(resolve, ms)) : undefined;
}

type Included = (hash: string, code: number, at: number) => void;

interface EventValue {
  TxResult?: { tx: string; result: { code?: number } };
  block?: { data?: { txs?: string[] | null } };
  result_finalize_block?: { tx_results?: { code?: number }[] | null };
}

/** Subscribes to every Tx event, or every NewBlock; resolves once the node confirmed the subscription. */
function subscribeTxs(rpcUrl: string, watch: "tx" | "block", onTx: Included): Promise<WebSocket> {
  const ws = new WebSocket(`${rpcUrl.replace(/^http/, "ws")}/websocket`);
  const query = watch === "tx" ? "tm.event='Tx'" : "tm.event='NewBlock'";
  return new Promise((resolve, reject) => {
    ws.on("error", reject);
    ws.on("open", () => {
      ws.send(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "subscribe", params: { query } }));
    });
    ws.on("message", (data) => {
      const msg = JSON.parse(data.toString()) as {
        result?: { query?: string; data?: { value: EventValue } };
      };
      if (!msg.result) return;
      if (!msg.result.query) {
        resolve(ws); // the subscribe confirmation
        return;
      }
      const now = performance.now();
      const value = msg.result.data!.value;
      if (value.TxResult) {
        onTx(txHashHex(Buffer.from(value.TxResult.tx, "base64")), value.TxResult.result.code ?? 0, now);
      }
      const results = value.result_finalize_block?.tx_results ?? [];
      for (const [i, tx] of (value.block?.data?.txs ?? []).entries()) {
        onTx(txHashHex(Buffer.from(tx, "base64")), results[i]?.code ?? 0, now);
      }
    });
  });
}

async function run(p: PrepareMessage): Promise<ClientReport> {
  const senders = makeSenders(p.accountNumbers.length, p.label);
  senders.forEach((s, i) => {
    s.accountNumber = BigInt(p.accountNumbers[i]!);
  });
  const hashes: string[][] = [];
  const encoded = senders.map((s, i) => {
    hashes[i] = [];
    return Array.from({ length: p.txsPerSender }, () => {
      const tx = signSend(s, senders[(i + 1) % senders.length]!.address, p.chainId, "1");
      hashes[i]!.push(txHashHex(tx));
      return Buffer.from(tx).toString("base64");
    });
  });
  const total = senders.length * p.txsPerSender;
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  let failed = 0;
  let last = 0;
  const waiting = new Map<string, () => void>();
  let allSeen!: () => void;
  const everything = new Promise<void>((resolve) => {
    allSeen = resolve;
  });
  const ws = await subscribeTxs(p.rpcUrl, p.watch ?? "tx", (hash, code, at) => {
    const sent = sentAt.get(hash);
    if (sent === undefined) return;
    sentAt.delete(hash);
    latencies.push(at - sent);
    if (code !== 0) failed++;
    last = at;
    waiting.get(hash)?.();
    if (latencies.length === total) allSeen();
  });
  process.send!({ type: "ready" });
  await new Promise<void>((resolve) => process.once("message", () => resolve()));

  const urls = p.broadcastUrls ?? [p.rpcUrl];
  const clients = urls.map((url) => new RpcHttpClient(url, Math.ceil(senders.length / urls.length)));
  const start = performance.now();
  let report: Awaited<ReturnType<typeof broadcastSequentially>>;
  if (p.mode === "load" || p.mode === "paced") {
    const n = senders.length;
    const spacingMs = p.mode === "paced" ? 1000 / p.ratePerSec! : 0;
    report = await broadcastSequentially(clients, encoded, {
      onSent: (s, i, at) => sentAt.set(hashes[s]![i]!, at),
      // Sender s sends its i-th tx at slot i·n + s of the schedule, or at once if it is behind.
      before: spacingMs > 0 ? (s, i) => sleepUntil(start + (i * n + s) * spacingMs) : undefined,
    });
  } else {
    let retries = 0;
    for (const [s, list] of encoded.entries()) {
      for (const [i, tx] of list.entries()) {
        await new Promise((resolve) => setTimeout(resolve, Math.random() * (p.pauseMs ?? 0)));
        const hash = hashes[s]![i]!;
        const seen = new Promise<void>((resolve) => waiting.set(hash, resolve));
        const r = await broadcastSequentially(clients[s % clients.length]!, [[tx]], {
          onSent: (_s, _i, at) => sentAt.set(hash, at),
        });
        retries += r.mempoolFullRetries;
        await seen;
        waiting.delete(hash);
      }
    }
    report = { mempoolFullRetries: retries, elapsedMs: performance.now() - start };
  }
  await everything;
  for (const c of clients) c.close();
  ws.close();
  return {
    type: "done",
    txs: total,
    elapsedMs: last - start,
    broadcastMs: report.elapsedMs,
    mempoolFullRetries: report.mempoolFullRetries,
    failed,
    latenciesMs: latencies.sort((a, b) => a - b),
  };
}

process.once("message", (m: PrepareMessage) => {
  run(m).then(
    (report) => process.send!(report, () => process.exit(0)),
    (err: Error) => {
      process.send!({ type: "error", message: err.stack ?? err.message }, () => process.exit(1));
    },
  );
});
