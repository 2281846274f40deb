// The committed multistore: one IAVL tree per store name in one database, the app hash over their roots, and
// the atomic block commit.
//
// A commit writes every store's new nodes, roots and orphan lists, the deletions of pruned versions, and the
// metadata (latest version, oldest kept version, next node id) in one database transaction: after a crash the
// database holds exactly the last committed version, and reopening resumes from it.
import { mkdirSync } from "node:fs";
import { CommitmentProof } from "cosmjs-types/cosmos/ics23/v1/proofs";
import { ByteReader, putUvarint, utf8, uvarintLength } from "./bytes.js";
import { branchMultiStore } from "./cachemulti.js";
import { Database, WriteBatch } from "./database.js";
import { StoreError } from "./errors.js";
import { EMPTY_HASH } from "./hash.js";
import { MAX_NODE_ID, metaKey, StoreKeys } from "./keys.js";
import { multiStoreHash, type StoreRoot, storeRootProof } from "./merkle.js";
import { DEFAULT_NODE_CACHE_SIZE, NodeDb } from "./nodedb.js";
import { commitmentProof } from "./proof.js";
import { loadRoot, MutableTree, type PendingSave, rootHash, TreeView } from "./tree.js";
import type {
  CacheMultiStore,
  CommitId,
  CommitMultiStore,
  CommitMultiStoreOptions,
  KVStore,
  MultiStore,
  ProofOp,
  StoreQueryResult,
} from "./types.js";

const META_LATEST = metaKey("latest");
const META_EARLIEST = metaKey("earliest");
const META_NEXT_ID = metaKey("next-node-id");

/** reference: cometbft-cosmos.md §4.4 — the SDK's proof op type names. */
export const PROOF_OP_IAVL = "ics23:iavl";
export const PROOF_OP_SIMPLE = "ics23:simple";

function encodeNumber(n: number): Uint8Array {
  const out = new Uint8Array(uvarintLength(n));
  putUvarint(out, 0, n);
  return out;
}

function readNumber(db: Database, key: Uint8Array): number | undefined {
  const record = db.get(key);
  return record === undefined ? undefined : new ByteReader(record).uvarint();
}

/** A read-only multistore at a committed version. */
class VersionView implements MultiStore {
  constructor(
    private readonly views: ReadonlyMap<string, TreeView>,
    private readonly names: readonly string[],
  ) {}

  getStore(name: string): KVStore {
    const view = this.views.get(name);
    if (view === undefined) throw unknownStore(name, this.names);
    return view;
  }

  storeNames(): readonly string[] {
    return this.names;
  }
}

function unknownStore(name: string, names: readonly string[]): StoreError {
  return new StoreError("unknown-store", `no store named "${name}" (stores: ${names.join(", ")})`);
}

export interface OpenOptions extends CommitMultiStoreOptions {
  /** Decoded tree nodes kept in memory, shared by all stores. */
  nodeCacheSize?: number;
}

export class RootMultiStore implements CommitMultiStore {
  private committing = false;
  private lastCommit: CommitId;

  private constructor(
    private readonly db: Database,
    private readonly nodes: NodeDb,
    private readonly trees: ReadonlyMap<string, MutableTree>,
    private readonly names: readonly string[],
    private readonly keepRecent: number,
    /** Last committed version, 0 before the first commit. */
    private latest: number,
    /** Oldest version still on disk (meaningless while latest is 0). */
    private earliest: number,
    private nextNodeId: number,
  ) {
    this.lastCommit = { version: latest, hash: latest === 0 ? EMPTY_HASH : this.savedHash() };
  }

  static async open(opts: OpenOptions): Promise<RootMultiStore> {
    const names = [...new Set(opts.storeNames)];
    if (names.length !== opts.storeNames.length)
      throw new StoreError("invalid-argument", "store names must be unique");
    if (names.length === 0) throw new StoreError("invalid-argument", "a multistore needs at least one store");
    const keepRecent = opts.keepRecent ?? 0;
    const initialVersion = opts.initialVersion ?? 1;
    if (!Number.isSafeInteger(keepRecent) || keepRecent < 0) {
      throw new StoreError(
        "invalid-argument",
        `keepRecent must be a non-negative integer, got ${keepRecent}`,
      );
    }
    if (!Number.isSafeInteger(initialVersion) || initialVersion < 1) {
      throw new StoreError(
        "invalid-argument",
        `initialVersion must be a positive integer, got ${initialVersion}`,
      );
    }
    mkdirSync(opts.dir, { recursive: true });
    const db = Database.open(opts.dir);
    const nodes = new NodeDb(db, opts.nodeCacheSize ?? DEFAULT_NODE_CACHE_SIZE);
    const latest = readNumber(db, META_LATEST) ?? 0;
    const earliest = readNumber(db, META_EARLIEST) ?? 0;
    const nextNodeId = readNumber(db, META_NEXT_ID) ?? 1;
    const nextVersion = latest === 0 ? initialVersion : latest + 1;
    const trees = new Map<string, MutableTree>();
    for (const name of names) {
      const keys = new StoreKeys(name);
      // A store missing at the latest version was added by an upgrade: it starts empty.
      const root = latest === 0 ? undefined : loadRoot(nodes, keys, latest).root;
      trees.set(name, new MutableTree(nodes, keys, root, latest, nextVersion));
    }
    return new RootMultiStore(db, nodes, trees, names, keepRecent, latest, earliest, nextNodeId);
  }

