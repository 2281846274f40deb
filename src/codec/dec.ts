// Cosmos `LegacyDec` text forms. On the wire (gogoproto customtype `cosmossdk.io/math.LegacyDec`) a Dec is the
// decimal digits of its value × 10^18 ("25000000000000000"); in JSON (its MarshalJSON, which gRPC-gateway uses)
// it is the value with exactly 18 decimals ("0.025000000000000000").
// reference: cosmos-sdk math/dec.go (LegacyDec.String, LegacyNewDecFromStr, Marshal).

export const DEC_PRECISION = 18;

/** "25000000000000000" → "0.025000000000000000". Text that is not an integer is returned unchanged. */
export function decFromAtomics(atomics: string): string {
  if (atomics === "") return `0.${"0".repeat(DEC_PRECISION)}`;
  const m = /^(-?)(\d+)$/.exec(atomics);
  if (!m) return atomics;
  const digits = m[2]!.replace(/^0+(?=\d)/, "").padStart(DEC_PRECISION + 1, "0");
  const int = digits.slice(0, -DEC_PRECISION);
  const frac = digits.slice(-DEC_PRECISION);
  const negative = m[1] === "-" && /[1-9]/.test(digits);
  return `${negative ? "-" : ""}${int}.${frac}`;
}

/**
 * "0.025" → "25000000000000000" (as `LegacyNewDecFromStr` accepts it: optional sign, at most 18 decimals).
 * Throws on anything else.
 */
export function decToAtomics(decimal: string): string {
  const m = /^(-?)(\d*)(?:\.(\d*))?$/.exec(decimal.trim());
  if (!m || (m[2] === "" && !m[3])) throw new Error(`invalid decimal "${decimal}"`);
  const frac = m[3] ?? "";
  if (frac.length > DEC_PRECISION)
    throw new Error(`decimal "${decimal}" has more than ${DEC_PRECISION} decimals`);
  const atomics = BigInt((m[2] || "0") + frac.padEnd(DEC_PRECISION, "0"));
  return `${m[1] === "-" && atomics !== 0n ? "-" : ""}${atomics}`;
}
