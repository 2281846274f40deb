// `decloud faucet`: ask a devnet's faucet for tokens.
import type { Command } from "commander";
import { DecloudError, NodeUnreachableError } from "../../client/errors.js";
import type { CliContext } from "../context.js";

type Ctx = (command: Command) => CliContext;

export function registerFaucet(program: Command, ctxOf: Ctx): void {
  program
    .command("faucet")
    .description("fund an address from the devnet's faucet")
    .argument("<address>", "an akash1… address, or a key name")
    .argument("[amount]", "e.g. 5akt, 100usdc, 5akt,100usdc (default: the faucet's)")
    .addHelpText(
      "after",
      `
The faucet is served by the devnet at POST http://<host of --node>:1317/faucet; --rest PORT|URL
points elsewhere.

Examples:
  $ decloud faucet akash1…
  $ decloud faucet me 100usdc
  $ decloud faucet me 5akt --node http://10.0.0.5:26657 --rest 1417`,
    )
    .action(
      async (addressOrName: string, amountText: string | undefined, _opts: unknown, command: Command) => {
        const ctx = ctxOf(command);
        const { formatCoins, parseAmounts } = await import("../../client/amount.js");
        const { requestFaucet, restUrlFromNode } = await import("../../client/faucet.js");
        // Parsed here so that a typo fails before the request, with the amount hint.
        if (amountText !== undefined) parseAmounts(amountText);
        const address = await ctx.resolveAddress(addressOrName);
        const restUrl = restUrlFromNode(ctx.node, ctx.options.rest);
        const spinner = ctx.output.progress(`Asking the faucet at ${restUrl}…`);
        try {
          const response = await requestFaucet({ restUrl, address, amount: amountText });
          spinner.succeed(`Faucet sent ${formatCoins(response.amount ?? [])} to ${address}`);
          ctx.output.result(response, (c) => [
            `${c.dim("tx")}     ${response.hash}`,
            ...(response.height === undefined
              ? []
              : [`${c.dim("block")}  ${response.height.toLocaleString("en-US")}`]),
          ]);
        } catch (e) {
          spinner.fail();
          if (e instanceof NodeUnreachableError)
            throw new DecloudError(`Cannot reach a faucet at ${restUrl}.`, {
              hint:
                "Is the devnet running (`decloud dev`)? If its REST port is not the default (`decloud dev --rest-port`), " +
                "point to it with --rest PORT or --rest URL.",
              details: e.details,
              cause: e,
            });
          throw e;
        }
      },
    );
}
