import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { toHex, utf8 } from "./bytes.js";
import { CacheKVStore } from "./cachekv.js";
import { openCommitMultiStore } from "./index.js";
import { PrefixStore, prefixEnd } from "./prefix.js";
import { assertSameContent, hexEntries, ModelStore, tempDir } from "./testing.js";
import type { KVStore } from "./types.js";

/** A KVStore that records the order of the writes it receives. */
class RecordingStore implements KVStore {
  readonly model = new ModelStore();
  readonly writes: string[] = [];
  get(key: Uint8Array) {
    return this.model.get(key);
  }
  has(key: Uint8Array) {
    return this.model.get(key) !== undefined;
  }
  set(key: Uint8Array, value: Uint8Array) {
    this.writes.push(`set ${toHex(key)}`);
    this.model.set(key, value);
  }
  delete(key: Uint8Array) {
    this.writes.push(`delete ${toHex(key)}`);
    this.model.delete(key);
  }
  iterator(start?: Uint8Array, end?: Uint8Array, reverse = false) {
    return this.model.range(start, end, reverse)[Symbol.iterator]();
  }
}

const keyArb = fc
  .array(fc.constantFrom(0x00, 0x01, 0x41, 0x7f, 0x80, 0xfe, 0xff), { minLength: 1, maxLength: 2 })
  .map((b) => new Uint8Array(b));

type Op =
  | { kind: "set"; key: Uint8Array; value: Uint8Array }
  | { kind: "delete"; key: Uint8Array }
  | { kind: "branch" }
  | { kind: "write" }
  | { kind: "discard" }
  | { kind: "check"; probes: Uint8Array[] };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 10,
    arbitrary: fc.record({
      kind: fc.constant("set" as const),
      key: keyArb,
      value: fc.uint8Array({ minLength: 1, maxLength: 4 }),
    }),
  },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant("delete" as const), key: keyArb }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("branch" as const) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("write" as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("discard" as const) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("check" as const),
      probes: fc.array(keyArb, { minLength: 2, maxLength: 8 }),
    }),
  },
);

function copyModel(m: ModelStore): ModelStore {
  const out = new ModelStore();
  for (const [k, v] of m.map.values()) out.set(k, v);
  return out;
}

test("nested cache branches behave like copies of a sorted map (over an IAVL tree)", async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 120 }), async (ops) => {
      const { dir, cleanup } = tempDir("cachekv");
      const cms = await openCommitMultiStore({ dir, storeNames: ["s"] });
      try {
        // Seed the tree so that branches have something to shadow.
        const base = cms.getStore("s");
        const baseModel = new ModelStore();
        for (const k of [[0x01], [0x41], [0x80, 0x00], [0xff]]) {
          base.set(new Uint8Array(k), utf8("base"));
          baseModel.set(new Uint8Array(k), utf8("base"));
        }
        await cms.commit();
        const stores: KVStore[] = [base];
        const models: ModelStore[] = [baseModel];
        for (const [i, op] of ops.entries()) {
          const top = stores.length - 1;
          if (op.kind === "set") {
            stores[top]!.set(op.key, op.value);
            models[top]!.set(op.key, op.value);
          } else if (op.kind === "delete") {
            stores[top]!.delete(op.key);
            models[top]!.delete(op.key);
          } else if (op.kind === "branch") {
            stores.push(new CacheKVStore(stores[top]!));
            models.push(copyModel(models[top]!));
          } else if (op.kind === "write" && top > 0) {
            (stores[top] as CacheKVStore).write();
            models[top - 1] = copyModel(models[top]!);
          } else if (op.kind === "discard" && top > 0) {
            stores.pop();
            models.pop();
          } else if (op.kind === "check") {
            for (let level = 0; level < stores.length; level++) {
              assertSameContent(stores[level]!, models[level]!, op.probes, `op ${i} level ${level}`);
            }
          }
        }
        for (let level = stores.length - 1; level > 0; level--) (stores[level] as CacheKVStore).write();
        assertSameContent(
          base,
          models[models.length - 1]!,
          [],
          "after writing every branch down to the tree",
        );
      } finally {
        await cms.close();
        cleanup();
      }
    }),
    { numRuns: 80 },
  );
});

