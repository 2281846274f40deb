// The declaration of `decloud deploy` and `decloud update` (names, options, help); deploy.ts implements
// them, loaded when one runs.
import { type Command, InvalidArgumentError } from "commander";
import { lazyAction } from "../lazy.js";
import type { Ctx } from "../tenant.js";

function seconds(value: string): number {
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value)) throw new InvalidArgumentError("a number of seconds is expected.");
  return n;
}

/** Once every group has a bid, how long to keep collecting by default: --yes, --provider, or no live table. */
export const BID_WINDOW_SECONDS = 0.5;
/** The same while a person watches the live table: long enough for more bids, and Enter ends it. */
export const BID_WINDOW_CHOOSING_SECONDS = 10;

export function registerDeploy(program: Command, ctxOf: Ctx): void {
  program
    .command("deploy")
    .description("deploy an SDL: deployment, bids, lease, manifest, and the URLs once it serves")
    .argument("<file>", "the SDL (YAML)")
    .option("--from <key>", "the tenant's key (default: `decloud config get from`, alice on a devnet)")
    .option(
      "--deposit <amount>",
      "escrowed for the leases, e.g. 5akt or 10usdc (default: 5 of the SDL's denom)",
    )
    .option("--provider <address>", "lease from this provider (waits for its bid)")
    .option("-y, --yes", "lease the cheapest bid of each group without asking")
    .option("--bid-timeout <seconds>", "how long to wait for bids", seconds, 60)
    .option(
      "--bid-window <seconds>",
      `once every group has a bid, how long to keep collecting (default: ${BID_WINDOW_SECONDS} s; ${BID_WINDOW_CHOOSING_SECONDS} s while you watch the bids come in to choose, where Enter ends it)`,
      seconds,
    )
    .option("--ready-timeout <seconds>", "how long to wait for the services to run", seconds, 120)
    .option(
      "--dry-run",
      "send nothing: check the SDL and show which providers would bid on each group, and why the others would not (exit 1 if a group has none)",
    )
    .addHelpText(
      "after",
      `
Examples:
  $ decloud deploy examples/web/deploy.yaml                 choose among the bids (cheapest is the default)
  $ decloud deploy app.yaml --yes --deposit 10akt           the cheapest bid, no questions
  $ decloud deploy app.yaml --provider akash1… --json       one provider; the result as JSON`,
    )
    .action(lazyAction(ctxOf, async () => (await import("./deploy.js")).deployAction));

  program
    .command("update")
    .description("put a new version of the SDL on chain, then send its manifest to the providers")
    .argument("<dseq>", "the deployment")
    .argument("<file>", "the new SDL (only the manifest may change: images, commands, env, ports, counts)")
    .option("--from <key>", "the tenant's key")
    .option("--ready-timeout <seconds>", "how long to wait for the services to run", seconds, 120)
    .action(lazyAction(ctxOf, async () => (await import("./deploy.js")).updateAction));
}
