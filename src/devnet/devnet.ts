// The devnet: the DeCloud app driven by the solo node, with REST, gRPC, a faucet and funded dev accounts,
// in one process. The home keeps the chain between runs; `reset` starts it over.
//
// Layout of a devnet home (default ~/.decloud/dev):
//   config/   genesis.json, priv_validator_key.json, node_key.json (CometBFT's layout)
//   data/     blockstore.sqlite (blocks, results, tx index) and app/ (the state database)
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { type Logger, pino } from "pino";
import { createApp, type DeCloudApp } from "../app/app.js";
import { initNodeHome } from "../node/init.js";
import type { MempoolOptions } from "../node/mempool/mempool.js";
import { Node } from "../node/node.js";
import { grpcService, restService } from "../node/services/index.js";
import { DEVNET_CHAIN_ID } from "../params/chain.js";
import { buildDevnetAppState } from "../params/devnet.js";
import { Faucet, registerFaucetRoute } from "./faucet.js";

export interface DevnetOptions {
  home: string;
  /** Milliseconds between blocks; 0 produces a block as soon as a tx is pending. Default 200. */
  blockTimeMs?: number;
  /** Wipe the chain first. */
  reset?: boolean;
  host?: string;
  rpcPort?: number;
  restPort?: number;
  grpcPort?: number;
  logger?: Logger;
  /**
   * The genesis `app_state` of a fresh home, instead of the dev accounts' (`buildDevnetAppState()`): tests
   * that need another genesis (more funded accounts, a send-disabled denom) still get the real devnet.
   * Ignored when the home already has a genesis.
   */
  appState?: unknown;
  /** Mempool limits (CometBFT's config.mempool), e.g. a small one to test backpressure. */
  mempool?: Partial<MempoolOptions>;
}

export const DEVNET_PORTS = { rpc: 26657, rest: 1317, grpc: 9090 } as const;

/** A fixed validator seed: the devnet's validator (and so its block hashes) is the same on every machine. */
const DEVNET_VALIDATOR_SEED = new Uint8Array(32).fill(7);

export class Devnet {
  private constructor(
    readonly opts: DevnetOptions,
    readonly node: Node,
    private readonly app: DeCloudApp,
    private readonly ports: { rest: () => number; grpc: () => number },
    readonly resumed: boolean,
  ) {}

  static async start(opts: DevnetOptions): Promise<Devnet> {
    const home = opts.home;
    if (opts.reset) rmSync(home, { recursive: true, force: true });
    const resumed = existsSync(join(home, "config", "genesis.json"));
    mkdirSync(join(home, "data"), { recursive: true });
    initNodeHome(home, {
      chainId: DEVNET_CHAIN_ID,
      appState: resumed ? {} : (opts.appState ?? (await buildDevnetAppState())),
      validatorSeed: DEVNET_VALIDATOR_SEED,
    });
    const app = await createApp({ dataDir: join(home, "data", "app"), chainId: DEVNET_CHAIN_ID });
    const host = opts.host ?? "127.0.0.1";
    let restPort = opts.restPort ?? DEVNET_PORTS.rest;
    let grpcPort = opts.grpcPort ?? DEVNET_PORTS.grpc;
    let node: Node | undefined;
    const faucet = new Faucet(() => node?.rpcUrl);
    node = new Node(
      {
        home,
        blockTimeMs: opts.blockTimeMs ?? 200,
        mempool: opts.mempool,
        logger: opts.logger ?? pino({ level: "warn" }),
        rpc: { host, port: opts.rpcPort ?? DEVNET_PORTS.rpc },
        services: [
          restService({
            host,
            port: restPort,
            servedPaths: app.app.queryPaths(),
            extraRoutes: (server) => registerFaucetRoute(server, faucet),
            onListening: (port) => {
              restPort = port;
            },
          }),
          grpcService({
            host,
            port: grpcPort,
            servedPaths: app.app.queryPaths(),
            onListening: (port) => {
              grpcPort = port;
            },
          }),
        ],
      },
      { app: app.app },
    );
    try {
      await node.start();
    } catch (e) {
      await app.close();
      throw e;
    }
    return new Devnet(opts, node, app, { rest: () => restPort, grpc: () => grpcPort }, resumed);
  }

  get rpcUrl(): string {
    return this.node.rpcUrl!;
  }

  get restUrl(): string {
    return `http://${this.opts.host ?? "127.0.0.1"}:${this.ports.rest()}`;
  }

  get grpcAddress(): string {
    return `${this.opts.host ?? "127.0.0.1"}:${this.ports.grpc()}`;
  }

  get height(): number {
    return this.node.solo.height;
  }

  async stop(): Promise<void> {
    await this.node.stop();
    await this.app.close();
  }
}
