// The declaration of `decloud providers` (name, options, help); providers.ts implements it, loaded when it
// runs.
import type { Command } from "commander";
import { lazyAction } from "../lazy.js";
import type { Ctx } from "../tenant.js";

export function registerProviders(program: Command, ctxOf: Ctx): void {
  program
    .command("providers")
    .description("the chain's providers: host URI, attributes, auditors, online or not, free capacity")
    .addHelpText(
      "after",
      `
Examples:
  $ decloud providers                                      which providers there are and what they have free
  $ decloud deploy app.yaml --dry-run                      which of them would bid on an SDL, and why not`,
    )
    .action(lazyAction(ctxOf, async () => (await import("./providers.js")).providersAction));
}
