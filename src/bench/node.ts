// The devnet (the real DeCloud app in the solo node) under load, as clients see it: bank sends through
// `broadcast_tx_sync` over HTTP from concurrent clients in another process, with the mempool, block
// production and the tx index in the loop; inclusion latency seen through a websocket Tx subscription;
// start-up time to the first block; memory.
// Targets (issue 3): ≥ 1,000 tx/s over RPC, start-up under 2 s, p50 inclusion latency under one block interval.
// (src/node/bench/node-bench.ts measures the node alone, with the KV test app.)
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { makeSenders } from "../app/testing/native-signer.js";
import { Devnet } from "../devnet/devnet.js";
import { devnetAppStateWith, spawnDevnet } from "../devnet/testing/helpers.js";
import { BOND_DENOM, DEVNET_CHAIN_ID } from "../params/chain.js";
import { runBenchClient } from "./client-process.js";
import type { ClientReport, PrepareMessage } from "./node-client.js";

const SENDERS = 20;
const TXS_PER_SENDER = 500;
/** The offered load of the paced run: the throughput target. */
const PACED_RATE = 1000;

const fmt = (n: number, digits = 0) =>
  n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
const mib = (bytes: number) => `${fmt(bytes / 2 ** 20)} MiB`;
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? Number.NaN;
const mark = (ok: boolean) => (ok ? "met" : "NOT MET");

function tempHome(): string {
  return mkdtempSync(join(tmpdir(), "decloud-bench-node-"));
}

const quiet = () => pino({ level: "error" });

