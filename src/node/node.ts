// A DeCloud node in solo mode: the app (any AbciApplication) driven by the solo consensus driver, with the
// block store, the tx index and the CometBFT-compatible RPC, plus pluggable services (REST on 1317, gRPC on
// 9090) that the devnet and CLI compose. Options are plain data; the app comes as a dependency:
//
//   const node = new Node({ home, genesis, blockTimeMs: 0, rpc: { port: 0 } }, { app });
//   await node.start();   // … node.rpcUrl …
//   await node.stop();
//
// The home directory follows CometBFT's layout, so it can be moved to a real CometBFT node:
// config/genesis.json, config/priv_validator_key.json, config/node_key.json; data/ holds the block store.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Logger, pino } from "pino";
import type { AbciApplication } from "../app/abci.js";
import { openDb } from "./blockstore/db.js";
import { BlockStore } from "./blockstore/store.js";
import type { MempoolOptions } from "./mempool/mempool.js";
import { loadOrCreateNodeKey, loadOrCreateValidatorKey } from "./privval/keys.js";
import type { RpcEnv } from "./rpc/methods.js";
import { RpcServer } from "./rpc/server.js";
import { type ChainSource, soloChainSource } from "./services/chain.js";
import { AppLock } from "./solo/app-lock.js";
import { SoloDriver } from "./solo/driver.js";
import { type GenesisDoc, loadGenesisFile, parseGenesisDoc } from "./types/genesis.js";

export interface NodeOptions {
  /** The node's home directory (created if absent). */
  home: string;
  /**
   * The genesis document. When absent it is read from config/genesis.json; when given and that file does not
   * exist yet, it is written there.
   */
  genesis?: GenesisDoc;
  moniker?: string;
  /** Milliseconds between blocks; 0 mines as soon as txs are pending. Default 200. */
  blockTimeMs?: number;
  /** Produce blocks only on `mine()` / `dev_mine` (after the first block). */
  noMining?: boolean;
  /** With blockTimeMs 0: follow a block that changed the app hash with one that records it. Default true. */
  proofBlocks?: boolean;
  mempool?: Partial<MempoolOptions>;
  rpc?: {
    /** Default 127.0.0.1. */
    host?: string;
    /** Default 26657; 0 picks a free port. */
    port?: number;
    corsOrigins?: string[];
    /** Set false to run without the RPC server. */
    enabled?: boolean;
  };
  /** config.rpc.timeout_broadcast_tx_commit (default 10 s). */
  broadcastTxCommitTimeoutMs?: number;
  /** Services started after the RPC and stopped before it, e.g. REST and gRPC. */
  services?: NodeServiceFactory[];
  logger?: Logger;
  /** The wall clock in ms, for tests. */
  now?: () => number;
}

export interface NodeDeps {
  app: AbciApplication;
}

/**
 * What a service (REST, gRPC, faucet) gets from the node, in solo mode and under CometBFT alike: the app's
 * queries, broadcasts, blocks and txs go through `chain`.
 */
export interface NodeContext {
  readonly chainId: string;
  readonly chain: ChainSource;
  readonly logger: Logger;
  /** The RPC's base URL (http://host:port), once listening. */
  rpcUrl(): string | undefined;
}

export interface NodeService {
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export type NodeServiceFactory = (ctx: NodeContext) => NodeService;

export const DEFAULT_RPC_PORT = 26657;

export class Node {
  private driver?: SoloDriver;
  private store?: BlockStore;
  private rpc?: RpcServer;
  private services: NodeService[] = [];
  private readonly logger: Logger;
  private started = false;
  private stopping?: Promise<void>;

  constructor(
    private readonly opts: NodeOptions,
    private readonly deps: NodeDeps,
  ) {
    this.logger = opts.logger ?? pino({ name: "node" });
  }

  get paths() {
    const config = join(this.opts.home, "config");
    const data = join(this.opts.home, "data");
    return {
      genesis: join(config, "genesis.json"),
      validatorKey: join(config, "priv_validator_key.json"),
      nodeKey: join(config, "node_key.json"),
      blockstore: join(data, "blockstore.sqlite"),
    };
  }

  /** The RPC base URL, e.g. http://127.0.0.1:26657 (undefined before start or without RPC). */
  get rpcUrl(): string | undefined {
    if (!this.rpc) return undefined;
    const a = this.rpc.address();
    return `http://${a.family === "IPv6" ? `[${a.address}]` : a.address}:${a.port}`;
  }

