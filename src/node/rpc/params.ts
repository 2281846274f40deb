// Decoding of RPC arguments the way CometBFT's jsonrpc server converts them to Go types: from JSON-RPC
// params (named object or positional array; int64 as string or number, []byte as base64, HexBytes as hex) and
// from URI GET query values (`/block?height=5`, `/tx?hash=0xABCD`, `/broadcast_tx_sync?tx="k=v"`: quoted
// strings, 0x-hex or raw bytes).
import { RpcError } from "./jsonrpc.js";

export type ParamType = "int" | "bool" | "string" | "bytes" | "hexbytes";

export interface ParamSpec {
  name: string;
  type: ParamType;
}

export type Args = Record<string, bigint | boolean | string | Uint8Array | undefined>;

const INT = /^-?\d+$/;
const HEX = /^(?:[0-9a-fA-F]{2})*$/;
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

function invalid(name: string, why: string): RpcError {
  return RpcError.invalidParams(`error converting json params to arguments: ${name}: ${why}`);
}

function fromJson(spec: ParamSpec, value: unknown): Args[string] {
  if (value === undefined || value === null) return undefined;
  const { name, type } = spec;
  switch (type) {
    case "int":
      if (typeof value === "number" && Number.isInteger(value)) return BigInt(value);
      if (typeof value === "string" && INT.test(value)) return BigInt(value);
      if (typeof value === "string" && value === "") return undefined;
      throw invalid(name, `expected an integer, got ${JSON.stringify(value)}`);
    case "bool":
      if (typeof value === "boolean") return value;
      if (value === "true" || value === "false") return value === "true";
      throw invalid(name, `expected a boolean, got ${JSON.stringify(value)}`);
    case "string":
      if (typeof value === "string") return value;
      throw invalid(name, `expected a string, got ${JSON.stringify(value)}`);
    case "bytes":
      if (typeof value === "string" && BASE64.test(value))
        return new Uint8Array(Buffer.from(value, "base64"));
      throw invalid(name, "expected base64 bytes");
    case "hexbytes": {
      if (typeof value !== "string") throw invalid(name, "expected hex bytes");
      const h = value.startsWith("0x") || value.startsWith("0X") ? value.slice(2) : value;
      if (!HEX.test(h)) throw invalid(name, "expected hex bytes");
      return new Uint8Array(Buffer.from(h, "hex"));
    }
  }
}

/** Named (object) or positional (array) JSON-RPC params. */
export function argsFromJson(specs: readonly ParamSpec[], params: unknown): Args {
  const args: Args = {};
  if (params === undefined || params === null) return args;
  if (Array.isArray(params)) {
    if (params.length > specs.length) throw RpcError.invalidParams(`expected at most ${specs.length} params`);
    specs.forEach((s, i) => {
      args[s.name] = fromJson(s, params[i]);
    });
    return args;
  }
  if (typeof params !== "object") throw RpcError.invalidParams("params must be an object or an array");
  const obj = params as Record<string, unknown>;
  for (const s of specs) args[s.name] = fromJson(s, obj[s.name]);
  return args;
}

function fromUri(spec: ParamSpec, raw: string): Args[string] {
  const { name, type } = spec;
  const quoted = raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"');
  const inner = quoted ? raw.slice(1, -1) : raw;
  const isHex = /^0x/i.test(raw);
  switch (type) {
    case "int":
      if (INT.test(inner)) return BigInt(inner);
      if (inner === "") return undefined;
      throw invalid(name, `expected an integer, got ${raw}`);
    case "bool":
      if (inner === "true" || inner === "false") return inner === "true";
      throw invalid(name, `expected a boolean, got ${raw}`);
    case "string":
      return inner;
    case "bytes":
    case "hexbytes":
      if (isHex) {
        const h = raw.slice(2);
        if (!HEX.test(h)) throw invalid(name, "bad hex");
        return new Uint8Array(Buffer.from(h, "hex"));
      }
      if (quoted) return new TextEncoder().encode(inner);
      if (type === "hexbytes" && HEX.test(raw)) return new Uint8Array(Buffer.from(raw, "hex"));
      throw invalid(name, `expected 0x-prefixed hex or a quoted string, got ${raw}`);
  }
}

/** URI GET query parameters. */
export function argsFromUri(specs: readonly ParamSpec[], query: URLSearchParams): Args {
  const args: Args = {};
  for (const s of specs) {
    const raw = query.get(s.name);
    args[s.name] = raw === null ? undefined : fromUri(s, raw);
  }
  return args;
}
