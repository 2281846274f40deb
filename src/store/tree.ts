// The IAVL v1 tree: a versioned, immutable-node AVL+ tree whose leaves hold the key-value pairs.
//
// Insertion, removal and rebalancing follow cosmos/iavl's MutableTree step by step (recursiveSet,
// recursiveRemove, balance, rotateLeft/rotateRight), because the root hash depends on the exact shape of the
// tree and on the version of every node (reference: cometbft-cosmos.md §4.1), and the aim is that the same
// operations give the same root as Go IAVL. (IBC only needs self-consistent roots and proofs; the hash formulas
// are checked against a Go IAVL vector in tree.test.ts, the shape by following the same algorithm.) Every node
// on a modified path is replaced by a new node of the working version; untouched subtrees are shared with older
// versions.
//
// Persistence: a save assigns ids to the new nodes, and writes them, the version's root and the list of nodes
// it orphaned (replaced nodes that older versions still use) into the block's write batch. Pruning version p
// deletes the nodes orphaned by version p + 1: they lived up to p, and no later version references them.
import { ByteReader, bytesEqual, compareBytes, putUvarint, uvarintLength } from "./bytes.js";
import type { WriteBatch } from "./database.js";
import { StoreError } from "./errors.js";
import { type Digest, digestBytes, EMPTY_HASH } from "./hash.js";
import { leftOf, rightOf, TreeIterator } from "./iterator.js";
import { decodeIds, encodeIds, type StoreKeys } from "./keys.js";
import {
  cloneInner,
  encodeNode,
  innerHash,
  leafHash,
  type Node,
  newInner,
  newLeaf,
  setLeft,
  setRight,
} from "./node.js";
import type { NodeDb } from "./nodedb.js";
import type { KVStore } from "./types.js";
import { assertValidKey, assertValidValue } from "./validate.js";

export function treeGet(root: Node | undefined, nodes: NodeDb, key: Uint8Array): Uint8Array | undefined {
  if (root === undefined) return undefined;
  let node = root;
  while (node.height > 0) node = compareBytes(key, node.key) < 0 ? leftOf(node, nodes) : rightOf(node, nodes);
  return bytesEqual(node.key, key) ? node.value : undefined;
}

/** The node's hash, computing (and keeping) the hashes of new nodes below it; saved subtrees are not revisited. */
export function hashOf(node: Node, nodes: NodeDb): Digest {
  if (node.hash !== undefined) return node.hash;
  if (node.height === 0) {
    node.hash = leafHash(node.key, node.value!, node.version);
  } else {
    const left = hashOf(leftOf(node, nodes), nodes);
    const right = hashOf(rightOf(node, nodes), nodes);
    node.hash = innerHash(node.height, node.size, node.version, left, right);
  }
  return node.hash;
}

export function rootHash(root: Node | undefined, nodes: NodeDb): Uint8Array {
  return root === undefined ? EMPTY_HASH : digestBytes(hashOf(root, nodes));
}

/** Reads the root of a store at a version; `found` is false when the version has no root record. */
export function loadRoot(
  nodes: NodeDb,
  keys: StoreKeys,
  version: number,
): { found: boolean; root: Node | undefined } {
  const record = nodes.db.get(keys.root(version));
  if (record === undefined) return { found: false, root: undefined };
  const id = new ByteReader(record).uvarint();
  return { found: true, root: id === 0 ? undefined : nodes.load(id) };
}

function encodeRootRecord(id: number): Uint8Array {
  const out = new Uint8Array(uvarintLength(id));
  putUvarint(out, 0, id);
  return out;
}

function readOnly(): never {
  throw new StoreError("invalid-argument", "this view of a committed version is read-only");
}

/** A read-only KVStore over one version of a tree. */
export class TreeView implements KVStore {
  constructor(
    readonly root: Node | undefined,
    readonly nodes: NodeDb,
    readonly version: number,
  ) {}

  get(key: Uint8Array): Uint8Array | undefined {
    return treeGet(this.root, this.nodes, key);
  }

  has(key: Uint8Array): boolean {
    return treeGet(this.root, this.nodes, key) !== undefined;
  }

  set(_key: Uint8Array, _value: Uint8Array): void {
    readOnly();
  }

  delete(_key: Uint8Array): void {
    readOnly();
  }

  iterator(
    start?: Uint8Array,
    end?: Uint8Array,
    reverse = false,
  ): IterableIterator<[Uint8Array, Uint8Array]> {
    return new TreeIterator(this.root, this.nodes, start, end, reverse);
  }

  hash(): Uint8Array {
    return rootHash(this.root, this.nodes);
  }
}

/** What a save put into the batch, to finish once the batch is committed. */
export interface PendingSave {
  version: number;
  root: Node | undefined;
  saved: Node[];
}

const NOT_FOUND: unique symbol = Symbol("not found");

