// Block production modes, the ABCI call sequence, and the mempool seen through the RPC.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Comet38Client } from "@cosmjs/tendermint-rpc";
import { KvApp } from "../testing/kv-app.js";
import { rpcCall, rpcPost } from "../testing/rpc-client.js";
import { startTestNode } from "../testing/test-node.js";
import { txHash } from "../types/hashing.js";

const b64 = (s: string) => Buffer.from(s).toString("base64");
const hexU = (b: Uint8Array) => Buffer.from(b).toString("hex").toUpperCase();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("solo driver", () => {
  it("calls the app in CometBFT's order: Info, InitChain, then Prepare/Process/Finalize/Commit per block", async () => {
    const app = new KvApp();
    const tn = await startTestNode({ app, noMining: true });
    try {
      await tn.node.mine(2);
      const consensus = app.calls.filter((c) => c !== "query" && c !== "info");
      assert.equal(app.calls[0], "info");
      assert.deepEqual(consensus, [
        "initChain",
        ...Array(3).fill(["prepareProposal", "processProposal", "finalizeBlock", "commit"]).flat(),
      ]);
    } finally {
      await tn.stop();
    }
  });

  it("produces (empty) blocks on a timer with strictly increasing times", async () => {
    const tn = await startTestNode({ app: new KvApp(), blockTimeMs: 25 });
    try {
      await sleep(300);
      const client = await Comet38Client.connect(tn.rpcUrl);
      const { lastHeight, blockMetas } = await client.blockchain();
      assert.ok(lastHeight >= 5, `expected several blocks, got ${lastHeight}`);
      const times = blockMetas.map((m) => m.header.time.getTime()).reverse();
      for (let i = 1; i < times.length; i++) assert.ok(times[i]! > times[i - 1]!);
      client.disconnect();
    } finally {
      await tn.stop();
    }
  });

  it("with instant mining makes a block per batch of txs and one proof block, then idles", async () => {
    const tn = await startTestNode({ app: new KvApp() });
    try {
      const h0 = tn.node.solo.height;
      const res = await rpcCall(tn.rpcUrl, "broadcast_tx_commit", { tx: b64("instant=1") });
      assert.equal(Number(res.height), h0 + 1);
      await sleep(100);
      assert.equal(tn.node.solo.height, h0 + 2, "one more block records the new app hash");
      await sleep(100);
      assert.equal(tn.node.solo.height, h0 + 2, "then no empty blocks");
    } finally {
      await tn.stop();
    }
  });

  it("without mining waits for mine(n)", async () => {
    const tn = await startTestNode({ app: new KvApp(), noMining: true });
    try {
      assert.equal(tn.node.solo.height, 1, "the first block is always made");
      await rpcCall(tn.rpcUrl, "broadcast_tx_sync", { tx: b64("wait=1") });
      await sleep(50);
      assert.equal(tn.node.solo.height, 1);
      assert.equal((await rpcCall(tn.rpcUrl, "num_unconfirmed_txs")).n_txs, "1");
      const unconfirmed = await rpcCall(tn.rpcUrl, "unconfirmed_txs", { limit: "10" });
      assert.deepEqual(unconfirmed.txs, [b64("wait=1")]);
      assert.equal(await tn.node.mine(3), 4);
      const block2 = await rpcCall(tn.rpcUrl, "block", { height: "2" });
      assert.deepEqual(block2.block.data.txs, [b64("wait=1")]);
      assert.equal((await rpcCall(tn.rpcUrl, "num_unconfirmed_txs")).n_txs, "0");
    } finally {
      await tn.stop();
    }
  });

  it("rechecks the mempool after each block and evicts txs that became invalid", async () => {
    const app = new KvApp({ maxTxsPerBlock: 1 });
    const tn = await startTestNode({ app, noMining: true });
    try {
      // Both are valid against the committed state; only one fits in the next block.
      assert.equal((await rpcCall(tn.rpcUrl, "broadcast_tx_sync", { tx: b64("once:a=1") })).code, 0);
      assert.equal((await rpcCall(tn.rpcUrl, "broadcast_tx_sync", { tx: b64("once:a=2") })).code, 0);
      assert.equal((await rpcCall(tn.rpcUrl, "broadcast_tx_sync", { tx: b64("other=1") })).code, 0);
      await tn.node.mine(1);
      assert.ok(app.calls.includes("recheckTx"));
      const pending = await rpcCall(tn.rpcUrl, "unconfirmed_txs");
      assert.deepEqual(pending.txs, [b64("other=1")], "once:a=2 was evicted on recheck");
      // An evicted tx leaves the cache: it is judged afresh (and now rejected by CheckTx).
      const again = await rpcCall(tn.rpcUrl, "broadcast_tx_sync", { tx: b64("once:a=2") });
      assert.equal(again.code, 2);
    } finally {
      await tn.stop();
    }
  });

  it("indexes failed txs like successful ones", async () => {
    const tn = await startTestNode({ app: new KvApp(), noMining: true });
    try {
      await rpcCall(tn.rpcUrl, "broadcast_tx_sync", { tx: b64("once:f=1") });
      await rpcCall(tn.rpcUrl, "broadcast_tx_sync", { tx: b64("once:f=2") });
      await tn.node.mine(1);
      const client = await Comet38Client.connect(tn.rpcUrl);
      const found = await client.txSearch({ query: "message.sender='f'" });
      assert.deepEqual(
        found.txs.map((t) => t.result.code),
        [0, 2],
      );
      const failed = await client.tx({ hash: txHash(new TextEncoder().encode("once:f=2")) });
      assert.equal(failed.result.code, 2);
      assert.match(failed.result.log ?? "", /already set/);
      const byHash = await client.txSearch({ query: `tx.hash='${hexU(failed.hash)}'` });
      assert.equal(byHash.totalCount, 1);
      client.disconnect();
    } finally {
      await tn.stop();
    }
  });

  it("enforces mempool limits over RPC", async () => {
    const tn = await startTestNode({
      app: new KvApp(),
      noMining: true,
      mempool: { maxTxs: 2, maxTxBytes: 64 },
    });
    try {
      await rpcCall(tn.rpcUrl, "broadcast_tx_sync", { tx: b64("m1=1") });
      await rpcCall(tn.rpcUrl, "broadcast_tx_sync", { tx: b64("m2=1") });
      const full = await rpcPost(tn.rpcUrl, "broadcast_tx_sync", { tx: b64("m3=1") });
      assert.equal(full.body.error?.code, -32603);
      assert.match(full.body.error!.data, /^mempool is full: number of txs 2 \(max: 2\)/);
      const large = await rpcPost(tn.rpcUrl, "broadcast_tx_async", { tx: b64(`big=${"x".repeat(100)}`) });
      assert.match(large.body.error!.data, /^tx too large. Max size is 64, but got 104/);
      await tn.node.mine(1);
      assert.equal(
        (await rpcCall(tn.rpcUrl, "broadcast_tx_sync", { tx: b64("m3=1") })).code,
        0,
        "room again",
      );
    } finally {
      await tn.stop();
    }
  });

  it("keeps serving and refuses to mine after the app fails (halted chain)", async () => {
    const tn = await startTestNode({
      app: new KvApp({ failAt: { height: 2, method: "finalizeBlock" } }),
      noMining: true,
    });
    try {
      await assert.rejects(tn.node.mine(1), /simulated crash/);
      await assert.rejects(tn.node.mine(1), /simulated crash/);
      const status = await rpcCall(tn.rpcUrl, "status");
      assert.equal(status.sync_info.latest_block_height, "1");
      const block2 = await rpcPost(tn.rpcUrl, "block", { height: "2" });
      assert.ok(block2.body.error, "an unexecuted block is not served");
    } finally {
      await tn.stop();
    }
  });
});
