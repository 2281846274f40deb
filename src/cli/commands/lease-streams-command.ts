// The declaration of `decloud logs`, `events` and `shell` (names, options, help); lease-streams.ts
// implements them, loaded when one runs.
import { type Command, InvalidArgumentError } from "commander";
import { lazyAction } from "../lazy.js";
import type { Ctx } from "../tenant.js";

function count(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError("a number of lines is expected.");
  return Number(value);
}

export function registerLeaseStreams(program: Command, ctxOf: Ctx): void {
  program
    .command("logs")
    .description("a deployment's logs, from every replica (or one service's)")
    .argument("<dseq>", "the deployment")
    .argument("[service]", "only this service")
    .option("-f, --follow", "keep printing new lines until Ctrl-C")
    .option("--tail <n>", "the last N lines of each replica", count)
    .option("--from <key>", "the owner's key (default: `decloud config get from`, alice on a devnet)")
    .action(lazyAction(ctxOf, async () => (await import("./lease-streams.js")).logsAction));

  program
    .command("events")
    .description("what happened to a deployment's containers: created, started, pulled, failed, restarted")
    .argument("<dseq>", "the deployment")
    .argument("[service]", "only this service")
    .option("-f, --follow", "keep printing new events until Ctrl-C")
    .option("--from <key>", "the owner's key (default: `decloud config get from`, alice on a devnet)")
    .action(lazyAction(ctxOf, async () => (await import("./lease-streams.js")).eventsAction));

  program
    .command("shell")
    .description("run a command in a service's container (interactive when a terminal is attached)")
    .argument("<dseq>", "the deployment")
    .argument("<service>", "the service")
    .argument("<command...>", "the command and its arguments (after --)")
    .option("--replica <n>", "which replica (default 0)", count, 0)
    .option("--from <key>", "the owner's key (default: `decloud config get from`, alice on a devnet)")
    .addHelpText(
      "after",
      `
Examples:
  $ decloud shell 148 web -- ls -l /www
  $ decloud shell 148 web -- sh                interactive, with a terminal
  $ echo 'ls /www' | decloud shell 148 web -- sh    piped input goes to the command's stdin`,
    )
    .action(lazyAction(ctxOf, async () => (await import("./lease-streams.js")).shellAction));
}
