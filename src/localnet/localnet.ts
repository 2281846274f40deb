// `decloud localnet --validators N`: N validators on loopback, each a `decloud node start` process (the app
// and its ABCI server) with its own `cometbft` child, each in its own home <dir>/node<i>, sharing one genesis
// in which the devnet's dev accounts are funded. Fast consensus timeouts (~150 ms blocks).
//
// Port scheme: validator i (0-based) uses the ten ports from basePort + 10·i (default base 26600):
//   +0 p2p   +1 RPC (CometBFT)   +2 ABCI (app ↔ CometBFT)   +3 REST   +4 gRPC
// so validator 0 has RPC 26601 and REST 26603, validator 1 RPC 26611 and REST 26613, and so on.
//
// Each node process is a real process so that it can be stopped, killed (SIGKILL) and restarted on its own,
// as the fault tests do. Logs go to <dir>/node<i>/node.log.
import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { FAST_TIMEOUTS } from "../node/cometbft/config.js";
import { initCometHome, writeNetworkGenesis } from "../node/cometbft/home.js";
import { buildDevnetAppState } from "../params/devnet.js";

export const LOCALNET_BASE_PORT = 26600;
const SEMI_SPACE_FLAG = "--max-semi-space-size";
export const LOCALNET_CHAIN_ID = "decloud-localnet";
export const PORT_OFFSETS = { p2p: 0, rpc: 1, abci: 2, rest: 3, grpc: 4 } as const;

export function localnetPort(base: number, index: number, service: keyof typeof PORT_OFFSETS): number {
  return base + 10 * index + PORT_OFFSETS[service];
}

export interface LocalnetOptions {
  /** Where the homes live (node0, node1, …). */
  dir: string;
  validators: number;
  basePort?: number;
  chainId?: string;
  /** Genesis app_state (default: the devnet's, with the dev accounts and faucet funded). */
  appState?: unknown;
  /** Default true. */
  createEmptyBlocks?: boolean;
  /** Log level of each node (CometBFT's lines included). Default "info". */
  logLevel?: string;
  /** Extra environment for node processes, by index (e.g. a fail point for one of them). */
  env?: (index: number) => Record<string, string>;
}

export interface LocalnetNode {
  index: number;
  home: string;
  rpcUrl: string;
  restUrl: string;
  grpcAddress: string;
  abciAddress: string;
}

interface Running {
  child: ChildProcess;
  exited: Promise<number | string>;
}

export class Localnet {
  readonly nodes: LocalnetNode[];
  readonly chainId: string;
  private readonly running = new Map<number, Running>();
  private readonly extraEnv = new Map<number, Record<string, string>>();

  private constructor(
    readonly opts: LocalnetOptions,
    readonly basePort: number,
  ) {
    this.chainId = opts.chainId ?? LOCALNET_CHAIN_ID;
    this.nodes = Array.from({ length: opts.validators }, (_, i) => ({
      index: i,
      home: join(opts.dir, `node${i}`),
      rpcUrl: `http://127.0.0.1:${localnetPort(basePort, i, "rpc")}`,
      restUrl: `http://127.0.0.1:${localnetPort(basePort, i, "rest")}`,
      grpcAddress: `127.0.0.1:${localnetPort(basePort, i, "grpc")}`,
      abciAddress: `tcp://127.0.0.1:${localnetPort(basePort, i, "abci")}`,
    }));
  }