/** The working tree of one store: the next version, modified in place of the last saved one. */
export class MutableTree implements KVStore {
  private root: Node | undefined;
  private savedRoot: Node | undefined;
  /** Ids of saved nodes replaced since the last save. */
  private orphans: number[] = [];
  /** Set by recursiveSet when the key existed. */
  private updated = false;
  /** Carried up by recursiveRemove: the new smallest key of a subtree whose leftmost leaf was removed. */
  private newKey: Uint8Array | undefined;
  /** While a save is being committed, writes would mix two versions. */
  private frozen = false;

  constructor(
    readonly nodes: NodeDb,
    readonly keys: StoreKeys,
    root: Node | undefined,
    /** The last saved version (0 = none). */
    private savedVersion: number,
    /** The version the working tree will be saved as. */
    private workingVersion: number,
  ) {
    this.root = root;
    this.savedRoot = root;
  }

  get version(): number {
    return this.savedVersion;
  }

  /** The root of the working tree (for proofs and invariant checks). */
  get workingRoot(): Node | undefined {
    return this.root;
  }

  /** The last saved version as a read-only view. */
  saved(): TreeView {
    return new TreeView(this.savedRoot, this.nodes, this.savedVersion);
  }

  get(key: Uint8Array): Uint8Array | undefined {
    return treeGet(this.root, this.nodes, key);
  }

  has(key: Uint8Array): boolean {
    return treeGet(this.root, this.nodes, key) !== undefined;
  }

  iterator(
    start?: Uint8Array,
    end?: Uint8Array,
    reverse = false,
  ): IterableIterator<[Uint8Array, Uint8Array]> {
    return new TreeIterator(this.root, this.nodes, start, end, reverse);
  }

  workingHash(): Uint8Array {
    return rootHash(this.root, this.nodes);
  }

  /** Number of keys in the working tree. */
  size(): number {
    return this.root === undefined ? 0 : this.root.size;
  }

  set(key: Uint8Array, value: Uint8Array): void {
    assertValidKey(key);
    assertValidValue(value);
    this.assertWritable();
    if (this.root === undefined) {
      this.root = newLeaf(key, value, this.workingVersion);
      return;
    }
    this.updated = false;
    this.root = this.recursiveSet(this.root, key, value);
  }

  delete(key: Uint8Array): void {
    this.assertWritable();
    if (this.root === undefined) return;
    this.newKey = undefined;
    const result = this.recursiveRemove(this.root, key);
    this.newKey = undefined;
    if (result !== NOT_FOUND) this.root = result;
  }

  /** Drops the working changes: back to the last saved version. */
  rollback(): void {
    this.root = this.savedRoot;
    this.orphans = [];
  }

  /**
   * Writes the working tree as the next version into `batch`: new nodes (with fresh ids from `allocateId`),
   * the root record and the orphan list. `commitSaved` must follow once the batch is on disk.
   */
  save(batch: WriteBatch, allocateId: () => number): PendingSave {
    this.assertWritable();
    const version = this.workingVersion;
    const saved: Node[] = [];
    const root = this.root;
    if (root !== undefined) {
      hashOf(root, this.nodes);
      this.persist(root, batch, saved, allocateId);
    }
    batch.put(this.keys.root(version), encodeRootRecord(root === undefined ? 0 : root.id));
    if (this.orphans.length > 0) batch.put(this.keys.orphans(version), encodeIds(this.orphans));
    this.frozen = true;
    return { version, root, saved };
  }

  /** The batch of `save` is committed: the working tree becomes the saved version. */
  commitSaved(pending: PendingSave): void {
    for (const node of pending.saved) {
      // Children are reachable by id now; dropping the links lets the node cache bound memory.
      node.left = undefined;
      node.right = undefined;
      this.nodes.remember(node);
    }
    this.savedRoot = pending.root;
    this.savedVersion = pending.version;
    this.workingVersion = pending.version + 1;
    this.orphans = [];
    this.frozen = false;
  }

  /**
   * Adds to `batch` the deletion of `version` (which must be the oldest kept one): its root record, and the
   * nodes that the following version orphaned. `pending` is the save in the same batch, if the following
   * version is the one being saved now (its orphan list is then still in memory).
   */
  prune(version: number, batch: WriteBatch, pending: PendingSave | undefined): void {
    batch.delete(this.keys.root(version));
    const next = version + 1;
    let ids: number[];
    if (pending !== undefined && pending.version === next) {
      ids = this.orphans;
    } else {
      const record = this.nodes.db.get(this.keys.orphans(next));
      ids = record === undefined ? [] : decodeIds(record);
    }
    for (const id of ids) {
      batch.deleteNode(id);
      this.nodes.forget(id);
    }
    batch.delete(this.keys.orphans(next));
  }

  private assertWritable(): void {
    if (this.frozen) {
      throw new StoreError(
        "invalid-argument",
        `store "${this.keys.store}" is being committed: wait for commit() before writing`,
      );
    }
  }

