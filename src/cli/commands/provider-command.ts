// The declaration of `decloud provider init|register|run|status` (names, options, help); provider.ts
// implements them, loaded when one runs (it brings the provider: Docker, the gateway server, the store).
import type { Command } from "commander";
import type { CliContext } from "../context.js";
import { lazyAction } from "../lazy.js";

type Ctx = (command: Command) => CliContext;

export function registerProvider(program: Command, ctxOf: Ctx): void {
  const provider = program
    .command("provider")
    .description("run a provider: bid on orders and run leases on this machine's Docker Engine")
    .addHelpText(
      "after",
      `
Become a provider on a devnet in four steps:
  $ decloud provider init              # config, key and TLS certificate in ~/.decloud/provider
  $ decloud faucet provider            # the key pays for bids' deposits and fees
  $ decloud provider register          # on chain: host URI, attributes, certificate
  $ decloud provider run               # bid, run leases, serve the gateway and the ingress`,
    );

  provider
    .command("init")
    .description(
      "write the provider config (every setting with its default) and create its key and certificate",
    )
    .option("--config <path>", "config file (default <home>/provider/config.yaml)")
    .option("--force", "overwrite an existing config")
    .action(lazyAction(ctxOf, async () => (await import("./provider.js")).initAction));

  provider
    .command("register")
    .description("create or update the provider on chain (host URI, attributes) and publish its certificate")
    .option("--config <path>", "config file (default <home>/provider/config.yaml)")
    .action(lazyAction(ctxOf, async () => (await import("./provider.js")).registerAction));

  provider
    .command("run")
    .description("run the provider until interrupted: bid, deploy leases, serve the gateway and the ingress")
    .option("--config <path>", "config file (default <home>/provider/config.yaml)")
    .action(lazyAction(ctxOf, async () => (await import("./provider.js")).runAction));

  provider
    .command("status")
    .description("a provider's /status: leases, capacity, reservations, orders being bid on")
    .argument("[url]", "the provider's gateway (default: host_uri from the config)")
    .option("--config <path>", "config file (default <home>/provider/config.yaml)")
    .action(lazyAction(ctxOf, async () => (await import("./provider.js")).statusAction));
}
