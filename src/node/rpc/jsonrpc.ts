// JSON-RPC 2.0 envelopes and errors as CometBFT's rpc/jsonrpc/types writes them: handler failures are
// {code: -32603, message: "Internal error", data: "<error text>"}, cosmjs turns any error into a thrown Error.
// reference: cometbft-cosmos.md §2.1
import type { Json } from "./encode.js";

export type RpcId = string | number | null;

export class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data = "",
  ) {
    super(message);
  }

  static parse(data: string): RpcError {
    return new RpcError(-32700, "Parse error", data);
  }

  static invalidRequest(data: string): RpcError {
    return new RpcError(-32600, "Invalid Request", data);
  }

  static methodNotFound(): RpcError {
    return new RpcError(-32601, "Method not found");
  }

  static invalidParams(data: string): RpcError {
    return new RpcError(-32602, "Invalid params", data);
  }

  static internal(data: string): RpcError {
    return new RpcError(-32603, "Internal error", data);
  }

  /** Any thrown value as CometBFT reports it. */
  static from(err: unknown): RpcError {
    if (err instanceof RpcError) return err;
    return RpcError.internal(err instanceof Error ? err.message : String(err));
  }
}

export interface RpcRequest {
  jsonrpc?: string;
  id?: RpcId;
  method?: unknown;
  params?: unknown;
}

export function resultEnvelope(id: RpcId, result: Json): string {
  return JSON.stringify({ jsonrpc: "2.0", id, result });
}

export function errorEnvelope(id: RpcId, err: RpcError): string {
  return JSON.stringify({
    jsonrpc: "2.0",
    id,
    error: { code: err.code, message: err.message, data: err.data },
  });
}
