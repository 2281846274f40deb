import assert from "node:assert/strict";
import { test } from "node:test";
import { toHex, utf8 } from "./bytes.js";
import { EMPTY_HASH } from "./hash.js";
import { openCommitMultiStore, type RootMultiStore, StoreError } from "./index.js";
import { multiStoreHash } from "./merkle.js";
import { countNodeRecords, hexEntries, ModelStore, Rand, reachableNodeIds, tempDir } from "./testing.js";
import type { MutableTree } from "./tree.js";

const STORES = ["acc", "bank", "market"];

/** Applies a deterministic pseudo-random block of writes to the store and to per-store models. */
function writeBlock(
  cms: { getStore(n: string): { set(k: Uint8Array, v: Uint8Array): void; delete(k: Uint8Array): void } },
  models: Map<string, ModelStore>,
  rand: Rand,
  n: number,
): void {
  for (let i = 0; i < n; i++) {
    const name = STORES[rand.below(STORES.length)]!;
    const key = utf8(`key-${rand.below(300)}`);
    if (rand.below(5) === 0) {
      cms.getStore(name).delete(key);
      models.get(name)!.delete(key);
    } else {
      const value = rand.bytes(1 + rand.below(40));
      cms.getStore(name).set(key, value);
      models.get(name)!.set(key, value);
    }
  }
}

function snapshot(models: Map<string, ModelStore>): Map<string, string[]> {
  return new Map([...models].map(([name, m]) => [name, hexEntries(m.range())]));
}

test("versions: commit numbers them, readAt sees each one as it was, lastCommitId is the app hash", async () => {
  const { dir, cleanup } = tempDir("versions");
  const cms = await openCommitMultiStore({ dir, storeNames: STORES, nodeCacheSize: 64 });
  try {
    assert.deepEqual(cms.lastCommitId(), { version: 0, hash: EMPTY_HASH }, "before the first commit");
    assert.throws(
      () => cms.readAt(1),
      (e: unknown) => e instanceof StoreError && e.code === "version-future",
    );
    const rand = new Rand(3);
    const models = new Map(STORES.map((n) => [n, new ModelStore()]));
    const history: Map<string, string[]>[] = [];
    const hashes: string[] = [];
    for (let v = 1; v <= 12; v++) {
      writeBlock(cms, models, rand, 60);
      const working = toHex(cms.workingHash());
      const id = await cms.commit();
      assert.equal(id.version, v);
      assert.equal(toHex(id.hash), working, "commit hash = working hash before commit");
      const expected = multiStoreHash(
        STORES.map((name) => ({ name, hash: (cms.getStore(name) as MutableTree).workingHash() })),
      );
      assert.equal(toHex(id.hash), toHex(expected), "app hash = simple Merkle root over store roots");
      history.push(snapshot(models));
      hashes.push(toHex(id.hash));
    }
    for (let v = 1; v <= 12; v++) {
      const view = cms.readAt(v);
      for (const name of STORES) {
        assert.deepEqual(
          hexEntries(view.getStore(name).iterator()),
          history[v - 1]!.get(name),
          `${name} at ${v}`,
        );
      }
      assert.throws(() => view.getStore("acc").set(utf8("k"), utf8("v")), /read-only/);
    }
    assert.throws(() => cms.readAt(13), /not committed yet/);
    assert.equal(cms.lastCommitId().version, 12);
    assert.equal(toHex(cms.lastCommitId().hash), hashes[11]);
  } finally {
    await cms.close();
    cleanup();
  }
});

test("initialVersion: the first commit is the chain's initial height", async () => {
  const { dir, cleanup } = tempDir("initial");
  try {
    let cms = await openCommitMultiStore({ dir, storeNames: ["s"], initialVersion: 100 });
    cms.getStore("s").set(utf8("a"), utf8("1"));
    assert.equal((await cms.commit()).version, 100);
    assert.equal((await cms.commit()).version, 101);
    await cms.close();
    cms = await openCommitMultiStore({ dir, storeNames: ["s"], initialVersion: 100 });
    assert.equal(cms.lastCommitId().version, 101);
    assert.equal((await cms.commit()).version, 102);
    assert.equal(toHex(cms.readAt(100).getStore("s").get(utf8("a"))!), toHex(utf8("1")));
    await cms.close();
  } finally {
    cleanup();
  }
});

