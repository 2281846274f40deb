// A DeCloud node whose consensus is a real CometBFT v0.38 process: the app behind the ABCI socket server,
// `cometbft start` as a child process on the same home, and the node's REST and gRPC services answering from
// the app and from CometBFT's RPC. RPC (26657) is CometBFT's own. DESIGN.md, "node"; issue 7, item 3.
//
//   const node = new CometNode({ home, services: [restService(…)] }, { app });
//   await node.start();   // ABCI server listening, CometBFT started and past its handshake, services up
//   await node.stop();    // services, then CometBFT (SIGTERM), then the ABCI server: both stop together
//
// Crash semantics (reference: cometbft-cosmos.md §1.1, §1.4 "Info / handshake / replay"):
// - If this process dies, CometBFT loses its ABCI connections and stops itself (multi_app_conn.go).
// - If CometBFT dies, `exited` resolves and the node stops (the CLI exits non-zero).
// - On start, CometBFT's handshake asks Info for the app's last committed height and app hash and replays the
//   blocks the app lacks from its block store (FinalizeBlock + Commit each), checking the app hash it stored.
//   The app commits only in Commit, so it is never ahead of CometBFT's block store (a block is saved before it
//   is executed); the one case where it could be — CometBFT's data wiped but not the app's — CometBFT refuses
//   ("app block height too high"), and `decloud node reset` wipes both together.
import { existsSync } from "node:fs";
import { type Logger, pino } from "pino";
import type { AbciApplication } from "../../app/abci.js";
import { AbciServer, type FailPoint, formatAbciAddress } from "../abci/server.js";
import type { NodeContext, NodeService, NodeServiceFactory } from "../node.js";
import { loadGenesisFile } from "../types/genesis.js";
import { type CometbftBinary, requireCometbft } from "./binary.js";
import { CometRpc, cometChainSource } from "./chain-source.js";
import { ensureValidatorState, homePaths, hostPort, readNodeHomeConfig } from "./config.js";
import { type CometExit, CometProcess } from "./process.js";

export interface CometNodeOptions {
  home: string;
  logger?: Logger;
  /** REST, gRPC… started once CometBFT's RPC answers, stopped first. */
  services?: NodeServiceFactory[];
  /** Default: requireCometbft() (tools/bin, then the PATH). */
  cometbft?: CometbftBinary;
  /** A crash injected by the recovery tests (DECLOUD_FAIL_POINT). */
  failPoint?: FailPoint;
  /** How long to wait for CometBFT's RPC (its handshake replays missing blocks first). Default 5 min. */
  readyTimeoutMs?: number;
}

export interface CometNodeDeps {
  app: AbciApplication;
}

/** Why the node stopped on its own: CometBFT exited, or the ABCI server hit a fatal error. */
export type CometNodeExit =
  | { reason: "cometbft-exited"; exit: CometExit }
  | { reason: "abci-fatal"; error: Error };

export class CometNode {
  private abci?: AbciServer;
  private comet?: CometProcess;
  private services: NodeService[] = [];
  private stopping?: Promise<void>;
  private readonly logger: Logger;
  private resolveExit!: (e: CometNodeExit) => void;
  /** Resolves when the node stopped by itself (not through stop()). */
  readonly exited: Promise<CometNodeExit>;
  private rpcBase?: string;
  private chainIdValue = "";

  constructor(
    private readonly opts: CometNodeOptions,
    private readonly deps: CometNodeDeps,
  ) {
    this.logger = opts.logger ?? pino({ name: "node" });
    this.exited = new Promise((resolve) => {
      this.resolveExit = resolve;
    });
  }

  /** CometBFT's RPC, e.g. http://127.0.0.1:26657. */
  get rpcUrl(): string {
    if (!this.rpcBase) throw new Error("node not started");
    return this.rpcBase;
  }

  get chainId(): string {
    return this.chainIdValue;
  }

  get cometPid(): number | undefined {
    return this.comet?.pid;
  }

  get abciServer(): AbciServer | undefined {
    return this.abci;
  }

