// The store's public face. Everything above `store` (the app, its modules, queries) sees only these
// interfaces; the IAVL trees, the database and the proof machinery stay behind them.
//
// All reads and writes are synchronous: the state machine runs one transaction at a time, and a synchronous
// store keeps its code free of interleavings. Only committing a block to disk is asynchronous.

/** A key-value view. Keys and values are raw bytes; values are never empty (ICS-23 refuses empty values). */
export interface KVStore {
  get(key: Uint8Array): Uint8Array | undefined;
  has(key: Uint8Array): boolean;
  set(key: Uint8Array, value: Uint8Array): void;
  delete(key: Uint8Array): void;
  /**
   * Entries with start <= key < end in ascending byte order (descending when `reverse`). `start`/`end`
   * undefined mean unbounded. Writing to the store while iterating is allowed; the iterator then sees a
   * snapshot taken when it was created.
   */
  iterator(
    start?: Uint8Array,
    end?: Uint8Array,
    reverse?: boolean,
  ): IterableIterator<[Uint8Array, Uint8Array]>;
}

/** A set of named stores, one per module (e.g. "acc", "bank"). */
export interface MultiStore {
  getStore(name: string): KVStore;
  storeNames(): readonly string[];
}

/** A branch of a multistore: writes stay in memory until `write()` passes them to the parent. */
export interface CacheMultiStore extends MultiStore {
  /** Writes every pending change to the parent, in a deterministic order. */
  write(): void;
  /** A branch of this branch. */
  branch(): CacheMultiStore;
}

export interface CommitId {
  version: number;
  hash: Uint8Array;
}

export interface ProofOp {
  type: string;
  key: Uint8Array;
  data: Uint8Array;
}

export interface StoreQueryResult {
  /** Undefined when the key is absent. */
  value: Uint8Array | undefined;
  height: number;
  /** Present when a proof was asked for: ["ics23:iavl", "ics23:simple"] (reference: cometbft-cosmos.md §4.4). */
  proofOps?: ProofOp[];
}

/**
 * The committed, versioned multistore. The working state (the next version) is modified through
 * `getStore`/`branch`; `workingHash` gives the app hash it would commit to; `commit` saves it atomically.
 */
export interface CommitMultiStore extends MultiStore {
  lastCommitId(): CommitId;
  /** A branch of the working state. */
  branch(): CacheMultiStore;
  /** The app hash of the working state: the simple Merkle root over (store name, tree root) (§4.3). */
  workingHash(): Uint8Array;
  /** Saves the working state as version lastCommitId().version + 1 in one atomic disk write. */
  commit(): Promise<CommitId>;
  /** A read-only view of a committed version; throws if the version is pruned or in the future. */
  readAt(version: number): MultiStore;
  /** Reads one key of one store at a committed version, optionally with ICS-23 proof ops. */
  query(storeName: string, key: Uint8Array, version: number, prove: boolean): StoreQueryResult;
  /** Drops the uncommitted working state (used when a block is abandoned). */
  rollbackWorking(): void;
  close(): Promise<void>;
}

export interface CommitMultiStoreOptions {
  /** Directory of the database. */
  dir: string;
  /** Names of the stores (fixed for the life of the chain; a new name is an upgrade). */
  storeNames: readonly string[];
  /** How many recent versions to keep; 0 keeps every version. */
  keepRecent?: number;
  /** The first version number when the store is empty (the chain's initial height). */
  initialVersion?: number;
}
