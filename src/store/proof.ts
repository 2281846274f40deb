// ICS-23 proofs of (non-)membership in an IAVL tree, shaped exactly like cosmos/iavl's proof_ics23.go so that
// Go ics23 (used by ibc-go on a counterparty) accepts them, not only @confio/ics23
// (reference: cometbft-cosmos.md §4.2): the leaf prefix is exactly zz(0) zz(1) zz(version), and every inner
// prefix is zz(height) zz(size) zz(version) followed by 0x20 (proven child on the left) or
// 0x20 || leftHash || 0x20 (proven child on the right).
import {
  type CommitmentProof,
  type ExistenceProof,
  HashOp,
  type InnerOp,
  LengthOp,
} from "cosmjs-types/cosmos/ics23/v1/proofs";
import { bytesEqual, compareBytes, putZigzag, zigzagLength } from "./bytes.js";
import { digestBytes } from "./hash.js";
import { leftOf, rightOf, TreeIterator } from "./iterator.js";
import type { Node } from "./node.js";
import type { NodeDb } from "./nodedb.js";
import { hashOf } from "./tree.js";

function heightSizeVersion(node: Node, extra: number): { buf: Uint8Array; offset: number } {
  const buf = new Uint8Array(
    zigzagLength(node.height) + zigzagLength(node.size) + zigzagLength(node.version) + extra,
  );
  let offset = putZigzag(buf, 0, node.height);
  offset = putZigzag(buf, offset, node.size);
  offset = putZigzag(buf, offset, node.version);
  return { buf, offset };
}

/** The existence proof of `key`, or undefined if the tree does not hold it. */
export function existenceProof(
  root: Node | undefined,
  nodes: NodeDb,
  key: Uint8Array,
): ExistenceProof | undefined {
  if (root === undefined) return undefined;
  const path: InnerOp[] = [];
  let node = root;
  while (node.height > 0) {
    if (compareBytes(key, node.key) < 0) {
      // Proven child on the left: prefix = hsv || 0x20, suffix = 0x20 || rightHash.
      const { buf: prefix, offset } = heightSizeVersion(node, 1);
      prefix[offset] = 32;
      const suffix = new Uint8Array(33);
      suffix[0] = 32;
      suffix.set(digestBytes(hashOf(rightOf(node, nodes), nodes)), 1);
      path.push({ hash: HashOp.SHA256, prefix, suffix });
      node = leftOf(node, nodes);
    } else {
      // Proven child on the right: prefix = hsv || 0x20 || leftHash || 0x20, suffix empty.
      const { buf: prefix, offset } = heightSizeVersion(node, 34);
      prefix[offset] = 32;
      prefix.set(digestBytes(hashOf(leftOf(node, nodes), nodes)), offset + 1);
      prefix[offset + 33] = 32;
      path.push({ hash: HashOp.SHA256, prefix, suffix: new Uint8Array(0) });
      node = rightOf(node, nodes);
    }
  }
  if (!bytesEqual(node.key, key)) return undefined;
  path.reverse(); // ICS-23 orders the path leaf to root
  const { buf: leafPrefix } = heightSizeVersion(node, 0);
  return {
    key: node.key,
    value: node.value!,
    leaf: {
      hash: HashOp.SHA256,
      prehashKey: HashOp.NO_HASH,
      prehashValue: HashOp.SHA256,
      length: LengthOp.VAR_PROTO,
      prefix: leafPrefix,
    },
    path,
  };
}

/**
 * An existence proof if the tree holds `key`, else a non-existence proof made of the existence proofs of its
 * neighbours (absent at the edges of the key space).
 */
export function commitmentProof(root: Node | undefined, nodes: NodeDb, key: Uint8Array): CommitmentProof {
  const exist = existenceProof(root, nodes, key);
  if (exist !== undefined) return { exist };
  // An empty tree has no neighbours to show: like cosmos/iavl, answer a non-existence proof with neither side,
  // which verifiers reject (ICS-23 cannot prove anything about an empty tree).
  if (root === undefined) return { nonexist: { key, left: undefined, right: undefined } };
  const before = new TreeIterator(root, nodes, undefined, key, true).next();
  const after = new TreeIterator(root, nodes, key, undefined, false).next();
  return {
    nonexist: {
      key,
      left: before.done ? undefined : existenceProof(root, nodes, before.value[0]),
      right: after.done ? undefined : existenceProof(root, nodes, after.value[0]),
    },
  };
}
