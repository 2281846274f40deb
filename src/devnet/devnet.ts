// The devnet: the DeCloud app driven by the solo node, with REST, gRPC, a faucet and funded dev accounts,
// in one process. The home keeps the chain between runs; `reset` starts it over.
//
// Layout of a devnet home (default ~/.decloud/dev):
//   config/   genesis.json, priv_validator_key.json, node_key.json (CometBFT's layout)
//   data/     blockstore.sqlite (blocks, results, tx index) and app/ (the state database)
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { type Logger, pino } from "pino";
import { createApp, type DeCloudApp } from "../app/app.js";
import type { CometNode } from "../node/cometbft/node.js";
import { initNodeHome } from "../node/init.js";
import type { MempoolOptions } from "../node/mempool/mempool.js";
import { Node } from "../node/node.js";
import { grpcService, restService } from "../node/services/index.js";
import { DEFAULT_MIN_GAS_PRICES, DEVNET_CHAIN_ID } from "../params/chain.js";
import { buildDevnetAppState, type DevnetAppState } from "../params/devnet.js";
import {
  DEV_PROVIDER_PORTS,
  DevProvider,
  type DevProviderOptions,
  dockerProblem,
  dockerSocketPath,
  removeProviderObjects,
} from "./dev-provider.js";
import { Faucet, registerFaucetRoute } from "./faucet.js";
import {
  type DevProviderIdentity,
  ensureProviderIdentity,
  existingProviderAddress,
  withDevProvider,
} from "./provider-identity.js";

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
  /**
   * Who runs consensus: the embedded solo driver (default), or a real CometBFT process behind the ABCI socket
   * (one validator; blocks as soon as txs are pending, like block time 0; needs cometbft 0.38). The
   * devnet's client suite runs against both (src/node/cometbft/devnet-suite.test.ts).
   */
  consensus?: "solo" | "cometbft";
  /** Mempool limits (CometBFT's config.mempool), e.g. a small one to test backpressure. */
  mempool?: Partial<MempoolOptions>;
  /**
   * A provider in the genesis (registered, certified, audited by the dev auditor) and, unless `run` is false
   * or no Docker Engine answers, running in this process on the local Docker Engine. `reset` also removes
   * the previous provider's containers, networks and volumes.
   */
  provider?: DevProviderOptions & { readonly run?: boolean };
}

/** Whether the devnet's provider runs, and if not, why and what to do. */
export type DevProviderState =
  | { readonly state: "running"; readonly provider: DevProvider }
  | { readonly state: "off"; readonly address?: string; readonly reason: string; readonly hint: string };

export const DEVNET_PORTS = { rpc: 26657, rest: 1317, grpc: 9090 } as const;

/** Under CometBFT with one validator, the timeouts only pace the blocks: near zero gives block time ~0. */
const DEVNET_COMET_TIMEOUTS = {
  propose: "500ms",
  proposeDelta: "100ms",
  prevote: "100ms",
  prevoteDelta: "50ms",
  precommit: "100ms",
  precommitDelta: "50ms",
  commit: "10ms",
};

/** A free TCP port on `host` now (CometBFT takes fixed ports; REST and gRPC bind port 0 themselves). */
function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, host, () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** A fixed validator seed: the devnet's validator (and so its block hashes) is the same on every machine. */
const DEVNET_VALIDATOR_SEED = new Uint8Array(32).fill(7);

export class Devnet {
  private constructor(
    readonly opts: DevnetOptions,
    readonly node: Node | CometNode,
    private readonly app: DeCloudApp,
    private readonly ports: { rest: () => number; grpc: () => number },
    readonly resumed: boolean,
    /** The provider (undefined when the devnet was started without one). */
    readonly provider: DevProviderState | undefined,
  ) {}

