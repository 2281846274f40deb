// The `/websocket` endpoint: every RPC method, plus `subscribe`, `unsubscribe` and `unsubscribe_all`
// (rpc/core/events.go). Event messages reuse the subscribe request's id, which is how cosmjs routes them.
// reference: cometbft-cosmos.md §2.1, §2.4
import type { WebSocket } from "ws";
import { QuerySyntaxError } from "../events/query.js";
import { dispatch } from "./dispatch.js";
import { eventResultJson } from "./events-json.js";
import { errorEnvelope, RpcError, type RpcId, type RpcRequest, resultEnvelope } from "./jsonrpc.js";
import type { RpcEnv } from "./methods.js";

/** config.rpc.max_subscriptions_per_client is 5 in CometBFT; a devnet is more generous. */
const MAX_SUBSCRIPTIONS_PER_CLIENT = 100;
/** A subscriber this far behind is cut off rather than letting its buffer grow without bound. */
const MAX_BUFFERED_BYTES = 64 * 1024 * 1024;

export function serveWebsocket(ws: WebSocket, env: RpcEnv): void {
  const subscriptions = new Map<string, () => void>();
  // A block publishes its events (one per tx) in one synchronous loop; corking the socket until the next tick
  // sends them in one write instead of a syscall per frame, which costs more than the encoding under load.
  const socket = (ws as unknown as { _socket?: { cork(): void; uncork(): void } })._socket;
  let corked = false;
  const send = (text: string) => {
    if (ws.readyState !== ws.OPEN) return;
    if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      ws.close(1008, "subscriber too slow");
      return;
    }
    if (socket && !corked) {
      corked = true;
      socket.cork();
      process.nextTick(() => {
        corked = false;
        socket.uncork();
      });
    }
    ws.send(text);
  };

  const subscribe = (id: RpcId, params: unknown) => {
    const q = (params as { query?: unknown } | null)?.query;
    if (typeof q !== "string") throw RpcError.invalidParams("query is required");
    if (subscriptions.has(q)) throw RpcError.internal("already subscribed");
    if (subscriptions.size >= MAX_SUBSCRIPTIONS_PER_CLIENT) {
      throw RpcError.internal(`max_subscriptions_per_client ${MAX_SUBSCRIPTIONS_PER_CLIENT} reached`);
    }
    try {
      const unsubscribe = env.driver.events.subscribe(q, (message, query) => {
        send(resultEnvelope(id, eventResultJson(message, query)));
      });
      subscriptions.set(q, unsubscribe);
    } catch (err) {
      if (err instanceof QuerySyntaxError) throw RpcError.internal(`failed to parse query: ${err.message}`);
      throw err;
    }
  };

  const unsubscribe = (params: unknown) => {
    const q = (params as { query?: unknown } | null)?.query;
    if (typeof q !== "string") throw RpcError.invalidParams("query is required");
    const stop = subscriptions.get(q);
    if (!stop) throw RpcError.internal("subscription not found");
    stop();
    subscriptions.delete(q);
  };

  const unsubscribeAll = () => {
    for (const stop of subscriptions.values()) stop();
    subscriptions.clear();
  };

  ws.on("message", (data) => {
    let req: RpcRequest;
    try {
      req = JSON.parse(data.toString()) as RpcRequest;
    } catch (err) {
      send(errorEnvelope(null, RpcError.parse(`error unmarshaling request: ${(err as Error).message}`)));
      return;
    }
    const id: RpcId = req?.id ?? null;
    try {
      switch (req?.method) {
        case "subscribe":
          subscribe(id, req.params);
          send(resultEnvelope(id, {}));
          return;
        case "unsubscribe":
          unsubscribe(req.params);
          send(resultEnvelope(id, {}));
          return;
        case "unsubscribe_all":
          if (subscriptions.size === 0) throw RpcError.internal("subscription not found");
          unsubscribeAll();
          send(resultEnvelope(id, {}));
          return;
      }
    } catch (err) {
      send(errorEnvelope(id, RpcError.from(err)));
      return;
    }
    void dispatch(env, req).then(send);
  });
  ws.on("close", unsubscribeAll);
  ws.on("error", unsubscribeAll);
}
