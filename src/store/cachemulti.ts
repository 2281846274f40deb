// A cache branch of a multistore: one CacheKVStore per store, created when the store is first used.
import { CacheKVStore } from "./cachekv.js";
import type { CacheMultiStore, MultiStore } from "./types.js";

class CacheMultiStoreBranch implements CacheMultiStore {
  private readonly stores = new Map<string, CacheKVStore>();

  constructor(private readonly parent: MultiStore) {}

  getStore(name: string): CacheKVStore {
    let store = this.stores.get(name);
    if (store === undefined) {
      store = new CacheKVStore(this.parent.getStore(name));
      this.stores.set(name, store);
    }
    return store;
  }

  storeNames(): readonly string[] {
    return this.parent.storeNames();
  }

  /** Stores in name order, keys in key order: the parent sees the same sequence of writes on every node. */
  write(): void {
    const names = [...this.stores.keys()].sort();
    for (const name of names) this.stores.get(name)!.write();
  }

  branch(): CacheMultiStore {
    return new CacheMultiStoreBranch(this);
  }
}

/** A branch of `parent`: reads fall through, writes stay in memory until `write()`. */
export function branchMultiStore(parent: MultiStore): CacheMultiStore {
  return new CacheMultiStoreBranch(parent);
}
