// `decloud node …`: run a validator. `init` writes a node home (CometBFT's layout: config/config.toml,
// genesis.json, priv_validator_key.json, node_key.json, app.toml), `genesis` makes one genesis for several
// validators' homes, `start` runs the app with CometBFT (or the solo driver), `reset` wipes the chain data.
// The node code is loaded only when a subcommand runs.
import { existsSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { type Command, InvalidArgumentError, Option } from "commander";
import { DecloudError } from "../../client/errors.js";
import type { CliContext } from "../context.js";

type Ctx = (command: Command) => CliContext;

interface NodeHomeOpts {
  nodeHome?: string;
}

/** A path as a shell reads it back: quoted when it has anything but safe characters. */
function shellWord(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}

/** `--node-home`, else <home>/node. */
function nodeHomeOf(ctx: CliContext, opts: NodeHomeOpts): string {
  return resolve(opts.nodeHome ?? join(ctx.home, "node"));
}

function parsePower(text: string): bigint {
  if (!/^[1-9]\d*$/.test(text))
    throw new InvalidArgumentError(`${text} is not a voting power (a positive integer)`);
  return BigInt(text);
}

export function registerNode(program: Command, ctxOf: Ctx): void {
  const node = program
    .command("node")
    .description("run a validator node: init a home, build a genesis, start with CometBFT")
    .addHelpText(
      "after",
      `
A node home holds CometBFT's files (config/, data/) and the app's (config/app.toml, data/app/).
Default home: <home>/node; --node-home picks another.

Examples:
  $ decloud node init --moniker val1 --chain-id decloud-1
  $ decloud node genesis --validators ~/v1,~/v2,~/v3,~/v4     one genesis for four validators
  $ decloud node start                                        app + CometBFT (needs cometbft 0.38)
  $ decloud node start --consensus solo                       one validator, no CometBFT

CometBFT 0.38 is found in $DECLOUD_COMETBFT, the project's tools/bin or the PATH;
scripts/install-cometbft.sh installs it with \`go install\`.`,
    );

  node
    .command("init")
    .description("write a node home: keys, a one-validator genesis, config.toml and app.toml")
    .option("--node-home <dir>", "the node's home (default <home>/node)")
    .option("--moniker <name>", "the node's name on the network", "decloud")
    .option("--chain-id <id>", "chain id of the genesis (default decloud-1)")
    .option("--dev-accounts", "fund the devnet's dev accounts and faucet in the genesis")
    .option("--proxy-app <address>", "where CometBFT reaches the app", "tcp://127.0.0.1:26658")
    .option("--rpc-laddr <address>", "CometBFT's RPC", "tcp://127.0.0.1:26657")
    .option("--p2p-laddr <address>", "CometBFT's p2p", "tcp://0.0.0.0:26656")
    .option("--rest-address <address>", "REST (empty: off)", "tcp://127.0.0.1:1317")
    .option("--grpc-address <address>", "gRPC (empty: off)", "127.0.0.1:9090")
    .option("--min-gas-prices <coins>", "minimum gas prices of this node's mempool", "0.025uakt")
    .option("--fast", "fast consensus timeouts (~150 ms blocks) for local networks")
    .option("--no-empty-blocks", "make blocks only when there are txs")
    .action(async (opts: Record<string, string | boolean | undefined> & NodeHomeOpts, command: Command) => {
      const ctx = ctxOf(command);
      const home = nodeHomeOf(ctx, opts);
      const { initCometHome } = await import("../../node/cometbft/home.js");
      const { FAST_TIMEOUTS } = await import("../../node/cometbft/config.js");
      const { nodeIdentity } = await import("../../node/cometbft/home.js");
      const appState = opts.devAccounts
        ? await (await import("../../params/devnet.js")).buildDevnetAppState()
        : undefined;
      // --chain-id is also a global option (commander hands it to the program, not to this command).
      const chainId = command.optsWithGlobals<{ chainId?: string }>().chainId ?? "decloud-1";
      const genesis = initCometHome(home, {
        chainId,
        moniker: String(opts.moniker),
        appState,
        proxyApp: String(opts.proxyApp),
        rpcLaddr: String(opts.rpcLaddr),
        p2pLaddr: String(opts.p2pLaddr),
        timeouts: opts.fast ? FAST_TIMEOUTS : undefined,
        createEmptyBlocks: opts.emptyBlocks !== false,
        app: {
          minimumGasPrices: String(opts.minGasPrices),
          apiAddress: String(opts.restAddress ?? ""),
          grpcAddress: String(opts.grpcAddress ?? ""),
        },
      });
      const id = nodeIdentity(home);
      // The next command must find this home: name it unless it is the default one.
      const start =
        opts.nodeHome === undefined
          ? "decloud node start"
          : `decloud node start --node-home ${shellWord(home)}`;
      ctx.output.result(
        { home, chain_id: genesis.chain_id, moniker: id.moniker, node_id: id.nodeId, p2p: id.p2pAddress },
        (c) => [
          `${c.green("✔")} Node home ready: ${home}`,
          `  chain ${genesis.chain_id} · moniker ${id.moniker} · node id ${id.nodeId}`,
          `  Next: \`${start}\`, or \`decloud node genesis --validators …\` for a network.`,
        ],
      );
    });

  node
    .command("genesis")
    .description("one genesis for several validators' homes (each home's validator key), with peers set")
    .requiredOption("--validators <homes>", "comma-separated node homes (each made by `decloud node init`)")
    .option("--chain-id <id>", "chain id (default: the first home's genesis')")
    .option("--power <n>", "voting power of each validator", parsePower, 10n)
    .option("--no-peers", "leave persistent_peers alone")
    .action(async (opts: { validators: string; power: bigint; peers: boolean }, command: Command) => {
      const ctx = ctxOf(command);
      const homes = opts.validators
        .split(",")
        .map((h) => h.trim())
        .filter(Boolean)
        .map((h) => resolve(h));
      for (const h of homes) {
        if (!existsSync(join(h, "config", "config.toml"))) {
          throw new DecloudError(`${h} is not a node home.`, {
            hint: "Create it with `decloud node init`.",
          });
        }
      }
      const { writeNetworkGenesis } = await import("../../node/cometbft/home.js");
      const genesis = writeNetworkGenesis(homes, {
        // --chain-id is also a global option (commander hands it to the program, not to this command).
        chainId: command.optsWithGlobals<{ chainId?: string }>().chainId,
        power: opts.power,
        peers: opts.peers,
      });
      ctx.output.result(
        { chain_id: genesis.chain_id, validators: genesis.validators.map((v) => v.address), homes },
        (c) =>
          `${c.green("✔")} Genesis of ${genesis.chain_id} with ${homes.length} validators written to every home`,
      );
    });

  node
    .command("start")
    .description("run the node: the app behind CometBFT (default) or the solo driver, with REST and gRPC")
    .option("--node-home <dir>", "the node's home (default <home>/node)")
    .addOption(
      new Option("--consensus <engine>", "who runs consensus")
        .choices(["cometbft", "solo"])
        .default("cometbft"),
    )
    .option("--block-time <ms>", "solo only: milliseconds between blocks", "200")
    .option("--log-level <level>", "the node's log level (CometBFT's lines included)", "info")
    .action(
      async (
        opts: NodeHomeOpts & { consensus: "cometbft" | "solo"; blockTime: string; logLevel: string },
        command: Command,
      ) => {
        const ctx = ctxOf(command);
        const home = nodeHomeOf(ctx, opts);
        const { startNodeFromHome } = await import("../../node/cometbft/run.js");
        const { pino } = await import("pino");
        // Logs go to stderr: stdout is the command's result (one JSON document with --json).
        const logger = pino({ name: "node", level: opts.logLevel }, pino.destination(2));
        const running = await startNodeFromHome({
          home,
          consensus: opts.consensus,
          logger,
          blockTimeMs: Number(opts.blockTime),
        });
        ctx.output.result(
          {
            home,
            chain_id: running.chainId,
            consensus: running.consensus,
            rpc: running.rpcUrl,
            rest: running.restUrl ?? null,
            grpc: running.grpcAddress ?? null,
            abci: running.abciAddress ?? null,
            pid: process.pid,
            cometbft_pid: running.cometbftPid ?? null,
          },
          (c) => [
            `${c.green("✔")} Node of ${running.chainId} running (${running.consensus}) · home ${home}`,
            `  RPC   ${running.rpcUrl}`,
            ...(running.restUrl ? [`  REST  ${running.restUrl}`] : []),
            ...(running.grpcAddress ? [`  gRPC  ${running.grpcAddress}`] : []),
            "  Ctrl-C stops it.",
          ],
        );
        const signal = new Promise<"signal">((resolve) => {
          process.once("SIGINT", () => resolve("signal"));
          process.once("SIGTERM", () => resolve("signal"));
        });
        const why = await Promise.race([signal, running.exited]);
        if (why === "signal") {
          await running.stop();
          return;
        }
        throw new DecloudError(
          why.reason === "abci-fatal"
            ? `The app failed: ${why.error.message}`
            : `CometBFT exited (${why.exit.code ?? why.exit.signal}); its log says why.`,
        );
      },
    );

  node
    .command("reset")
    .description("wipe the node's chain data (CometBFT's and the app's); keys, config and genesis stay")
    .option("--node-home <dir>", "the node's home (default <home>/node)")
    .action(async (opts: NodeHomeOpts, command: Command) => {
      const ctx = ctxOf(command);
      const home = nodeHomeOf(ctx, opts);
      const { homePaths, ensureValidatorState } = await import("../../node/cometbft/config.js");
      // Like `cometbft unsafe-reset-all`: the app's state must go with CometBFT's block store, or CometBFT
      // refuses to start ("app block height too high").
      rmSync(homePaths(home).data, { recursive: true, force: true });
      ensureValidatorState(home);
      ctx.output.result({ home, reset: true }, (c) => `${c.green("✔")} Chain data of ${home} wiped`);
    });
}
