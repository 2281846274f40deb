import assert from "node:assert/strict";
import { test } from "node:test";
import { iavlSpec, ics23, tendermintSpec, verifyExistence, verifyNonExistence } from "@confio/ics23";
import { ByteReader, compareBytes, toHex, utf8 } from "./bytes.js";
import { type CommitMultiStore, openCommitMultiStore, PROOF_OP_IAVL, PROOF_OP_SIMPLE } from "./index.js";
import { Rand, tempDir } from "./testing.js";

type ExistenceProof = ics23.IExistenceProof;

/**
 * The checks Go ics23 adds for IavlSpec and TendermintSpec (and @confio/ics23 does not), which ibc-go applies
 * to our proofs on a counterparty (reference: cometbft-cosmos.md §4.2).
 */
function assertGoIavlShape(proof: ExistenceProof, context: string): void {
  const leaf = new ByteReader(proof.leaf!.prefix!);
  assert.deepEqual([leaf.zigzag(), leaf.zigzag()], [0, 1], `${context}: leaf prefix height 0, size 1`);
  assert.ok(leaf.zigzag() >= 1, `${context}: leaf version`);
  assert.equal(leaf.remaining(), 0, `${context}: leaf prefix is exactly three varints`);
  proof.path!.forEach((op, i) => {
    const r = new ByteReader(op.prefix!);
    const [height, size, version] = [r.zigzag(), r.zigzag(), r.zigzag()];
    assert.ok(height >= i + 1, `${context}: inner ${i} height ${height} >= layer ${i + 1}`);
    assert.ok(size >= 2 && version >= 1, `${context}: inner ${i} size and version`);
    const rest = r.remaining();
    assert.ok(
      rest === 1 || rest === 34,
      `${context}: inner ${i} has 1 or 34 bytes after the varints, not ${rest}`,
    );
    assert.equal(op.suffix?.length ?? 0, rest === 1 ? 33 : 0, `${context}: inner ${i} suffix`);
  });
}

function assertGoTendermintShape(proof: ExistenceProof, context: string): void {
  for (const op of proof.path!) {
    assert.equal(op.prefix![0], 1, `${context}: inner prefix starts with 0x01`);
    if ((op.suffix?.length ?? 0) > 0)
      assert.equal(op.prefix!.length, 1, `${context}: prefix is 0x01 when a suffix is present`);
  }
}

/** Verifies a query's two proof ops the way cosmjs's queryStoreVerified does, against the app hash. */
function verifyQuery(
  cms: CommitMultiStore,
  store: string,
  key: Uint8Array,
  version: number,
  appHash: Uint8Array,
  context: string,
): Uint8Array | undefined {
  const result = cms.query(store, key, version, true);
  assert.equal(result.height, version);
  const ops = result.proofOps!;
  assert.deepEqual(
    ops.map((o) => o.type),
    [PROOF_OP_IAVL, PROOF_OP_SIMPLE],
  );
  assert.equal(toHex(ops[0]!.key), toHex(key), `${context}: iavl op key`);
  assert.equal(toHex(ops[1]!.key), toHex(utf8(store)), `${context}: simple op key`);
  const iavl = ics23.CommitmentProof.decode(ops[0]!.data);
  const simple = ics23.CommitmentProof.decode(ops[1]!.data);
  const storeRoot = simple.exist!.value!;
  verifyExistence(simple.exist!, tendermintSpec, appHash, utf8(store), storeRoot);
  assertGoTendermintShape(simple.exist!, `${context} (simple)`);
  if (result.value !== undefined) {
    assert.ok(iavl.exist, `${context}: existence proof for a present key`);
    verifyExistence(iavl.exist!, iavlSpec, storeRoot, key, result.value);
    assertGoIavlShape(iavl.exist!, context);
    assert.throws(
      () => verifyExistence(iavl.exist!, iavlSpec, storeRoot, key, utf8("forged")),
      `${context}: forged value`,
    );
  } else {
    assert.ok(iavl.nonexist, `${context}: non-existence proof for an absent key`);
    verifyNonExistence(iavl.nonexist!, iavlSpec, storeRoot, key);
    for (const side of [iavl.nonexist!.left, iavl.nonexist!.right])
      if (side) assertGoIavlShape(side, `${context} (neighbour)`);
    if (iavl.nonexist!.left) assert.ok(compareBytes(iavl.nonexist!.left.key!, key) < 0);
    if (iavl.nonexist!.right) assert.ok(compareBytes(iavl.nonexist!.right.key!, key) > 0);
  }
  return result.value;
}

