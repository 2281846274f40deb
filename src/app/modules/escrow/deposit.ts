// A deposit as messages carry it (akash.base.deposit.v1.Deposit): a coin and the sources that fund it, in
// order. Deployment, bid and escrow messages all validate it the same way (reference: akash-chain.md §4.3).
import { type Deposit, Source } from "@akashnetwork/chain-sdk/private-types/akash.v1";
import { type Amount, parseCoins } from "../../coins.js";
import { Errors } from "../../errors.js";
import { DepositErrors } from "./errors.js";

export { Source };

export interface DepositRequest {
  amount: Amount;
  sources: Source[];
}

/** Deposit.ValidateBasic: a valid coin (positive unless `allowZero`), at least one source, none twice. */
export function validateDeposit(
  deposit: Deposit | undefined,
  what: string,
  allowZero = false,
): DepositRequest {
  if (!deposit?.amount) throw Errors.invalidCoins(`${what}: no deposit amount`);
  const [amount] = parseCoins([deposit.amount]);
  if (!allowZero && amount!.amount === 0n) throw Errors.invalidCoins(`${what}: the deposit amount is zero`);
  if (deposit.sources.length === 0) {
    throw DepositErrors.invalidSource(`${what}: the deposit has no source; use "balance"`);
  }
  const seen = new Set<Source>();
  for (const source of deposit.sources) {
    if (source !== Source.balance && source !== Source.grant) {
      throw DepositErrors.invalidSource(`${what}: unknown deposit source ${source}`);
    }
    if (seen.has(source))
      throw DepositErrors.invalidSource(`${what}: deposit source ${Source[source]} given twice`);
    seen.add(source);
  }
  return { amount: amount!, sources: deposit.sources };
}