  private persist(node: Node, batch: WriteBatch, saved: Node[], allocateId: () => number): void {
    if (node.id !== 0) return;
    if (node.height > 0) {
      const left = node.left;
      if (left !== undefined) {
        this.persist(left, batch, saved, allocateId);
        node.leftId = left.id;
      }
      const right = node.right;
      if (right !== undefined) {
        this.persist(right, batch, saved, allocateId);
        node.rightId = right.id;
      }
    }
    node.id = allocateId();
    batch.putNode(node.id, encodeNode(node, batch.allocate));
    saved.push(node);
  }

  private orphan(node: Node): void {
    if (node.id !== 0) this.orphans.push(node.id);
  }

  /** A modifiable copy of an inner node; the original is orphaned if it was saved. */
  private copy(node: Node): Node {
    this.orphan(node);
    return cloneInner(node, this.workingVersion);
  }

  private recursiveSet(node: Node, key: Uint8Array, value: Uint8Array): Node {
    const version = this.workingVersion;
    if (node.height === 0) {
      const c = compareBytes(key, node.key);
      // A new leaf pairs with the old one under a new inner node keyed by the larger of the two.
      if (c < 0) return newInner(node.key, version, newLeaf(key, value, version), node);
      if (c > 0) return newInner(key, version, node, newLeaf(key, value, version));
      this.orphan(node);
      this.updated = true;
      return newLeaf(key, value, version);
    }
    const copy = this.copy(node);
    if (compareBytes(key, copy.key) < 0)
      setLeft(copy, this.recursiveSet(leftOf(copy, this.nodes), key, value));
    else setRight(copy, this.recursiveSet(rightOf(copy, this.nodes), key, value));
    // An update keeps the shape: no height, size or balance change on the path.
    if (this.updated) return copy;
    this.calcHeightAndSize(copy);
    return this.balance(copy);
  }

  private recursiveRemove(node: Node, key: Uint8Array): Node | undefined | typeof NOT_FOUND {
    if (node.height === 0) {
      if (!bytesEqual(key, node.key)) return NOT_FOUND;
      this.orphan(node);
      return undefined;
    }
    if (compareBytes(key, node.key) < 0) {
      const newLeft = this.recursiveRemove(leftOf(node, this.nodes), key);
      if (newLeft === NOT_FOUND) return NOT_FOUND;
      this.orphan(node);
      if (newLeft === undefined) {
        // The left child was the removed leaf: the right subtree replaces this node, and its smallest key
        // (this node's key) becomes the search key of the nearest ancestor that went right.
        this.newKey = node.key;
        return rightOf(node, this.nodes);
      }
      const copy = cloneInner(node, this.workingVersion);
      setLeft(copy, newLeft);
      this.calcHeightAndSize(copy);
      return this.balance(copy);
    }
    const newRight = this.recursiveRemove(rightOf(node, this.nodes), key);
    if (newRight === NOT_FOUND) return NOT_FOUND;
    this.orphan(node);
    if (newRight === undefined) {
      this.newKey = undefined;
      return leftOf(node, this.nodes);
    }
    const copy = cloneInner(node, this.workingVersion);
    setRight(copy, newRight);
    if (this.newKey !== undefined) {
      copy.key = this.newKey;
      this.newKey = undefined;
    }
    this.calcHeightAndSize(copy);
    return this.balance(copy);
  }

  private calcHeightAndSize(node: Node): void {
    const left = leftOf(node, this.nodes);
    const right = rightOf(node, this.nodes);
    node.height = (left.height > right.height ? left.height : right.height) + 1;
    node.size = left.size + right.size;
  }

  private balanceOf(node: Node): number {
    return leftOf(node, this.nodes).height - rightOf(node, this.nodes).height;
  }

  /** `node` is a fresh copy owned by the caller; its children may be shared and are copied before changing. */
  private balance(node: Node): Node {
    const balance = this.balanceOf(node);
    if (balance > 1) {
      const left = leftOf(node, this.nodes);
      if (this.balanceOf(left) >= 0) return this.rotateRight(node); // left-left
      setLeft(node, this.rotateLeft(this.copy(left))); // left-right
      return this.rotateRight(node);
    }
    if (balance < -1) {
      const right = rightOf(node, this.nodes);
      if (this.balanceOf(right) <= 0) return this.rotateLeft(node); // right-right
      setRight(node, this.rotateRight(this.copy(right))); // right-left
      return this.rotateLeft(node);
    }
    return node;
  }

  /** `node` is owned by the caller; its left child becomes the subtree's root. */
  private rotateRight(node: Node): Node {
    const pivot = this.copy(leftOf(node, this.nodes));
    node.left = pivot.right;
    node.leftId = pivot.rightId;
    this.calcHeightAndSize(node);
    setRight(pivot, node);
    this.calcHeightAndSize(pivot);
    return pivot;
  }

  /** `node` is owned by the caller; its right child becomes the subtree's root. */
  private rotateLeft(node: Node): Node {
    const pivot = this.copy(rightOf(node, this.nodes));
    node.right = pivot.left;
    node.rightId = pivot.leftId;
    this.calcHeightAndSize(node);
    setLeft(pivot, node);
    this.calcHeightAndSize(pivot);
    return pivot;
  }
}
