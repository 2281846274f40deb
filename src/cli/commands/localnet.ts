// `decloud localnet --validators N`: a network of N validators on loopback, each the app behind its own
// CometBFT, started and stopped with this one command (Ctrl-C). See src/localnet/localnet.ts for the ports.
import { join, resolve } from "node:path";
import { type Command, InvalidArgumentError } from "commander";
import type { CliContext } from "../context.js";

type Ctx = (command: Command) => CliContext;

function positiveInt(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${text} is not a positive integer`);
  return n;
}

export function registerLocalnet(program: Command, ctxOf: Ctx): void {
  program
    .command("localnet")
    .description("run N validators on loopback, each with its own CometBFT (Ctrl-C stops them all)")
    .option("--validators <n>", "number of validators", positiveInt, 4)
    .option("--dir <dir>", "where the validators' homes live (default <home>/localnet)")
    .option(
      "--base-port <port>",
      "first port of the scheme (validator i: base + 10·i + offset)",
      positiveInt,
      26600,
    )
    .option("--reset", "start over from a fresh genesis")
    .addHelpText(
      "after",
      `
Ports of validator i (0-based), from the base port B (default 26600):
  p2p B+10i   RPC B+10i+1   ABCI B+10i+2   REST B+10i+3   gRPC B+10i+4
e.g. validator 0: RPC 26601, REST 26603; validator 1: RPC 26611, REST 26613.

The genesis funds the devnet's dev accounts (see \`decloud dev\`), so \`--node http://127.0.0.1:26601\`
with \`--from alice\` works once \`decloud dev\` has put the dev keys in the test keyring. Blocks come about
every 150 ms. Logs: <dir>/node<i>/node.log. Needs cometbft 0.38 (scripts/install-cometbft.sh).

Examples:
  $ decloud localnet                         four validators
  $ decloud localnet --validators 7 --reset`,
    )
    .action(
      async (
        opts: { validators: number; dir?: string; basePort: number; reset?: boolean },
        command: Command,
      ) => {
        const ctx = ctxOf(command);
        const dir = resolve(opts.dir ?? join(ctx.home, "localnet"));
        const { rmSync } = await import("node:fs");
        if (opts.reset) rmSync(dir, { recursive: true, force: true });
        const { Localnet } = await import("../../localnet/localnet.js");
        const { requireCometbft } = await import("../../node/cometbft/binary.js");
        requireCometbft();
        const started = performance.now();
        const net = await Localnet.create({ dir, validators: opts.validators, basePort: opts.basePort });
        const progress = ctx.output.progress(`Starting ${opts.validators} validators…`);
        try {
          await net.start();
        } catch (e) {
          progress.fail("The localnet did not start");
          await net.stopAll();
          throw e;
        }
        const seconds = ((performance.now() - started) / 1000).toFixed(1);
        progress.succeed(`Localnet of ${opts.validators} validators running (${seconds} s)`);
        const node0 = net.nodes[0]!;
        ctx.output.result(
          {
            chain_id: net.chainId,
            dir,
            validators: net.nodes.map((n) => ({
              index: n.index,
              home: n.home,
              rpc: n.rpcUrl,
              rest: n.restUrl,
              grpc: n.grpcAddress,
            })),
          },
          (c) => [
            `${c.bold("DeCloud localnet")}  chain ${net.chainId}  ·  ${opts.validators} validators  ·  ${dir}`,
            "",
            ...net.nodes.map(
              (n) => `  node${n.index}  RPC ${n.rpcUrl}  REST ${n.restUrl}  gRPC ${n.grpcAddress}`,
            ),
            "",
            `Try:  decloud --node ${node0.rpcUrl} status`,
            `Logs: ${join(dir, "node<i>", "node.log")}  ·  Ctrl-C stops every validator.`,
          ],
        );
        await new Promise<void>((res) => {
          process.once("SIGINT", () => res());
          process.once("SIGTERM", () => res());
        });
        const stopping = ctx.output.progress("Stopping the localnet…");
        await net.stopAll();
        stopping.succeed("Localnet stopped; `decloud localnet` resumes it.");
      },
    );
}
