import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { test } from "node:test";
import { CommitmentProof } from "cosmjs-types/cosmos/ics23/v1/proofs";
import fc from "fast-check";
import { ByteReader, toHex, utf8 } from "./bytes.js";
import { digestBytes, EMPTY_HASH } from "./hash.js";
import { openCommitMultiStore, type RootMultiStore } from "./index.js";
import { innerHash, leafHash } from "./node.js";
import { assertSameContent, assertTreeInvariants, ModelStore, tempDir } from "./testing.js";
import type { MutableTree } from "./tree.js";

const fromHex = (h: string) => new Uint8Array(Buffer.from(h, "hex"));
const latin1 = (b: Uint8Array) => Buffer.from(b).toString("latin1");
const sha = (b: Uint8Array) => new Uint8Array(createHash("sha256").update(b).digest());

test("leaf hash: zz(0) zz(1) zz(version) lp(key) lp(sha256(value)) (reference §4.1)", () => {
  const key = utf8("key");
  const value = utf8("value");
  // Written out by hand: 0x00 (height 0), 0x02 (size 1), 0x0e (version 7), 0x03 "key", 0x20 sha256("value").
  const preimage = new Uint8Array([0x00, 0x02, 0x0e, 0x03, ...key, 0x20, ...sha(value)]);
  assert.equal(toHex(digestBytes(leafHash(key, value, 7))), toHex(sha(preimage)));
  // A version of 64 takes two varint bytes in zigzag form (128 = 0x80 0x01).
  const preimage64 = new Uint8Array([0x00, 0x02, 0x80, 0x01, 0x03, ...key, 0x20, ...sha(value)]);
  assert.equal(toHex(digestBytes(leafHash(key, value, 64))), toHex(sha(preimage64)));
  assert.equal(toHex(EMPTY_HASH), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
});

test("leaf and inner hashes reproduce a root computed by Go IAVL", () => {
  // cosmos/ics23 testdata/iavl/exist_left.json: an existence proof produced by Go IAVL, with its root.
  const vector = {
    key: "3033763434454574647248423556417579715966",
    value: "76616c75655f666f725f3033763434454574647248423556417579715966",
    root: "77e43ef93047a91fe457f5498bd7afc60b9dddd661d8f1225e5f40a91bda4623",
    proof:
      "0a89040a143033763434454574647248423556417579715966121e76616c75655f666f725f30337634344545746472484235564175797159661a0b0801180120012a03000202222b08011204040602201a2120afca3de8c7aefe1041f185a34e977a976b37d6ce4cce80e5e4545b93413eca02222b08011204060c02201a21205e1712938d9dcef396a76bbd7ea844bcc7e72a64d416485ba14e8c679402dfc3222b08011204081802201a2120c6a6430436f6e95ab0c90d7c3d32c7e62884a1e28e22da87f9e8c863782b7195222b080112040a2c02201a21201204acd0c729844aa19ffa80cfdfcb931f1ea54167babe1872a2fdcdf520962a222b080112040c4402201a2120c21911260b253d74c89d95ec7534b7499b98a8b7523857f7f31e6af723245b89222b080112040e6e02201a212045a06e0b8f7391f60a5f716eeef9eb01d8c588bbdbfb4e6a67718e92ab3ed12d222c0801120512960202201a21209b77ab64f5b7c290b608533b70612d18a0d55ede4ccb2f9418b56aa17069e966222c0801120514e60302201a2120246dce928b807f040230219a808c049d7a172108db6b1c83c445c66373ea4cd9222c0801120516800802201a2120ec794fb7e49d3d3554680ad0df7d1cc3797201fe33fc8288581f7ad32bb995c0222c0801120518b60f02201a21203b05428644520c7bae4be197ecb6de54a03a18a1ebd34836eea31fe593a6b6e0",
  };
  const exist = CommitmentProof.decode(fromHex(vector.proof)).exist!;
  const leafPrefix = new ByteReader(exist.leaf!.prefix);
  assert.deepEqual([leafPrefix.zigzag(), leafPrefix.zigzag(), leafPrefix.zigzag()], [0, 1, 1]);
  let hash = leafHash(fromHex(vector.key), fromHex(vector.value), 1);
  for (const op of exist.path) {
    const r = new ByteReader(op.prefix);
    const [height, size, version] = [r.zigzag(), r.zigzag(), r.zigzag()];
    if (r.remaining() === 1) {
      hash = innerHash(height, size, version, hash, latin1(op.suffix.subarray(1)));
    } else {
      assert.equal(r.remaining(), 34);
      hash = innerHash(
        height,
        size,
        version,
        latin1(op.prefix.subarray(op.prefix.length - 33, op.prefix.length - 1)),
        hash,
      );
    }
  }
  assert.equal(toHex(digestBytes(hash)), vector.root);
});

type Op =
  | { kind: "set"; key: Uint8Array; value: Uint8Array }
  | { kind: "delete"; key: Uint8Array }
  | { kind: "commit" }
  | { kind: "check"; probes: Uint8Array[] };

// Short keys over a few byte values collide often (updates, deletes of present keys) and include 0x00/0xff.
const keyArb = fc
  .array(fc.constantFrom(0x00, 0x01, 0x41, 0x7f, 0x80, 0xfe, 0xff), { minLength: 1, maxLength: 2 })
  .map((b) => new Uint8Array(b));
const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 10,
    arbitrary: fc.record({
      kind: fc.constant("set" as const),
      key: keyArb,
      value: fc.uint8Array({ minLength: 1, maxLength: 8 }),
    }),
  },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant("delete" as const), key: keyArb }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("commit" as const) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("check" as const),
      probes: fc.array(keyArb, { minLength: 2, maxLength: 8 }),
    }),
  },
);

