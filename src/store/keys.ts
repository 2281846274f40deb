// The database layout: every key the store writes, in one place. All stores of a multistore share one
// database; node records are global (ids are unique across stores), roots and orphan lists are per store.
//
//   'n' id[6]                        node record (src/store/node.ts)
//   'r' lp(store) version[8]         root of a store at a version: uv(node id), 0 for an empty tree
//   'o' lp(store) version[8]         ids (6 bytes each) of the nodes that saving this version orphaned
//   'm' name                         multistore metadata (uvarint values)
//
// Ids and versions are big-endian so that keys sort by number: new nodes are appended at the end of the
// B-tree, and a range scan over roots or orphans walks versions in order.
import { concatBytes, putUvarint, utf8, uvarintLength } from "./bytes.js";

const NODE = 0x6e; // 'n'
const ROOT = 0x72; // 'r'
const ORPHANS = 0x6f; // 'o'
const META = 0x6d; // 'm'

/** Node ids fit in 6 bytes: 2^48 nodes is more than a chain will ever write. */
export const MAX_NODE_ID = 2 ** 48 - 1;

function putBigEndian(buf: Uint8Array, offset: number, n: number, width: number): void {
  for (let i = offset + width - 1; i >= offset; i--) {
    buf[i] = n % 256;
    n = Math.floor(n / 256);
  }
}

export function readBigEndian(buf: Uint8Array, offset: number, width: number): number {
  let n = 0;
  for (let i = offset; i < offset + width; i++) n = n * 256 + buf[i]!;
  return n;
}

export const NODE_KEY_LENGTH = 7;

export function nodeKey(id: number): Uint8Array {
  return writeNodeKey(new Uint8Array(NODE_KEY_LENGTH), id);
}

/** Writes the key of node `id` into `buf` (NODE_KEY_LENGTH bytes) and returns it. */
export function writeNodeKey(buf: Uint8Array, id: number): Uint8Array {
  buf[0] = NODE;
  putBigEndian(buf, 1, id, 6);
  return buf;
}

/** The key range holding every node record (for counting and tests). */
export const NODE_RANGE: readonly [Uint8Array, Uint8Array] = [
  new Uint8Array([NODE]),
  new Uint8Array([NODE + 1]),
];

function storePrefix(tag: number, store: string): Uint8Array {
  const name = utf8(store);
  const out = new Uint8Array(1 + uvarintLength(name.length) + name.length);
  out[0] = tag;
  out.set(name, putUvarint(out, 1, name.length));
  return out;
}

function versioned(prefix: Uint8Array, version: number): Uint8Array {
  const key = new Uint8Array(prefix.length + 8);
  key.set(prefix);
  putBigEndian(key, prefix.length, version, 8);
  return key;
}

/** Key builders for one store, with the prefixes computed once. */
export class StoreKeys {
  private readonly rootPrefix: Uint8Array;
  private readonly orphansPrefix: Uint8Array;

  constructor(readonly store: string) {
    this.rootPrefix = storePrefix(ROOT, store);
    this.orphansPrefix = storePrefix(ORPHANS, store);
  }

  root(version: number): Uint8Array {
    return versioned(this.rootPrefix, version);
  }

  orphans(version: number): Uint8Array {
    return versioned(this.orphansPrefix, version);
  }
}

export function metaKey(name: string): Uint8Array {
  return concatBytes(new Uint8Array([META]), utf8(name));
}

export function encodeIds(ids: readonly number[]): Uint8Array {
  const out = new Uint8Array(ids.length * 6);
  for (let i = 0; i < ids.length; i++) putBigEndian(out, i * 6, ids[i]!, 6);
  return out;
}

export function decodeIds(bytes: Uint8Array): number[] {
  const ids: number[] = [];
  for (let o = 0; o + 6 <= bytes.length; o += 6) ids.push(readBigEndian(bytes, o, 6));
  return ids;
}
