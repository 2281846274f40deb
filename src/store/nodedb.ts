// Where tree nodes live: decoded nodes in a bounded cache, records in the database, loaded on demand. The tree
// walks call `load` synchronously; misses cost one LMDB read (a memory-mapped lookup).
import { NodeCache } from "./cache.js";
import type { Database } from "./database.js";
import { StoreError } from "./errors.js";
import { nodeKey } from "./keys.js";
import { decodeNode, type Node } from "./node.js";

/** Nodes kept decoded in memory by default: about 550 bytes each with a 32-byte key and an 80-byte value, so ~275 MB when full. */
export const DEFAULT_NODE_CACHE_SIZE = 500_000;

export class NodeDb {
  private readonly cache: NodeCache<Node>;

  constructor(
    readonly db: Database,
    cacheSize: number,
  ) {
    this.cache = new NodeCache(cacheSize);
  }

  load(id: number): Node {
    const cached = this.cache.get(id);
    if (cached !== undefined) return cached;
    const record = this.db.getTransient(nodeKey(id));
    if (record === undefined) {
      throw new StoreError(
        "version-pruned",
        `tree node ${id} is not in the database: the version being read was pruned while it was in use ` +
          "(read versions that pruning keeps, or raise keepRecent)",
      );
    }
    const node = decodeNode(id, record);
    this.cache.set(node);
    return node;
  }

  /** Remembers a node that was just saved, so the next block finds it without a disk read. */
  remember(node: Node): void {
    this.cache.set(node);
  }

  forget(id: number): void {
    this.cache.delete(id);
  }
}
