// Money in escrow is 18-decimal fixed point (Cosmos LegacyDec), held as bigint: no floats. chain-sdk's types
// carry LegacyDec fields as decimal text ("1.5", "-2"), so this is the one place that text meets the math.
// reference: akash-chain.md §1.2.
import { decFromAtomics, decToAtomics } from "../../../codec/dec.js";
import type { DecCoin } from "../../coins.js";
import { Errors } from "../../errors.js";

export const DEC_ONE = 10n ** 18n;

/** Decimal text as chain-sdk decodes it ("1.5", "-2", "") → 18-decimal fixed point. */
export function decOf(text: string): bigint {
  if (text === "") return 0n;
  try {
    return BigInt(decToAtomics(text));
  } catch (e) {
    throw Errors.invalidCoins(`invalid decimal amount "${text}": ${(e as Error).message}`);
  }
}

/** 18-decimal fixed point → the decimal text chain-sdk encodes ("1.500000000000000000"). */
export function decText(value: bigint): string {
  return decFromAtomics(value.toString());
}

/** The whole units of a fixed-point value, rounded toward −∞. */
export function decFloor(value: bigint): bigint {
  const q = value / DEC_ONE;
  return value < 0n && q * DEC_ONE !== value ? q - 1n : q;
}

export function decFromInt(units: bigint): bigint {
  return units * DEC_ONE;
}

/** A wire DecCoin ({denom, amount: "1.5"}) as fixed point, or a zero coin of `denom` when absent. */
export function decCoinOf(coin: { denom: string; amount: string } | undefined, denom = ""): DecCoin {
  return coin ? { denom: coin.denom, amount: decOf(coin.amount) } : { denom, amount: 0n };
}

export function decCoinText(coin: DecCoin): { denom: string; amount: string } {
  return { denom: coin.denom, amount: decText(coin.amount) };
}

/** `12.5uakt`, trimmed of trailing zeros, for messages people read. */
export function formatDecCoin(coin: DecCoin): string {
  const text = decText(coin.amount).replace(/\.?0+$/, "");
  return `${text}${coin.denom}`;
}
