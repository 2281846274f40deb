// Restarts and crashes: the node must come back at the same height and app hash, with every earlier tx still
// found by `tx` and `tx_search`, whether it was stopped cleanly, killed, or crashed in the middle of a block.
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { Comet38Client } from "@cosmjs/tendermint-rpc";
import { KvApp } from "../testing/kv-app.js";
import { rpcCall } from "../testing/rpc-client.js";
import { spawnNode } from "../testing/spawn-node.js";
import { makeTempHome, startTestNode } from "../testing/test-node.js";
import { txHash } from "../types/hashing.js";

const enc = (s: string) => new TextEncoder().encode(s);
const hexU = (b: Uint8Array) => Buffer.from(b).toString("hex").toUpperCase();
const kvPath = (home: string) => join(home, "data", "kv-app.json");

async function snapshot(url: string) {
  const client = await Comet38Client.connect(url);
  try {
    const status = await client.status();
    const h = status.syncInfo.latestBlockHeight;
    const block = await client.block(h);
    return { height: h, appHash: hexU(status.syncInfo.latestAppHash), blockHash: hexU(block.blockId.hash) };
  } finally {
    client.disconnect();
  }
}

async function assertTxsFound(url: string, txs: string[]) {
  const client = await Comet38Client.connect(url);
  try {
    for (const tx of txs) {
      const hash = txHash(enc(tx));
      const byHash = await client.tx({ hash });
      assert.equal(byHash.result.code, 0, tx);
      const search = await client.txSearch({ query: `tx.hash='${hexU(hash)}'` });
      assert.equal(search.totalCount, 1, tx);
      const key = tx.split("=")[0]!;
      const byEvent = await client.txSearch({ query: `app.key='${key}'` });
      assert.ok(byEvent.totalCount >= 1, tx);
    }
  } finally {
    client.disconnect();
  }
}

