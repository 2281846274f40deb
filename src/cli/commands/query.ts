// `decloud query …`: read chain state.
import type { Command } from "commander";
import type { Coin } from "../../client/amount.js";
import type { CliContext } from "../context.js";
import { toProtoFieldNames } from "../json.js";

type Ctx = (command: Command) => CliContext;

export function registerQuery(program: Command, ctxOf: Ctx): void {
  const query = program.command("query").alias("q").description("read chain state");
  const bank = query.command("bank").description("bank queries");

  bank
    .command("balances")
    .description("every balance of an account")
    .argument("<address>", "an akash1… address, or a key name")
    .addHelpText(
      "after",
      `
Examples:
  $ decloud query bank balances alice
  $ decloud q bank balances akash1… --json`,
    )
    .action(async (addressOrName: string, _opts: unknown, command: Command) => {
      const ctx = ctxOf(command);
      const { formatCoin, sortForDisplay } = await import("../../client/amount.js");
      const { getBalances } = await import("../../client/modules/bank/queries.js");
      const address = await ctx.resolveAddress(addressOrName);
      const client = await ctx.connect();
      const balances = await getBalances(client, { address });
      ctx.output.result({ address, balances }, (c) => {
        const title = address === addressOrName ? address : `${address} (${addressOrName})`;
        if (balances.length === 0) return [title, c.dim("  no balances")];
        const sorted = sortForDisplay(balances);
        const shown = sorted.map((b) => formatCoin(b));
        const width = Math.max(...shown.map((s) => s.length));
        return [
          title,
          ...sorted.map((b, i) => `  ${shown[i]!.padStart(width)}  ${c.dim(`${b.amount} ${b.denom}`)}`),
        ];
      });
    });

  query
    .command("tx")
    .description("a transaction by hash")
    .argument("<hash>", "the transaction hash (hex)")
    .addHelpText(
      "after",
      `
Examples:
  $ decloud query tx 7F3A…
  $ decloud q tx 7F3A… --json | jq .events`,
    )
    .action(async (hash: string, _opts: unknown, command: Command) => {
      const ctx = ctxOf(command);
      const { formatCoins } = await import("../../client/amount.js");
      const { getTx } = await import("../../client/tx.js");
      const client = await ctx.connect();
      const tx = await getTx(client, { hash });
      const json = {
        hash: tx.hash,
        height: String(tx.height),
        index: tx.index,
        timestamp: tx.timestamp,
        code: tx.code,
        codespace: tx.codespace,
        raw_log: tx.log,
        gas_wanted: tx.gasWanted,
        gas_used: tx.gasUsed,
        memo: tx.memo,
        fee: { amount: tx.fee.amount, gas_limit: tx.fee.gasLimit, payer: tx.fee.payer },
        messages: tx.messages.map((m) => ({
          "@type": m.typeUrl,
          ...(typeof m.value === "object" ? (toProtoFieldNames(m.value) as object) : { value: m.value }),
        })),
        events: tx.events,
      };
      ctx.output.result(json, (c) => [
        `${c.dim("tx")}       ${tx.hash}`,
        `${c.dim("status")}   ${tx.code === 0 ? c.green("✔ success") : c.red(`✖ failed (${tx.codespace || "sdk"} code ${tx.code}): ${tx.log}`)}`,
        `${c.dim("block")}    ${tx.height.toLocaleString("en-US")}  ${c.dim(tx.timestamp)}`,
        `${c.dim("fee")}      ${formatCoins(tx.fee.amount)}  ${c.dim(`(gas used ${Number(tx.gasUsed).toLocaleString("en-US")} of ${Number(tx.gasWanted).toLocaleString("en-US")})`)}`,
        ...(tx.memo ? [`${c.dim("memo")}     ${tx.memo}`] : []),
        `${c.dim("messages")}`,
        ...tx.messages.map((m) => `  ${describeMessage(m.typeUrl, m.value, formatCoins)}`),
      ]);
    });
}

/** One line per message: a readable summary for the common ones, the type URL otherwise. */
function describeMessage(
  typeUrl: string,
  value: unknown,
  formatCoins: (coins: readonly Coin[]) => string,
): string {
  if (typeUrl === "/cosmos.bank.v1beta1.MsgSend") {
    const v = value as {
      fromAddress: string;
      toAddress: string;
      amount: { denom: string; amount: string }[];
    };
    return `send ${formatCoins(v.amount)}  ${v.fromAddress} → ${v.toAddress}`;
  }
  return typeUrl;
}
