// Store benchmarks: (1) the disk engine on IAVL's access pattern, lmdb against classic-level, which chose the
// engine (see src/store/database.ts); (2) the IAVL multistore itself: writes/s, commit time for 1k and 10k
// modified keys, reads/s, proof generation.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ClassicLevel } from "classic-level";
import { open as openLmdb } from "lmdb";
import { openCommitMultiStore } from "../store/index.js";
// The tests' seeded xorshift32: deterministic bytes, so runs are comparable.
import { Rand } from "../store/testing.js";

function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

function fmt(n: number, digits = 0): string {
  return n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

function nodeKey(id: number): Uint8Array {
  const k = new Uint8Array(7);
  k[0] = 0x6e;
  let n = id;
  for (let i = 6; i >= 1; i--) {
    k[i] = n % 256;
    n = Math.floor(n / 256);
  }
  return k;
}

interface EngineFigures {
  engine: string;
  writesPerSec: number;
  commitMsPerVersion: number;
  readNs: number;
}

/**
 * IAVL's pattern: each version writes `perVersion` new node records (small keys ascending by id, values of
 * ~120 bytes) and deletes the orphans of a pruned version, all in one atomic batch; between versions the tree
 * reads random nodes synchronously.
 */
async function benchEngine(
  engine: "lmdb" | "classic-level",
  versions: number,
  perVersion: number,
  reads: number,
): Promise<EngineFigures> {
  const dir = mkdtempSync(join(tmpdir(), `decloud-bench-${engine}-`));
  const rand = new Rand(42);
  const values: Uint8Array[] = [];
  for (let i = 0; i < 256; i++) values.push(rand.bytes(100 + (i % 40)));
  let nextId = 1;
  let writeMs = 0;
  let written = 0;
  let readMs = 0;
  let readCount = 0;
  let sink = 0;
  const keep = 10;
  try {
    if (engine === "lmdb") {
      const db = openLmdb({ path: dir, keyEncoding: "binary", encoding: "binary" });
      for (let v = 0; v < versions; v++) {
        const t0 = nowMs();
        const first = nextId;
        await db.batch(() => {
          for (let i = 0; i < perVersion; i++) db.put(nodeKey(nextId++), values[i & 255]!);
          if (v >= keep) {
            const base = 1 + (v - keep) * perVersion;
            for (let i = 0; i < perVersion / 2; i++) db.remove(nodeKey(base + i));
          }
        });
        writeMs += nowMs() - t0;
        written += nextId - first;
        const t1 = nowMs();
        const live = 1 + Math.max(0, v + 1 - keep) * perVersion;
        for (let i = 0; i < reads / versions; i++) {
          const id = live + (live < nextId ? rand.below(nextId - live) : 0);
          const b = db.getBinaryFast(nodeKey(id));
          // Copy out of the reused buffer, as the tree does when it decodes a node.
          if (b) sink += new Uint8Array(b.buffer, b.byteOffset, b.length).slice()[0]!;
          readCount++;
        }
        readMs += nowMs() - t1;
      }
      await db.close();
    } else {
      const db = new ClassicLevel<Uint8Array, Uint8Array>(dir, {
        keyEncoding: "view",
        valueEncoding: "view",
      });
      await db.open();
      for (let v = 0; v < versions; v++) {
        const t0 = nowMs();
        const first = nextId;
        const ops: { type: "put" | "del"; key: Uint8Array; value?: Uint8Array }[] = [];
        for (let i = 0; i < perVersion; i++)
          ops.push({ type: "put", key: nodeKey(nextId++), value: values[i & 255]! });
        if (v >= keep) {
          const base = 1 + (v - keep) * perVersion;
          for (let i = 0; i < perVersion / 2; i++) ops.push({ type: "del", key: nodeKey(base + i) });
        }
        // sync: true for the same durability as lmdb's default (fsync at commit).
        await db.batch(ops as never, { sync: true });
        writeMs += nowMs() - t0;
        written += nextId - first;
        const t1 = nowMs();
        const live = 1 + Math.max(0, v + 1 - keep) * perVersion;
        for (let i = 0; i < reads / versions; i++) {
          const id = live + (live < nextId ? rand.below(nextId - live) : 0);
          const b = db.getSync(nodeKey(id));
          if (b) sink += b[0]!;
          readCount++;
        }
        readMs += nowMs() - t1;
      }
      await db.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (sink < 0) console.log(sink);
  return {
    engine,
    writesPerSec: (written / writeMs) * 1000,
    commitMsPerVersion: writeMs / versions,
    readNs: (readMs * 1e6) / readCount,
  };
}

async function benchEngines(): Promise<void> {
  console.log(
    "disk engine on IAVL's pattern (50 versions x 10,000 node writes + pruning deletes, random reads)",
  );
  for (const engine of ["lmdb", "classic-level"] as const) {
    const f = await benchEngine(engine, 50, 10_000, 200_000);
    console.log(
      `  ${engine.padEnd(14)} ${fmt(f.writesPerSec)} node writes/s, ${fmt(f.commitMsPerVersion, 1)} ms/commit of 10k nodes, ` +
        `${fmt(f.readNs)} ns per random sync read`,
    );
  }
}

function key32(rand: Rand): Uint8Array {
  return rand.bytes(32);
}

/** Bank-send-like load: keys of 20-40 bytes, values of ~80 bytes, in three stores. */
async function benchMultiStore(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "decloud-bench-store-"));
  try {
    const stores = ["acc", "bank", "params"];
    const cms = await openCommitMultiStore({ dir, storeNames: stores, keepRecent: 100 });
    const rand = new Rand(7);
    const accounts: Uint8Array[] = [];
    for (let i = 0; i < 100_000; i++) accounts.push(key32(rand));
    const value = rand.bytes(80);

    // Genesis: 100k accounts in two stores.
    let t = nowMs();
    const bank = cms.getStore("bank");
    const acc = cms.getStore("acc");
    for (const a of accounts) {
      bank.set(a, value);
      acc.set(a, value);
    }
    const setMs = nowMs() - t;
    t = nowMs();
    await cms.commit();
    const genesisCommitMs = nowMs() - t;
    console.log(
      `multistore: genesis of 200k keys: ${fmt((200_000 / setMs) * 1000)} sets/s in memory, commit ${fmt(genesisCommitMs)} ms`,
    );

    for (const modified of [1_000, 10_000]) {
      let branchMs = 0;
      let flushMs = 0;
      let hashMs = 0;
      let commitMs = 0;
      const rounds = 10;
      for (let r = 0; r < rounds; r++) {
        const updates: [Uint8Array, Uint8Array, Uint8Array][] = [];
        for (let i = 0; i < modified / 2; i++) {
          updates.push([accounts[rand.below(accounts.length)]!, rand.bytes(80), rand.bytes(80)]);
        }
        t = nowMs();
        const branch = cms.branch();
        const b = branch.getStore("bank");
        const a = branch.getStore("acc");
        for (const [k, vb, va] of updates) {
          b.set(k, vb);
          a.set(k, va);
        }
        branchMs += nowMs() - t;
        t = nowMs();
        branch.write();
        flushMs += nowMs() - t;
        t = nowMs();
        cms.workingHash();
        hashMs += nowMs() - t;
        t = nowMs();
        await cms.commit();
        commitMs += nowMs() - t;
      }
      const total = (branchMs + flushMs + hashMs + commitMs) / rounds;
      console.log(
        `multistore: ${fmt(modified)} modified keys per block (2 stores of 100k keys), per block: ` +
          `cache-branch sets ${fmt(branchMs / rounds, 1)} ms, write into IAVL ${fmt(flushMs / rounds, 1)} ms, ` +
          `working hash ${fmt(hashMs / rounds, 1)} ms, commit ${fmt(commitMs / rounds, 1)} ms; ` +
          `total ${fmt(total, 1)} ms = ${fmt((modified * 1000) / total)} modified keys/s`,
      );
    }

    // Random reads of committed state.
    t = nowMs();
    const reads = 200_000;
    let found = 0;
    for (let i = 0; i < reads; i++) if (bank.get(accounts[rand.below(accounts.length)]!)) found++;
    const readMs = nowMs() - t;
    console.log(`multistore: ${fmt((reads / readMs) * 1000)} random reads/s (${found} found)`);

    t = nowMs();
    const proofs = 2_000;
    const version = cms.lastCommitId().version;
    for (let i = 0; i < proofs; i++) cms.query("bank", accounts[rand.below(accounts.length)]!, version, true);
    console.log(`multistore: ${fmt((proofs / (nowMs() - t)) * 1000)} proven queries/s`);
    await cms.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runStoreBench(): Promise<undefined> {
  await benchEngines();
  await benchMultiStore();
  return undefined;
}