test("reopen after close restores the last version, its hash and its content", async () => {
  const { dir, cleanup } = tempDir("reopen");
  try {
    const rand = new Rand(11);
    const models = new Map(STORES.map((n) => [n, new ModelStore()]));
    let cms = await openCommitMultiStore({ dir, storeNames: STORES, keepRecent: 3 });
    for (let v = 1; v <= 8; v++) {
      writeBlock(cms, models, rand, 80);
      await cms.commit();
    }
    const last = cms.lastCommitId();
    writeBlock(cms, models, new Rand(99), 10); // uncommitted: must not survive the close
    await cms.close();
    cms = await openCommitMultiStore({ dir, storeNames: STORES, keepRecent: 3 });
    assert.equal(cms.lastCommitId().version, last.version);
    assert.equal(toHex(cms.lastCommitId().hash), toHex(last.hash));
    assert.equal(toHex(cms.workingHash()), toHex(last.hash), "working state = last commit");
    const view = cms.readAt(8);
    const rand2 = new Rand(11);
    const models2 = new Map(STORES.map((n) => [n, new ModelStore()]));
    for (let v = 1; v <= 8; v++)
      writeBlock({ getStore: () => ({ set() {}, delete() {} }) }, models2, rand2, 80);
    for (const name of STORES) {
      assert.deepEqual(
        hexEntries(view.getStore(name).iterator()),
        hexEntries(models2.get(name)!.range()),
        name,
      );
    }
    await cms.close();
  } finally {
    cleanup();
  }
});

test("rollbackWorking drops uncommitted writes", async () => {
  const { dir, cleanup } = tempDir("rollback");
  const cms = await openCommitMultiStore({ dir, storeNames: ["a", "b"] });
  try {
    cms.getStore("a").set(utf8("k"), utf8("v1"));
    const first = await cms.commit();
    cms.getStore("a").set(utf8("k"), utf8("v2"));
    cms.getStore("b").set(utf8("x"), utf8("y"));
    assert.notEqual(toHex(cms.workingHash()), toHex(first.hash));
    cms.rollbackWorking();
    assert.equal(toHex(cms.workingHash()), toHex(first.hash));
    assert.equal(Buffer.from(cms.getStore("a").get(utf8("k"))!).toString(), "v1");
    assert.equal(cms.getStore("b").get(utf8("x")), undefined);
    cms.getStore("a").set(utf8("k"), utf8("v3"));
    const second = await cms.commit();
    assert.equal(second.version, 2);
    assert.equal(Buffer.from(cms.readAt(2).getStore("a").get(utf8("k"))!).toString(), "v3");
    assert.equal(Buffer.from(cms.readAt(1).getStore("a").get(utf8("k"))!).toString(), "v1");
  } finally {
    await cms.close();
    cleanup();
  }
});

test("a branch of the multistore writes through only on write()", async () => {
  const { dir, cleanup } = tempDir("branch");
  const cms = await openCommitMultiStore({ dir, storeNames: ["a", "b"] });
  try {
    const block = cms.branch();
    const tx = block.branch();
    tx.getStore("a").set(utf8("k"), utf8("tx"));
    assert.equal(block.getStore("a").get(utf8("k")), undefined);
    tx.write();
    assert.equal(Buffer.from(block.getStore("a").get(utf8("k"))!).toString(), "tx");
    assert.equal(cms.getStore("a").get(utf8("k")), undefined);
    const failed = block.branch();
    failed.getStore("b").set(utf8("x"), utf8("lost"));
    // a failed transaction: its branch is dropped, nothing to undo
    block.write();
    assert.equal(Buffer.from(cms.getStore("a").get(utf8("k"))!).toString(), "tx");
    assert.equal(cms.getStore("b").get(utf8("x")), undefined);
    assert.deepEqual(block.storeNames(), ["a", "b"]);
  } finally {
    await cms.close();
    cleanup();
  }
});

