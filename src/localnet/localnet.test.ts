// A 4-validator localnet on loopback, each validator a `decloud node start` process with its own CometBFT:
// txs sent to different nodes are all committed and every node's app reports the same app hash at every
// height; then the faults of issue 7 — one validator down (the chain goes on), two down (it halts without
// forking and resumes when one returns), an app SIGKILLed in the middle of a block (before and after its
// Commit: CometBFT's handshake replays what it lacks), and a validator whose data is wiped (it syncs back
// from the others by replaying their blocks). No assertion on time: every wait is for a condition.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, afterEach, before, describe, test } from "node:test";
import { GasPrice, SigningStargateClient } from "@cosmjs/stargate";
import { type TestAccount, testAccounts } from "../app/testing/harness.js";
import { ensureCometbft } from "../node/cometbft/binary.js";
import { BOND_DENOM } from "../params/chain.js";
import { findFreeBasePort, Localnet } from "./localnet.js";

const cometbft = await ensureCometbft();
const skip = "missing" in cometbft ? cometbft.missing : false;
if (!("missing" in cometbft)) process.env.DECLOUD_COMETBFT = cometbft.path;

// biome-ignore lint/suspicious/noExplicitAny: CometBFT's JSON
type Wire = any;

async function rpc(url: string, method: string, params: Record<string, unknown> = {}): Promise<Wire> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  const body = (await res.json()) as { result?: Wire; error?: Wire };
  if (body.error) throw new Error(`${method}: ${JSON.stringify(body.error)}`);
  return body.result;
}

