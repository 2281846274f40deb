// `decloud status`: is the node there, which chain, how far along.
import type { Command } from "commander";
import { getStatus } from "../../client/node.js";
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
    .description("the node's chain, latest block and sync state")
    .addHelpText(
      "after",
      `
Examples:
  $ decloud status
  $ decloud status --node https://rpc.example.com:443 --json`,
    )
    .action(async (_opts: unknown, command: Command) => {
      const ctx = ctxOf(command);
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