test("pruning: old versions throw a clear error, kept ones stay readable, orphaned nodes leave the disk", async () => {
  const { dir, cleanup } = tempDir("prune");
  try {
    const keepRecent = 4;
    const rand = new Rand(5);
    const models = new Map(STORES.map((n) => [n, new ModelStore()]));
    const history: Map<string, string[]>[] = [];
    let cms = (await openCommitMultiStore({
      dir,
      storeNames: STORES,
      keepRecent,
      nodeCacheSize: 32,
    })) as RootMultiStore;
    for (let v = 1; v <= 20; v++) {
      writeBlock(cms, models, rand, 50);
      await cms.commit();
      history.push(snapshot(models));
    }
    assert.equal(cms.earliestVersion(), 17);
    for (let v = 1; v <= 16; v++) {
      assert.throws(
        () => cms.readAt(v),
        (e: unknown) =>
          e instanceof StoreError &&
          e.code === "version-pruned" &&
          /keeps the last 4 versions \(17\.\.20\)/.test(e.message),
        `version ${v}`,
      );
    }
    for (let v = 17; v <= 20; v++) {
      for (const name of STORES) {
        assert.deepEqual(
          hexEntries(cms.readAt(v).getStore(name).iterator()),
          history[v - 1]!.get(name),
          `${name}@${v}`,
        );
      }
    }
    await cms.close();

    // Exactly the nodes of the kept versions are on disk: nothing leaked, nothing deleted too early.
    const kept = [17, 18, 19, 20];
    let reachable = 0;
    for (const name of STORES) reachable += (await reachableNodeIds(dir, name, kept)).size;
    assert.equal(await countNodeRecords(dir), reachable);

    // Keeping one version leaves a single tree per store: 2n - 1 nodes for n keys.
    cms = (await openCommitMultiStore({ dir, storeNames: STORES, keepRecent: 1 })) as RootMultiStore;
    writeBlock(cms, models, rand, 50);
    await cms.commit();
    assert.equal(cms.earliestVersion(), 21);
    await cms.close();
    let expected = 0;
    for (const model of models.values()) expected += model.map.size === 0 ? 0 : 2 * model.map.size - 1;
    assert.equal(await countNodeRecords(dir), expected);
  } finally {
    cleanup();
  }
});

test("keepRecent 0 keeps every version", async () => {
  const { dir, cleanup } = tempDir("keepall");
  const cms = await openCommitMultiStore({ dir, storeNames: ["s"] });
  try {
    for (let v = 1; v <= 30; v++) {
      cms.getStore("s").set(utf8("k"), utf8(`v${v}`));
      await cms.commit();
    }
    for (let v = 1; v <= 30; v++) {
      assert.equal(Buffer.from(cms.readAt(v).getStore("s").get(utf8("k"))!).toString(), `v${v}`);
    }
  } finally {
    await cms.close();
    cleanup();
  }
});

test("writes while a commit is running are refused", async () => {
  const { dir, cleanup } = tempDir("frozen");
  const cms = await openCommitMultiStore({ dir, storeNames: ["s"] });
  try {
    cms.getStore("s").set(utf8("a"), utf8("1"));
    const committing = cms.commit();
    assert.throws(() => cms.getStore("s").set(utf8("b"), utf8("2")), /being committed/);
    await assert.rejects(cms.commit(), /already running/);
    await committing;
    cms.getStore("s").set(utf8("b"), utf8("2"));
    assert.equal((await cms.commit()).version, 2);
  } finally {
    await cms.close();
    cleanup();
  }
});