  async start(): Promise<void> {
    const { home } = this.opts;
    const paths = homePaths(home);
    const config = readNodeHomeConfig(home);
    if (!existsSync(paths.genesis))
      throw new Error(`${paths.genesis} does not exist: run \`decloud node init\``);
    const genesis = loadGenesisFile(paths.genesis);
    this.chainIdValue = genesis.chain_id;
    ensureValidatorState(home);
    const binary = this.opts.cometbft ?? requireCometbft();
    const rpc = hostPort(config.rpcLaddr);
    this.rpcBase = `http://${rpc.host === "0.0.0.0" ? "127.0.0.1" : rpc.host}:${rpc.port}`;

    const abci = new AbciServer(this.deps.app, {
      logger: this.logger.child({ module: "abci" }),
      failPoint: this.opts.failPoint,
      onFatal: (error) => this.unexpectedStop({ reason: "abci-fatal", error }),
    });
    this.abci = abci;
    const address = await abci.listen(config.proxyApp);
    this.logger.info({ address: formatAbciAddress(address) }, "ABCI server listening");

    const comet = CometProcess.start(binary.path, home, this.logger);
    this.comet = comet;
    this.logger.info({ pid: comet.pid, version: binary.version }, "cometbft started");
    void comet.exited.then((exit) => {
      if (!comet.stopRequested) this.unexpectedStop({ reason: "cometbft-exited", exit });
    });

    try {
      await this.waitForRpc(comet);
      const rpcClient = new CometRpc(this.rpcBase);
      const ctx: NodeContext = {
        chainId: genesis.chain_id,
        chain: cometChainSource({
          rpc: rpcClient,
          query: (req) => abci.run(() => this.deps.app.query(req)),
          info: () =>
            abci.run(() =>
              this.deps.app.info({ version: "", blockVersion: 0n, p2pVersion: 0n, abciVersion: "" }),
            ),
          chainId: genesis.chain_id,
          logger: this.logger,
        }),
        logger: this.logger,
        rpcUrl: () => this.rpcBase,
      };
      for (const factory of this.opts.services ?? []) {
        const service = factory(ctx);
        await service.start();
        this.services.push(service);
      }
    } catch (e) {
      await this.stop();
      throw e;
    }
    this.logger.info({ chainId: genesis.chain_id, rpc: this.rpcBase }, "node started (CometBFT consensus)");
  }

  private async waitForRpc(comet: CometProcess): Promise<void> {
    const deadline = Date.now() + (this.opts.readyTimeoutMs ?? 300_000);
    const rpc = new CometRpc(this.rpcBase!);
    let exited = false;
    void comet.exited.then(() => {
      exited = true;
    });
    for (;;) {
      if (exited) {
        const exit = await comet.exited;
        throw new Error(
          `cometbft exited during startup (code ${exit.code ?? exit.signal}); its log says why (see above). ` +
            "If it says the app's block height is too high, CometBFT's data was removed but not the app's: " +
            "`decloud node reset` wipes both.",
        );
      }
      try {
        await rpc.call("status");
        return;
      } catch {}
      if (Date.now() > deadline) throw new Error("cometbft's RPC did not come up in time");
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  private unexpectedStop(e: CometNodeExit): void {
    if (this.stopping) return;
    this.logger.error(
      e.reason === "abci-fatal" ? { err: e.error } : { exit: e.exit },
      `node stopping: ${e.reason}`,
    );
    void this.stop().then(() => this.resolveExit(e));
  }

  /** Services, then CometBFT (SIGTERM; it closes its stores), then the ABCI server (an in-flight call ends). */
  stop(): Promise<void> {
    this.stopping ??= this.doStop();
    return this.stopping;
  }

  private async doStop(): Promise<void> {
    for (const s of [...this.services].reverse()) {
      await s.stop().catch((err) => this.logger.error({ err, service: s.name }, "service failed to stop"));
    }
    this.services = [];
    if (this.comet) {
      const exit = await this.comet.stop();
      this.logger.info({ exit }, "cometbft stopped");
    }
    await this.abci?.close();
    this.logger.info("node stopped");
  }
}
