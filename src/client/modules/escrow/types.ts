// Escrow values as the client hands them out: decimal coins (Cosmos LegacyDec, as chain-sdk decodes it to
// text) trimmed of trailing zeros, and account states by name (akash.escrow.types.v1.State).

/** A coin with a decimal amount ("800", "0.5"): prices per block and escrow balances. */
export interface DecCoin {
  readonly denom: string;
  readonly amount: string;
}

export type EscrowState = "open" | "closed" | "overdrawn";

const STATES: Record<number, EscrowState> = { 1: "open", 2: "closed", 3: "overdrawn" };

export function escrowState(state: number): EscrowState {
  return STATES[state] ?? "closed";
}

/** "800.000000000000000000" → "800"; "0.500000000000000000" → "0.5". */
export function trimDecimal(text: string): string {
  if (!text.includes(".")) return text === "" ? "0" : text;
  return text.replace(/0+$/, "").replace(/\.$/, "");
}

export function decCoin(c: { denom: string; amount: string }): DecCoin {
  return { denom: c.denom, amount: trimDecimal(c.amount) };
}
