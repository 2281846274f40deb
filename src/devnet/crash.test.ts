// `decloud dev` killed and restarted on the same home. SIGKILL in the middle of a load (blocks every 200 ms,
// txs in flight): the devnet comes back at a height at least the last one seen, with the same header (and so
// app hash) at every earlier height, every committed tx still found, and every sender's sequence agreeing
// with its txs. SIGTERM: a clean exit, and the devnet resumes at exactly the same height and app hash.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { AuthInfo, TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { sendMsg, signTx, type TestAccount, testAccounts } from "../app/testing/harness.js";
import { DEVNET_CHAIN_ID } from "../params/chain.js";
import {
  b64,
  type DevnetProcess,
  rpcCall,
  rpcPost,
  spawnDevnet,
  type Wire,
  waitFor,
} from "./testing/helpers.js";

let home: string;
let devnet: DevnetProcess | undefined;
let senders: TestAccount[];
let recipient: string;
/** Every tx seen committed before a stop, by hash → height. */
const committed = new Map<string, string>();

before(async () => {
  home = mkdtempSync(join(tmpdir(), "decloud-crash-"));
  // alice, bob, carol and dave send (account numbers 0…3); judy receives.
  const dev = await testAccounts(10);
  senders = dev.slice(0, 4);
  recipient = dev[9]!.address;
});

after(async () => {
  if (devnet && devnet.child.exitCode === null) {
    devnet.child.kill("SIGKILL");
    await devnet.exited;
  }
  rmSync(home, { recursive: true, force: true });
});

async function nextSequence(url: string, address: string): Promise<bigint> {
  const res = await fetch(`${url}/cosmos/auth/v1beta1/accounts/${address}`);
  return BigInt(((await res.json()) as Wire).account.sequence);
}

/**
 * Each sender signs and broadcasts one tx after another until `stop()` or until the node goes away; resolves
 * with how many of its txs CheckTx accepted.
 */
function sendUntilStopped(d: DevnetProcess, accountNumbers: bigint[], startSequences: bigint[]) {
  let stopped = false;
  const done = Promise.all(
    senders.map(async (s, i) => {
      let sequence = startSequences[i]!;
      let accepted = 0;
      while (!stopped) {
        const tx = await signTx(s, [sendMsg(s.address, recipient, "1")], {
          chainId: DEVNET_CHAIN_ID,
          accountNumber: accountNumbers[i]!,
          sequence,
        });
        let reply: Awaited<ReturnType<typeof rpcPost>>;
        try {
          reply = await rpcPost(d.rpcUrl, "broadcast_tx_sync", { tx: b64(tx) });
        } catch {
          return accepted; // the node was killed
        }
        if (reply.body.error) throw new Error(JSON.stringify(reply.body.error));
        assert.equal(reply.body.result.code, 0, reply.body.result.log);
        sequence++;
        accepted++;
      }
      return accepted;
    }),
  );
  return {
    done,
    stop: () => {
      stopped = true;
    },
  };
}

/** Headers of heights 1…h, by height (`blockchain` returns at most 20 per call, newest first). */
async function headers(url: string, h: number): Promise<Map<number, Wire>> {
  const out = new Map<number, Wire>();
  for (let max = h; max >= 1; max -= 20) {
    const res = await rpcCall(url, "blockchain", {
      minHeight: String(Math.max(1, max - 19)),
      maxHeight: String(max),
    });
    for (const meta of res.block_metas)
      out.set(Number(meta.header.height), { id: meta.block_id, header: meta.header });
  }
  return out;
}

/** Every tx committed at heights ≤ h. */
async function txsUpTo(url: string, h: number): Promise<Wire[]> {
  const txs: Wire[] = [];
  for (let page = 1; ; page++) {
    const res = await rpcCall(url, "tx_search", {
      query: `tx.height<=${h}`,
      page: String(page),
      per_page: "100",
    });
    txs.push(...res.txs);
    if (txs.length >= Number(res.total_count)) return txs;
  }
}

async function assertCommittedFound(url: string) {
  for (const [hash, height] of committed) {
    const byHash = await rpcCall(url, "tx", { hash: Buffer.from(hash, "hex").toString("base64") });
    assert.equal(byHash.height, height, hash);
    assert.equal(byHash.tx_result.code, 0);
    const search = await rpcCall(url, "tx_search", { query: `tx.hash='${hash}'` });
    assert.equal(search.total_count, "1", hash);
  }
}