test("proofs of present and absent keys verify with iavlSpec, then tendermintSpec against the app hash", async () => {
  for (const storeNames of [["ibc"], ["acc", "bank", "ibc", "market", "provider"]]) {
    const { dir, cleanup } = tempDir("proof");
    const cms = await openCommitMultiStore({ dir, storeNames, keepRecent: 10, nodeCacheSize: 100 });
    try {
      const rand = new Rand(17);
      const present: Uint8Array[] = [];
      const appHashes = new Map<number, Uint8Array>();
      for (let v = 1; v <= 4; v++) {
        for (const name of storeNames) {
          for (let i = 0; i < 150; i++) {
            // Keys between 0x10.. and 0xef.. so that smaller-than-all and larger-than-all keys exist.
            const key = rand.bytes(1 + rand.below(12));
            key[0] = 0x10 + (key[0]! % 0xe0);
            cms.getStore(name).set(key, rand.bytes(1 + rand.below(60)));
            if (name === "ibc") present.push(key);
          }
        }
        for (let i = 0; i < 20; i++) cms.getStore("ibc").delete(present[rand.below(present.length)]!);
        const id = await cms.commit();
        appHashes.set(id.version, id.hash);
      }
      for (const [version, appHash] of appHashes) {
        const absent: Uint8Array[] = [
          new Uint8Array([0x00]),
          new Uint8Array([0x0f, 0xff]),
          new Uint8Array([0xff]),
          new Uint8Array([0xff, 0xff, 0xff]),
        ];
        for (let i = 0; i < 80; i++) absent.push(rand.bytes(1 + rand.below(12)));
        let found = 0;
        for (const key of [...present.slice(0, 150), ...absent]) {
          if (
            verifyQuery(
              cms,
              "ibc",
              key,
              version,
              appHash,
              `${storeNames.length} stores v${version} ${toHex(key)}`,
            )
          )
            found++;
        }
        assert.ok(found > 50, "most sampled keys are present");
      }
    } finally {
      await cms.close();
      cleanup();
    }
  }
});

test("proofs on a one-key tree, and the empty tree's unprovable absence", async () => {
  const { dir, cleanup } = tempDir("proof-small");
  const cms = await openCommitMultiStore({ dir, storeNames: ["a", "ibc"] });
  try {
    cms.getStore("ibc").set(utf8("only"), utf8("value"));
    const { hash } = await cms.commit();
    verifyQuery(cms, "ibc", utf8("only"), 1, hash, "the only key");
    verifyQuery(cms, "ibc", utf8("a"), 1, hash, "before the only key");
    verifyQuery(cms, "ibc", utf8("z"), 1, hash, "after the only key");
    // Store "a" is empty: its root is SHA256("") and ICS-23 has no neighbour to prove an absence with.
    const result = cms.query("a", utf8("k"), 1, true);
    assert.equal(result.value, undefined);
    const nonexist = ics23.CommitmentProof.decode(result.proofOps![0]!.data).nonexist!;
    assert.ok(!nonexist.left && !nonexist.right);
    const plain = cms.query("ibc", utf8("only"), 0, false);
    assert.equal(plain.height, 1, "version 0 means the latest");
    assert.equal(plain.proofOps, undefined);
  } finally {
    await cms.close();
    cleanup();
  }
});
