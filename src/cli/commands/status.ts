// `decloud status`: is the node there, which chain, how far along.
import type { Command } from "commander";
import type { CliContext } from "../context.js";

type Ctx = (command: Command) => CliContext;

function ago(time: string, now: number): string {
  const seconds = Math.max(0, Math.round((now - Date.parse(time)) / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  return `${Math.round(seconds / 3600)} h ago`;
}

export function registerStatus(program: Command, ctxOf: Ctx): void {
  program
    .command("status")
    .description(
      "the node's chain, latest block and sync state; with DSEQ, a deployment's leases and services",
    )
    .argument("[dseq]", "a deployment of yours")
    .option("--from <key>", "the deployment's owner (default: `decloud config get from`, alice on a devnet)")
    .addHelpText(
      "after",
      `
Examples:
  $ decloud status
  $ decloud status --node https://rpc.example.com:443 --json
  $ decloud status 148                            a deployment: escrow, leases, services and URLs`,
    )
    .action(async (dseq: string | undefined, opts: { from?: string }, command: Command) => {
      const ctx = ctxOf(command);
      if (dseq !== undefined) {
        // Loaded on demand: the tenant commands bring chain-sdk's codecs with them.
        const { deploymentStatus } = await import("./deployments.js");
        await deploymentStatus(ctx, dseq, opts.from);
        return;
      }
      const { getStatus } = await import("../../client/node.js");
      const status = await getStatus(await ctx.connect());
      ctx.output.result(
        {
          node: ctx.node,
          chain_id: status.chainId,
          latest_block_height: String(status.latestBlockHeight),
          latest_block_time: status.latestBlockTime,
          latest_block_hash: status.latestBlockHash,
          latest_app_hash: status.latestAppHash,
          catching_up: status.catchingUp,
          moniker: status.moniker,
          node_id: status.nodeId,
          version: status.version,
        },
        (c) => [
          `${c.bold(status.chainId)}  ${c.dim("at")} ${ctx.node}`,
          `  height       ${status.latestBlockHeight.toLocaleString("en-US")}`,
          `  block time   ${status.latestBlockTime}  ${c.dim(`(${ago(status.latestBlockTime, Date.now())})`)}`,
          `  sync         ${status.catchingUp ? c.yellow("catching up") : c.green("in sync")}`,
          `  node         ${status.moniker}  ${c.dim(`CometBFT ${status.version} · id ${status.nodeId}`)}`,
        ],
      );
    });
}