  /** Creates the homes and the shared genesis unless node0's genesis exists (then the localnet resumes). */
  static async create(opts: LocalnetOptions): Promise<Localnet> {
    if (opts.validators < 1) throw new Error("a localnet needs at least one validator");
    const net = new Localnet(opts, opts.basePort ?? LOCALNET_BASE_PORT);
    const genesisFile = join(net.nodes[0]!.home, "config", "genesis.json");
    if (existsSync(genesisFile)) {
      const genesis = JSON.parse(readFileSync(genesisFile, "utf8")) as { validators?: unknown[] };
      const existing = genesis.validators?.length ?? 0;
      if (existing !== opts.validators) {
        throw new Error(
          `The localnet in ${opts.dir} has ${existing} validators, not ${opts.validators}: start it with ` +
            `--validators ${existing}, or start over with --reset`,
        );
      }
    } else {
      mkdirSync(opts.dir, { recursive: true });
      const appState = opts.appState ?? (await buildDevnetAppState());
      for (const n of net.nodes) {
        rmSync(n.home, { recursive: true, force: true });
        initCometHome(n.home, {
          chainId: net.chainId,
          moniker: `node${n.index}`,
          appState,
          proxyApp: n.abciAddress,
          rpcLaddr: `tcp://127.0.0.1:${localnetPort(net.basePort, n.index, "rpc")}`,
          p2pLaddr: `tcp://127.0.0.1:${localnetPort(net.basePort, n.index, "p2p")}`,
          timeouts: FAST_TIMEOUTS,
          createEmptyBlocks: opts.createEmptyBlocks ?? true,
          local: true,
          app: {
            minimumGasPrices: "0.025uakt",
            apiAddress: `tcp://127.0.0.1:${localnetPort(net.basePort, n.index, "rest")}`,
            grpcAddress: `127.0.0.1:${localnetPort(net.basePort, n.index, "grpc")}`,
          },
        });
      }
      writeNetworkGenesis(
        net.nodes.map((n) => n.home),
        { chainId: net.chainId },
      );
    }
    return net;
  }

  /** Environment for validator i's next start (e.g. DECLOUD_FAIL_POINT); {} clears it. */
  setEnv(i: number, env: Record<string, string>): void {
    this.extraEnv.set(i, env);
  }

  isRunning(i: number): boolean {
    return this.running.has(i);
  }

  /** Starts validator i (or all) and waits until its RPC and REST answer. */
  async start(i?: number): Promise<void> {
    const which = i === undefined ? this.nodes.map((n) => n.index) : [i];
    for (const idx of which) this.spawnNode(idx);
    await Promise.all(which.map((idx) => this.waitReady(idx)));
  }

  private spawnNode(i: number): void {
    if (this.running.has(i)) throw new Error(`node${i} is already running`);
    const n = this.nodes[i]!;
    const ext = import.meta.url.endsWith(".ts") ? ".ts" : ".js";
    const main = fileURLToPath(new URL(`../cli/main${ext}`, import.meta.url));
    const log = openSync(join(n.home, "node.log"), "a");
    const child = spawn(
      process.execPath,
      [
        ...process.execArgv.filter((a) => !a.startsWith("--test") && !a.startsWith(SEMI_SPACE_FLAG)),
        // A validator allocates short-lived objects for every tx it checks, rechecks and executes: a larger
        // young generation lets most of them die without a scavenge (about 10% less CPU per tx under load).
        `${SEMI_SPACE_FLAG}=64`,
        main,
        "node",
        "start",
        "--node-home",
        n.home,
        "--json",
        "--log-level",
        this.opts.logLevel ?? "info",
      ],
      {
        stdio: ["ignore", "ignore", log],
        env: { ...process.env, ...this.opts.env?.(i), ...this.extraEnv.get(i) },
      },
    );
    closeSync(log);
    const exited = new Promise<number | string>((resolve) =>
      child.once("exit", (code, signal) => {
        this.running.delete(i);
        resolve(code ?? signal ?? -1);
      }),
    );
    this.running.set(i, { child, exited });
  }

  private async waitReady(i: number): Promise<void> {
    const n = this.nodes[i]!;
    const r = this.running.get(i);
    const deadline = Date.now() + 120_000;
    for (;;) {
      if (!this.running.has(i) || r !== this.running.get(i)) {
        throw new Error(
          `node${i} exited during startup (${await r?.exited}); see ${join(n.home, "node.log")}`,
        );
      }
      const ok = await Promise.all([
        // Ready means a block to show: clients (cosmjs's status) choke on the empty hashes of height 0.
        fetch(`${n.rpcUrl}/status`).then(
          async (res) =>
            res.ok &&
            Number(
              ((await res.json()) as { result: { sync_info: { latest_block_height: string } } }).result
                .sync_info.latest_block_height,
            ) >= 1,
          () => false,
        ),
        fetch(`${n.restUrl}/cosmos/base/tendermint/v1beta1/syncing`).then(
          (res) => res.ok,
          () => false,
        ),
      ]);
      if (ok.every(Boolean)) return;
      if (Date.now() > deadline) {
        throw new Error(
          `node${i} did not come up; the end of ${join(n.home, "node.log")}:\n${this.logTail(i)}`,
        );
      }
      await new Promise((res) => setTimeout(res, 100));
    }
  }

