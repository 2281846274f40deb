// A bounded cache of decoded tree nodes, keyed by node id.
//
// Two-way set associative: node ids are dense integers, so an id maps to the set (id mod sets) of two slots,
// and a lookup is two array reads and id comparisons — several times cheaper than a lookup in a Map of a
// million entries, and tree walks do two lookups per level. A new entry replaces the slot of its set that was
// used least recently, so a hot node (the top of a tree) survives the stream of new nodes that each block
// writes. Ids are handed out sequentially, so one block's nodes spread over consecutive sets.
export class NodeCache<V extends { id: number }> {
  private readonly slots: (V | undefined)[];
  /** Per set: which of its two slots was used last (0 or 1). */
  private readonly recent: Uint8Array;
  private readonly setMask: number;

  /** Holds at most `capacity` entries (rounded up to a power of two). */
  constructor(capacity: number) {
    let sets = 1;
    while (sets * 2 < capacity) sets *= 2;
    this.slots = new Array(sets * 2).fill(undefined);
    this.recent = new Uint8Array(sets);
    this.setMask = sets - 1;
  }

  get(id: number): V | undefined {
    const set = id & this.setMask;
    const first = this.slots[set * 2];
    if (first !== undefined && first.id === id) {
      this.recent[set] = 0;
      return first;
    }
    const second = this.slots[set * 2 + 1];
    if (second !== undefined && second.id === id) {
      this.recent[set] = 1;
      return second;
    }
    return undefined;
  }

  set(value: V): void {
    const set = value.id & this.setMask;
    const base = set * 2;
    // Reuse the slot already holding this id, else an empty one, else the least recently used.
    let way: number;
    if (this.slots[base]?.id === value.id || this.slots[base] === undefined) way = 0;
    else if (this.slots[base + 1]?.id === value.id || this.slots[base + 1] === undefined) way = 1;
    else way = 1 - this.recent[set]!;
    this.slots[base + way] = value;
    this.recent[set] = way;
  }

  delete(id: number): void {
    const base = (id & this.setMask) * 2;
    if (this.slots[base]?.id === id) this.slots[base] = undefined;
    else if (this.slots[base + 1]?.id === id) this.slots[base + 1] = undefined;
  }
}
