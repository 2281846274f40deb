// The time of a log line as the provider gives it (`timestamp`, DeCloud's addition to Akash's `{name,
// message}` log frame) and as a follower asks for lines after it (`since=`): RFC 3339 with up to nanosecond
// digits, as Docker prints them (trailing zeros trimmed, so the strings do not sort: compare the numbers).

const RFC3339 = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/;

/** Nanoseconds since the Unix epoch, or undefined for anything that is not an RFC 3339 time. */
export function parseLogTime(text: string): bigint | undefined {
  const m = RFC3339.exec(text);
  if (!m) return undefined;
  const ms = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(ms)) return undefined;
  return BigInt(ms) * 1_000_000n + BigInt((m[2] ?? "").padEnd(9, "0"));
}

/** The RFC 3339 text (UTC, nine fractional digits) of nanoseconds since the epoch. */
export function formatLogTime(ns: bigint): string {
  const seconds = ns / 1_000_000_000n;
  const fraction = ns % 1_000_000_000n;
  const whole = new Date(Number(seconds) * 1000).toISOString().slice(0, 19);
  return `${whole}.${fraction.toString().padStart(9, "0")}Z`;
}

/** Docker's `since` (seconds.nanoseconds since the epoch) for a time in nanoseconds. */
export function dockerSince(ns: bigint): string {
  return `${ns / 1_000_000_000n}.${(ns % 1_000_000_000n).toString().padStart(9, "0")}`;
}
