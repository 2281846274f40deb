// A wake-up call for each new block: a CometBFT websocket subscription to `NewBlockHeader` (reference:
// cometbft-cosmos.md §2), reconnected with backoff while wanted and closed for good when not. It only
// wakes the block follower, which reads every height itself, so a dropped message costs nothing.
import { WebSocket } from "ws";

export function notifyNewBlocks(rpcUrl: string, onBlock: () => void): () => void {
  const url = `${rpcUrl.replace(/^http/, "ws").replace(/\/$/, "")}/websocket`;
  let stopped = false;
  let socket: WebSocket | undefined;
  let timer: NodeJS.Timeout | undefined;
  let delay = 250;
  const open = () => {
    if (stopped) return;
    const ws = new WebSocket(url);
    socket = ws;
    ws.on("open", () => {
      delay = 250;
      ws.send(
        JSON.stringify({
          jsonrpc: "2.0",
          id: 1,
          method: "subscribe",
          params: { query: "tm.event='NewBlockHeader'" },
        }),
      );
    });
    ws.on("message", () => onBlock());
    ws.on("error", () => undefined);
    ws.on("close", () => {
      if (stopped) return;
      timer = setTimeout(open, delay);
      timer.unref();
      delay = Math.min(delay * 2, 10_000);
    });
  };
  open();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    socket?.terminate();
  };
}
