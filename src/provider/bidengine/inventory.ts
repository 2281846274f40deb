// Capacity for bids: what the cluster has (the Docker Engine's CPUs, memory and disk, capped by the
// config's limits) minus what reservations hold — pending ones for open bids, active ones for leases
// (reference: akash-provider.md §6.5). A reservation is checked and written in one synchronous step, so
// concurrent orders can never book the same capacity twice.
import type { ClusterBackend, ClusterCapacity } from "../cluster/backend.js";
import type { ProviderStore } from "../state/store.js";

export interface CapacityLimits {
  readonly cpuMillis?: bigint;
  readonly memoryBytes?: bigint;
  readonly storageBytes?: bigint;
}

export interface Resources {
  readonly cpuMillis: bigint;
  readonly memoryBytes: bigint;
  readonly storageBytes: bigint;
}

const min = (a: bigint, b: bigint | undefined) => (b === undefined || a < b ? a : b);

export class Inventory {
  private total: ClusterCapacity | undefined;

  constructor(
    private readonly limits: CapacityLimits,
    private readonly modules: { readonly cluster: ClusterBackend; readonly store: ProviderStore },
  ) {}

  /** Reads the cluster's capacity (at start, and now and then: disks fill up). */
  async refresh(): Promise<ClusterCapacity> {
    const c = await this.modules.cluster.capacity();
    this.total = {
      cpuMillis: min(c.cpuMillis, this.limits.cpuMillis),
      memoryBytes: min(c.memoryBytes, this.limits.memoryBytes),
      storageBytes: min(c.storageBytes, this.limits.storageBytes),
    };
    return this.total;
  }

  capacity(): ClusterCapacity {
    if (!this.total) throw new Error("inventory not read yet: call refresh() first");
    return this.total;
  }

  reserved(state?: "pending" | "active"): Resources {
    let cpuMillis = 0n;
    let memoryBytes = 0n;
    let storageBytes = 0n;
    for (const r of this.modules.store.reservations()) {
      if (state && r.state !== state) continue;
      cpuMillis += r.cpuMillis;
      memoryBytes += r.memoryBytes;
      storageBytes += r.storageBytes;
    }
    return { cpuMillis, memoryBytes, storageBytes };
  }

  available(): Resources {
    const total = this.capacity();
    const used = this.reserved();
    return {
      cpuMillis: total.cpuMillis - used.cpuMillis,
      memoryBytes: total.memoryBytes - used.memoryBytes,
      storageBytes: total.storageBytes - used.storageBytes,
    };
  }

  /** Reserves `want` for `order` if it fits; returns why not otherwise. Synchronous on purpose. */
  reserve(order: string, want: Resources): string | undefined {
    const { store } = this.modules;
    return store.transaction(() => {
      if (store.reservation(order)) return undefined;
      const free = this.available();
      if (want.cpuMillis > free.cpuMillis) return `needs ${want.cpuMillis}m CPU, ${free.cpuMillis}m free`;
      if (want.memoryBytes > free.memoryBytes)
        return `needs ${want.memoryBytes} bytes of memory, ${free.memoryBytes} free`;
      if (want.storageBytes > free.storageBytes) {
        return `needs ${want.storageBytes} bytes of storage, ${free.storageBytes} free`;
      }
      store.putReservation({ order, ...want, state: "pending" });
      return undefined;
    });
  }

  /** Orders holding a pending (bid) reservation. */
  pendingOrders(): string[] {
    return this.modules.store
      .reservations()
      .filter((r) => r.state === "pending")
      .map((r) => r.order);
  }

  release(order: string): void {
    const r = this.modules.store.reservation(order);
    // An active reservation belongs to a lease: the lease's teardown releases it.
    if (r && r.state === "pending") this.modules.store.deleteReservation(order);
  }
}
