// `decloud node start`: the DeCloud app on a node home (as `decloud node init` writes it), run by CometBFT
// (`cometbft`, the default: a real network of validators) or by the embedded solo driver (`solo`: one
// validator, the devnet's engine), with REST and gRPC from app.toml in both modes.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Logger, pino } from "pino";
import { createApp } from "../../app/app.js";
import { parseFailPoint } from "../abci/server.js";
import { Node, type NodeServiceFactory } from "../node.js";
import { grpcService, restService } from "../services/index.js";
import { loadGenesisFile } from "../types/genesis.js";
import { homePaths, hostPort, readNodeHomeConfig } from "./config.js";
import { CometNode, type CometNodeExit } from "./node.js";

export type Consensus = "cometbft" | "solo";

export interface StartNodeOptions {
  home: string;
  consensus: Consensus;
  logger?: Logger;
  /** Solo only: milliseconds between blocks (0: as soon as txs are pending). Default 200. */
  blockTimeMs?: number;
  /** A crash injected for the recovery tests (`before-commit:12`…); default $DECLOUD_FAIL_POINT. */
  failPoint?: string;
}

export interface RunningNode {
  chainId: string;
  consensus: Consensus;
  rpcUrl: string;
  restUrl?: string;
  grpcAddress?: string;
  abciAddress?: string;
  cometbftPid?: number;
  /** Resolves when the node stopped by itself (CometBFT exited, fatal ABCI error). */
  exited: Promise<CometNodeExit>;
  stop(): Promise<void>;
}

export async function startNodeFromHome(o: StartNodeOptions): Promise<RunningNode> {
  const logger = o.logger ?? pino({ name: "node" });
  const paths = homePaths(o.home);
  const config = readNodeHomeConfig(o.home);
  const genesis = loadGenesisFile(paths.genesis);
  const app = await createApp({
    dataDir: paths.appData,
    chainId: genesis.chain_id,
    minGasPrices: config.app.minimumGasPrices || undefined,
  });
  const servedPaths = app.app.queryPaths();
  let restUrl: string | undefined;
  let grpcAddress: string | undefined;
  const services: NodeServiceFactory[] = [];
  if (config.app.apiAddress) {
    const { host, port } = hostPort(config.app.apiAddress);
    services.push(
      restService({
        host,
        port,
        servedPaths,
        onListening: (p) => {
          restUrl = `http://${host}:${p}`;
        },
      }),
    );
  }
  if (config.app.grpcAddress) {
    const { host, port } = hostPort(config.app.grpcAddress);
    services.push(
      grpcService({
        host,
        port,
        servedPaths,
        onListening: (p) => {
          grpcAddress = `${host}:${p}`;
        },
      }),
    );
  }

  try {
    if (o.consensus === "cometbft") {
      const fp = o.failPoint ?? process.env.DECLOUD_FAIL_POINT;
      const node = new CometNode(
        { home: o.home, logger, services, failPoint: fp ? parseFailPoint(fp) : undefined },
        { app: app.app },
      );
      const exited = node.exited.then(async (e) => {
        await app.close();
        return e;
      });
      await node.start();
      // So that whoever runs the node can make sure CometBFT is gone too, if this process is killed before
      // CometBFT has connected (CometBFT stops itself once it loses a connection it had).
      if (node.cometPid) writeFileSync(join(paths.data, "cometbft.pid"), `${node.cometPid}\n`);
      return {
        chainId: genesis.chain_id,
        consensus: "cometbft",
        rpcUrl: node.rpcUrl,
        restUrl,
        grpcAddress,
        abciAddress: config.proxyApp,
        cometbftPid: node.cometPid,
        exited,
        async stop() {
          await node.stop();
          await app.close();
        },
      };
    }
    const rpc = hostPort(config.rpcLaddr);
    const node = new Node(
      {
        home: o.home,
        moniker: config.moniker,
        blockTimeMs: o.blockTimeMs ?? 200,
        logger,
        rpc: { host: rpc.host, port: rpc.port },
        services,
      },
      { app: app.app },
    );
    await node.start();
    return {
      chainId: genesis.chain_id,
      consensus: "solo",
      rpcUrl: node.rpcUrl!,
      restUrl,
      grpcAddress,
      exited: new Promise(() => undefined),
      async stop() {
        await node.stop();
        await app.close();
      },
    };
  } catch (e) {
    await app.close();
    throw e;
  }
}
