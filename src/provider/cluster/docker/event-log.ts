// The events of each lease's workloads: what the provider did (pull, create, replace, remove) and what Docker
// reported (a container died, was OOM-killed, restarted), which is what `kubeevents` shows. Kubernetes keeps
// such events itself; Docker keeps none, so the provider does: in its state once the provider hands it its
// store (the events then survive a provider restart), else in memory. Either way the last KEEP_EVENTS per
// lease, until the lease is torn down.
import type { ClusterEvent, ClusterEventStore } from "../backend.js";
import { Channel } from "../subscription.js";

/**
 * Events kept per lease (about 200 kB). A crash-looping replica adds two per restart: at Docker's slowest
 * back-off (a minute) that is eight hours of its history.
 */
export const KEEP_EVENTS = 1_000;

export class EventLog {
  private store: ClusterEventStore;
  private onError: (e: unknown) => void = () => {};
  private readonly followers = new Map<string, Set<Channel<ClusterEvent>>>();

  constructor(store: ClusterEventStore = new MemoryEventStore()) {
    this.store = store;
  }

  /**
   * Keeps events in `store` from now on, with those recorded so far. A failing store never fails the lease's
   * work: `onError` hears of it, followers still get the event, only its history is lost.
   */
  keepIn(store: ClusterEventStore, onError: (e: unknown) => void): void {
    const before = this.store;
    this.store = store;
    this.onError = onError;
    if (before instanceof MemoryEventStore) {
      for (const [lease, events] of before.entries())
        for (const e of events) this.attempt(() => store.appendEvent(lease, e, KEEP_EVENTS), undefined);
    }
  }

  record(lease: string, event: Omit<ClusterEvent, "time">): void {
    const time = new Date();
    const seq = this.attempt(() => this.store.appendEvent(lease, { ...event, time }, KEEP_EVENTS), undefined);
    const full: ClusterEvent = seq === undefined ? { ...event, time } : { ...event, time, seq };
    for (const f of this.followers.get(lease) ?? []) f.push(full);
  }

  list(lease: string): readonly ClusterEvent[] {
    return this.attempt(() => this.store.events(lease), []);
  }

  /** The lease's events (those numbered above `after`, if given), then with `follow` those to come. */
  subscribe(lease: string, follow: boolean, after?: number): Channel<ClusterEvent> {
    const channel = new Channel<ClusterEvent>();
    for (const e of this.list(lease)) if (after === undefined || (e.seq ?? 0) > after) channel.push(e);
    if (!follow) {
      channel.end();
      return channel;
    }
    const set = this.followers.get(lease) ?? new Set();
    set.add(channel);
    this.followers.set(lease, set);
    channel.whenClosed(() => set.delete(channel));
    return channel;
  }

  /** The lease is gone from the cluster: its events are deleted and its followers' streams end. */
  forget(lease: string): void {
    this.attempt(() => this.store.deleteEvents(lease), undefined);
    for (const f of this.followers.get(lease) ?? []) f.end();
    this.followers.delete(lease);
  }

  closeAll(): void {
    for (const set of this.followers.values()) for (const f of set) f.end();
    this.followers.clear();
  }

  private attempt<T>(work: () => T, otherwise: T): T {
    try {
      return work();
    } catch (e) {
      this.onError(e);
      return otherwise;
    }
  }
}

/** Events in memory, for as long as the process runs: a backend used without the provider's state (tests). */
export class MemoryEventStore implements ClusterEventStore {
  private readonly leases = new Map<string, ClusterEvent[]>();

  appendEvent(lease: string, event: ClusterEvent, keep: number): number {
    const list = this.leases.get(lease) ?? [];
    const seq = (list.at(-1)?.seq ?? 0) + 1;
    list.push({ ...event, seq });
    if (list.length > keep) list.splice(0, list.length - keep);
    this.leases.set(lease, list);
    return seq;
  }

  events(lease: string): ClusterEvent[] {
    return [...(this.leases.get(lease) ?? [])];
  }

  deleteEvents(lease: string): void {
    this.leases.delete(lease);
  }

  entries(): IterableIterator<[string, readonly ClusterEvent[]]> {
    return this.leases.entries();
  }
}
