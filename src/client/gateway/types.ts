// The provider gateway's JSON shapes as Akash defines them (reference: akash-provider.md §5.4, §6.5). Field
// names, `null`s and the PascalCase keys of `ips` are Akash's: tenants of any provider read them. The one
// definition of them: the client reads these shapes and DeCloud's provider (src/provider/) writes them.

export interface ServiceStatus {
  readonly name: string;
  readonly available: number;
  readonly total: number;
  /** Hostnames (with the ingress port when it is not 80), or null. */
  readonly uris: readonly string[] | null;
  readonly observed_generation: number;
  readonly replicas: number;
  readonly updated_replicas: number;
  readonly ready_replicas: number;
  readonly available_replicas: number;
}

export interface ForwardedPort {
  readonly host: string;
  readonly port: number;
  readonly externalPort: number;
  readonly proto: string;
  readonly name: string;
}

export interface LeaseStatus {
  readonly services: Readonly<Record<string, ServiceStatus>>;
  readonly forwarded_ports: Readonly<Record<string, readonly ForwardedPort[]>> | null;
  readonly ips: Readonly<
    Record<string, readonly { Port: number; ExternalPort: number; Protocol: string; IP: string }[]>
  > | null;
  readonly errors?: readonly string[];
  /**
   * DeCloud's addition (absent when empty): `accept` hosts of the lease that another of the owner's leases
   * on this provider holds. Akash withholds them in the same way until `POST /hostname/migrate` moves them
   * (reference: akash-provider.md §6.6); Akash's status does not say so.
   */
  readonly withheld_hostnames?: readonly WithheldHostname[];
}

export interface WithheldHostname {
  readonly hostname: string;
  readonly service: string;
  /** The owner's lease that serves the hostname; null when none of the owner's does (a migration binds a free one here). */
  readonly held_by: { readonly dseq: string; readonly gseq: number; readonly oseq: number } | null;
  /** What it means and how to move it, for people. */
  readonly message: string;
}

/** `POST /hostname/migrate`'s request (reference: akash-provider.md §4.3; Akash's field names). */
export interface HostnameMigrationRequest {
  readonly hostnames_to_migrate: readonly string[];
  readonly destination_dseq: number | string;
  readonly destination_gseq: number;
}

/**
 * `POST /hostname/migrate`'s answer. `transferred` is Akash's (every hostname asked for); `destination`,
 * `moved` and `already` are DeCloud's additions.
 */
export interface HostnameMigrationResult {
  readonly transferred: readonly string[];
  readonly destination?: { readonly dseq: string; readonly gseq: number; readonly oseq: number };
  /** Each hostname that moved, with the lease that served it (null if none did). */
  readonly moved?: readonly {
    readonly hostname: string;
    readonly service: string;
    readonly from: { readonly dseq: string; readonly gseq: number; readonly oseq: number } | null;
  }[];
  /** Hostnames the destination already served. */
  readonly already?: readonly string[];
}

/** Capacity in a provider's `/status` (milli-CPU and bytes). */
export interface ResourceAmounts {
  readonly cpu: number;
  readonly gpu: number;
  readonly memory: number;
  readonly storage_ephemeral: number;
}

/**
 * A provider's `GET /status` (reference §6.5). Every part is optional: the client reads what a provider
 * sends and must not fail on one that leaves a part out (or sends more).
 */
export interface ProviderStatus {
  readonly cluster?: {
    readonly leases?: number;
    readonly inventory?: {
      /** Reserved for active leases and for pending bids. */
      readonly active?: readonly ResourceAmounts[];
      readonly pending?: readonly ResourceAmounts[];
      readonly available?: {
        readonly nodes?: readonly {
          readonly name: string;
          readonly allocatable: ResourceAmounts;
          readonly available: ResourceAmounts;
        }[];
        /** Persistent storage per class (bytes). */
        readonly storage?: readonly { readonly class: string; readonly size: number }[];
      };
    };
  };
  /** Orders the bid engine is working on. */
  readonly bidengine?: { readonly orders?: number };
  /** Deployments whose manifest the provider holds. */
  readonly manifest?: { readonly deployments?: number };
  readonly cluster_public_hostname?: string;
  readonly address?: string;
  /**
   * DeCloud's addition: how the provider prices its bids, when that can be known — its `scale` rates, so a
   * tenant computes the bid it would make (`decloud deploy --dry-run`, client/pricing.ts). Absent under the
   * `script` strategy (an external program decides each price) and from Akash's providers: Akash's status
   * has no such field (reference: akash-provider.md §6.5), and Akash's clients ignore it.
   */
  readonly bid_pricing?: BidPricing;
}

/**
 * A provider's `scale` rates (reference: akash-provider.md §3.3): decimal strings, per block, in the order's
 * denom — whatever denom the order is priced in, the bid is in it.
 */
export interface BidPricing {
  readonly strategy: "scale";
  /** Per millicpu. */
  readonly cpu: string;
  /** Per MiB of memory. */
  readonly memory: string;
  /** Per MiB of storage, by class (`ephemeral` for non-persistent volumes). */
  readonly storage: Readonly<Record<string, string>>;
  /** Per global endpoint. */
  readonly endpoint: string;
}

/** A line of a lease's logs (`/logs` websocket). */
export interface LogLine {
  /** The replica (Akash: pod name). */
  readonly name: string;
  readonly message: string;
  /**
   * DeCloud's addition: when the line was written (RFC 3339, nanoseconds; log-time.ts). A follower that lost
   * its connection asks for the lines `since` the last it saw (Akash's route has no such parameter).
   */
  readonly timestamp?: string;
}

/** An event about a lease's workloads (`/kubeevents` websocket), a Kubernetes `events.k8s.io/v1` Event. */
export interface LeaseEvent {
  readonly type: string;
  readonly reportingController: string;
  readonly reportingInstance: string;
  readonly reason: string;
  readonly note: string;
  readonly object: { readonly kind: string; readonly namespace: string; readonly name: string };
  /**
   * DeCloud's addition: the event's number among the lease's, rising. A follower that lost its connection
   * asks for the events `after` the last it saw (Akash's route has no such parameter).
   */
  readonly seq?: number;
}

/** A shell's result frame (channel 102): the command's exit code, or why it did not start. */
export interface ShellResult {
  readonly exit_code: number;
  readonly message?: string;
}