test("write() passes changes to the parent in ascending key order, deletes included", () => {
  const parent = new RecordingStore();
  const branch = new CacheKVStore(parent);
  for (const k of [[5], [1], [9], [3], [1, 0]]) branch.set(new Uint8Array(k), utf8("v"));
  branch.delete(new Uint8Array([2]));
  branch.set(new Uint8Array([7]), utf8("v"));
  branch.delete(new Uint8Array([7]));
  assert.equal(parent.writes.length, 0, "nothing reaches the parent before write()");
  branch.write();
  assert.deepEqual(parent.writes, [
    "set 01",
    "set 0100",
    "delete 02",
    "set 03",
    "set 05",
    "delete 07",
    "set 09",
  ]);
  assert.equal(branch.size, 0, "the buffer is empty after write()");
  branch.write();
  assert.equal(parent.writes.length, 7, "a second write() passes nothing");
});

test("a branch iterator is a snapshot, and sees the branch's own writes", () => {
  const parent = new RecordingStore();
  for (let i = 0; i < 10; i++) parent.set(new Uint8Array([i * 2]), utf8("p"));
  const branch = new CacheKVStore(parent);
  branch.set(new Uint8Array([3]), utf8("b"));
  branch.delete(new Uint8Array([4]));
  const seen: string[] = [];
  for (const [k, v] of branch.iterator(new Uint8Array([2]), new Uint8Array([9]))) {
    seen.push(`${k[0]}${Buffer.from(v).toString()}`);
    branch.set(new Uint8Array([k[0]! + 1]), utf8("x"));
    branch.delete(new Uint8Array([8]));
  }
  assert.deepEqual(seen, ["2p", "3b", "6p", "8p"]);
  assert.deepEqual(
    hexEntries(branch.iterator(new Uint8Array([2]), new Uint8Array([9]), true)).map((e) => e.slice(0, 2)),
    ["07", "06", "04", "03", "02"],
  );
});

test("prefixEnd: increment the last byte below 0xff, drop what follows", () => {
  const end = (bytes: number[]) => {
    const e = prefixEnd(new Uint8Array(bytes));
    return e === undefined ? undefined : [...e];
  };
  assert.deepEqual(end([0x01, 0x02]), [0x01, 0x03]);
  assert.deepEqual(end([0x01, 0xff]), [0x02]);
  assert.deepEqual(end([0x01, 0xff, 0xff]), [0x02]);
  assert.deepEqual(end([0xff, 0xff]), undefined);
  assert.deepEqual(end([]), undefined);
  const prefix = Buffer.from([0x05, 0xff]);
  prefixEnd(prefix);
  assert.deepEqual([...prefix], [0x05, 0xff], "the prefix itself is not modified");
});

test("a prefix store sees only its keys, with bounds relative to the prefix", () => {
  for (const prefixBytes of [[0x01], [0x01, 0xff], [0xff], [0xff, 0xff]]) {
    const prefix = new Uint8Array(prefixBytes);
    const inPrefix = (k: number[]) => k.length >= prefix.length && prefix.every((b, i) => k[i] === b);
    const parent = new RecordingStore();
    // Keys just below and just above the prefix's range, which the view must never show or touch.
    const around = [
      [0x00],
      [0x01],
      [0x01, 0xfe, 0x09],
      [0x02],
      [0xfe, 0xff, 0x01],
      [0xff],
      [0xff, 0xfe],
      [0xff, 0xff],
    ]
      .filter((k) => !inPrefix(k))
      .map((k) => new Uint8Array(k));
    for (const k of around) parent.set(k, utf8("outside"));
    const store = new PrefixStore(parent, prefix);
    const model = new ModelStore();
    for (const k of [[0x00], [0x01], [0x7f, 0x00], [0xff], [0xff, 0xff]]) {
      store.set(new Uint8Array(k), utf8("inside"));
      model.set(new Uint8Array(k), utf8("inside"));
    }
    store.delete(new Uint8Array([0x01]));
    model.delete(new Uint8Array([0x01]));
    const probes = [[0x00], [0x7f], [0x01], [0xff], [0x7f, 0x00], [0xff, 0xff, 0x00]].map(
      (k) => new Uint8Array(k),
    );
    assertSameContent(store, model, probes, `prefix ${toHex(prefix)}`);
    for (const k of around)
      assert.equal(parent.get(k)?.length, 7, `key ${toHex(k)} outside prefix ${toHex(prefix)}`);
    assert.throws(() => store.set(new Uint8Array(0), utf8("v")), /keys must not be empty/);
  }
});
