// The multistore's app hash: the CometBFT "simple" Merkle tree (RFC 6962) over (store name, store root)
// pairs sorted by name, and the ICS-23 existence proof of one store root in it
// (reference: cometbft-cosmos.md §4.3).
import { type ExistenceProof, HashOp, type InnerOp, LengthOp } from "cosmjs-types/cosmos/ics23/v1/proofs";
import { compareBytes, putUvarint, utf8, uvarintLength } from "./bytes.js";
import { EMPTY_HASH, sha256 } from "./hash.js";

export interface StoreRoot {
  name: string;
  hash: Uint8Array;
}

/** leaf = SHA256(0x00 || lp(name) || lp(SHA256(root))) — the SDK hashes the store root once more as the value. */
function storeLeafHash(name: Uint8Array, root: Uint8Array): Uint8Array {
  const buf = new Uint8Array(1 + uvarintLength(name.length) + name.length + 33);
  buf[0] = 0x00;
  let o = putUvarint(buf, 1, name.length);
  buf.set(name, o);
  o += name.length;
  buf[o++] = 32;
  buf.set(sha256(root), o);
  return sha256(buf);
}

function innerHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  const buf = new Uint8Array(65);
  buf[0] = 0x01;
  buf.set(left, 1);
  buf.set(right, 33);
  return sha256(buf);
}

/** The largest power of two strictly less than n (n >= 2): RFC 6962's split point. */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function merkleRoot(leaves: Uint8Array[], from: number, to: number): Uint8Array {
  const n = to - from;
  if (n === 0) return EMPTY_HASH;
  if (n === 1) return leaves[from]!;
  const k = splitPoint(n);
  return innerHash(merkleRoot(leaves, from, from + k), merkleRoot(leaves, from + k, to));
}

interface SortedLeaves {
  names: Uint8Array[];
  leaves: Uint8Array[];
}

function sortedLeaves(roots: readonly StoreRoot[]): SortedLeaves {
  const entries = roots.map((r) => ({ name: utf8(r.name), hash: r.hash }));
  entries.sort((a, b) => compareBytes(a.name, b.name));
  return {
    names: entries.map((e) => e.name),
    leaves: entries.map((e) => storeLeafHash(e.name, e.hash)),
  };
}

/** The app hash over the stores' roots. */
export function multiStoreHash(roots: readonly StoreRoot[]): Uint8Array {
  const { leaves } = sortedLeaves(roots);
  return merkleRoot(leaves, 0, leaves.length);
}

/**
 * The ICS-23 existence proof of `name`'s root in the multistore hash: key = store name, value = the store root
 * (unhashed), TendermintSpec leaf, and one inner op per Merkle level, leaf to root.
 */
export function storeRootProof(roots: readonly StoreRoot[], name: string): ExistenceProof {
  const { names, leaves } = sortedLeaves(roots);
  const key = utf8(name);
  const index = names.findIndex((n) => compareBytes(n, key) === 0);
  if (index < 0) throw new Error(`store "${name}" is not in the multistore`);
  const path: InnerOp[] = [];
  // Walk down to the leaf, recording each level's sibling; the path is then reversed to leaf-to-root order.
  let from = 0;
  let to = leaves.length;
  while (to - from > 1) {
    const mid = from + splitPoint(to - from);
    if (index < mid) {
      // Sibling on the right: child || aunt.
      path.push({ hash: HashOp.SHA256, prefix: new Uint8Array([1]), suffix: merkleRoot(leaves, mid, to) });
      to = mid;
    } else {
      const aunt = merkleRoot(leaves, from, mid);
      const prefix = new Uint8Array(33);
      prefix[0] = 1;
      prefix.set(aunt, 1);
      path.push({ hash: HashOp.SHA256, prefix, suffix: new Uint8Array(0) });
      from = mid;
    }
  }
  path.reverse();
  const root = roots.find((r) => r.name === name)!.hash;
  return {
    key,
    value: root,
    leaf: {
      hash: HashOp.SHA256,
      prehashKey: HashOp.NO_HASH,
      prehashValue: HashOp.SHA256,
      length: LengthOp.VAR_PROTO,
      prefix: new Uint8Array([0]),
    },
    path,
  };
}
