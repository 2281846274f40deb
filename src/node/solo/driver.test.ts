// Block production modes, the ABCI call sequence, and the mempool seen through the RPC.
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { describe, it } from "node:test";
import { Comet38Client } from "@cosmjs/tendermint-rpc";
import { initNodeHome } from "../init.js";
import { ed25519KeyFromSeed } from "../privval/keys.js";
import { KvApp } from "../testing/kv-app.js";
import { rpcCall, rpcPost } from "../testing/rpc-client.js";
import { makeTempHome, startTestNode } from "../testing/test-node.js";
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

  it("a block waiting for the app goes before queued CheckTx", async () => {
    class SlowCheckApp extends KvApp {
      override async checkTx(...a: Parameters<KvApp["checkTx"]>) {
        await sleep(1);
        return super.checkTx(...a);
      }
    }
    const app = new SlowCheckApp();
    const tn = await startTestNode({ app, noMining: true });
    try {
      const start = app.calls.length;
      const checks = Array.from({ length: 50 }, (_, i) => tn.node.solo.addTx(Buffer.from(`flood${i}=1`)));
      while (!app.calls.slice(start).includes("checkTx")) await sleep(0);
      await Promise.all([tn.node.mine(1), ...checks]);
      const calls = app.calls.slice(start);
      const before = calls.slice(0, calls.indexOf("finalizeBlock")).filter((c) => c === "checkTx").length;
      // A FIFO would run all 50 first; a loaded machine may let a few more run before the block is asked for.
      assert.ok(before < 25, `the block waited for ${before} of 50 queued CheckTx`);
      assert.equal(calls.filter((c) => c === "checkTx").length, 50);
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

  it("times out broadcast_tx_commit like CometBFT when no block includes the tx", async () => {
    const tn = await startTestNode({ app: new KvApp(), noMining: true, broadcastTxCommitTimeoutMs: 100 });
    try {
      const res = await rpcPost(tn.rpcUrl, "broadcast_tx_commit", { tx: b64("never=1") });
      assert.deepEqual(res.body.error, {
        code: -32603,
        message: "Internal error",
        data: "timed out waiting for tx to be included in a block",
      });
      const rejected = await rpcCall(tn.rpcUrl, "broadcast_tx_commit", { tx: b64("malformed") });
      assert.equal(rejected.check_tx.code, 1);
      assert.equal(rejected.height, "0");
      assert.equal(rejected.tx_result.code, 0);
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

  it("applies validator updates two blocks later, as CometBFT does", async () => {
    const tn = await startTestNode({ app: new KvApp(), noMining: true });
    try {
      const other = ed25519KeyFromSeed(new Uint8Array(32).fill(9));
      await rpcCall(tn.rpcUrl, "broadcast_tx_sync", {
        tx: b64(`val:${Buffer.from(other.pubKey).toString("base64")}!1`),
      });
      const h = await tn.node.mine(3); // the update is in block h-2
      const header = async (height: number) =>
        (await rpcCall(tn.rpcUrl, "header", { height: String(height) })).header;
      const [hU, h1, h2] = [await header(h - 2), await header(h - 1), await header(h)];
      const results = await rpcCall(tn.rpcUrl, "block_results", { height: String(h - 2) });
      assert.equal(results.validator_updates[0].power, "1");
      assert.equal(
        results.validator_updates[0].pub_key.Sum.value.ed25519,
        Buffer.from(other.pubKey).toString("base64"),
      );
      assert.equal(h1.validators_hash, hU.validators_hash, "the set of the next block is unchanged");
      assert.notEqual(
        h1.next_validators_hash,
        hU.next_validators_hash,
        "next_validators_hash announces the change",
      );
      assert.equal(
        h2.validators_hash,
        h1.next_validators_hash,
        "the new set signs two blocks after the update",
      );
      const vals = await rpcCall(tn.rpcUrl, "validators", { height: String(h) });
      assert.equal(vals.total, "2");
      assert.deepEqual(
        vals.validators.map((v: { voting_power: string }) => v.voting_power),
        ["10", "1"],
      );
      assert.equal((await rpcCall(tn.rpcUrl, "validators", { height: String(h - 1) })).total, "1");
      const commit = await rpcCall(tn.rpcUrl, "commit", { height: String(h) });
      assert.deepEqual(
        commit.signed_header.commit.signatures.map((s: { block_id_flag: number }) => s.block_id_flag),
        [2, 1],
        "the solo validator commits; the other one is absent",
      );
      assert.equal(commit.signed_header.commit.signatures[1].timestamp, "0001-01-01T00:00:00Z");
    } finally {
      await tn.stop();
    }
  });

  it("starts at the genesis initial_height with the genesis time", async () => {
    const home = makeTempHome();
    try {
      initNodeHome(home, {
        chainId: "late-start-1",
        initialHeight: 100n,
        genesisTime: new Date("2024-01-02T03:04:05.678Z"),
      });
      const tn = await startTestNode({ home, app: new KvApp(), noMining: true });
      const first = await rpcCall(tn.rpcUrl, "block", { height: "100" });
      assert.equal(first.block.header.time, "2024-01-02T03:04:05.678Z");
      assert.equal(first.block.last_commit.height, "0");
      assert.equal(first.block.header.last_results_hash, "", "nil in the genesis state, as in CometBFT");
      assert.equal(
        first.block.header.last_commit_hash,
        "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855",
      );
      assert.equal(await tn.node.mine(1), 101);
      const status = await rpcCall(tn.rpcUrl, "status");
      assert.equal(status.sync_info.earliest_block_height, "100");
      const low = await rpcPost(tn.rpcUrl, "block", { height: "5" });
      assert.equal(low.body.error!.data, "height 5 is not available, lowest height is 100");
      await tn.stop();
    } finally {
      rmSync(home, { recursive: true, force: true });
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
