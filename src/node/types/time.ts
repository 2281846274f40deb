// Protobuf Timestamps ({seconds: bigint, nanos}) and their RFC 3339 rendering. CometBFT prints times with Go's
// RFC3339Nano in UTC: trailing zero digits of the fraction are trimmed, no fraction at all when it is zero.
// reference: cometbft-cosmos.md §2.2; full nanosecond precision matters (§5.6: light clients rebuild the header).
import type { Timestamp } from "cosmjs-types/google/protobuf/timestamp";

export type { Timestamp };

export function timestampFromMs(ms: number): Timestamp {
  const seconds = Math.floor(ms / 1000);
  return { seconds: BigInt(seconds), nanos: (ms - seconds * 1000) * 1_000_000 };
}

/** Nanoseconds since the epoch. */
export function timestampToNanos(ts: Timestamp): bigint {
  return ts.seconds * 1_000_000_000n + BigInt(ts.nanos);
}

export function timestampFromNanos(ns: bigint): Timestamp {
  let seconds = ns / 1_000_000_000n;
  let nanos = ns - seconds * 1_000_000_000n;
  if (nanos < 0n) {
    seconds -= 1n;
    nanos += 1_000_000_000n;
  }
  return { seconds, nanos: Number(nanos) };
}

export function timestampToMs(ts: Timestamp): number {
  return Number(ts.seconds) * 1000 + Math.floor(ts.nanos / 1_000_000);
}

/** Go's `time.Time.Format(time.RFC3339Nano)` in UTC. */
export function formatRfc3339Nano(ts: Timestamp): string {
  const date = new Date(Number(ts.seconds) * 1000);
  const base = date.toISOString().slice(0, 19); // YYYY-MM-DDTHH:MM:SS
  if (ts.nanos === 0) return `${base}Z`;
  const frac = String(ts.nanos).padStart(9, "0").replace(/0+$/, "");
  return `${base}.${frac}Z`;
}

const RFC3339 = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

/** Parses RFC 3339 with up to nanosecond precision (genesis_time, TIME operands of queries). */
export function parseRfc3339(s: string): Timestamp {
  const m = RFC3339.exec(s.trim());
  if (!m) throw new Error(`invalid RFC 3339 time: ${s}`);
  const ms = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(ms)) throw new Error(`invalid RFC 3339 time: ${s}`);
  const nanos = Number((m[2] ?? "").padEnd(9, "0"));
  return { seconds: BigInt(ms / 1000), nanos };
}

export function compareTimestamps(a: Timestamp, b: Timestamp): number {
  if (a.seconds !== b.seconds) return a.seconds < b.seconds ? -1 : 1;
  return a.nanos - b.nanos;
}
