// The declaration of `decloud deployments`, `deposit` and `close` (names, options, help); deployments.ts
// implements them, loaded when one runs.
import type { Command } from "commander";
import { lazyAction } from "../lazy.js";
import type { Ctx } from "../tenant.js";

export function registerDeployments(program: Command, ctxOf: Ctx): void {
  program
    .command("deployments")
    .description("your deployments: state, services, provider, rate, escrow and the time it buys")
    .option("--from <key>", "whose deployments (default: `decloud config get from`, alice on a devnet)")
    .option("--all", "closed deployments too")
    .action(lazyAction(ctxOf, async () => (await import("./deployments.js")).deploymentsAction));

  program
    .command("deposit")
    .description("top up a deployment's escrow")
    .argument("<dseq>", "the deployment")
    .argument("<amount>", "e.g. 5akt, 10usdc")
    .option("--from <key>", "who pays (default: `decloud config get from`, alice on a devnet)")
    .option("--owner <address>", "the deployment's owner, when topping up someone else's")
    .action(lazyAction(ctxOf, async () => (await import("./deployments.js")).depositAction));

  program
    .command("close")
    .description(
      "close a deployment: its leases end, the provider removes its containers, the rest of the deposit comes back",
    )
    .argument("<dseq>", "the deployment")
    .option("--from <key>", "the owner's key (default: `decloud config get from`, alice on a devnet)")
    .action(lazyAction(ctxOf, async () => (await import("./deployments.js")).closeAction));
}