test("the tree behaves like a sorted map (random operations, commits, lazy loads from a tiny cache)", async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 200 }), async (ops) => {
      const { dir, cleanup } = tempDir("tree");
      const cms = (await openCommitMultiStore({
        dir,
        storeNames: ["s"],
        nodeCacheSize: 8,
      })) as RootMultiStore;
      try {
        const tree = cms.getStore("s") as MutableTree;
        const model = new ModelStore();
        for (const [i, op] of ops.entries()) {
          if (op.kind === "set") {
            tree.set(op.key, op.value);
            model.set(op.key, op.value);
          } else if (op.kind === "delete") {
            tree.delete(op.key);
            model.delete(op.key);
          } else if (op.kind === "commit") {
            await cms.commit();
          } else {
            assertSameContent(tree, model, op.probes, `op ${i}`);
            assertTreeInvariants(tree.workingRoot, tree.nodes);
          }
        }
        assert.equal(tree.size(), model.map.size, "size");
        assertTreeInvariants(tree.workingRoot, tree.nodes);
        await cms.commit();
        assertSameContent(tree, model, [], "after the last commit");
      } finally {
        await cms.close();
        cleanup();
      }
    }),
    { numRuns: 100 },
  );
});

test("the same operations give the same hashes (different caches, a reopen in the middle)", async () => {
  const a = tempDir("det-a");
  const b = tempDir("det-b");
  try {
    let storeA = await openCommitMultiStore({ dir: a.dir, storeNames: ["x", "y"], nodeCacheSize: 4 });
    let storeB = await openCommitMultiStore({ dir: b.dir, storeNames: ["x", "y"] });
    let seed = 1;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed;
    };
    for (let version = 1; version <= 30; version++) {
      for (let i = 0; i < 40; i++) {
        const store = next() % 2 === 0 ? "x" : "y";
        const key = utf8(`k${next() % 200}`);
        if (next() % 4 === 0) {
          storeA.getStore(store).delete(key);
          storeB.getStore(store).delete(key);
        } else {
          const value = utf8(`v${next()}`);
          storeA.getStore(store).set(key, value);
          storeB.getStore(store).set(key, value);
        }
      }
      assert.equal(toHex(storeA.workingHash()), toHex(storeB.workingHash()), `working hash at ${version}`);
      const [ca, cb] = [await storeA.commit(), await storeB.commit()];
      assert.equal(ca.version, version);
      assert.equal(toHex(ca.hash), toHex(cb.hash), `commit hash at ${version}`);
      if (version === 15) {
        await storeA.close();
        storeA = await openCommitMultiStore({ dir: a.dir, storeNames: ["x", "y"], nodeCacheSize: 4 });
        assert.equal(toHex(storeA.lastCommitId().hash), toHex(cb.hash), "hash after reopen");
      }
    }
    await storeA.close();
    await storeB.close();
    storeB = await openCommitMultiStore({ dir: b.dir, storeNames: ["x", "y"] });
    assert.equal(storeB.lastCommitId().version, 30);
    await storeB.close();
  } finally {
    a.cleanup();
    b.cleanup();
  }
});

test("an iterator is a snapshot: writes during iteration are not seen", async () => {
  const { dir, cleanup } = tempDir("snapshot");
  const cms = await openCommitMultiStore({ dir, storeNames: ["s"] });
  try {
    const store = cms.getStore("s");
    for (let i = 0; i < 20; i++) store.set(new Uint8Array([i * 2]), new Uint8Array([1]));
    await cms.commit();
    const seen: number[] = [];
    for (const [key] of store.iterator()) {
      seen.push(key[0]!);
      store.set(new Uint8Array([key[0]! + 1]), new Uint8Array([2]));
      store.delete(new Uint8Array([key[0]! + 2]));
    }
    assert.deepEqual(
      seen,
      Array.from({ length: 20 }, (_, i) => i * 2),
    );
  } finally {
    await cms.close();
    cleanup();
  }
});

test("empty keys and values are refused", async () => {
  const { dir, cleanup } = tempDir("refuse");
  const cms = await openCommitMultiStore({ dir, storeNames: ["s"] });
  try {
    assert.throws(() => cms.getStore("s").set(new Uint8Array(0), utf8("v")), /keys must not be empty/);
    assert.throws(() => cms.getStore("s").set(utf8("k"), new Uint8Array(0)), /values must not be empty/);
    assert.throws(() => cms.getStore("nope"), /no store named "nope"/);
  } finally {
    await cms.close();
    cleanup();
  }
});