describe("restart and crash recovery", () => {
  it("resumes at the same height and app hash after a clean stop (persisted app)", async () => {
    const home = makeTempHome();
    try {
      let tn = await startTestNode({ home, app: new KvApp({ persistPath: kvPath(home) }) });
      const txs = ["a=1", "b=2", "c=3"];
      for (const tx of txs)
        await rpcCall(tn.rpcUrl, "broadcast_tx_commit", { tx: Buffer.from(tx).toString("base64") });
      const before = await snapshot(tn.rpcUrl);
      await tn.stop();

      tn = await startTestNode({ home, app: new KvApp({ persistPath: kvPath(home) }) });
      assert.deepEqual(await snapshot(tn.rpcUrl), before);
      await assertTxsFound(tn.rpcUrl, txs);
      // The chain continues from where it stopped: the next block links to the last one.
      const height = await tn.node.mine(1);
      const client = await Comet38Client.connect(tn.rpcUrl);
      const next = await client.block(height);
      assert.equal(hexU(next.block.header.lastBlockId!.hash), before.blockHash);
      client.disconnect();
      await tn.stop();
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it("replays every block into an app that kept nothing (in-memory app)", async () => {
    const home = makeTempHome();
    try {
      let app = new KvApp();
      let tn = await startTestNode({ home, app });
      for (const tx of ["x=1", "y=2"]) {
        await rpcCall(tn.rpcUrl, "broadcast_tx_commit", { tx: Buffer.from(tx).toString("base64") });
      }
      const before = await snapshot(tn.rpcUrl);
      await tn.stop();

      app = new KvApp();
      tn = await startTestNode({ home, app });
      assert.deepEqual(await snapshot(tn.rpcUrl), before);
      assert.equal(app.committedState.get("y"), "2");
      assert.equal(
        app.calls.filter((c) => c === "initChain").length,
        1,
        "InitChain runs again before replay",
      );
      assert.ok(app.calls.filter((c) => c === "finalizeBlock").length >= before.height);
      await assertTxsFound(tn.rpcUrl, ["x=1", "y=2"]);
      await tn.stop();
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it("executes a block that was saved but not executed (crash in FinalizeBlock)", async () => {
    const home = makeTempHome();
    try {
      const path = kvPath(home);
      let tn = await startTestNode({
        home,
        noMining: true,
        app: new KvApp({ persistPath: path, failAt: { height: 3, method: "finalizeBlock" } }),
      });
      await tn.node.mine(1); // height 2
      await rpcCall(tn.rpcUrl, "broadcast_tx_sync", { tx: Buffer.from("crash=fb").toString("base64") });
      await assert.rejects(tn.node.mine(1), /simulated crash in FinalizeBlock/);
      assert.equal(tn.node.blockStore.height(), 3, "block 3 was saved before execution");
      assert.equal(tn.node.blockStore.resultsHeight(), 2);
      await tn.stop({ keepHome: true });

      tn = await startTestNode({ home, noMining: true, app: new KvApp({ persistPath: path }) });
      const after = await snapshot(tn.rpcUrl);
      assert.equal(after.height, 3);
      await assertTxsFound(tn.rpcUrl, ["crash=fb"]);
      await tn.node.mine(1);
      assert.equal((await snapshot(tn.rpcUrl)).height, 4);
      await tn.stop();
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it("replays a block whose results were saved but which the app never committed (crash in Commit)", async () => {
    const home = makeTempHome();
    try {
      const path = kvPath(home);
      let tn = await startTestNode({
        home,
        noMining: true,
        app: new KvApp({ persistPath: path, failAt: { height: 2, method: "commit" } }),
      });
      await rpcCall(tn.rpcUrl, "broadcast_tx_sync", { tx: Buffer.from("crash=commit").toString("base64") });
      await assert.rejects(tn.node.mine(1), /simulated crash in Commit/);
      assert.equal(tn.node.blockStore.resultsHeight(), 2);
      await tn.stop({ keepHome: true });

      const app = new KvApp({ persistPath: path });
      tn = await startTestNode({ home, noMining: true, app });
      assert.equal((await snapshot(tn.rpcUrl)).height, 2);
      assert.equal(app.committedState.get("crash"), "commit");
      await assertTxsFound(tn.rpcUrl, ["crash=commit"]);
      await tn.stop();
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it("fails to start cleanly when the RPC port is taken, and can start afterwards", async () => {
    const first = await startTestNode({ app: new KvApp() });
    const home = makeTempHome();
    try {
      const port = Number(new URL(first.rpcUrl).port);
      await assert.rejects(startTestNode({ home, app: new KvApp(), rpc: { port } }), /EADDRINUSE/);
      await first.stop();
      const again = await startTestNode({ home, app: new KvApp(), rpc: { port } });
      assert.equal(again.rpcUrl, first.rpcUrl);
      await again.stop();
    } finally {
      await first.stop();
      rmSync(home, { recursive: true, force: true });
    }
  });

  it("refuses a block store of another chain", async () => {
    const home = makeTempHome();
    try {
      const tn = await startTestNode({ home, app: new KvApp() });
      await tn.stop({ keepHome: true });
      rmSync(join(home, "config", "genesis.json"));
      await assert.rejects(
        startTestNode({ home, chainId: "other-chain-2", app: new KvApp() }),
        /belongs to chain/,
      );
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  for (const signal of ["SIGTERM", "SIGKILL"] as const) {
    it(`comes back after ${signal} of a node process with every committed tx`, async () => {
      const home = makeTempHome();
      try {
        let spawned = await spawnNode(home);
        const committed: string[] = [];
        // Keep txs flowing while the signal arrives, so a block may be in flight.
        let sending = true;
        const sender = (async () => {
          for (let i = 0; sending; i++) {
            const tx = `k${i}=v${i}`;
            try {
              const res = await rpcCall(spawned.rpcUrl, "broadcast_tx_commit", {
                tx: Buffer.from(tx).toString("base64"),
              });
              if (res.tx_result.code === 0) committed.push(tx);
            } catch {
              return; // the node is gone
            }
          }
        })();
        while (committed.length < 5) await new Promise((r) => setTimeout(r, 10));
        const before = await snapshot(spawned.rpcUrl);
        spawned.child.kill(signal);
        const code = await spawned.exited;
        sending = false;
        await sender;
        if (signal === "SIGTERM") assert.equal(code, 0, "a clean stop exits 0");

        spawned = await spawnNode(home);
        const after = await snapshot(spawned.rpcUrl);
        assert.ok(after.height >= before.height);
        await assertTxsFound(spawned.rpcUrl, committed);
        const client = await Comet38Client.connect(spawned.rpcUrl);
        const block = await client.block(before.height);
        assert.equal(hexU(block.blockId.hash), before.blockHash, "history is unchanged");
        client.disconnect();
        spawned.child.kill("SIGTERM");
        assert.equal(await spawned.exited, 0);
        // And once more in-process: the persisted app and the store agree.
        const tn = await startTestNode({
          home,
          chainId: "kill-test-1",
          app: new KvApp({ persistPath: kvPath(home) }),
        });
        assert.ok((await snapshot(tn.rpcUrl)).height >= after.height);
        await assertTxsFound(tn.rpcUrl, committed);
        await tn.stop({ keepHome: true });
      } finally {
        rmSync(home, { recursive: true, force: true });
      }
    });
  }
});
