// DeCloud as a network (issue 7, "Performance"): a 4-validator localnet on loopback — each validator a
// `decloud node start` process with its own CometBFT, fast timeouts — under the devnet benchmark's workload
// (bank sends from 20 senders through broadcast_tx_sync, spread over the four nodes), and the cost of the ABCI
// socket against calling the app directly as the solo driver does.
// Targets (Akash's required load): 50 tx/s sustained, bursts of 500 tx/s, confirmation under 5 s.
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { BaseAccount } from "cosmjs-types/cosmos/auth/v1beta1/auth";
import { QueryAccountRequest, QueryAccountResponse } from "cosmjs-types/cosmos/auth/v1beta1/query";
import { CheckTxType, type Request } from "cosmjs-types/tendermint/abci/types";
import { WebSocket } from "ws";
import { createApp } from "../app/app.js";
import { makeSenders, type NativeSender, signSend } from "../app/testing/native-signer.js";
import { devnetAppStateWith, txHashHex } from "../devnet/testing/helpers.js";
import { findFreeBasePort, Localnet } from "../localnet/localnet.js";
import { AbciClient } from "../node/abci/client.js";
import { AbciServer, formatAbciAddress } from "../node/abci/server.js";
import { findCometbft } from "../node/cometbft/binary.js";
import { createGenesisDoc, initChainRequest } from "../node/types/genesis.js";
import { BOND_DENOM } from "../params/chain.js";

const CHAIN_ID = "decloud-bench";
const SENDERS = 20;
const fmt = (n: number, digits = 0) =>
  n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? Number.NaN;

async function appStateFor(senders: NativeSender[]) {
  return devnetAppStateWith({
    balances: senders.map((s) => ({
      address: s.address,
      coins: [{ denom: BOND_DENOM, amount: "1000000000000" }],
    })),
  });
}

async function rpc(url: string, method: string, params: Record<string, unknown>) {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  return (await res.json()) as { result?: { code: number; log: string }; error?: { data: string } };
}

/**
 * Records each tx's inclusion time from node0's NewBlock events (one message per block: a Tx subscription
 * would be cancelled by CometBFT when a large block's events overflow its buffer).
 */
function watchTxs(rpcUrl: string, seen: Map<string, number>): Promise<WebSocket> {
  const ws = new WebSocket(`${rpcUrl.replace(/^http/, "ws")}/websocket`);
  return new Promise((resolve, reject) => {
    ws.on("error", reject);
    ws.on("open", () =>
      ws.send(
        JSON.stringify({
          jsonrpc: "2.0",
          id: 1,
          method: "subscribe",
          params: { query: "tm.event='NewBlock'" },
        }),
      ),
    );
    ws.on("message", (data) => {
      const msg = JSON.parse(data.toString()) as {
        result?: { data?: { value?: { block?: { data?: { txs?: string[] } } } } };
      };
      const block = msg.result?.data?.value?.block;
      if (block) {
        const now = performance.now();
        for (const tx of block.data?.txs ?? []) seen.set(txHashHex(Buffer.from(tx, "base64")), now);
      } else if (msg.result) resolve(ws);
    });
  });
}

interface RunFigures {
  txs: number;
  tps: number;
  p50: number;
  p99: number;
  max: number;
}

/**
 * Each sender broadcasts its txs one after another (each waits for CheckTx), to node (sender mod 4); with
 * `ratePerSec`, all senders together follow that schedule; without, as fast as the nodes take them (burst).
 */