  static async start(opts: DevnetOptions): Promise<Devnet> {
    const home = opts.home;
    if (opts.reset) {
      if (opts.provider) await removeOldProvider(home, dockerSocketPath(opts.provider.dockerSocket));
      rmSync(home, { recursive: true, force: true });
    }
    const resumed = existsSync(join(home, "config", "genesis.json"));
    mkdirSync(join(home, "data"), { recursive: true });
    // A home made before devnets had a provider has none in its genesis: it is not invented afterwards.
    const identity =
      opts.provider && (!resumed || (await existingProviderAddress(home)) !== undefined)
        ? await ensureProviderIdentity(home)
        : undefined;
    // Gateway port 0 is resolved now, not when the gateway listens: the genesis then registers the port the
    // provider will serve on, and no registration tx (a block's wait) is needed before the devnet is ready.
    let providerOptions = opts.provider;
    if (providerOptions?.run !== false && providerOptions?.gatewayPort === 0) {
      providerOptions = { ...providerOptions, gatewayPort: await freePort("127.0.0.1") };
    }
    let appState: unknown = {};
    if (!resumed) {
      appState = opts.appState ?? (await buildDevnetAppState());
      if (identity) {
        const port = providerOptions?.gatewayPort || DEV_PROVIDER_PORTS.gateway;
        appState = await withDevProvider(appState as DevnetAppState, identity, `https://127.0.0.1:${port}`);
      }
    }
    initNodeHome(home, { chainId: DEVNET_CHAIN_ID, appState, validatorSeed: DEVNET_VALIDATOR_SEED });
    const app = await createApp({ dataDir: join(home, "data", "app"), chainId: DEVNET_CHAIN_ID });
    const host = opts.host ?? "127.0.0.1";
    let restPort = opts.restPort ?? DEVNET_PORTS.rest;
    let grpcPort = opts.grpcPort ?? DEVNET_PORTS.grpc;
    let node: Node | CometNode | undefined;
    const faucet = new Faucet(() => node?.rpcUrl);
    const services = [
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
    ];
    const logger = opts.logger ?? pino({ level: "warn" });
    if (opts.consensus === "cometbft") {
      const rpcPort = opts.rpcPort || (await freePort(host));
      const { initCometHome } = await import("../node/cometbft/home.js");
      const { CometNode } = await import("../node/cometbft/node.js");
      initCometHome(home, {
        chainId: DEVNET_CHAIN_ID,
        moniker: "devnet",
        appState: {},
        validatorSeed: DEVNET_VALIDATOR_SEED,
        proxyApp: `unix://${join(home, "abci.sock")}`,
        rpcLaddr: `tcp://${host}:${rpcPort}`,
        p2pLaddr: `tcp://127.0.0.1:${await freePort("127.0.0.1")}`,
        // One validator: nothing to wait for but the next block; no empty blocks but the proof block that
        // records a new app hash (the solo driver's block time 0).
        timeouts: DEVNET_COMET_TIMEOUTS,
        createEmptyBlocks: false,
        local: true,
        app: { minimumGasPrices: DEFAULT_MIN_GAS_PRICES, apiAddress: "", grpcAddress: "" },
      });
      node = new CometNode({ home, logger, services }, { app: app.app });
    } else {
      node = new Node(
        {
          home,
          blockTimeMs: opts.blockTimeMs ?? 200,
          mempool: opts.mempool,
          logger,
          rpc: { host, port: opts.rpcPort ?? DEVNET_PORTS.rpc },
          services,
        },
        { app: app.app },
      );
    }
    try {
      await node.start();
    } catch (e) {
      await app.close();
      throw e;
    }
    const provider = providerOptions
      ? await startProvider(providerOptions, home, node.rpcUrl!, identity)
      : undefined;
    return new Devnet(opts, node, app, { rest: () => restPort, grpc: () => grpcPort }, resumed, provider);
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

  /** The last committed height (under CometBFT: as of the last call to `refreshHeight`). */
  get height(): number {
    return this.node instanceof Node ? this.node.solo.height : this.cometHeight;
  }

  private cometHeight = 0;

  /** The current height, read from the node (CometBFT's status under CometBFT). */
  async refreshHeight(): Promise<number> {
    if (this.node instanceof Node) return this.node.solo.height;
    const res = await fetch(`${this.rpcUrl}/status`);
    const body = (await res.json()) as { result: { sync_info: { latest_block_height: string } } };
    this.cometHeight = Number(body.result.sync_info.latest_block_height);
    return this.cometHeight;
  }

  async stop(): Promise<void> {
    if (this.provider?.state === "running") await this.provider.provider.stop();
    await this.node.stop();
    await this.app.close();
  }
}

/** Removes the Docker objects of the provider a devnet home had, before the home is wiped. */
async function removeOldProvider(home: string, socketPath: string): Promise<void> {
  const address = await existingProviderAddress(home);
  if (!address || (await dockerProblem(socketPath))) return;
  await removeProviderObjects(socketPath, DEVNET_CHAIN_ID, address);
}

/** Starts the provider if it can; a devnet without one still runs, and says how to get one. */
async function startProvider(
  options: DevProviderOptions & { readonly run?: boolean },
  home: string,
  rpcUrl: string,
  identity: DevProviderIdentity | undefined,
): Promise<DevProviderState> {
  if (!identity) {
    return {
      state: "off",
      reason: "this devnet was created before devnets had a provider",
      hint: "Start a fresh one with `decloud dev --reset` (it wipes this devnet's chain).",
    };
  }
  if (options.run === false) {
    return {
      state: "off",
      address: identity.address,
      reason: "--no-provider",
      hint: "Run `decloud dev` without --no-provider to run it.",
    };
  }
  const socketPath = dockerSocketPath(options.dockerSocket);
  const problem = await dockerProblem(socketPath);
  if (problem) {
    return {
      state: "off",
      address: identity.address,
      reason: problem,
      hint: "Install and start Docker (Debian: `sudo apt-get install docker.io && sudo systemctl start docker`), let your user use it (`sudo usermod -aG docker $USER`, then log in again), and restart `decloud dev`. The chain runs meanwhile.",
    };
  }
  try {
    const provider = await DevProvider.start({
      devnetHome: home,
      chainId: DEVNET_CHAIN_ID,
      rpcUrl,
      identity,
      options,
    });
    return { state: "running", provider };
  } catch (e) {
    return {
      state: "off",
      address: identity.address,
      reason: `the provider did not start: ${(e as Error).message}`,
      hint: /EADDRINUSE/.test((e as Error).message)
        ? "A gateway or ingress port is taken: pick others with --gateway-port / --ingress-port."
        : `See ${join(home, "provider", "provider.log")}.`,
    };
  }
}
