// Raw JSON-RPC and URI calls for tests that need to see exactly what goes over the wire.

/** Wire JSON as the node sent it; tests assert on it field by field. */
// biome-ignore lint/suspicious/noExplicitAny: untyped wire JSON is the point of these helpers
export type Wire = any;

export interface RawResponse {
  status: number;
  body: {
    jsonrpc: string;
    id: unknown;
    result?: Wire;
    error?: { code: number; message: string; data: string };
  };
}

export async function rpcPost(url: string, method: string, params: unknown = {}): Promise<RawResponse> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 7, method, params }),
  });
  return { status: res.status, body: (await res.json()) as RawResponse["body"] };
}

/** Calls a method and returns its result, throwing on a JSON-RPC error. */
export async function rpcCall(url: string, method: string, params: unknown = {}): Promise<Wire> {
  const { body } = await rpcPost(url, method, params);
  if (body.error) throw new Error(`${method}: ${JSON.stringify(body.error)}`);
  return body.result;
}

export async function uriGet(url: string, pathAndQuery: string): Promise<RawResponse> {
  const res = await fetch(`${url}${pathAndQuery}`);
  return { status: res.status, body: (await res.json()) as RawResponse["body"] };
}

interface CosmjsReconnectingSocket {
  reconnectTimeout: NodeJS.Timeout | null;
  socket: { reconnect(): void };
}

/**
 * Disconnects a websocket Comet38Client for good. cosmjs's ReconnectingSocket arms a reconnect timer on every
 * "disconnected" status, intentional disconnect() included (and again when the socket's close event follows),
 * which would keep the test process alive and reconnect to whatever listens on the port next.
 */
export async function disconnectForGood(client: { disconnect(): void }): Promise<void> {
  const socket = (client as unknown as { client?: { socket?: CosmjsReconnectingSocket } }).client?.socket;
  if (socket) socket.socket.reconnect = () => undefined;
  client.disconnect();
  if (!socket) return;
  await new Promise((resolve) => setTimeout(resolve, 50)); // let the close event arrive
  if (socket.reconnectTimeout) clearTimeout(socket.reconnectTimeout);
}