  /** The last lines of validator i's log (the node's and its CometBFT's), for error messages. */
  logTail(i: number, lines = 15): string {
    try {
      return readFileSync(join(this.nodes[i]!.home, "node.log"), "utf8")
        .trimEnd()
        .split("\n")
        .slice(-lines)
        .join("\n");
    } catch {
      return "(no log)";
    }
  }

  /** The process ids of the running validators: each node process and the CometBFT it started. */
  pids(): number[] {
    const out: number[] = [];
    for (const [i, r] of this.running) {
      if (r.child.pid) out.push(r.child.pid);
      try {
        out.push(Number(readFileSync(join(this.nodes[i]!.home, "data", "cometbft.pid"), "utf8").trim()));
      } catch {
        // CometBFT not started yet
      }
    }
    return out;
  }

  /** Resolves with the exit code or signal once validator i's node process ended. */
  exited(i: number): Promise<number | string> {
    return this.running.get(i)?.exited ?? Promise.resolve("not running");
  }

  /** Stops validator i gracefully (SIGTERM: the node stops CometBFT, then itself). */
  async stop(i: number): Promise<void> {
    const r = this.running.get(i);
    if (!r) return;
    r.child.kill("SIGTERM");
    await r.exited;
    await this.reapCometbft(i);
  }

  /** SIGKILLs validator i's node process (its CometBFT stops itself on losing the app). */
  async kill(i: number): Promise<void> {
    const r = this.running.get(i);
    if (!r) return;
    r.child.kill("SIGKILL");
    await r.exited;
    await this.reapCometbft(i);
  }

  /**
   * Waits for the CometBFT child of a node that is gone, by the pid the node wrote; kills it (by that pid)
   * if it outlives its app — which happens only when the app died before CometBFT connected.
   */
  private async reapCometbft(i: number): Promise<void> {
    const pidFile = join(this.nodes[i]!.home, "data", "cometbft.pid");
    if (!existsSync(pidFile)) return;
    const pid = Number(readFileSync(pidFile, "utf8").trim());
    rmSync(pidFile, { force: true });
    const alive = () => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    const deadline = Date.now() + 15_000;
    while (alive() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    if (alive()) process.kill(pid, "SIGKILL");
    while (alive()) await new Promise((r) => setTimeout(r, 50));
  }

  /** Wipes validator i's chain data (CometBFT's and the app's), like `decloud node reset`. It must be stopped. */
  wipe(i: number): void {
    if (this.running.has(i)) throw new Error(`node${i} is running`);
    const data = join(this.nodes[i]!.home, "data");
    rmSync(data, { recursive: true, force: true });
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.running.keys()].map((i) => this.stop(i)));
  }
}

/**
 * A base port whose whole block of ports (10 per validator) is free on 127.0.0.1 right now. The default range
 * stays below Linux's ephemeral ports (32768+), which outgoing connections could take in the meantime.
 */
export async function findFreeBasePort(validators: number, from = 20000, to = 32000): Promise<number> {
  const free = (port: number) =>
    new Promise<boolean>((resolve) => {
      const s = createServer();
      s.once("error", () => resolve(false));
      s.listen(port, "127.0.0.1", () => s.close(() => resolve(true)));
    });
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = from + 10 * Math.floor(Math.random() * ((to - from) / 10 - validators * 10));
    let ok = true;
    for (let p = base; p < base + 10 * validators && ok; p++) ok = await free(p);
    if (ok) return base;
  }
  throw new Error("no free block of ports found");
}
