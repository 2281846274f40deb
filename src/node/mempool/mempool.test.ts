import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ExecTxResult, type RequestCheckTx, ResponseCheckTx } from "cosmjs-types/tendermint/abci/types";
import { ERR_TX_IN_CACHE, Mempool, MempoolError } from "./mempool.js";

const tx = (s: string) => new TextEncoder().encode(s);

/** A CheckTx that accepts everything except txs listed in `invalid`; records calls. */
function fakeCheck(invalid: Set<string> = new Set()) {
  const calls: { tx: string; type: number }[] = [];
  const fn = async (req: RequestCheckTx) => {
    const s = new TextDecoder().decode(req.tx);
    calls.push({ tx: s, type: req.type });
    return ResponseCheckTx.fromPartial({ code: invalid.has(s) ? 1 : 0, gasWanted: 10n });
  };
  return { fn, calls, invalid };
}

async function add(m: Mempool, t: Uint8Array) {
  return m.checkAndInsert(t, m.admit(t));
}

describe("mempool", () => {
  it("admits valid txs in FIFO order and rejects invalid ones without keeping them cached", async () => {
    const check = fakeCheck(new Set(["bad"]));
    const m = new Mempool(check.fn);
    assert.equal((await add(m, tx("a"))).code, 0);
    assert.equal((await add(m, tx("bad"))).code, 1);
    assert.equal((await add(m, tx("b"))).code, 0);
    assert.deepEqual(
      m.list(10).map((t) => new TextDecoder().decode(t)),
      ["a", "b"],
    );
    assert.equal(m.size, 2);
    assert.equal(m.sizeBytes, 2);
    check.invalid.delete("bad");
    assert.equal((await add(m, tx("bad"))).code, 0, "a rejected tx can be resubmitted");
  });

  it("rejects duplicates with CometBFT's error", async () => {
    const m = new Mempool(fakeCheck().fn);
    await add(m, tx("a"));
    assert.throws(
      () => m.admit(tx("a")),
      (e: unknown) => e instanceof MempoolError && e.message === ERR_TX_IN_CACHE,
    );
  });

  it("enforces the count, total-bytes and per-tx size limits", async () => {
    const m = new Mempool(fakeCheck().fn, { maxTxs: 2, maxTxsBytes: 100, maxTxBytes: 8 });
    await add(m, tx("a"));
    await add(m, tx("b"));
    assert.throws(() => m.admit(tx("c")), /mempool is full: number of txs 2 \(max: 2\)/);
    assert.throws(() => m.admit(tx("123456789")), /tx too large. Max size is 8, but got 9/);
    const small = new Mempool(fakeCheck().fn, { maxTxsBytes: 5 });
    await add(small, tx("abcd"));
    assert.throws(() => small.admit(tx("ef")), /total txs bytes 4 \(max: 5\)/);
  });

  it("reaps within byte and gas limits", async () => {
    const m = new Mempool(fakeCheck().fn);
    for (const s of ["aaaa", "bbbb", "cccc"]) await add(m, tx(s));
    // Each 4-byte tx costs 6 bytes inside Data (tag + length + bytes).
    assert.equal(m.reap(12n, -1n).length, 2);
    assert.equal(m.reap(-1n, 20n).length, 2);
    assert.equal(m.reap(-1n, -1n).length, 3);
  });

  it("drops committed txs, keeps them in the cache, and evicts txs that fail recheck", async () => {
    const check = fakeCheck();
    const m = new Mempool(check.fn);
    for (const s of ["a", "b", "c"]) await add(m, tx(s));
    check.invalid.add("c");
    await m.update([tx("a")], [ExecTxResult.fromPartial({ code: 0 })]);
    assert.deepEqual(
      m.list(10).map((t) => new TextDecoder().decode(t)),
      ["b"],
    );
    assert.deepEqual(
      check.calls.filter((c) => c.type === 1).map((c) => c.tx),
      ["b", "c"],
      "remaining txs are rechecked with type Recheck",
    );
    assert.throws(() => m.admit(tx("a")), /already exists in cache/, "committed txs stay cached");
    check.invalid.delete("c");
    assert.equal((await add(m, tx("c"))).code, 0, "evicted txs leave the cache");
  });

  it("forgets failed block txs so they can be sent again", async () => {
    const m = new Mempool(fakeCheck().fn);
    await add(m, tx("a"));
    await m.update([tx("a")], [ExecTxResult.fromPartial({ code: 5 })]);
    assert.equal(m.size, 0);
    assert.equal((await add(m, tx("a"))).code, 0);
  });

  it("bounds the cache (LRU)", async () => {
    const m = new Mempool(fakeCheck().fn, { cacheSize: 2 });
    for (const s of ["a", "b", "c"]) await add(m, tx(s));
    await m.update(
      [tx("a"), tx("b"), tx("c")],
      [0, 0, 0].map((code) => ExecTxResult.fromPartial({ code })),
    );
    assert.equal((await add(m, tx("a"))).code, 0, "the oldest entry was evicted");
    assert.throws(() => m.admit(tx("c")), /already exists in cache/);
  });
});
