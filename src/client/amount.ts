// Amounts as people type and read them: `5akt`, `0.25akt`, `5000000uakt`, `100usdc` in, `1,000,000 AKT`
// out. The units come from the chain's denom metadata, so `usdc` means the IBC USDC denom.
import type { Coin } from "@cosmjs/proto-signing";
import { BOND_DENOM, USDC_DENOM } from "../params/chain.js";
import { DENOM_METADATA, type DenomMetadataJson } from "../params/devnet.js";
import { InvalidAmountError } from "./errors.js";

export type { Coin };

interface Unit {
  base: string;
  exponent: number;
  symbol: string;
}

/** Every unit name and alias (lower case) → its base denom and exponent. */
function unitTable(metadata: readonly DenomMetadataJson[]): Map<string, Unit> {
  const table = new Map<string, Unit>();
  for (const m of metadata) {
    for (const u of m.denom_units) {
      for (const name of [u.denom, ...u.aliases]) {
        table.set(name.toLowerCase(), { base: m.base, exponent: u.exponent, symbol: m.symbol });
      }
    }
  }
  return table;
}

const UNITS = unitTable(DENOM_METADATA);
/** Base denom → how to display it. */
const DISPLAY = new Map(
  DENOM_METADATA.map((m) => {
    const display = m.denom_units.find((u) => u.denom === m.display)!;
    return [m.base, { exponent: display.exponent, symbol: m.symbol }];
  }),
);

// A Cosmos SDK denom (types/coin.go: reDnmString).
const DENOM = /^[a-zA-Z][a-zA-Z0-9/:._-]{2,127}$/;
const AMOUNT = /^([0-9][0-9_]*)(?:\.([0-9]+))?\s*([a-zA-Z].*)$/;

/** Parses one amount (`5akt`, `0.25akt`, `5000000uakt`, `100usdc`, `10ibc/…`) into base units. */
export function parseAmount(input: string): Coin {
  const match = AMOUNT.exec(input.trim());
  if (!match) throw new InvalidAmountError(input);
  const whole = match[1]!;
  const fraction = match[2] ?? "";
  const unitName = match[3]!;
  const unit = UNITS.get(unitName.toLowerCase());
  let denom: string;
  let exponent: number;
  if (unit) {
    denom = unit.base;
    exponent = unit.exponent;
  } else if (DENOM.test(unitName)) {
    denom = unitName;
    exponent = 0;
  } else {
    throw new InvalidAmountError(input, `"${unitName}" is not a denom`);
  }
  if (fraction.length > exponent) {
    const what = unit ? `${unitName} has ${exponent} decimals` : `${denom} has no decimals`;
    throw new InvalidAmountError(input, what);
  }
  const amount = BigInt(whole.replaceAll("_", "") + fraction.padEnd(exponent, "0"));
  if (amount === 0n) throw new InvalidAmountError(input, "it must be more than zero");
  return { denom, amount: amount.toString() };
}

/**
 * Parses a comma-separated list of amounts (`5akt,100usdc`) into coins sorted by denom, adding up repeats,
 * as Cosmos messages require.
 */
export function parseAmounts(input: string): Coin[] {
  const parts = input.split(",").filter((p) => p.trim() !== "");
  if (parts.length === 0) throw new InvalidAmountError(input);
  const sums = new Map<string, bigint>();
  for (const part of parts) {
    const c = parseAmount(part);
    sums.set(c.denom, (sums.get(c.denom) ?? 0n) + BigInt(c.amount));
  }
  return [...sums]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([denom, amount]) => ({ denom, amount: amount.toString() }));
}

/**
 * An amount as a person types it, rounded up to whole display units: `{uakt, 12300001}` → `13akt`, for a
 * command line a hint prints (unknown denoms in base units: `42ibc/…`).
 */
export function typedAmount(coin: Coin): string {
  const display = DISPLAY.get(coin.denom);
  if (!display) return `${coin.amount}${coin.denom}`;
  const scale = 10n ** BigInt(display.exponent);
  const whole = (BigInt(coin.amount) + scale - 1n) / scale;
  return `${whole > 0n ? whole : 1n}${display.symbol.toLowerCase()}`;
}

function group(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** `{uakt, 1000000000000}` → `1,000,000 AKT`; `{uakt, 500000}` → `0.5 AKT`; unknown denoms stay as they are. */
export function formatCoin(coin: Coin): string {
  const display = DISPLAY.get(coin.denom);
  const amount = BigInt(coin.amount);
  if (!display) return `${group(amount.toString())} ${coin.denom}`;
  const scale = 10n ** BigInt(display.exponent);
  const whole = amount / scale;
  const fraction = (amount % scale).toString().padStart(display.exponent, "0").replace(/0+$/, "");
  return `${group(whole.toString())}${fraction ? `.${fraction}` : ""} ${display.symbol}`;
}

/** Coins in the order a person expects: AKT, then USDC, then other denoms by name. */
export function sortForDisplay(coins: readonly Coin[]): Coin[] {
  const rank = (denom: string) => {
    const i = DENOM_METADATA.findIndex((m) => m.base === denom);
    return i === -1 ? DENOM_METADATA.length : i;
  };
  return [...coins].sort(
    (a, b) => rank(a.denom) - rank(b.denom) || (a.denom < b.denom ? -1 : a.denom > b.denom ? 1 : 0),
  );
}

/** Several coins for a person: `1,000,000 AKT, 100,000 USDC`; `0` for none. */
export function formatCoins(coins: readonly Coin[]): string {
  return coins.length === 0 ? "0" : sortForDisplay(coins).map(formatCoin).join(", ");
}

/** Per block, as people read prices: `800 uakt/block`, `12.5 uusdc/block`. */
export function formatRate(price: { readonly denom: string; readonly amount: string }): string {
  const denom = price.denom === USDC_DENOM ? "uusdc" : price.denom === BOND_DENOM ? "uakt" : price.denom;
  return `${Number(price.amount).toLocaleString("en-US", { maximumFractionDigits: 6 })} ${denom}/block`;
}
