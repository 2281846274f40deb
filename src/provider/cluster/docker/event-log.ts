// The events of each lease's workloads: what the provider did (pull, create, replace, remove) and what Docker
// reported (a container died, was OOM-killed, restarted). Kubernetes keeps such events for an hour; the
// provider keeps the last few hundred per lease in memory, which is what `kubeevents` shows.
import type { ClusterEvent } from "../backend.js";
import { Channel } from "../subscription.js";

const KEEP = 500;

export class EventLog {
  private readonly events = new Map<string, ClusterEvent[]>();
  private readonly followers = new Map<string, Set<Channel<ClusterEvent>>>();

  record(lease: string, event: Omit<ClusterEvent, "time">): void {
    const full: ClusterEvent = { ...event, time: new Date() };
    const list = this.events.get(lease) ?? [];
    list.push(full);
    if (list.length > KEEP) list.splice(0, list.length - KEEP);
    this.events.set(lease, list);
    for (const f of this.followers.get(lease) ?? []) f.push(full);
  }

  list(lease: string): readonly ClusterEvent[] {
    return this.events.get(lease) ?? [];
  }

  subscribe(lease: string, follow: boolean): Channel<ClusterEvent> {
    const channel = new Channel<ClusterEvent>();
    for (const e of this.list(lease)) channel.push(e);
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

  forget(lease: string): void {
    this.events.delete(lease);
    for (const f of this.followers.get(lease) ?? []) f.end();
    this.followers.delete(lease);
  }

  closeAll(): void {
    for (const set of this.followers.values()) for (const f of set) f.end();
    this.followers.clear();
  }
}
