// DeCloud as a network (issue 7, "Performance"): a 4-validator localnet on loopback — each validator a
// `decloud node start` process with its own CometBFT, fast timeouts — under the devnet benchmark's workload
// (bank sends through broadcast_tx_sync from clients in their own process, spread over the four nodes), and
// the cost of the ABCI socket against calling the app directly as the solo driver does.
// Targets (Akash's required load): 50 tx/s sustained, bursts of 500 tx/s, confirmation under 5 s.
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { BaseAccount } from "cosmjs-types/cosmos/auth/v1beta1/auth";
import { QueryAccountRequest, QueryAccountResponse } from "cosmjs-types/cosmos/auth/v1beta1/query";
import { CheckTxType, type Request } from "cosmjs-types/tendermint/abci/types";
import { createApp } from "../app/app.js";
import { makeSenders, type NativeSender, signSend } from "../app/testing/native-signer.js";
import { devnetAppStateWith } from "../devnet/testing/helpers.js";
import { findFreeBasePort, Localnet } from "../localnet/localnet.js";
import { AbciClient } from "../node/abci/client.js";
import { AbciServer, formatAbciAddress } from "../node/abci/server.js";
import { findCometbft } from "../node/cometbft/binary.js";
import { createGenesisDoc, initChainRequest } from "../node/types/genesis.js";
import { BOND_DENOM } from "../params/chain.js";
import { processCpuMs, runBenchClient } from "./client-process.js";
import type { ClientReport } from "./node-client.js";

const CHAIN_ID = "decloud-bench";
const SENDERS = 20;
const VALIDATORS = 4;
const mark = (ok: boolean) => (ok ? "met" : "NOT MET");
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

interface LocalnetRun {
  report: ClientReport;
  /** Committed txs per second: all of them over the time from the first broadcast to the last inclusion. */
  tps: number;
  /** CPU time the 4 node processes and their 4 CometBFTs used per committed tx, together. */
  cpuMsPerTx: number;
  /** Mean block interval during the run. */
  blockMs: number;
}

/**
 * A fresh 4-validator localnet whose genesis funds `senders` accounts, driven by the bench client process:
 * sender s broadcasts to validator s mod 4, inclusion is seen on node0's NewBlock events.
 */
async function localnetRun(
  label: string,
  senders: number,
  txsPerSender: number,
  mode: "load" | "paced",
  ratePerSec?: number,
): Promise<LocalnetRun> {
  const dir = mkdtempSync(join(tmpdir(), "decloud-bench-localnet-"));
  const keys = makeSenders(senders, `bench-cometbft-${label}`);
  const net = await Localnet.create({
    dir,
    validators: VALIDATORS,
    basePort: await findFreeBasePort(VALIDATORS),
    chainId: CHAIN_ID,
    appState: await appStateFor(keys),
    logLevel: "error",
  });
  try {
    await net.start();
    const accountNumbers = await Promise.all(
      keys.map(async (k) => {
        const res = await fetch(`${net.nodes[0]!.restUrl}/cosmos/auth/v1beta1/accounts/${k.address}`);
        return ((await res.json()) as { account: { account_number: string } }).account.account_number;
      }),
    );
    let h0 = 0;
    let cpu0 = 0;
    let t0 = 0;
    const cpuNow = () => net.pids().reduce((sum, pid) => sum + processCpuMs(pid), 0);
    const report = await runBenchClient(
      {
        type: "prepare",
        rpcUrl: net.nodes[0]!.rpcUrl,
        broadcastUrls: net.nodes.map((n) => n.rpcUrl),
        watch: "block",
        chainId: CHAIN_ID,
        label: `bench-cometbft-${label}`,
        accountNumbers,
        mode,
        txsPerSender,
        ratePerSec,
      },
      () => {
        cpu0 = cpuNow();
        t0 = performance.now();
        heightOf(net).then((h) => {
          h0 = h;
        });
      },
    );
    const cpuMs = cpuNow() - cpu0;
    const blocks = (await heightOf(net)) - h0;
    if (report.failed > 0) throw new Error(`${report.failed} txs failed in their blocks`);
    return {
      report,
      tps: (report.txs / report.elapsedMs) * 1000,
      cpuMsPerTx: cpuMs / report.txs,
      blockMs: (performance.now() - t0) / Math.max(1, blocks),
    };
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

const latencies = (r: ClientReport) => {
  const l = r.latenciesMs;
  return `inclusion p50 ${fmt(pct(l, 50))} ms, p99 ${fmt(pct(l, 99))} ms, max ${fmt(l[l.length - 1]!)} ms`;
};

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
  figures[
    "abci: the same through the ABCI socket (tcp loopback; the client's encoding runs in this process too)"
  ] = `${fmt(overhead.socket)} ms (${fmt(overhead.txs / (overhead.socket / 1000))} tx/s)`;
  figures["abci: socket / direct"] = `${fmt(overhead.socket / overhead.direct, 2)}×`;

  if (!findCometbft()) {
    figures.localnet = "skipped: cometbft 0.38 not installed (scripts/install-cometbft.sh)";
    return figures;
  }
  // Akash's burst: 500 tx/s offered for 2 s, from 250 clients (each sends its 4 txs in sequence, on the
  // schedule), spread over the four validators.
  const burst = await localnetRun("burst", 250, 4, "paced", 500);
  const burstMax = burst.report.latenciesMs[burst.report.latenciesMs.length - 1]!;
  figures["localnet 4 validators, burst: 1,000 txs offered at 500 tx/s (Akash's bursts) by 250 clients"] =
    `${fmt(burst.tps)} tx/s committed; ${latencies(burst.report)}; ${fmt(burst.blockMs)} ms/block`;
  figures["localnet: bursts of 500 tx/s, every tx confirmed < 5 s (Akash)"] =
    `${mark(burstMax < 5000)} (slowest ${fmt(burstMax / 1000, 1)} s)`;

  const paced = await localnetRun("paced", 20, 50, "paced", 100);
  figures["localnet 4 validators, sustained: 1,000 txs offered at 100 tx/s (2× Akash's 50 tx/s)"] =
    `${fmt(paced.tps)} tx/s committed; ${latencies(paced.report)}`;
  figures["localnet: 50 tx/s sustained with confirmation < 5 s (Akash)"] = mark(
    paced.tps >= 90 && pct(paced.report.latenciesMs, 99) < 5000,
  );

  // What the network carries when clients send as fast as it takes them, and what that costs in CPU.
  const full = await localnetRun("capacity", 200, 10, "load");
  figures["localnet 4 validators, capacity: 2,000 txs from 200 clients as fast as taken"] =
    `${fmt(full.tps)} tx/s committed; ${latencies(full.report)}; ${fmt(full.blockMs)} ms/block`;
  figures["localnet: CPU per committed tx, 4 validators (node + CometBFT each) together"] =
    `${fmt(full.cpuMsPerTx, 2)} ms: the ${cpus().length} cores here, shared by all 8 processes and the clients, ` +
    `cap the network near ${fmt((cpus().length * 1000) / full.cpuMsPerTx)} tx/s; one validator on its own core ` +
    `would carry ${fmt((1000 * VALIDATORS) / full.cpuMsPerTx)} tx/s`;
  return figures;
}