async function waitFor<T>(
  probe: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 180_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

let dir: string;
let net: Localnet;
let failed = false;
let accounts: TestAccount[];

const heightOf = async (i: number): Promise<number> =>
  Number((await rpc(net.nodes[i]!.rpcUrl, "status")).sync_info.latest_block_height);

/** Waits until node i's latest height reaches `h`. */
const reach = (i: number, h: number) =>
  waitFor(async () => ((await heightOf(i)) >= h ? true : undefined), `node${i} at height ${h}`);

/** The app hash each node's own app returned for every height (block_results), compared across nodes. */
async function assertSameAppHashes(nodes: number[], upTo: number): Promise<void> {
  const first = nodes[0]!;
  for (let h = 1; h <= upTo; h++) {
    const results = await Promise.all(
      nodes.map((i) => rpc(net.nodes[i]!.rpcUrl, "block_results", { height: String(h) })),
    );
    const blocks = await Promise.all(
      nodes.map((i) => rpc(net.nodes[i]!.rpcUrl, "block", { height: String(h) })),
    );
    for (let k = 1; k < nodes.length; k++) {
      assert.equal(
        results[k].app_hash,
        results[0].app_hash,
        `app hash of node${nodes[k]} differs from node${first}'s at height ${h}`,
      );
      assert.equal(blocks[k].block_id.hash, blocks[0].block_id.hash, `block ${h} differs (a fork)`);
    }
  }
}

/** Signs and sends through node i's RPC; resolves once committed (cosmjs polls `tx`). */
async function send(from: TestAccount, to: string, amount: string, node: number) {
  const client = await SigningStargateClient.connectWithSigner(net.nodes[node]!.rpcUrl, from.wallet, {
    gasPrice: GasPrice.fromString("0.025uakt"),
    broadcastPollIntervalMs: 100,
    broadcastTimeoutMs: 120_000,
  });
  try {
    return await client.sendTokens(from.address, to, [{ denom: BOND_DENOM, amount }], "auto");
  } finally {
    client.disconnect();
  }
}

before(async () => {
  if (skip) return;
  dir = mkdtempSync(join(tmpdir(), "decloud-localnet-"));
  accounts = await testAccounts(10);
  net = await Localnet.create({ dir, validators: 4, basePort: await findFreeBasePort(4) });
  await net.start();
});

afterEach((t) => {
  // biome-ignore lint/suspicious/noExplicitAny: the runner's context carries the test's outcome
  if ((t as any).passed === false) failed = true;
});

after(async () => {
  if (skip) return;
  await net?.stopAll();
  // The nodes' logs (<dir>/node<i>/node.log) are what explains a failure: keep them then.
  if (failed) console.log(`# localnet kept for inspection: ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
});

describe("a 4-validator localnet", { skip }, () => {
  test("txs sent to different nodes are all committed; every node has the same app hash at every height", async () => {
    const recipient = accounts[9]!.address;
    // Four senders, each through another node, three txs each (one after another: sequences).
    const sent = await Promise.all(
      [0, 1, 2, 3].map(async (i) => {
        const hashes: string[] = [];
        for (let k = 0; k < 3; k++) {
          const r = await send(accounts[i]!, recipient, String(100 + i), i);
          assert.equal(r.code, 0, r.rawLog);
          hashes.push(r.transactionHash);
        }
        return hashes;
      }),
    );
    // Every tx is found on every node, at the same height.
    for (const hash of sent.flat()) {
      const found = await Promise.all(
        net.nodes.map((n) =>
          waitFor(
            () => rpc(n.rpcUrl, "tx", { hash: Buffer.from(hash, "hex").toString("base64") }),
            `tx ${hash}`,
          ),
        ),
      );
      assert.ok(found.every((t) => t.height === found[0].height && t.tx_result.code === 0));
    }
    const heights = await Promise.all([0, 1, 2, 3].map(heightOf));
    await assertSameAppHashes([0, 1, 2, 3], Math.min(...heights));
    // And the validators are the four of the genesis, each signing.
    const vals = await rpc(net.nodes[0]!.rpcUrl, "validators");
    assert.equal(vals.total, "4");
  });

  test("one validator stopped: the chain goes on", async () => {
    await net.stop(3);
    const h = await heightOf(0);
    await reach(0, h + 5);
    const r = await send(accounts[4]!, accounts[9]!.address, "1", 1);
    assert.equal(r.code, 0);
  });

  test("two stopped: the chain halts without forking; it resumes when one returns", async () => {
    await net.stop(2);
    // With half the power gone no block can get the +2/3 prevotes it needs (nor can a round end: CometBFT
    // moves to the next round only on +2/3 votes of any kind). Observe that state rather than time it: node0
    // at the next height, holding the prevotes of exactly the two live validators, 20 of 40.
    const halted = await heightOf(0);
    const votes = await waitFor(async () => {
      const state = (await rpc(net.nodes[0]!.rpcUrl, "consensus_state")).round_state;
      const height = Number(String(state["height/round/step"]).split("/")[0]);
      const prevotes = String(state.height_vote_set?.[0]?.prevotes_bit_array ?? "");
      return height === halted + 1 && / 20\/40 = 0\.50$/.test(prevotes) ? prevotes : undefined;
    }, "node0 to hold the live validators' prevotes");
    assert.match(votes, /20\/40/);
    assert.equal(await heightOf(0), halted);
    assert.equal(await heightOf(1), halted);

    // A tx sent meanwhile waits in the mempool, and is committed once a third validator is back.
    const pending = send(accounts[5]!, accounts[9]!.address, "2", 0);
    await net.start(2);
    const r = await pending;
    assert.equal(r.code, 0);
    assert.ok(r.height > halted);
    await reach(2, r.height);

    // Validator 3 returns and catches up; no node forked meanwhile.
    await net.start(3);
    const top = await heightOf(0);
    await reach(3, top);
    await assertSameAppHashes([0, 1, 2, 3], top);
  });

  for (const [node, point] of [
    [1, "before-commit"],
    [2, "after-commit"],
  ] as const) {
    test(`an app SIGKILLed mid-block (${point}) restarts and catches up to the same app hash`, async () => {
      // Restart the node with a fail point a few blocks ahead: its process SIGKILLs itself when that block's
      // Commit arrives (before: the app has executed but not committed the block; after: the app committed
      // but CometBFT has not recorded it). CometBFT loses its app and stops.
      await net.stop(node);
      const at = (await heightOf(0)) + 5;
      net.setEnv(node, { DECLOUD_FAIL_POINT: `${point}:${at}` });
      // It may die before it is even ready (while catching up): readiness is not awaited.
      const starting = net.start(node).catch(() => undefined);
      // Txs keep flowing meanwhile.
      const load = send(accounts[6 + node]!, accounts[9]!.address, "3", 0);
      assert.equal(await net.exited(node), "SIGKILL");
      await starting;
      assert.equal((await load).code, 0);

      net.setEnv(node, {});
      await net.start(node);
      const top = await heightOf(0);
      await reach(node, top);
      await assertSameAppHashes([0, node], top);
      const [a, b] = await Promise.all(
        [0, node].map((i) => rpc(net.nodes[i]!.rpcUrl, "block", { height: String(top) })),
      );
      assert.equal(a.block.header.app_hash, b.block.header.app_hash);
    });
  }

  test("a validator whose data is wiped syncs back from the others by replaying their blocks", async () => {
    await net.stop(3);
    net.wipe(3);
    await net.start(3);
    const top = await heightOf(0);
    await reach(3, top);
    await assertSameAppHashes([0, 3], top);
    // It replayed from block 1: the first block it holds is the first of the chain.
    const status = await rpc(net.nodes[3]!.rpcUrl, "status");
    assert.equal(status.sync_info.earliest_block_height, "1");
    const r = await send(accounts[8]!, accounts[9]!.address, "4", 3);
    assert.equal(r.code, 0);
  });
});
