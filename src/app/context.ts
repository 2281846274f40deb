// The context a message handler, an ante step or a query runs in: the block it belongs to, the state branch
// it may read and write, its gas meter and its events. Handlers get everything through it and nothing else.
import type { CacheMultiStore, KVStore, MultiStore } from "../store/types.js";
import { EventManager } from "./events.js";
import { GasKVStore, type GasMeter } from "./gas.js";

/** How the transaction or call is being run (the SDK's exec modes). */
export type ExecMode = "check" | "recheck" | "simulate" | "finalize" | "genesis" | "query";

export interface BlockInfo {
  chainId: string;
  height: bigint;
  /** Block time from the header, in nanoseconds since the epoch; never the wall clock. */
  timeNs: bigint;
}

export class Context {
  private readonly stores = new Map<string, KVStore>();

  constructor(
    readonly block: BlockInfo,
    readonly mode: ExecMode,
    readonly ms: MultiStore,
    readonly gasMeter: GasMeter,
    readonly events = new EventManager(),
  ) {}

  /** The named module store, charged to this context's gas meter. */
  kv(storeName: string): KVStore {
    let store = this.stores.get(storeName);
    if (!store) {
      store = new GasKVStore(this.ms.getStore(storeName), this.gasMeter);
      this.stores.set(storeName, store);
    }
    return store;
  }

  /** A child context on a new branch of this one's state, sharing block info and gas meter. */
  branch(): { ctx: Context; cache: CacheMultiStore } {
    const cache = (this.ms as CacheMultiStore).branch();
    return { ctx: new Context(this.block, this.mode, cache, this.gasMeter), cache };
  }

  get isCheck(): boolean {
    return this.mode === "check" || this.mode === "recheck";
  }

  get isSimulate(): boolean {
    return this.mode === "simulate";
  }
}
