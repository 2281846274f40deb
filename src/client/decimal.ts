// Amounts as the chain has them: Cosmos LegacyDec, 18 decimal places. Bid prices (the provider's, and a
// tenant's prediction of them in a dry run) and escrow checks use exact decimals (bigint × 10^18), never floats.

const ONE = 10n ** 18n;

export function parseDec(text: string | number): bigint {
  // A number is read as its shortest decimal form (0.01, not 0.01000000000000000021).
  const s =
    typeof text === "number" ? (String(text).includes("e") ? text.toFixed(18) : String(text)) : text.trim();
  const m = s.match(/^(\d+)(?:\.(\d{0,18})\d*)?$/);
  if (!m) throw new Error(`"${s}" is not a decimal amount`);
  return BigInt(m[1]!) * ONE + BigInt((m[2] ?? "").padEnd(18, "0"));
}

/** At most 18 decimals, no exponent, no trailing zeros. */
export function formatDec(d: bigint): string {
  const whole = d / ONE;
  const frac = (d % ONE).toString().padStart(18, "0").replace(/0+$/, "");
  return frac ? `${whole}.${frac}` : whole.toString();
}