  get solo(): SoloDriver {
    if (!this.driver) throw new Error("node not started");
    return this.driver;
  }

  get blockStore(): BlockStore {
    if (!this.store) throw new Error("node not started");
    return this.store;
  }

  /** Produces n blocks at once (pending txs first); resolves with the new height. */
  mine(n: number, options?: { intervalMs?: number }): Promise<number> {
    return this.solo.mine(n, options);
  }

  /** Starts the node; on failure (port in use, replay mismatch, …) everything started so far is stopped. */
  async start(): Promise<void> {
    if (this.started) throw new Error("node already started");
    this.started = true;
    try {
      await this.startParts();
    } catch (err) {
      await this.stop().catch(() => undefined);
      throw err;
    }
  }

  private async startParts(): Promise<void> {
    const paths = this.paths;
    mkdirSync(join(this.opts.home, "config"), { recursive: true });
    const genesis = this.loadGenesis(paths.genesis);
    const validatorKey = loadOrCreateValidatorKey(paths.validatorKey);
    const nodeKey = loadOrCreateNodeKey(paths.nodeKey);

    const store = new BlockStore(openDb(paths.blockstore));
    this.store = store;
    const recorded = store.loadState();
    if (recorded && recorded.chainId !== genesis.chain_id) {
      throw new Error(`the block store belongs to chain ${recorded.chainId}, not ${genesis.chain_id}`);
    }
    const driver = new SoloDriver(new AppLock(this.deps.app), store, {
      genesis,
      validatorKey,
      blockTimeMs: this.opts.blockTimeMs,
      noMining: this.opts.noMining,
      proofBlocks: this.opts.proofBlocks,
      mempool: this.opts.mempool,
      logger: this.logger,
      now: this.opts.now,
    });
    this.driver = driver;
    await driver.start();

    if (this.opts.rpc?.enabled !== false) {
      const env: RpcEnv = {
        driver,
        store,
        nodeId: nodeKey.id,
        moniker: this.opts.moniker ?? "decloud",
        rpcAddress: () => `tcp://${this.rpcUrl?.replace(/^http:\/\//, "") ?? ""}`,
        broadcastTxCommitTimeoutMs: this.opts.broadcastTxCommitTimeoutMs ?? 10_000,
      };
      this.rpc = new RpcServer(env, {
        host: this.opts.rpc?.host ?? "127.0.0.1",
        port: this.opts.rpc?.port ?? DEFAULT_RPC_PORT,
        corsOrigins: this.opts.rpc?.corsOrigins,
      });
      await this.rpc.listen();
    }

    const ctx: NodeContext = {
      chainId: genesis.chain_id,
      chain: soloChainSource(driver, store, () => this.rpcUrl, this.logger),
      logger: this.logger,
      rpcUrl: () => this.rpcUrl,
    };
    for (const factory of this.opts.services ?? []) {
      const service = factory(ctx);
      await service.start();
      this.services.push(service);
    }
    this.logger.info({ chainId: genesis.chain_id, height: driver.height, rpc: this.rpcUrl }, "node started");
  }

  /** Stops services, the RPC and block production (a block in flight is completed), then closes the store. */
  stop(): Promise<void> {
    this.stopping ??= this.doStop();
    return this.stopping;
  }

  private async doStop(): Promise<void> {
    for (const s of [...this.services].reverse()) {
      await s.stop().catch((err) => this.logger.error({ err, service: s.name }, "service failed to stop"));
    }
    this.services = [];
    await this.driver?.stop();
    await this.rpc?.close();
    this.store?.close();
    this.logger.info("node stopped");
  }

  private loadGenesis(path: string): GenesisDoc {
    if (this.opts.genesis) {
      const doc = parseGenesisDoc(this.opts.genesis);
      if (!existsSync(path)) writeFileSync(path, `${JSON.stringify(doc, null, 2)}\n`);
      return doc;
    }
    if (!existsSync(path)) throw new Error(`no genesis: ${path} does not exist and none was given`);
    return loadGenesisFile(path);
  }
}

/** Stops the node on SIGTERM / SIGINT, then exits (what `decloud dev` and the child-process tests use). */
export function stopOnSignals(node: Node, logger?: Logger): void {
  const handler = (signal: NodeJS.Signals) => {
    logger?.info({ signal }, "stopping");
    node.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGTERM", handler);
  process.once("SIGINT", handler);
}
