// In-order iteration over an IAVL tree between bounds, in either direction.
//
// The iterator holds the root it was created with; nodes are never modified, so later writes to the tree do not
// affect it (the snapshot semantics that KVStore promises). It keeps a stack of the inner nodes whose other
// subtree is still to be visited, and loads children only when it reaches them, so a short scan of a large tree
// reads few nodes.
import { compareBytes } from "./bytes.js";
import type { Node } from "./node.js";
import type { NodeDb } from "./nodedb.js";

// An unsaved node keeps the links to the children it loads: it is walked several times before it is saved
// (set, rebalance, hash, save), and it is dropped or saved at the next commit, so this holds no memory for long.

export function leftOf(node: Node, nodes: NodeDb): Node {
  const linked = node.left;
  if (linked !== undefined) return linked;
  const loaded = nodes.load(node.leftId);
  if (node.id === 0) node.left = loaded;
  return loaded;
}

export function rightOf(node: Node, nodes: NodeDb): Node {
  const linked = node.right;
  if (linked !== undefined) return linked;
  const loaded = nodes.load(node.rightId);
  if (node.id === 0) node.right = loaded;
  return loaded;
}

export class TreeIterator implements IterableIterator<[Uint8Array, Uint8Array]> {
  private readonly stack: Node[] = [];
  private started = false;
  private finished: boolean;

  constructor(
    private readonly root: Node | undefined,
    private readonly nodes: NodeDb,
    private readonly start: Uint8Array | undefined,
    private readonly end: Uint8Array | undefined,
    private readonly reverse: boolean,
  ) {
    this.finished =
      root === undefined || (start !== undefined && end !== undefined && compareBytes(start, end) >= 0);
  }

  [Symbol.iterator](): this {
    return this;
  }

  next(): IteratorResult<[Uint8Array, Uint8Array]> {
    if (this.finished) return { done: true, value: undefined };
    let leaf: Node | undefined;
    if (!this.started) {
      this.started = true;
      leaf = this.reverse ? this.seekLast() : this.seekFirst();
    } else {
      leaf = this.reverse ? this.stepBack() : this.stepForward();
    }
    if (
      leaf === undefined ||
      (this.reverse
        ? this.start !== undefined && compareBytes(leaf.key, this.start) < 0
        : this.end !== undefined && compareBytes(leaf.key, this.end) >= 0)
    ) {
      this.finished = true;
      this.stack.length = 0;
      return { done: true, value: undefined };
    }
    return { done: false, value: [leaf.key, leaf.value!] };
  }

  return(): IteratorResult<[Uint8Array, Uint8Array]> {
    this.finished = true;
    this.stack.length = 0;
    return { done: true, value: undefined };
  }

  /** The first leaf with key >= start. */
  private seekFirst(): Node | undefined {
    const nodes = this.nodes;
    const start = this.start;
    const stack = this.stack;
    let node = this.root!;
    while (node.height > 0) {
      // The left subtree holds keys < node.key: it matters only if start is below node.key.
      if (start === undefined || compareBytes(start, node.key) < 0) {
        stack.push(node);
        node = leftOf(node, nodes);
      } else {
        node = rightOf(node, nodes);
      }
    }
    let leaf: Node | undefined = node;
    while (leaf !== undefined && start !== undefined && compareBytes(leaf.key, start) < 0)
      leaf = this.stepForward();
    return leaf;
  }

  private stepForward(): Node | undefined {
    const nodes = this.nodes;
    const stack = this.stack;
    const parent = stack.pop();
    if (parent === undefined) return undefined;
    let node = rightOf(parent, nodes);
    while (node.height > 0) {
      stack.push(node);
      node = leftOf(node, nodes);
    }
    return node;
  }

  /** The last leaf with key < end. */
  private seekLast(): Node | undefined {
    const nodes = this.nodes;
    const end = this.end;
    const stack = this.stack;
    let node = this.root!;
    while (node.height > 0) {
      // The right subtree holds keys >= node.key: it matters only if end is above node.key.
      if (end === undefined || compareBytes(end, node.key) > 0) {
        stack.push(node);
        node = rightOf(node, nodes);
      } else {
        node = leftOf(node, nodes);
      }
    }
    let leaf: Node | undefined = node;
    while (leaf !== undefined && end !== undefined && compareBytes(leaf.key, end) >= 0)
      leaf = this.stepBack();
    return leaf;
  }

  private stepBack(): Node | undefined {
    const nodes = this.nodes;
    const stack = this.stack;
    const parent = stack.pop();
    if (parent === undefined) return undefined;
    let node = leftOf(parent, nodes);
    while (node.height > 0) {
      stack.push(node);
      node = rightOf(node, nodes);
    }
    return node;
  }
}