/** Devnet.start on a fresh home until the first block is committed (start resolves after it). */
async function startupMs(): Promise<number> {
  const home = tempHome();
  try {
    const t0 = performance.now();
    const devnet = await Devnet.start({ home, rpcPort: 0, restPort: 0, grpcPort: 0, logger: quiet() });
    const ms = performance.now() - t0;
    if (devnet.height < 1) throw new Error("Devnet.start returned before the first block");
    await devnet.stop();
    return ms;
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

/** Resident memory of another process (Linux's /proc; undefined elsewhere). */
function rssOf(pid: number): number | undefined {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `decloud dev` as a user runs it: process start to the devnet's JSON banner (first block made, keys stored),
 * and the process's resident memory then.
 */
async function cliStartup(): Promise<{ ms: number; rss: number | undefined }> {
  const home = tempHome();
  const t0 = performance.now();
  const dev = await spawnDevnet(home);
  try {
    return { ms: performance.now() - t0, rss: rssOf(dev.child.pid!) };
  } finally {
    dev.child.kill("SIGTERM");
    await dev.exited;
    rmSync(home, { recursive: true, force: true });
  }
}

interface RunResult {
  report: ClientReport;
  peakRss: number;
  /** CPU time (user + system, all threads) the node's process spent from the first broadcast to the last inclusion. */
  cpuMs: number;
}

/** A fresh devnet with funded senders, driven by the client process; the node's peak RSS is sampled. */
async function drive(
  blockTimeMs: number,
  mode: PrepareMessage["mode"],
  senders: number,
  txsPerSender: number,
  extra: Partial<PrepareMessage> = {},
): Promise<RunResult> {
  const label = `bench-node-${blockTimeMs}-${mode}`;
  const keys = makeSenders(senders, label);
  const appState = await devnetAppStateWith({
    balances: keys.map((s) => ({
      address: s.address,
      coins: [{ denom: BOND_DENOM, amount: "1000000000000" }],
    })),
  });
  const home = tempHome();
  const devnet = await Devnet.start({
    home,
    blockTimeMs,
    rpcPort: 0,
    restPort: 0,
    grpcPort: 0,
    appState,
    logger: quiet(),
  });
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 50);
  try {
    const accountNumbers: string[] = [];
    for (const s of keys) {
      const res = await fetch(`${devnet.restUrl}/cosmos/auth/v1beta1/accounts/${s.address}`);
      accountNumbers.push(
        ((await res.json()) as { account: { account_number: string } }).account.account_number,
      );
    }
    const prepare: PrepareMessage = {
      type: "prepare",
      rpcUrl: devnet.rpcUrl,
      chainId: DEVNET_CHAIN_ID,
      label,
      accountNumbers,
      mode,
      txsPerSender,
      ...extra,
    };
    let cpu0 = process.cpuUsage();
    const report = await runBenchClient(prepare, () => {
      cpu0 = process.cpuUsage();
    });
    const cpu = process.cpuUsage(cpu0);
    if (report.failed > 0) throw new Error(`${report.failed} txs failed in their blocks`);
    return { report, peakRss, cpuMs: (cpu.user + cpu.system) / 1000 };
  } finally {
    clearInterval(sampler);
    await devnet.stop();
    rmSync(home, { recursive: true, force: true });
  }
}

export async function benchDevnet(): Promise<Record<string, string>> {
  const figures: Record<string, string> = {};

  const starts: number[] = [];
  for (let i = 0; i < 5; i++) starts.push(await startupMs());
  const warm = [...starts.slice(1)].sort((a, b) => a - b);
  figures["devnet: start-up to first block, Devnet.start on a fresh home (first in process)"] =
    `${fmt(starts[0]!)} ms (target < 2,000 ms: ${mark(starts[0]! < 2000)})`;
  figures["devnet: start-up to first block, Devnet.start on a fresh home (median of next 4)"] =
    `${fmt(percentile(warm, 50))} ms`;
  const cli = await cliStartup();
  figures["devnet: `decloud dev` process start to ready (fresh home, keyring written)"] =
    `${fmt(cli.ms)} ms (target < 2,000 ms: ${mark(cli.ms < 2000)})`;
  if (cli.rss !== undefined)
    figures["devnet: `decloud dev` resident memory when ready (idle)"] = mib(cli.rss);

  let peak = 0;
  for (const blockTimeMs of [200, 0]) {
    const blocks = blockTimeMs === 0 ? "instant blocks" : `${blockTimeMs} ms blocks`;
    const within = (p50: number) =>
      blockTimeMs > 0 ? ` (target p50 < ${blockTimeMs} ms: ${mark(p50 < blockTimeMs)})` : "";

    const full = await drive(blockTimeMs, "load", SENDERS, TXS_PER_SENDER);
    peak = Math.max(peak, full.peakRss);
    const r = full.report;
    const tps = (r.txs / r.elapsedMs) * 1000;
    figures[`devnet: tx/s over RPC, ${SENDERS} clients as fast as they can, ${blocks}`] =
      `${fmt(tps)} tx/s to inclusion, ${fmt((r.txs / r.broadcastMs) * 1000)} tx/s through CheckTx ` +
      `(${fmt(r.txs)} bank sends; target ≥ 1,000: ${mark(tps >= 1000)})`;
    // Wall-clock rates depend on what else the machine runs; the node's CPU time per tx does much less.
    const cpuPerTx = (full.cpuMs * 1000) / r.txs;
    figures[`devnet: node CPU time per tx at that load, ${blocks}`] =
      `${fmt(cpuPerTx)} µs (${fmt(1e6 / cpuPerTx)} tx/s per core; the node used ${fmt(full.cpuMs / r.elapsedMs, 2)} cores)`;
    const p50 = percentile(r.latenciesMs, 50);
    figures[`devnet: broadcast → inclusion at that load, ${blocks}`] =
      `p50 ${fmt(p50)} ms, p99 ${fmt(percentile(r.latenciesMs, 99))} ms`;

    const paced = await drive(blockTimeMs, "paced", SENDERS, TXS_PER_SENDER / 2, { ratePerSec: PACED_RATE });
    peak = Math.max(peak, paced.peakRss);
    const pp50 = percentile(paced.report.latenciesMs, 50);
    figures[`devnet: broadcast → inclusion at ${fmt(PACED_RATE)} tx/s offered, ${blocks}`] =
      `p50 ${fmt(pp50)} ms, p99 ${fmt(percentile(paced.report.latenciesMs, 99))} ms${within(pp50)}`;

    const light = await drive(blockTimeMs, "light", 1, blockTimeMs === 0 ? 200 : 40, {
      pauseMs: blockTimeMs,
    });
    peak = Math.max(peak, light.peakRss);
    const lp50 = percentile(light.report.latenciesMs, 50);
    figures[`devnet: broadcast → inclusion, one tx at a time, ${blocks}`] =
      `p50 ${fmt(lp50, 1)} ms, p99 ${fmt(percentile(light.report.latenciesMs, 99), 1)} ms${within(lp50)}`;
  }
  figures["devnet: peak resident memory of the node process (RSS) during the runs"] = mib(peak);
  return figures;
}
