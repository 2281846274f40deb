// Tables for people: columns padded to their widest cell (colour codes do not count), two spaces apart.

const ANSI = /\x1b\[[0-9;]*m/g;

const width = (s: string) => [...s.replace(ANSI, "")].length;

export function table(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  indent = "",
): string[] {
  const widths = headers.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ""))));
  const line = (cells: readonly string[]) =>
    `${indent}${cells.map((c, i) => (i === cells.length - 1 ? c : c + " ".repeat(widths[i]! - width(c)))).join("  ")}`.trimEnd();
  return [line(headers), ...rows.map(line)];
}

/** `akash1qpx…7xk`: enough to tell addresses apart in a table. */
export function shortAddress(address: string): string {
  return address.length > 14 ? `${address.slice(0, 9)}…${address.slice(-4)}` : address;
}
