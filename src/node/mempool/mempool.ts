// The solo node's mempool, after CometBFT's clist mempool (mempool/clist_mempool.go): FIFO order, limits on
// the number of txs, their total bytes and a single tx's size, an LRU cache of seen tx hashes that rejects
// duplicates, CheckTx (type New) on entry and CheckTx (type Recheck) of every remaining tx after each block.
// Errors carry CometBFT's messages, which the RPC returns as JSON-RPC errors. reference: cometbft-cosmos.md §2.4
import {
  CheckTxType,
  type ExecTxResult,
  type RequestCheckTx,
  type ResponseCheckTx,
} from "cosmjs-types/tendermint/abci/types";
import { txHash } from "../types/hashing.js";

export interface MempoolOptions {
  /** config.mempool.size */
  maxTxs: number;
  /** config.mempool.max_txs_bytes */
  maxTxsBytes: number;
  /** config.mempool.max_tx_bytes */
  maxTxBytes: number;
  /** config.mempool.cache_size */
  cacheSize: number;
  /** config.mempool.recheck */
  recheck: boolean;
}

export const DEFAULT_MEMPOOL_OPTIONS: MempoolOptions = {
  maxTxs: 5000,
  maxTxsBytes: 1024 * 1024 * 1024,
  maxTxBytes: 1024 * 1024,
  cacheSize: 10000,
  recheck: true,
};

/** A tx the mempool refused before the app saw it (CometBFT returns these as JSON-RPC errors). */
export class MempoolError extends Error {
  /** The Cosmos SDK's code for the same condition (19 = tx in mempool cache, 20 = mempool full, 21 = tx too large). */
  constructor(
    message: string,
    readonly abciCode: number,
  ) {
    super(message);
  }
}

export const ERR_TX_IN_CACHE = "tx already exists in cache";

interface MempoolTx {
  tx: Uint8Array;
  key: string;
  gasWanted: bigint;
}

/** Runs CheckTx; the caller provides mutual exclusion with block execution. */
export type CheckTxFn = (req: RequestCheckTx) => Promise<ResponseCheckTx>;

/** The proto size of a tx inside tendermint.types.Data (tag + length varint + bytes): types.ComputeProtoSizeForTxs */
function protoSizeInData(tx: Uint8Array): number {
  let len = tx.length;
  let varint = 1;
  while (len >= 0x80) {
    len >>>= 7;
    varint++;
  }
  return 1 + varint + tx.length;
}

export class Mempool {
  readonly options: MempoolOptions;
  private readonly txs = new Map<string, MempoolTx>(); // insertion order = FIFO
  private readonly cache = new Map<string, true>(); // insertion order = LRU
  private bytes = 0;
  private readonly listeners: (() => void)[] = [];

  constructor(
    private readonly checkTx: CheckTxFn,
    options: Partial<MempoolOptions> = {},
  ) {
    this.options = { ...DEFAULT_MEMPOOL_OPTIONS, ...options };
  }

  get size(): number {
    return this.txs.size;
  }

  get sizeBytes(): number {
    return this.bytes;
  }

  /** Called whenever a tx enters the mempool (the driver mines on it in instant mode). */
  onTxAdded(listener: () => void): void {
    this.listeners.push(listener);
  }

  /**
   * The mempool's own checks, done at once and outside the app lock (CometBFT does them before CheckTx):
   * size, room, and the cache of seen txs, into which the tx is entered. Throws MempoolError; returns the key
   * to pass to `checkAndInsert`.
   */
  admit(tx: Uint8Array): string {
    if (tx.length > this.options.maxTxBytes) {
      throw new MempoolError(
        `tx too large. Max size is ${this.options.maxTxBytes}, but got ${tx.length}`,
        21,
      );
    }
    this.ensureRoom(tx.length);
    const key = Buffer.from(txHash(tx)).toString("hex");
    if (!this.pushCache(key)) throw new MempoolError(ERR_TX_IN_CACHE, 19);
    return key;
  }

