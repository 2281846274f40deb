// The websocket endpoint at the wire level: subscribe / unsubscribe / unsubscribe_all and event payloads
// shaped exactly as CometBFT 0.38 sends them (reference: cometbft-cosmos.md §2.4, subscribe).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import WebSocket from "ws";
import { KvApp } from "../testing/kv-app.js";
import { rpcCall, type Wire } from "../testing/rpc-client.js";
import { startTestNode, type TestNode } from "../testing/test-node.js";
import { txHash } from "../types/hashing.js";

const b64 = (s: string) => Buffer.from(s).toString("base64");

/** A websocket JSON-RPC client that queues every message it receives. */
class RawWs {
  private readonly queue: Wire[] = [];
  private waiters: (() => void)[] = [];

  constructor(readonly ws: WebSocket) {
    ws.on("message", (data) => {
      this.queue.push(JSON.parse(data.toString()));
      for (const w of this.waiters.splice(0)) w();
    });
  }

  static async open(url: string): Promise<RawWs> {
    const ws = new WebSocket(`${url.replace(/^http/, "ws")}/websocket`);
    await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
    return new RawWs(ws);
  }

  send(id: number, method: string, params: unknown = {}): void {
    this.ws.send(JSON.stringify({ jsonrpc: "2.0", id, method, params }));
  }

  /** The next message matching `pred` (others stay queued). */
  async next(pred: (m: Wire) => boolean = () => true, ms = 5000): Promise<Wire> {
    const deadline = Date.now() + ms;
    for (;;) {
      const i = this.queue.findIndex(pred);
      if (i >= 0) return this.queue.splice(i, 1)[0];
      if (Date.now() > deadline) throw new Error("no matching websocket message");
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }

  /** Removes and returns the queued messages matching `pred`. */
  drain(pred: (m: Wire) => boolean = () => true): Wire[] {
    const out = this.queue.filter(pred);
    this.queue.splice(0, this.queue.length, ...this.queue.filter((m) => !pred(m)));
    return out;
  }

  close(): void {
    this.ws.close();
  }
}

describe("websocket subscriptions (wire level)", () => {
  let tn: TestNode;
  before(async () => {
    tn = await startTestNode({ app: new KvApp(), noMining: true });
  });
  after(async () => {
    await tn.stop();
  });

  it("sends Tx, NewBlock and NewBlockHeader events shaped as CometBFT's", async () => {
    const ws = await RawWs.open(tn.rpcUrl);
    try {
      ws.send(1, "subscribe", { query: "tm.event='Tx' AND app.key='shape'" });
      assert.deepEqual(await ws.next((m) => m.id === 1), { jsonrpc: "2.0", id: 1, result: {} });
      ws.send(2, "subscribe", { query: "tm.event='NewBlock'" });
      ws.send(3, "subscribe", { query: "tm.event='NewBlockHeader'" });
      await ws.next((m) => m.id === 2);
      await ws.next((m) => m.id === 3);

      await rpcCall(tn.rpcUrl, "broadcast_tx_sync", { tx: b64("other=0") });
      await rpcCall(tn.rpcUrl, "broadcast_tx_sync", { tx: b64("shape=1") });
      const height = await tn.node.mine(1);

      const tx = await ws.next((m) => m.id === 1 && m.result?.query);
      assert.equal(tx.jsonrpc, "2.0");
      assert.equal(tx.result.query, "tm.event='Tx' AND app.key='shape'");
      assert.equal(tx.result.data.type, "tendermint/event/Tx");
      const txResult = tx.result.data.value.TxResult;
      assert.equal(txResult.height, String(height));
      assert.equal(txResult.index, 1);
      assert.equal(txResult.tx, b64("shape=1"));
      assert.deepEqual(Object.keys(txResult.result), [
        "code",
        "data",
        "log",
        "info",
        "gas_wanted",
        "gas_used",
        "events",
        "codespace",
      ]);
      assert.deepEqual(txResult.result.events[0].attributes[0], { key: "key", value: "shape", index: true });
      const hash = Buffer.from(txHash(new TextEncoder().encode("shape=1")))
        .toString("hex")
        .toUpperCase();
      assert.deepEqual(tx.result.events["tm.event"], ["Tx"]);
      assert.deepEqual(tx.result.events["tx.hash"], [hash]);
      assert.deepEqual(tx.result.events["tx.height"], [String(height)]);
      assert.deepEqual(tx.result.events["app.key"], ["shape"]);
      assert.equal(ws.drain((m) => m.id === 1).length, 0, "the filtered-out tx sent nothing");

      const block = await ws.next((m) => m.id === 2 && m.result?.query);
      assert.equal(block.result.data.type, "tendermint/event/NewBlock");
      const v = block.result.data.value;
      assert.equal(v.block.header.height, String(height));
      assert.deepEqual(v.block.data.txs, [b64("other=0"), b64("shape=1")]);
      assert.equal(v.block_id.hash.length, 64);
      assert.equal(v.result_finalize_block.tx_results.length, 2);
      assert.equal(typeof v.result_finalize_block.app_hash, "string");
      assert.deepEqual(block.result.events["block_info.height"], [String(height)]);

      const header = await ws.next((m) => m.id === 3 && m.result?.query);
      assert.equal(header.result.data.type, "tendermint/event/NewBlockHeader");
      assert.equal(header.result.data.value.header.height, String(height));
    } finally {
      ws.close();
    }
  });

  it("unsubscribes one query or all, and reports errors as CometBFT does", async () => {
    const ws = await RawWs.open(tn.rpcUrl);
    try {
      ws.send(1, "subscribe", { query: "tm.event='NewBlock'" });
      await ws.next((m) => m.id === 1);
      ws.send(2, "subscribe", { query: "tm.event='NewBlock'" });
      assert.equal((await ws.next((m) => m.id === 2)).error.data, "already subscribed");
      ws.send(3, "subscribe", { query: "tm.event=" });
      assert.match((await ws.next((m) => m.id === 3)).error.data, /failed to parse query/);
      ws.send(4, "subscribe", { query: "tm.event='NewBlockHeader'" });
      await ws.next((m) => m.id === 4);

      ws.send(5, "unsubscribe", { query: "tm.event='NewBlock'" });
      assert.deepEqual((await ws.next((m) => m.id === 5)).result, {});
      ws.send(6, "unsubscribe", { query: "tm.event='NewBlock'" });
      assert.equal((await ws.next((m) => m.id === 6)).error.data, "subscription not found");
      await tn.node.mine(1);
      await ws.next((m) => m.id === 4 && m.result?.query);
      assert.equal(ws.drain((m) => m.id === 1).length, 0, "no NewBlock after unsubscribe");

      ws.send(7, "unsubscribe_all");
      assert.deepEqual((await ws.next((m) => m.id === 7)).result, {});
      await tn.node.mine(1);
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(ws.drain().length, 0, "nothing after unsubscribe_all");

      ws.send(8, "status");
      assert.equal((await ws.next((m) => m.id === 8)).result.node_info.network, "test-chain-1");
      ws.send(9, "nope");
      assert.equal((await ws.next((m) => m.id === 9)).error.code, -32601);
      ws.ws.send("{not json");
      assert.equal((await ws.next((m) => m.error?.code === -32700)).id, null);
    } finally {
      ws.close();
    }
    assert.equal(tn.node.solo.events.size, 0, "closing the socket drops its subscriptions");
  });
});
