// A cache branch of a multistore: one CacheKVStore per store, created when the store is first used.
import { CacheKVStore } from "./cachekv.js";
import type { CacheMultiStore, MultiStore } from "./types.js";

class CacheMultiStoreBranch implements CacheMultiStore {
  private readonly stores = new Map<string, CacheKVStore>();
  /** The names of `stores`, kept in order. */
  private readonly names: string[] = [];

  constructor(private readonly parent: MultiStore) {}

  getStore(name: string): CacheKVStore {
    let store = this.stores.get(name);
    if (store === undefined) {
      store = new CacheKVStore(this.parent.getStore(name));
      this.stores.set(name, store);
      let i = this.names.length;
      while (i > 0 && this.names[i - 1]! > name) i--;
      this.names.splice(i, 0, name);
    }
    return store;
  }

  storeNames(): readonly string[] {
    return this.parent.storeNames();
  }

  /** Stores in name order, keys in key order: the parent sees the same sequence of writes on every node. */
  write(): void {
    for (const name of this.names) this.stores.get(name)!.write();
  }

  branch(): CacheMultiStore {
    return new CacheMultiStoreBranch(this);
  }
}

/** A branch of `parent`: reads fall through, writes stay in memory until `write()`. */
export function branchMultiStore(parent: MultiStore): CacheMultiStore {
  return new CacheMultiStoreBranch(parent);
}