async function drive(net: Localnet, senders: NativeSender[], perSender: number, ratePerSec?: number) {
  const seen = new Map<string, number>();
  const ws = await watchTxs(net.nodes[0]!.rpcUrl, seen);
  const to = senders[0]!.address;
  const signed = senders.map((s) => Array.from({ length: perSender }, () => signSend(s, to, CHAIN_ID)));
  const sentAt = new Map<string, number>();
  const t0 = performance.now();
  await Promise.all(
    senders.map(async (_, i) => {
      const node = net.nodes[i % net.nodes.length]!;
      for (let k = 0; k < perSender; k++) {
        if (ratePerSec) {
          const at = t0 + ((k * senders.length + i) * 1000) / ratePerSec;
          const wait = at - performance.now();
          if (wait > 1) await new Promise((r) => setTimeout(r, wait));
        }
        const tx = signed[i]![k]!;
        const hash = txHashHex(tx);
        sentAt.set(hash, performance.now());
        for (;;) {
          const r = await rpc(node.rpcUrl, "broadcast_tx_sync", { tx: Buffer.from(tx).toString("base64") });
          if (r.result?.code === 0) break;
          // A full mempool is back-pressure: retry. Anything else is a bench bug.
          if (!/mempool is full/.test(r.error?.data ?? "")) throw new Error(JSON.stringify(r));
          await new Promise((res) => setTimeout(res, 20));
        }
      }
    }),
  );
  const total = senders.length * perSender;
  const deadline = performance.now() + 120_000;
  while (seen.size < total && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  ws.close();
  if (seen.size < total) throw new Error(`only ${seen.size} of ${total} txs were committed`);
  const last = Math.max(...seen.values());
  const lat = [...sentAt].map(([h, at]) => seen.get(h)! - at).sort((a, b) => a - b);
  return {
    txs: total,
    tps: total / ((last - t0) / 1000),
    p50: pct(lat, 50),
    p99: pct(lat, 99),
    max: lat[lat.length - 1]!,
  } satisfies RunFigures;
}

async function localnetRun(
  label: string,
  perSender: number,
  ratePerSec?: number,
): Promise<RunFigures & { blockMs: number }> {
  const dir = mkdtempSync(join(tmpdir(), "decloud-bench-localnet-"));
  const senders = makeSenders(SENDERS, `bench-cometbft-${label}`);
  const net = await Localnet.create({
    dir,
    validators: 4,
    basePort: await findFreeBasePort(4),
    chainId: CHAIN_ID,
    appState: await appStateFor(senders),
    logLevel: "error",
  });
  try {
    await net.start();
    for (const s of senders) {
      const res = await fetch(`${net.nodes[0]!.restUrl}/cosmos/auth/v1beta1/accounts/${s.address}`);
      s.accountNumber = BigInt(
        ((await res.json()) as { account: { account_number: string } }).account.account_number,
      );
    }
    const h0 = await heightOf(net);
    const t0 = performance.now();
    const figures = await drive(net, senders, perSender, ratePerSec);
    const blocks = (await heightOf(net)) - h0;
    return { ...figures, blockMs: (performance.now() - t0) / Math.max(1, blocks) };
  } finally {
    await net.stopAll();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function heightOf(net: Localnet): Promise<number> {
  const res = await fetch(`${net.nodes[0]!.rpcUrl}/status`);
  return Number(
    ((await res.json()) as { result: { sync_info: { latest_block_height: string } } }).result.sync_info
      .latest_block_height,
  );
}

/**
 * The same blocks executed twice on fresh apps: calling the app directly (the solo driver's way) and through
 * the ABCI socket server from a client that behaves like CometBFT (CheckTx pipelined then Flush; FinalizeBlock
 * and Commit on the consensus connection). The ratio is the socket's cost on top of the app's own work.
 */
async function abciOverhead(): Promise<{ direct: number; socket: number; txs: number }> {
  const blocks = 20;
  const perBlock = 100;
  const run = async (viaSocket: boolean) => {
    const dir = mkdtempSync(join(tmpdir(), "decloud-bench-abci-"));
    const senders = makeSenders(SENDERS, "bench-abci");
    const genesis = createGenesisDoc({ chainId: CHAIN_ID, appState: await appStateFor(senders) });
    const app = await createApp({ dataDir: dir, chainId: CHAIN_ID });
    const server = viaSocket ? new AbciServer(app.app) : undefined;
    let client: AbciClient | undefined;
    if (server)
      client = await AbciClient.connect(formatAbciAddress(await server.listen("tcp://127.0.0.1:0")));
    const call = async (req: Request) => {
      if (client) return client.call(req);
      if (req.initChain) return { initChain: await app.app.initChain(req.initChain) };
      if (req.checkTx) return { checkTx: await app.app.checkTx(req.checkTx) };
      if (req.finalizeBlock) return { finalizeBlock: await app.app.finalizeBlock(req.finalizeBlock) };
      if (req.commit) return { commit: await app.app.commit() };
      return {};
    };
    try {
      await call({ initChain: initChainRequest(genesis) });
      await call({
        finalizeBlock: {
          txs: [],
          height: 1n,
          hash: new Uint8Array(),
          time: { seconds: 1n, nanos: 0 },
          misbehavior: [],
          nextValidatorsHash: new Uint8Array(),
          proposerAddress: new Uint8Array(),
          decidedLastCommit: { round: 0, votes: [] },
        },
      });
      await call({ commit: {} });
      for (const s of senders) {
        const res = await app.app.query({
          path: "/cosmos.auth.v1beta1.Query/Account",
          data: QueryAccountRequest.encode({ address: s.address }).finish(),
          height: 0n,
          prove: false,
        });
        s.accountNumber = BaseAccount.decode(
          QueryAccountResponse.decode(res.value).account!.value,
        ).accountNumber;
      }
      const to = senders[0]!.address;
      const t0 = performance.now();
      for (let b = 0; b < blocks; b++) {
        const txs = Array.from({ length: perBlock }, (_, k) => signSend(senders[k % SENDERS]!, to, CHAIN_ID));
        const checks = await Promise.all(txs.map((tx) => call({ checkTx: { tx, type: CheckTxType.NEW } })));
        if (client) await client.call({ flush: {} });
        if (checks.some((c) => c.checkTx?.code !== 0)) throw new Error("CheckTx refused a bench tx");
        const res = await call({
          finalizeBlock: {
            txs,
            height: BigInt(b + 2),
            hash: new Uint8Array(),
            time: { seconds: BigInt(b + 2), nanos: 0 },
            misbehavior: [],
            nextValidatorsHash: new Uint8Array(),
            proposerAddress: new Uint8Array(),
            decidedLastCommit: { round: 0, votes: [] },
          },
        });
        if (res.finalizeBlock?.txResults.some((r) => r.code !== 0)) throw new Error("a bench tx failed");
        await call({ commit: {} });
      }
      return performance.now() - t0;
    } finally {
      client?.close();
      await server?.close();
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    }
  };
  // Signing happens inside the timed loop in both runs alike; a warm-up run first.
  await run(false);
  const direct = await run(false);
  const socket = await run(true);
  return { direct, socket, txs: blocks * perBlock };
}

export async function benchCometbft(): Promise<Record<string, string>> {
  const figures: Record<string, string> = {};
  const overhead = await abciOverhead();
  figures["abci: 2,000 txs (CheckTx + FinalizeBlock, 100/block) direct, as the solo driver calls the app"] =
    `${fmt(overhead.direct)} ms (${fmt(overhead.txs / (overhead.direct / 1000))} tx/s)`;
  figures["abci: the same through the ABCI socket (tcp loopback)"] =
    `${fmt(overhead.socket)} ms (${fmt(overhead.txs / (overhead.socket / 1000))} tx/s)`;
  figures["abci: socket / direct"] = `${fmt(overhead.socket / overhead.direct, 2)}×`;

  if (!findCometbft()) {
    figures.localnet = "skipped: cometbft 0.38 not installed (scripts/install-cometbft.sh)";
    return figures;
  }
  const burst = await localnetRun("burst", 50);
  figures["localnet 4 validators, burst: 1,000 txs from 20 senders as fast as taken"] =
    `${fmt(burst.tps)} tx/s committed; inclusion p50 ${fmt(burst.p50)} ms, p99 ${fmt(burst.p99)} ms, max ${fmt(burst.max)} ms; ${fmt(burst.blockMs)} ms/block`;
  const paced = await localnetRun("paced", 50, 100);
  figures["localnet 4 validators, paced: 1,000 txs offered at 100 tx/s (2× Akash's 50 tx/s)"] =
    `${fmt(paced.tps)} tx/s committed; inclusion p50 ${fmt(paced.p50)} ms, p99 ${fmt(paced.p99)} ms, max ${fmt(paced.max)} ms`;
  const sustained = paced.tps >= 90 && paced.p99 < 5000;
  figures["localnet: 50 tx/s sustained with confirmation < 5 s (Akash)"] = sustained ? "met" : "NOT MET";
  figures["localnet: bursts of 500 tx/s (Akash)"] =
    burst.tps >= 500
      ? "met"
      : `NOT MET here: ${fmt(burst.tps)} tx/s with 4 validators (8 processes) sharing ${cpus().length} cores`;
  return figures;
}
