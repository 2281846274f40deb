// `--json` output: one JSON document, with the value conventions of Cosmos JSON (64-bit integers as
// strings, bytes as base64, proto field names in snake_case).

/** JSON.stringify replacer for values cosmjs hands back: bigint, bytes, Date. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString("base64");
  return value;
}

export function toJsonText(value: unknown): string {
  return `${JSON.stringify(value, jsonReplacer, 2)}\n`;
}

/**
 * Renames the camelCase fields of a decoded cosmjs-types message to the proto field names that Cosmos
 * JSON uses (`fromAddress` → `from_address`), and converts its values as the replacer does.
 */
export function toProtoFieldNames(value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString("base64");
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(toProtoFieldNames);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`),
        toProtoFieldNames(v),
      ]),
    );
  }
  return value;
}