  /**
   * CheckTx (type New) of an admitted tx, under the app lock. Resolves with the app's response; the tx is kept
   * only if the code is 0. Throws MempoolError if the mempool filled up meanwhile.
   */
  async checkAndInsert(tx: Uint8Array, key: string): Promise<ResponseCheckTx> {
    let res: ResponseCheckTx;
    try {
      res = await this.checkTx({ tx, type: CheckTxType.NEW });
    } catch (err) {
      this.cache.delete(key);
      throw err;
    }
    if (res.code !== 0) {
      this.cache.delete(key); // a rejected tx may be sent again later (keep_invalid_txs_in_cache = false)
      return res;
    }
    this.ensureRoom(tx.length, key);
    this.txs.set(key, { tx, key, gasWanted: res.gasWanted });
    this.bytes += tx.length;
    for (const l of this.listeners) l();
    return res;
  }

  private ensureRoom(txBytes: number, keyToRelease?: string): void {
    if (this.txs.size >= this.options.maxTxs || this.bytes + txBytes > this.options.maxTxsBytes) {
      if (keyToRelease) this.cache.delete(keyToRelease);
      throw new MempoolError(
        `mempool is full: number of txs ${this.txs.size} (max: ${this.options.maxTxs}), ` +
          `total txs bytes ${this.bytes} (max: ${this.options.maxTxsBytes})`,
        20,
      );
    }
  }

  /** Adds to the LRU cache; false when already there (the entry is refreshed, as CometBFT's LRUTxCache does). */
  private pushCache(key: string): boolean {
    if (this.cache.has(key)) {
      this.cache.delete(key);
      this.cache.set(key, true);
      return false;
    }
    this.cache.set(key, true);
    if (this.cache.size > this.options.cacheSize) {
      const oldest = this.cache.keys().next().value as string;
      this.cache.delete(oldest);
    }
    return true;
  }

  /** ReapMaxBytesMaxGas: txs in FIFO order while the block's data bytes and gas limits hold (-1 = no limit). */
  reap(maxBytes: bigint, maxGas: bigint): Uint8Array[] {
    const out: Uint8Array[] = [];
    let bytes = 0n;
    let gas = 0n;
    for (const m of this.txs.values()) {
      const size = BigInt(protoSizeInData(m.tx));
      if (maxBytes > -1n && bytes + size > maxBytes) break;
      if (maxGas > -1n && gas + m.gasWanted > maxGas) break;
      bytes += size;
      gas += m.gasWanted;
      out.push(m.tx);
    }
    return out;
  }

  /** Up to `limit` pending txs, oldest first (`unconfirmed_txs`). */
  list(limit: number): Uint8Array[] {
    const out: Uint8Array[] = [];
    for (const m of this.txs.values()) {
      if (out.length >= limit) break;
      out.push(m.tx);
    }
    return out;
  }

  has(hash: Uint8Array): boolean {
    return this.txs.has(Buffer.from(hash).toString("hex"));
  }

  /**
   * After a block: drops the block's txs (keeping successful ones in the cache so they cannot be replayed
   * into the mempool), then rechecks what is left and evicts txs that are no longer valid. Under the app lock.
   */
  async update(blockTxs: readonly Uint8Array[], results: readonly ExecTxResult[]): Promise<void> {
    blockTxs.forEach((tx, i) => {
      const key = Buffer.from(txHash(tx)).toString("hex");
      if (results[i]?.code === 0) this.pushCache(key);
      else this.cache.delete(key);
      this.remove(key);
    });
    if (!this.options.recheck) return;
    for (const m of [...this.txs.values()]) {
      const res = await this.checkTx({ tx: m.tx, type: CheckTxType.RECHECK });
      if (res.code !== 0) {
        this.remove(m.key);
        this.cache.delete(m.key);
      } else {
        m.gasWanted = res.gasWanted;
      }
    }
  }

  private remove(key: string): void {
    const m = this.txs.get(key);
    if (!m) return;
    this.txs.delete(key);
    this.bytes -= m.tx.length;
  }
}
