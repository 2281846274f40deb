// What every transaction command prints: its progress on stderr and its `--json` shape.
import { formatCoins } from "../../client/amount.js";
import type { TxProgress, TxResult } from "../../client/tx.js";
import type { Progress } from "../output.js";

/** Turns the SDK's progress events into a spinner on stderr. */
export function txProgress(spinner: Progress): (p: TxProgress) => void {
  return (p) => {
    if (p.stage === "estimating") spinner.update("Estimating gas…");
    else if (p.stage === "broadcasting") spinner.update(`Broadcasting (fee ${formatCoins(p.fee.amount)})…`);
    else spinner.update(`Waiting for tx ${p.hash.slice(0, 8)}… to be included`);
  };
}

/** The `--json` shape of an included transaction. */
export function txJson(result: TxResult) {
  return {
    hash: result.hash,
    height: String(result.height),
    gas_wanted: result.gasWanted,
    gas_used: result.gasUsed,
    fee: { amount: result.fee.amount, gas: result.fee.gas },
  };
}
