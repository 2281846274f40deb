// Routing one JSON-RPC request (from HTTP POST or a websocket frame) to its method.
import type { Json } from "./encode.js";
import { errorEnvelope, RpcError, type RpcId, type RpcRequest, resultEnvelope } from "./jsonrpc.js";
import { METHODS, type RpcEnv } from "./methods.js";
import { argsFromJson } from "./params.js";

/** Runs a request and returns its serialized response (never throws). */
export async function dispatch(env: RpcEnv, req: RpcRequest): Promise<string> {
  const id: RpcId = req.id ?? null;
  try {
    if (typeof req !== "object" || req === null || typeof req.method !== "string") {
      throw RpcError.invalidRequest("method is required");
    }
    if (req.jsonrpc !== undefined && req.jsonrpc !== "2.0")
      throw RpcError.invalidRequest("jsonrpc must be 2.0");
    const method = Object.hasOwn(METHODS, req.method) ? METHODS[req.method] : undefined;
    if (!method) throw RpcError.methodNotFound();
    const result: Json = await method.handler(argsFromJson(method.params, req.params), env);
    return resultEnvelope(id, result);
  } catch (err) {
    return errorEnvelope(id, RpcError.from(err));
  }
}
