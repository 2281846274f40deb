// A cache branch of a KVStore: writes stay in an in-memory buffer (deletes as tombstones) until `write()`
// passes them to the parent; reads fall through to the parent for keys the buffer does not hold. Every
// transaction runs on one, so a failed transaction is undone by dropping its branch.
import { compareBytes, keyString } from "./bytes.js";
import type { KVStore } from "./types.js";
import { assertValidKey, assertValidValue } from "./validate.js";

interface Entry {
  readonly key: Uint8Array;
  /** keyString(key): its JS order is the bytewise order of key. */
  readonly ks: string;
  /** undefined = deleted */
  value: Uint8Array | undefined;
}

function byKey(a: Entry, b: Entry): number {
  return a.ks < b.ks ? -1 : a.ks > b.ks ? 1 : 0;
}

/** Sorts in place by key. A tx's branch holds a handful of entries: insertion sort, without sort()'s copy. */
function sortByKey(entries: Entry[]): Entry[] {
  if (entries.length > 16) return entries.sort(byKey);
  for (let i = 1; i < entries.length; i++) {
    const entry = entries[i]!;
    let j = i - 1;
    while (j >= 0 && entries[j]!.ks > entry.ks) {
      entries[j + 1] = entries[j]!;
      j--;
    }
    entries[j + 1] = entry;
  }
  return entries;
}

export class CacheKVStore implements KVStore {
  private entries = new Map<string, Entry>();
  /** Every entry, in key order, except those added since the last iterator or write. */
  private sorted: Entry[] = [];
  /** Entries added since; sorted and merged in lazily, so that writes stay O(1). */
  private unsorted: Entry[] = [];

  constructor(private readonly parent: KVStore) {}

  get(key: Uint8Array): Uint8Array | undefined {
    return this.getKeyed(key, keyString(key));
  }

  has(key: Uint8Array): boolean {
    return this.getKeyed(key, keyString(key)) !== undefined;
  }

  /** get() with keyString(key) already computed: a stack of branches (tx over block) computes it once. */
  private getKeyed(key: Uint8Array, ks: string): Uint8Array | undefined {
    const entry = this.entries.get(ks);
    if (entry !== undefined) return entry.value;
    const parent = this.parent;
    return parent instanceof CacheKVStore ? parent.getKeyed(key, ks) : parent.get(key);
  }

  set(key: Uint8Array, value: Uint8Array): void {
    assertValidKey(key);
    assertValidValue(value);
    this.put(key, value);
  }

  delete(key: Uint8Array): void {
    assertValidKey(key);
    this.put(key, undefined);
  }

  iterator(
    start?: Uint8Array,
    end?: Uint8Array,
    reverse = false,
  ): IterableIterator<[Uint8Array, Uint8Array]> {
    // The buffered entries in range are copied now, and the parent's iterator is a snapshot too: writes made
    // while iterating are not seen.
    const sorted = this.sortedEntries();
    const from = start === undefined ? 0 : lowerBound(sorted, keyString(start));
    const to = end === undefined ? sorted.length : lowerBound(sorted, keyString(end));
    const keys: Uint8Array[] = [];
    const values: (Uint8Array | undefined)[] = [];
    for (let i = from; i < to; i++) {
      keys.push(sorted[i]!.key);
      values.push(sorted[i]!.value);
    }
    return new MergeIterator(this.parent.iterator(start, end, reverse), keys, values, reverse);
  }

  /** Passes every buffered change to the parent in ascending key order, then empties the buffer. */
  write(): void {
    const sorted = this.sortedEntries();
    this.entries = new Map();
    this.sorted = [];
    const parent = this.parent;
    for (const entry of sorted) {
      if (entry.value === undefined) parent.delete(entry.key);
      else parent.set(entry.key, entry.value);
    }
  }

  /** Number of buffered changes. */
  get size(): number {
    return this.entries.size;
  }

  private put(key: Uint8Array, value: Uint8Array | undefined): void {
    const ks = keyString(key);
    const entry = this.entries.get(ks);
    if (entry !== undefined) {
      entry.value = value;
      return;
    }
    const created: Entry = { key, ks, value };
    this.entries.set(ks, created);
    this.unsorted.push(created);
  }

  private sortedEntries(): Entry[] {
    if (this.unsorted.length === 0) return this.sorted;
    const fresh = sortByKey(this.unsorted);
    this.unsorted = [];
    const old = this.sorted;
    if (old.length === 0) {
      this.sorted = fresh;
      return fresh;
    }
    const merged: Entry[] = new Array(old.length + fresh.length);
    let i = 0;
    let j = 0;
    let k = 0;
    while (i < old.length && j < fresh.length)
      merged[k++] = byKey(old[i]!, fresh[j]!) <= 0 ? old[i++]! : fresh[j++]!;
    while (i < old.length) merged[k++] = old[i++]!;
    while (j < fresh.length) merged[k++] = fresh[j++]!;
    this.sorted = merged;
    return merged;
  }
}

/** Index of the first entry whose key is >= ks. */
function lowerBound(sorted: Entry[], ks: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]!.ks < ks) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Merges the parent's entries with the buffered ones; the buffer wins on equal keys, tombstones hide keys. */
class MergeIterator implements IterableIterator<[Uint8Array, Uint8Array]> {
  private current: IteratorResult<[Uint8Array, Uint8Array]>;
  private index: number;

  constructor(
    private readonly parent: Iterator<[Uint8Array, Uint8Array]>,
    private readonly keys: Uint8Array[],
    private readonly values: (Uint8Array | undefined)[],
    private readonly reverse: boolean,
  ) {
    this.current = parent.next();
    this.index = reverse ? keys.length - 1 : 0;
  }

  [Symbol.iterator](): this {
    return this;
  }

  next(): IteratorResult<[Uint8Array, Uint8Array]> {
    const keys = this.keys;
    const values = this.values;
    const reverse = this.reverse;
    for (;;) {
      const buffered = reverse ? this.index >= 0 : this.index < keys.length;
      const current = this.current;
      if (!buffered) {
        if (current.done) return current;
        this.current = this.parent.next();
        return current;
      }
      const key = keys[this.index]!;
      if (!current.done) {
        const c = compareBytes(current.value[0], key);
        if (reverse ? c > 0 : c < 0) {
          this.current = this.parent.next();
          return current;
        }
        if (c === 0) this.current = this.parent.next(); // shadowed by the buffer
      }
      const value = values[this.index];
      this.index += reverse ? -1 : 1;
      if (value !== undefined) return { done: false, value: [key, value] };
    }
  }

  return(): IteratorResult<[Uint8Array, Uint8Array]> {
    this.index = this.reverse ? -1 : this.keys.length;
    this.current = { done: true, value: undefined };
    this.parent.return?.();
    return { done: true, value: undefined };
  }
}
