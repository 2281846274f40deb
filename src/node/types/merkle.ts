// CometBFT's "simple" Merkle tree (crypto/merkle/tree.go), which follows RFC 6962: leaf = SHA256(0x00 || b),
// inner = SHA256(0x01 || left || right), split at the largest power of two strictly less than n, and the
// empty tree hashes to SHA256(""). Used for header, data, results, validator-set and commit hashes, part sets
// and tx proofs. reference: cometbft-cosmos.md §4.3, §5.6
import { createHash } from "node:crypto";

const LEAF_PREFIX = Uint8Array.of(0);
const INNER_PREFIX = Uint8Array.of(1);

export function sha256(...parts: Uint8Array[]): Uint8Array {
  const h = createHash("sha256");
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
}

export const EMPTY_HASH: Uint8Array = sha256();

export function leafHash(leaf: Uint8Array): Uint8Array {
  return sha256(LEAF_PREFIX, leaf);
}

export function innerHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  return sha256(INNER_PREFIX, left, right);
}

/** Largest power of two strictly less than n (n >= 2). */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function rootOf(items: readonly Uint8Array[], start: number, end: number): Uint8Array {
  const n = end - start;
  if (n === 1) return leafHash(items[start]!);
  const k = splitPoint(n);
  return innerHash(rootOf(items, start, start + k), rootOf(items, start + k, end));
}

/** merkle.HashFromByteSlices */
export function merkleRoot(items: readonly Uint8Array[]): Uint8Array {
  if (items.length === 0) return EMPTY_HASH;
  return rootOf(items, 0, items.length);
}

/** A proof of one leaf, as CometBFT's merkle.Proof (aunts ordered from the leaf upwards). */
export interface MerkleProof {
  total: number;
  index: number;
  leafHash: Uint8Array;
  aunts: Uint8Array[];
}

/** merkle.ProofsFromByteSlices, for one index. */
export function merkleProof(
  items: readonly Uint8Array[],
  index: number,
): { root: Uint8Array; proof: MerkleProof } {
  if (index < 0 || index >= items.length) throw new RangeError(`leaf index ${index} out of range`);
  const aunts: Uint8Array[] = [];
  const walk = (start: number, end: number): Uint8Array => {
    const n = end - start;
    if (n === 1) return leafHash(items[start]!);
    const k = splitPoint(n);
    const mid = start + k;
    if (index < mid) {
      const left = walk(start, mid);
      const right = rootOf(items, mid, end);
      aunts.push(right);
      return innerHash(left, right);
    }
    const left = rootOf(items, start, mid);
    const right = walk(mid, end);
    aunts.push(left);
    return innerHash(left, right);
  };
  const root = walk(0, items.length);
  return { root, proof: { total: items.length, index, leafHash: leafHash(items[index]!), aunts } };
}

/** Recomputes the root from a proof (merkle.Proof.Verify without the comparison). */
export function rootFromProof(proof: MerkleProof): Uint8Array {
  const compute = (index: number, total: number, leaf: Uint8Array, aunts: Uint8Array[]): Uint8Array => {
    if (total === 1) {
      if (aunts.length !== 0) throw new Error("invalid merkle proof");
      return leaf;
    }
    if (aunts.length === 0) throw new Error("invalid merkle proof");
    const k = splitPoint(total);
    const last = aunts[aunts.length - 1]!;
    const rest = aunts.slice(0, -1);
    if (index < k) return innerHash(compute(index, k, leaf, rest), last);
    return innerHash(last, compute(index - k, total - k, leaf, rest));
  };
  return compute(proof.index, proof.total, proof.leafHash, proof.aunts);
}
