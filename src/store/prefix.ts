// A KVStore view of another KVStore under a key prefix, for modules that keep several collections in one store
// (the Cosmos SDK's prefix.Store).
import { concatBytes } from "./bytes.js";
import type { KVStore } from "./types.js";
import { assertValidKey } from "./validate.js";

/**
 * The smallest key greater than every key that starts with `prefix`: the prefix with its last byte below 0xff
 * incremented and what follows dropped. Undefined (no upper bound) when the prefix is empty or all 0xff.
 */
export function prefixEnd(prefix: Uint8Array): Uint8Array | undefined {
  for (let i = prefix.length - 1; i >= 0; i--) {
    if (prefix[i]! < 0xff) {
      const end = new Uint8Array(prefix.subarray(0, i + 1)); // a copy (Buffer#slice would share memory)
      end[i]!++;
      return end;
    }
  }
  return undefined;
}

export class PrefixStore implements KVStore {
  private readonly end: Uint8Array | undefined;

  constructor(
    private readonly parent: KVStore,
    readonly prefix: Uint8Array,
  ) {
    this.end = prefixEnd(prefix);
  }

  get(key: Uint8Array): Uint8Array | undefined {
    return this.parent.get(concatBytes(this.prefix, key));
  }

  has(key: Uint8Array): boolean {
    return this.parent.has(concatBytes(this.prefix, key));
  }

  set(key: Uint8Array, value: Uint8Array): void {
    assertValidKey(key);
    this.parent.set(concatBytes(this.prefix, key), value);
  }

  delete(key: Uint8Array): void {
    assertValidKey(key);
    this.parent.delete(concatBytes(this.prefix, key));
  }

  iterator(
    start?: Uint8Array,
    end?: Uint8Array,
    reverse = false,
  ): IterableIterator<[Uint8Array, Uint8Array]> {
    const from = start === undefined ? this.prefix : concatBytes(this.prefix, start);
    const to = end === undefined ? this.end : concatBytes(this.prefix, end);
    return stripPrefix(this.parent.iterator(from, to, reverse), this.prefix.length);
  }
}

function stripPrefix(
  inner: Iterator<[Uint8Array, Uint8Array]>,
  length: number,
): IterableIterator<[Uint8Array, Uint8Array]> {
  return {
    [Symbol.iterator]() {
      return this;
    },
    next() {
      const r = inner.next();
      if (r.done) return r;
      return { done: false, value: [r.value[0].subarray(length), r.value[1]] };
    },
    return() {
      inner.return?.();
      return { done: true, value: undefined };
    },
  };
}
