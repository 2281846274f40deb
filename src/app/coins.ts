// Coins in integer math only (bigint): no floats anywhere near money. Validation and formatting follow the
// Cosmos SDK's sdk.Coins (sorted by denom, no duplicates, positive amounts, `100uakt,5usdc`).
import type { Coin } from "cosmjs-types/cosmos/base/v1beta1/coin";
import { Errors } from "./errors.js";

export interface Amount {
  denom: string;
  amount: bigint;
}

const DENOM = /^[a-zA-Z][a-zA-Z0-9/:._-]{2,127}$/;
const INTEGER = /^[0-9]+$/;

export function isValidDenom(denom: string): boolean {
  return DENOM.test(denom);
}

/** Parses wire coins; throws ErrInvalidCoins for a bad denom, a non-integer or negative amount. */
export function parseCoins(coins: readonly Coin[]): Amount[] {
  return coins.map((c) => {
    if (!isValidDenom(c.denom)) throw Errors.invalidCoins(`invalid denom: ${c.denom}`);
    if (!INTEGER.test(c.amount)) throw Errors.invalidCoins(`invalid amount ${c.amount} for ${c.denom}`);
    return { denom: c.denom, amount: BigInt(c.amount) };
  });
}

/** sdk.Coins.Validate: sorted, unique, and (unless allowZero for fees) every amount positive. */
export function validateCoins(coins: readonly Amount[], what: string, allowEmpty = false): void {
  if (coins.length === 0 && !allowEmpty) throw Errors.invalidCoins(`${what}: no coins`);
  for (let i = 0; i < coins.length; i++) {
    const c = coins[i]!;
    if (c.amount <= 0n) throw Errors.invalidCoins(`${what}: ${formatCoin(c)} is not a positive amount`);
    if (i > 0 && coins[i - 1]!.denom >= c.denom) {
      throw Errors.invalidCoins(`${what}: ${formatCoins(coins)} are not sorted by denom or have duplicates`);
    }
  }
}

export function toWireCoins(coins: readonly Amount[]): Coin[] {
  return coins.map((c) => ({ denom: c.denom, amount: c.amount.toString() }));
}

export function formatCoin(c: Amount): string {
  return `${c.amount}${c.denom}`;
}

export function formatCoins(coins: readonly Amount[]): string {
  return coins.map(formatCoin).join(",");
}

/** Parses `100uakt,5ibc/ABC…` (the CLI's and the events' format). */
export function parseCoinsString(text: string): Amount[] {
  if (text.trim() === "") return [];
  const coins = text.split(",").map((part) => {
    const m = /^\s*([0-9]+)\s*([a-zA-Z][a-zA-Z0-9/:._-]{2,127})\s*$/.exec(part);
    if (!m) throw Errors.invalidCoins(`invalid coin expression: ${part}`);
    return { denom: m[2]!, amount: BigInt(m[1]!) };
  });
  return coins.sort((a, b) => (a.denom < b.denom ? -1 : a.denom > b.denom ? 1 : 0));
}

/** 18-decimal fixed point, as the SDK's LegacyDec. */
export const DEC_PRECISION = 18;
const DEC_ONE = 10n ** BigInt(DEC_PRECISION);

/** Parses a decimal like `0.025` into an 18-decimal fixed-point bigint. */
export function parseDec(text: string): bigint {
  const m = /^([0-9]+)(?:\.([0-9]{1,18}))?$/.exec(text);
  if (!m) throw Errors.invalidCoins(`invalid decimal: ${text}`);
  const fraction = (m[2] ?? "").padEnd(DEC_PRECISION, "0");
  return BigInt(m[1]!) * DEC_ONE + BigInt(fraction);
}

export interface DecCoin {
  denom: string;
  /** 18-decimal fixed point. */
  amount: bigint;
}

/** Parses gas prices like `0.025uakt,0.1ibc/…`. */
export function parseDecCoins(text: string): DecCoin[] {
  if (text.trim() === "") return [];
  return text.split(",").map((part) => {
    const m = /^\s*([0-9]+(?:\.[0-9]+)?)\s*([a-zA-Z][a-zA-Z0-9/:._-]{2,127})\s*$/.exec(part);
    if (!m) throw Errors.invalidCoins(`invalid decimal coin expression: ${part}`);
    return { denom: m[2]!, amount: parseDec(m[1]!) };
  });
}

/** ceil(price × gas): the fee a gas limit needs at a gas price (the SDK rounds up). */
export function requiredFee(price: DecCoin, gasLimit: bigint): Amount {
  const product = price.amount * gasLimit;
  return { denom: price.denom, amount: (product + DEC_ONE - 1n) / DEC_ONE };
}

export function formatDec(value: bigint): string {
  const whole = value / DEC_ONE;
  const fraction = (value % DEC_ONE).toString().padStart(DEC_PRECISION, "0");
  return `${whole}.${fraction}`;
}