/** Each sender's on-chain sequence equals the number of its committed txs, which carry 0, 1, 2, … in order. */
async function assertSequencesConsistent(d: DevnetProcess) {
  for (const s of senders) {
    const txs: Wire[] = [];
    for (let page = 1; ; page++) {
      const res = await rpcCall(d.rpcUrl, "tx_search", {
        query: `message.sender='${s.address}'`,
        page: String(page),
        per_page: "100",
      });
      txs.push(...res.txs);
      if (txs.length >= Number(res.total_count)) break;
    }
    const sequences = txs.map(
      (t) =>
        AuthInfo.decode(TxRaw.decode(Buffer.from(t.tx, "base64")).authInfoBytes).signerInfos[0]!.sequence,
    );
    assert.deepEqual(
      sequences,
      sequences.map((_, k) => BigInt(k)),
    );
    assert.equal(await nextSequence(d.restUrl, s.address), BigInt(txs.length), s.address);
  }
}

async function status(url: string) {
  const st = await rpcCall(url, "status");
  return {
    height: Number(st.sync_info.latest_block_height),
    appHash: st.sync_info.latest_app_hash as string,
  };
}

test("SIGKILL during a load: resumes at or past the last height, history unchanged, committed txs found", async () => {
  devnet = await spawnDevnet(home, ["--block-time", "200ms"]);
  const d = devnet;
  const load = sendUntilStopped(d, [0n, 1n, 2n, 3n], [0n, 0n, 0n, 0n]);
  const start = (await status(d.rpcUrl)).height;
  // Let blocks with txs pile up, then look at the chain and kill it while txs and blocks are still coming.
  await waitFor(async () => {
    const found = await rpcCall(d.rpcUrl, "tx_search", { query: "tx.height>=1", per_page: "1" });
    return Number(found.total_count) >= 40 && (await status(d.rpcUrl)).height >= start + 5 ? true : undefined;
  }, "txs in blocks");
  const seen = (await status(d.rpcUrl)).height;
  const history = await headers(d.rpcUrl, seen);
  for (const t of await txsUpTo(d.rpcUrl, seen)) {
    assert.equal(t.tx_result.code, 0);
    committed.set(t.hash, t.height);
  }
  d.child.kill("SIGKILL");
  assert.equal(await d.exited, "SIGKILL");
  load.stop();
  await load.done;

  devnet = await spawnDevnet(home, ["--block-time", "0"]);
  const after = await status(devnet.rpcUrl);
  assert.ok(after.height >= seen, `height ${after.height} after the kill, ${seen} seen before`);
  const again = await headers(devnet.rpcUrl, seen);
  for (let h = 1; h <= seen; h++) {
    assert.deepEqual(again.get(h), history.get(h), `block ${h}`);
  }
  await assertCommittedFound(devnet.rpcUrl);
  await assertSequencesConsistent(devnet);
});

test("SIGTERM: a clean exit; resumes at exactly the same height and app hash, every tx found", async () => {
  const d = devnet!;
  // A few more txs on the resumed chain, from where each sender's sequence now is.
  const sequences = await Promise.all(senders.map((s) => nextSequence(d.restUrl, s.address)));
  const load = sendUntilStopped(d, [0n, 1n, 2n, 3n], sequences);
  await waitFor(async () => {
    const found = await rpcCall(d.rpcUrl, "tx_search", { query: "tx.height>=1", per_page: "1" });
    return Number(found.total_count) >= committed.size + 20 ? true : undefined;
  }, "more txs in blocks");
  load.stop();
  await load.done;
  // Block time 0: once the mempool is empty and the last app hash is in a header, no more blocks come.
  const before = await waitFor(async () => {
    const [st, info, pending] = await Promise.all([
      status(d.rpcUrl),
      rpcCall(d.rpcUrl, "abci_info"),
      rpcCall(d.rpcUrl, "num_unconfirmed_txs"),
    ]);
    const appHash = Buffer.from(info.response.last_block_app_hash, "base64").toString("hex").toUpperCase();
    return pending.n_txs === "0" &&
      st.appHash === appHash &&
      String(st.height) === info.response.last_block_height
      ? st
      : undefined;
  }, "the devnet to settle");
  for (const t of await txsUpTo(d.rpcUrl, before.height)) committed.set(t.hash, t.height);
  const history = await headers(d.rpcUrl, before.height);

  d.child.kill("SIGTERM");
  assert.equal(await d.exited, 0);

  devnet = await spawnDevnet(home, ["--block-time", "0"]);
  assert.deepEqual(await status(devnet.rpcUrl), before);
  const info = await rpcCall(devnet.rpcUrl, "abci_info");
  assert.equal(info.response.last_block_height, String(before.height));
  assert.equal(
    Buffer.from(info.response.last_block_app_hash, "base64").toString("hex").toUpperCase(),
    before.appHash,
  );
  assert.deepEqual(await headers(devnet.rpcUrl, before.height), history);
  await assertCommittedFound(devnet.rpcUrl);
  await assertSequencesConsistent(devnet);
  devnet.child.kill("SIGTERM");
  assert.equal(await devnet.exited, 0);
});