  getStore(name: string): KVStore {
    return this.tree(name);
  }

  storeNames(): readonly string[] {
    return this.names;
  }

  lastCommitId(): CommitId {
    return this.lastCommit;
  }

  branch(): CacheMultiStore {
    return branchMultiStore(this);
  }

  workingHash(): Uint8Array {
    return multiStoreHash(this.names.map((name) => ({ name, hash: this.trees.get(name)!.workingHash() })));
  }

  async commit(): Promise<CommitId> {
    if (this.committing)
      throw new StoreError("invalid-argument", "commit() is already running: await it first");
    this.committing = true;
    try {
      const hash = this.workingHash();
      const batch = new WriteBatch();
      const allocateId = (): number => {
        if (this.nextNodeId > MAX_NODE_ID) throw new StoreError("corrupt", "node ids exhausted");
        return this.nextNodeId++;
      };
      const pending = new Map<string, PendingSave>();
      for (const name of this.names) pending.set(name, this.trees.get(name)!.save(batch, allocateId));
      const version = pending.get(this.names[0]!)!.version;
      const earliest = this.latest === 0 ? version : this.earliest;
      const newEarliest = this.pruneInto(batch, pending, version, earliest);
      batch.put(META_LATEST, encodeNumber(version));
      batch.put(META_EARLIEST, encodeNumber(newEarliest));
      batch.put(META_NEXT_ID, encodeNumber(this.nextNodeId));
      // Nothing in memory changes until the batch is on disk; if writing fails the store must be reopened.
      await this.db.write(batch);
      for (const name of this.names) this.trees.get(name)!.commitSaved(pending.get(name)!);
      this.latest = version;
      this.earliest = newEarliest;
      this.lastCommit = { version, hash };
      return this.lastCommit;
    } finally {
      this.committing = false;
    }
  }

  /** Adds the deletion of the versions that fall out of the kept window; returns the new oldest version. */
  private pruneInto(
    batch: WriteBatch,
    pending: ReadonlyMap<string, PendingSave>,
    version: number,
    earliest: number,
  ): number {
    if (this.keepRecent === 0) return earliest;
    const newEarliest = Math.max(earliest, version - this.keepRecent + 1);
    for (let v = earliest; v < newEarliest; v++) {
      for (const name of this.names) this.trees.get(name)!.prune(v, batch, pending.get(name));
    }
    return newEarliest;
  }

  readAt(version: number): MultiStore {
    this.assertReadable(version);
    const views = new Map<string, TreeView>();
    for (const name of this.names) views.set(name, this.view(name, version));
    return new VersionView(views, this.names);
  }

  query(storeName: string, key: Uint8Array, version: number, prove: boolean): StoreQueryResult {
    const tree = this.tree(storeName);
    const height = version === 0 ? this.latest : version;
    this.assertReadable(height);
    const view = this.view(storeName, height);
    const value = view.get(key);
    if (!prove) return { value, height };
    const iavl = CommitmentProof.encode(commitmentProof(view.root, tree.nodes, key)).finish();
    const roots: StoreRoot[] = this.names.map((name) => ({
      name,
      hash: name === storeName ? view.hash() : this.view(name, height).hash(),
    }));
    const simple = CommitmentProof.encode({ exist: storeRootProof(roots, storeName) }).finish();
    const proofOps: ProofOp[] = [
      { type: PROOF_OP_IAVL, key, data: iavl },
      { type: PROOF_OP_SIMPLE, key: utf8(storeName), data: simple },
    ];
    return { value, height, proofOps };
  }

  rollbackWorking(): void {
    if (this.committing)
      throw new StoreError("invalid-argument", "cannot roll back while commit() is running");
    for (const tree of this.trees.values()) tree.rollback();
  }

  async close(): Promise<void> {
    await this.db.close();
  }

  /** Oldest version still readable (0 before the first commit). */
  earliestVersion(): number {
    return this.latest === 0 ? 0 : this.earliest;
  }

  private tree(name: string): MutableTree {
    const tree = this.trees.get(name);
    if (tree === undefined) throw unknownStore(name, this.names);
    return tree;
  }

  private view(name: string, version: number): TreeView {
    const tree = this.tree(name);
    if (version === this.latest) return tree.saved();
    const { root } = loadRoot(this.nodes, tree.keys, version);
    return new TreeView(root, this.nodes, version);
  }

  private savedHash(): Uint8Array {
    return multiStoreHash(
      this.names.map((name) => ({ name, hash: rootHash(this.tree(name).saved().root, this.nodes) })),
    );
  }

  private assertReadable(version: number): void {
    if (this.latest === 0) {
      throw new StoreError(
        "version-future",
        `version ${version} is not committed yet (nothing is committed yet)`,
      );
    }
    if (!Number.isSafeInteger(version) || version < 1) {
      throw new StoreError("invalid-argument", `version must be a positive integer, got ${version}`);
    }
    if (version > this.latest) {
      throw new StoreError(
        "version-future",
        `version ${version} is not committed yet (latest committed version is ${this.latest})`,
      );
    }
    if (version < this.earliest) {
      throw new StoreError(
        "version-pruned",
        `version ${version} has been pruned: this store keeps the last ${this.keepRecent} versions ` +
          `(${this.earliest}..${this.latest}); query a kept version or raise keepRecent`,
      );
    }
  }
}

export async function openCommitMultiStore(opts: OpenOptions): Promise<CommitMultiStore> {
  return RootMultiStore.open(opts);
}
