// The declaration of `decloud hostnames migrate` (names, options, help); hostnames.ts implements it, loaded
// when it runs. Akash's tenant CLI calls it `provider-services migrate-hostnames` (reference:
// akash-provider.md §7.1).
import { type Command, InvalidArgumentError } from "commander";
import { lazyAction } from "../lazy.js";
import type { Ctx } from "../tenant.js";

function groupSeq(value: string): number {
  if (!/^\d{1,10}$/.test(value) || Number(value) === 0 || Number(value) > 0xffffffff)
    throw new InvalidArgumentError("a group sequence number (1 or more) is expected.");
  return Number(value);
}

export function registerHostnames(program: Command, ctxOf: Ctx): void {
  const hostnames = program
    .command("hostnames")
    .description("your custom hostnames (`accept` in an SDL): move them between your deployments");

  hostnames
    .command("migrate")
    .description(
      "make a deployment serve hostnames that another of your deployments on the same provider serves now",
    )
    .argument("<hostname...>", "the hostnames; each must be in the destination's SDL under `accept`")
    .requiredOption("--dseq <dseq>", "the deployment that takes them over")
    .option("--gseq <n>", "its group, when it has several (default: its only lease)", groupSeq)
    .option("--from <key>", "the owner's key (default: `decloud config get from`, alice on a devnet)")
    .addHelpText(
      "after",
      `
A provider serves a hostname for one deployment at a time. When a second deployment of yours lists it
under \`accept\`, the provider withholds it there (\`decloud status DSEQ\` says so) until you move it;
the ingress serves the destination as soon as the provider answers. Another tenant's hostname is never
moved.

Examples:
  $ decloud hostnames migrate shop.example.com --dseq 149
  $ decloud hostnames migrate shop.example.com www.example.com --dseq 149 --gseq 2 --json`,
    )
    .action(lazyAction(ctxOf, async () => (await import("./hostnames.js")).migrateAction));
}
