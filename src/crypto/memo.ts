// A bounded memo for pure conversions (bech32 addresses, decoded stored values), shared by every layer; it is
// here because crypto is the lowest layer that needs one.
//
// Two generations of Maps instead of one Map trimmed oldest-first: V8 leaves a deleted entry's slot in place
// until the table is rebuilt, so `map.keys().next()` on a Map whose oldest entries keep being deleted walks
// over all of them, and with 20,000 entries each eviction cost ~8 µs. Here the young Map takes new entries;
// when it holds half the capacity it becomes the old one and the previous old one is dropped. A hit in the old
// generation is copied into the young one, so entries in steady use stay.
export class BoundedMemo<K, V> {
  private young = new Map<K, V>();
  private old = new Map<K, V>();
  private readonly half: number;

  /** Holds at most `capacity` entries. */
  constructor(capacity: number) {
    this.half = Math.max(1, Math.floor(capacity / 2));
  }

  get(key: K): V | undefined {
    const value = this.young.get(key);
    if (value !== undefined) return value;
    const older = this.old.get(key);
    if (older !== undefined) this.set(key, older);
    return older;
  }

  delete(key: K): void {
    this.young.delete(key);
    this.old.delete(key);
  }

  set(key: K, value: V): void {
    if (this.young.size >= this.half && !this.young.has(key)) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(key, value);
  }
}
