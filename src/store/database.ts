// The on-disk engine behind the store: one LMDB environment per multistore.
//
// Why LMDB (`lmdb`) and not LevelDB (`classic-level`) — measured by `npm run bench` (src/bench/store.ts) on
// IAVL's write pattern: 50 versions of 10,000 new node records (7-byte ascending keys, ~120-byte values) plus
// the deletes of a pruned version, each version committed in one atomic batch, with random synchronous node
// reads between versions (2 cores, Node 20; ranges over several runs):
//
//                   node writes/s   commit of 10k nodes            random sync read
//   lmdb            1.2-1.4 M       7-8 ms (fsync on)              1.0-1.4 µs
//   classic-level   0.12-0.14 M     71-80 ms (sync: true)          2.7-3.2 µs
//                   (sync: false changes little, ~76 ms: the cost is building and marshalling the batch)
//
// - Reads: the KVStore interface is synchronous and IAVL loads nodes lazily in the middle of get/set/iterate, so
//   the engine must read synchronously. LMDB reads are memory-mapped lookups (getBinaryFast does not even
//   allocate). classic-level 3 does have getSync, but it is ~3x slower, and its iterators are async only.
// - Writes: lmdb-js queues a batch's puts and commits them on its own thread; `batch(callback)` guarantees that
//   everything queued in the callback lands in one LMDB transaction, which is the atomic block commit we need.
//   LMDB is copy-on-write with two meta pages, so a SIGKILL at any point leaves the last committed transaction.
// - Space: pages freed by pruning are reused by LMDB (the file does not shrink, but it stops growing).
import { open, type RootDatabase } from "lmdb";
import { NODE_KEY_LENGTH, writeNodeKey } from "./keys.js";

const ARENA_CHUNK = 1 << 20;

/**
 * An ordered list of puts and deletes, applied in one atomic transaction. Node records are encoded into an
 * arena (a few large buffers instead of one small buffer per node: lmdb-js takes values by address, so the
 * arena is only pinned until the commit) and addressed by node id, turned into a key only when applied.
 */
export class WriteBatch {
  /** A number is a node id (see keys.ts); bytes are any other key. */
  private readonly keys: (Uint8Array | number)[] = [];
  /** undefined = delete */
  private readonly values: (Uint8Array | undefined)[] = [];
  private chunk = Buffer.allocUnsafeSlow(ARENA_CHUNK);
  private used = 0;

  put(key: Uint8Array, value: Uint8Array): void {
    this.keys.push(key);
    this.values.push(value);
  }

  delete(key: Uint8Array): void {
    this.keys.push(key);
    this.values.push(undefined);
  }

  putNode(id: number, record: Uint8Array): void {
    this.keys.push(id);
    this.values.push(record);
  }

  deleteNode(id: number): void {
    this.keys.push(id);
    this.values.push(undefined);
  }

  /** n bytes of arena memory for a value, valid until the batch is written. */
  readonly allocate = (n: number): Buffer => {
    if (this.used + n > this.chunk.length) {
      this.chunk = Buffer.allocUnsafeSlow(Math.max(ARENA_CHUNK, n));
      this.used = 0;
    }
    const out = this.chunk.subarray(this.used, this.used + n);
    this.used += n;
    return out;
  };

  get length(): number {
    return this.keys.length;
  }

  /** Calls put/remove for every operation in order. */
  apply(put: (key: Uint8Array, value: Uint8Array) => void, remove: (key: Uint8Array) => void): void {
    const nodeKeyBuffer = new Uint8Array(NODE_KEY_LENGTH);
    const { keys, values } = this;
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      // lmdb-js copies the key when the operation is queued, so one buffer serves every node key.
      const key = typeof k === "number" ? writeNodeKey(nodeKeyBuffer, k) : k;
      const value = values[i];
      if (value === undefined) remove(key);
      else put(key, value);
    }
  }
}

export class Database {
  private constructor(private readonly db: RootDatabase<Uint8Array, Uint8Array>) {}

  static open(dir: string): Database {
    // Raw binary keys and values: the store does its own encoding. No lmdb-level cache: the tree keeps decoded
    // nodes in its own cache, and LMDB's pages are already in the OS page cache.
    const db = open<Uint8Array, Uint8Array>({ path: dir, keyEncoding: "binary", encoding: "binary" });
    return new Database(db);
  }

  /** A copy of the value, or undefined. */
  get(key: Uint8Array): Uint8Array | undefined {
    return this.getTransient(key)?.slice();
  }

  /**
   * The value in a buffer that is reused by the next read: decode it before reading anything else. This
   * avoids one allocation per node load.
   */
  getTransient(key: Uint8Array): Uint8Array | undefined {
    const v = this.db.getBinaryFast(key);
    // getBinaryFast's buffer fakes its `length` over a larger allocation, which copies and views would not
    // honour: take a plain view of exactly the value.
    return v === undefined ? undefined : new Uint8Array(v.buffer, v.byteOffset, v.length);
  }

  /** Keys in [start, end), ascending. */
  *keys(start: Uint8Array, end: Uint8Array): Generator<Uint8Array> {
    for (const key of this.db.getKeys({ start: start, end: end })) yield key as Uint8Array;
  }

  /** Applies the batch in one LMDB transaction; resolves once it is committed. */
  async write(batch: WriteBatch): Promise<void> {
    const db = this.db;
    const ok = await db.batch(() =>
      batch.apply(
        (key, value) => db.put(key, value),
        (key) => db.remove(key),
      ),
    );
    if (ok === false) throw new Error("database: the block's write transaction was not committed");
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}
