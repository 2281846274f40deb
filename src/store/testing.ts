// Helpers shared by the store's tests: temporary directories, a seeded generator, a reference model and tree
// invariant checks. Not used by the store itself.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compareBytes, keyString, toHex } from "./bytes.js";
import { Database } from "./database.js";
import { leftOf, rightOf } from "./iterator.js";
import { NODE_RANGE, StoreKeys } from "./keys.js";
import type { Node } from "./node.js";
import { NodeDb } from "./nodedb.js";
import { loadRoot } from "./tree.js";
import type { KVStore } from "./types.js";

export function tempDir(label: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `decloud-store-${label}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A seeded xorshift generator: tests that draw random data stay reproducible. */
export class Rand {
  private s: number;

  constructor(seed: number) {
    this.s = seed >>> 0 || 1;
  }

  next(): number {
    let x = this.s;
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    this.s = x;
    return x;
  }

  below(n: number): number {
    return this.next() % n;
  }

  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.next() & 0xff;
    return out;
  }
}

/** The reference model: a Map keyed by keyString, read back in bytewise order. */
export class ModelStore {
  readonly map = new Map<string, [Uint8Array, Uint8Array]>();

  set(key: Uint8Array, value: Uint8Array): void {
    this.map.set(keyString(key), [key, value]);
  }

  delete(key: Uint8Array): void {
    this.map.delete(keyString(key));
  }

  get(key: Uint8Array): Uint8Array | undefined {
    return this.map.get(keyString(key))?.[1];
  }

  range(start?: Uint8Array, end?: Uint8Array, reverse = false): [Uint8Array, Uint8Array][] {
    const out = [...this.map.values()]
      .filter(
        ([k]) =>
          (start === undefined || compareBytes(k, start) >= 0) &&
          (end === undefined || compareBytes(k, end) < 0),
      )
      .sort((a, b) => compareBytes(a[0], b[0]));
    return reverse ? out.reverse() : out;
  }
}

export function hexEntries(entries: Iterable<[Uint8Array, Uint8Array]>): string[] {
  return [...entries].map(([k, v]) => `${toHex(k)}=${toHex(v)}`);
}

/** Checks every key and a set of ranges of `store` against the model. */
export function assertSameContent(
  store: KVStore,
  model: ModelStore,
  probes: readonly Uint8Array[],
  context: string,
): void {
  assert.deepEqual(hexEntries(store.iterator()), hexEntries(model.range()), `${context}: full iteration`);
  assert.deepEqual(
    hexEntries(store.iterator(undefined, undefined, true)),
    hexEntries(model.range(undefined, undefined, true)),
    `${context}: full reverse iteration`,
  );
  for (const key of probes) {
    const expected = model.get(key);
    const got = store.get(key);
    assert.equal(
      got === undefined ? undefined : toHex(got),
      expected === undefined ? undefined : toHex(expected),
      `${context}: get ${toHex(key)}`,
    );
    assert.equal(store.has(key), expected !== undefined, `${context}: has ${toHex(key)}`);
  }
  for (let i = 0; i + 1 < probes.length; i += 2) {
    const [a, b] = [probes[i]!, probes[i + 1]!];
    for (const reverse of [false, true]) {
      for (const [start, end] of [
        [a, b],
        [a, undefined],
        [undefined, b],
      ] as const) {
        assert.deepEqual(
          hexEntries(store.iterator(start, end, reverse)),
          hexEntries(model.range(start, end, reverse)),
          `${context}: range ${start && toHex(start)}..${end && toHex(end)} reverse=${reverse}`,
        );
      }
    }
  }
}

/** Checks the AVL+ invariants of a subtree and returns its smallest key. */
export function assertTreeInvariants(node: Node | undefined, nodes: NodeDb): void {
  if (node === undefined) return;
  walk(node, nodes);
}

function walk(node: Node, nodes: NodeDb): { min: Uint8Array; max: Uint8Array } {
  if (node.height === 0) {
    assert.equal(node.size, 1, "leaf size");
    assert.ok(node.value !== undefined && node.value.length > 0, "leaf value");
    return { min: node.key, max: node.key };
  }
  const left = leftOf(node, nodes);
  const right = rightOf(node, nodes);
  assert.equal(node.height, Math.max(left.height, right.height) + 1, "inner height");
  assert.equal(node.size, left.size + right.size, "inner size");
  assert.ok(Math.abs(left.height - right.height) <= 1, `unbalanced node at height ${node.height}`);
  const l = walk(left, nodes);
  const r = walk(right, nodes);
  assert.ok(compareBytes(l.max, r.min) < 0, "left keys below right keys");
  assert.equal(toHex(node.key), toHex(r.min), "inner key is the smallest key of the right subtree");
  return { min: l.min, max: r.max };
}

/** Ids of the nodes reachable from the given versions of a store, read straight from the database. */
export function reachableNodeIds(
  dir: string,
  store: string,
  versions: readonly number[],
): Promise<Set<number>> {
  return withDatabase(dir, (db) => {
    const nodes = new NodeDb(db, 1000);
    const keys = new StoreKeys(store);
    const ids = new Set<number>();
    const visit = (node: Node): void => {
      if (ids.has(node.id)) return;
      ids.add(node.id);
      if (node.height > 0) {
        visit(nodes.load(node.leftId));
        visit(nodes.load(node.rightId));
      }
    };
    for (const v of versions) {
      const { found, root } = loadRoot(nodes, keys, v);
      assert.ok(found, `root of ${store} at version ${v} is on disk`);
      if (root !== undefined) visit(root);
    }
    return ids;
  });
}

/** Number of node records in the database of a closed multistore. */
export function countNodeRecords(dir: string): Promise<number> {
  return withDatabase(dir, (db) => {
    let n = 0;
    for (const _ of db.keys(NODE_RANGE[0], NODE_RANGE[1])) n++;
    return n;
  });
}

async function withDatabase<T>(dir: string, f: (db: Database) => T): Promise<T> {
  const db = Database.open(dir);
  try {
    return f(db);
  } finally {
    await db.close();
  }
}
