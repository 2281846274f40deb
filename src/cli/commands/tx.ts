// `decloud tx …`: sign and send transactions, waiting for their block.
import type { Command } from "commander";
import { DecloudError } from "../../client/errors.js";
import type { GasSetting } from "../../client/tx.js";
import type { CliContext } from "../context.js";
import { DEFAULT_GAS_ADJUSTMENT } from "../defaults.js";
import { parseGas, parseGasAdjustment, parseSeconds } from "./options.js";

type Ctx = (command: Command) => CliContext;

export interface TxOptions {
  from?: string;
  fees?: string;
  gas: GasSetting;
  gasAdjustment: number;
  memo?: string;
  timeout: number;
}

/** The options every transaction command takes. */
export function addTxOptions(command: Command): Command {
  return command
    .option("--from <key>", "the signing key: a name, or the address of a key in the keyring")
    .option("--fees <amount>", "fixed fee, e.g. 5000uakt (default: gas × 0.025uakt)")
    .option("--gas <auto|n>", "gas limit, or auto to estimate it by simulation", parseGas, "auto")
    .option(
      "--gas-adjustment <x>",
      "multiplier applied to the estimate with --gas auto",
      parseGasAdjustment,
      DEFAULT_GAS_ADJUSTMENT,
    )
    .option("--memo <text>", "a note stored with the transaction", "")
    .option("--timeout <seconds>", "how long to wait for the transaction's block", parseSeconds, 60);
}

/**
 * FROM TO AMOUNT, as the Cosmos CLI takes them, or TO AMOUNT with --from, as every other DeCloud
 * transaction command takes its signer.
 */
function sendArguments(args: readonly string[], from: string | undefined): [string, string, string] {
  if (from === undefined && args.length === 3) return [args[0]!, args[1]!, args[2]!];
  if (from !== undefined && args.length === 2) return [from, args[0]!, args[1]!];
  throw new DecloudError(
    from === undefined
      ? `tx bank send takes FROM TO AMOUNT; got ${args.length} argument${args.length === 1 ? "" : "s"}.`
      : `With --from, tx bank send takes TO AMOUNT; got ${args.length} argument${args.length === 1 ? "" : "s"}.`,
    { hint: "For example: decloud tx bank send alice bob 5akt  (or: --from alice bob 5akt)" },
  );
}

export function registerTx(program: Command, ctxOf: Ctx): void {
  const tx = program.command("tx").description("sign and send transactions");
  const bank = tx.command("bank").description("bank transactions");

  addTxOptions(
    bank
      .command("send")
      .description("send tokens from a key to an address or key")
      .usage("[options] FROM TO AMOUNT   (or: --from FROM TO AMOUNT)")
      .argument(
        "<args...>",
        "FROM: the sending key (a name, or the address of a key in the keyring)\n" +
          "TO: the receiving address, or a key name\n" +
          "AMOUNT: e.g. 5akt, 0.5akt, 5000000uakt, 100usdc, or several: 5akt,100usdc",
      ),
  )
    .addHelpText(
      "after",
      `
Examples:
  $ decloud tx bank send alice bob 5akt
  $ decloud tx bank send alice akash1… 100usdc --memo "invoice 42"
  $ decloud tx bank send --from alice bob 5akt,100usdc
  $ decloud tx bank send me akash1… 2.5akt --gas 200000 --fees 5000uakt --json`,
    )
    .action(async (args: string[], opts: TxOptions, command: Command) => {
      const ctx = ctxOf(command);
      const { formatCoins, parseAmounts } = await import("../../client/amount.js");
      const { sendTokens } = await import("../../client/modules/bank/messages.js");
      const { txJson, txProgress } = await import("./tx-progress.js");
      const [from, to, amountText] = sendArguments(args, opts.from);
      const amount = parseAmounts(amountText);
      const fees = opts.fees === undefined ? undefined : parseAmounts(opts.fees);
      const toAddress = await ctx.resolveAddress(to);
      const spinner = ctx.output.progress(`Connecting to ${ctx.node}…`);
      try {
        const { client, address, name } = await ctx.connectAs(from);
        spinner.update(`Sending ${formatCoins(amount)} from ${name}…`);
        const result = await sendTokens(client, {
          from: address,
          fromLabel: name,
          to: toAddress,
          amount,
          fees,
          gas: opts.gas,
          gasAdjustment: opts.gasAdjustment,
          memo: opts.memo,
          timeoutMs: opts.timeout * 1000,
          onProgress: txProgress(spinner),
        });
        spinner.succeed(
          `Sent ${formatCoins(amount)} from ${name} to ${to === toAddress ? to : `${to} (${toAddress})`}`,
        );
        ctx.output.result({ ...txJson(result), from: address, to: toAddress, amount }, (c) => [
          `${c.dim("tx")}     ${result.hash}`,
          `${c.dim("block")}  ${result.height.toLocaleString("en-US")}`,
          `${c.dim("fee")}    ${formatCoins(result.fee.amount)}  ${c.dim(`(gas used ${Number(result.gasUsed).toLocaleString("en-US")} of ${Number(result.gasWanted).toLocaleString("en-US")})`)}`,
        ]);
      } catch (e) {
        spinner.fail();
        throw e;
      }
    });
}
