// An IAVL node: its Cosmos hash (reference: cometbft-cosmos.md §4.1) and its on-disk record.
//
// Nodes are immutable once shared: every change to a tree creates new nodes along the path (copy on write), so a
// root pointer is a snapshot. Only `hash` (filled lazily) and the child links (released after a node is saved)
// change in place, and neither changes what the node means.
import { ByteReader, putUvarint, putZigzag, uvarintLength, zigzagLength } from "./bytes.js";
import { type Digest, scratchBuffer, sha256Digest, sha256Scratch } from "./hash.js";

export class Node {
  constructor(
    /** A leaf's key; an inner node's search key (the smallest key of its right subtree, not hashed). */
    public key: Uint8Array,
    /** Leaves only. */
    public value: Uint8Array | undefined,
    /** The tree version at which this node object was created. */
    public version: number,
    /** 0 for a leaf. */
    public height: number,
    /** Number of leaves below (1 for a leaf). */
    public size: number,
    /** Undefined until computed: new nodes are hashed lazily, at workingHash or commit. */
    public hash: Digest | undefined,
    /** Disk id, 0 while the node has not been saved. Ids are never reused. */
    public id: number,
    public leftId: number,
    public rightId: number,
    /** In-memory links, set while a child is unsaved (and until its parent is saved); else load by id. */
    public left: Node | undefined,
    public right: Node | undefined,
  ) {}

  isLeaf(): boolean {
    return this.height === 0;
  }
}

export function newLeaf(key: Uint8Array, value: Uint8Array, version: number): Node {
  return new Node(key, value, version, 0, 1, undefined, 0, 0, 0, undefined, undefined);
}

/** A fresh, unsaved copy of an inner node, to be modified. */
export function cloneInner(node: Node, version: number): Node {
  return new Node(
    node.key,
    undefined,
    version,
    node.height,
    node.size,
    undefined,
    0,
    node.leftId,
    node.rightId,
    node.left,
    node.right,
  );
}

export function newInner(key: Uint8Array, version: number, left: Node, right: Node): Node {
  const height = (left.height > right.height ? left.height : right.height) + 1;
  return new Node(
    key,
    undefined,
    version,
    height,
    left.size + right.size,
    undefined,
    0,
    left.id,
    right.id,
    left,
    right,
  );
}

export function setLeft(node: Node, child: Node): void {
  node.left = child;
  node.leftId = child.id;
}

export function setRight(node: Node, child: Node): void {
  node.right = child;
  node.rightId = child.id;
}

/** reference: cometbft-cosmos.md §4.1 — SHA256(zz(0) || zz(1) || zz(version) || lp(key) || lp(SHA256(value))). */
export function leafHash(key: Uint8Array, value: Uint8Array, version: number): Digest {
  const valueHash = sha256Digest(value);
  const length = 2 + zigzagLength(version) + uvarintLength(key.length) + key.length + 33;
  const buf = scratchBuffer(length);
  buf[0] = 0; // zz(height 0)
  buf[1] = 2; // zz(size 1)
  let o = putZigzag(buf, 2, version);
  o = putUvarint(buf, o, key.length);
  buf.set(key, o);
  o += key.length;
  buf[o++] = 32;
  buf.write(valueHash, o, "latin1");
  return sha256Scratch(length);
}

/**
 * reference: cometbft-cosmos.md §4.1 — SHA256(zz(height) || zz(size) || zz(version) || lp(left) || lp(right));
 * the inner node's key is not hashed.
 */
export function innerHash(
  height: number,
  size: number,
  version: number,
  leftHash: Digest,
  rightHash: Digest,
): Digest {
  const length = zigzagLength(height) + zigzagLength(size) + zigzagLength(version) + 66;
  const buf = scratchBuffer(length);
  let o = putZigzag(buf, 0, height);
  o = putZigzag(buf, o, size);
  o = putZigzag(buf, o, version);
  buf[o++] = 32;
  buf.write(leftHash, o, "latin1");
  o += 32;
  buf[o++] = 32;
  buf.write(rightHash, o, "latin1");
  return sha256Scratch(length);
}

// The on-disk record is DeCloud's own (only hashes must match Cosmos):
//   leaf:  0x00 uv(version) uv(len key) key hash[32] value
//   inner: 0x01 uv(height) uv(size) uv(version) uv(len key) key uv(leftId) uv(rightId) hash[32]
// The hash is stored so that a parent can be rehashed without rehashing (or even reading) its children's subtrees.

const LEAF = 0;
const INNER = 1;

/** The size of the node's record. */
function recordLength(node: Node): number {
  const key = node.key;
  if (node.height === 0) {
    return 1 + uvarintLength(node.version) + uvarintLength(key.length) + key.length + 32 + node.value!.length;
  }
  return (
    1 +
    uvarintLength(node.height) +
    uvarintLength(node.size) +
    uvarintLength(node.version) +
    uvarintLength(key.length) +
    key.length +
    uvarintLength(node.leftId) +
    uvarintLength(node.rightId) +
    32
  );
}

/** Encodes the node's record into memory obtained from `allocate` (the write batch's arena). */
export function encodeNode(node: Node, allocate: (length: number) => Buffer): Buffer {
  const buf = allocate(recordLength(node));
  const key = node.key;
  if (node.height === 0) {
    buf[0] = LEAF;
    let o = putUvarint(buf, 1, node.version);
    o = putUvarint(buf, o, key.length);
    buf.set(key, o);
    o += key.length;
    buf.write(node.hash!, o, "latin1");
    buf.set(node.value!, o + 32);
    return buf;
  }
  buf[0] = INNER;
  let o = putUvarint(buf, 1, node.height);
  o = putUvarint(buf, o, node.size);
  o = putUvarint(buf, o, node.version);
  o = putUvarint(buf, o, key.length);
  buf.set(key, o);
  o += key.length;
  o = putUvarint(buf, o, node.leftId);
  o = putUvarint(buf, o, node.rightId);
  buf.write(node.hash!, o, "latin1");
  return buf;
}

/**
 * Decodes a record. `record` may be a reused buffer, so what is kept is copied, once: Buffer.from takes small
 * copies from Node's buffer pool, and the key and value are views into that copy. (Measured: ~550 bytes of heap
 * per decoded node, and separate copies of key and value cost more, ~570, as each small array carries its own
 * array-buffer object.)
 */
export function decodeNode(id: number, record: Uint8Array): Node {
  const own = Buffer.from(record);
  const r = new ByteReader(own, 1);
  if (own[0] === LEAF) {
    const version = r.uvarint();
    const key = r.bytes(r.uvarint());
    const hash = own.toString("latin1", r.pos, r.pos + 32);
    r.pos += 32;
    const value = r.bytes(r.remaining());
    return new Node(key, value, version, 0, 1, hash, id, 0, 0, undefined, undefined);
  }
  if (own[0] !== INNER) throw new Error(`node ${id}: unknown record tag ${own[0]}`);
  const height = r.uvarint();
  const size = r.uvarint();
  const version = r.uvarint();
  const key = r.bytes(r.uvarint());
  const leftId = r.uvarint();
  const rightId = r.uvarint();
  const hash = own.toString("latin1", r.pos, r.pos + 32);
  return new Node(key, undefined, version, height, size, hash, id, leftId, rightId, undefined, undefined);
}
