// The cluster behind the provider: what the lease manager and the gateway ask of it, whatever runs the
// containers. `docker` (one host) implements it now; a Kubernetes backend will implement the same interface.
import type { LeaseId } from "../lease-id.js";
import type { ManifestGroup } from "../manifest/types.js";

/** Facts a deployment needs beyond the manifest (Akash injects them as env vars; reference §5.3). */
export interface DeployContext {
  /** The provider's public host name, shown in forwarded ports and given to containers. */
  readonly publicHostname: string;
}

export interface ServiceState {
  readonly name: string;
  /** Replicas the manifest asks for. */
  readonly total: number;
  /** Replicas created with the current spec. */
  readonly updated: number;
  /** Replicas running. */
  readonly ready: number;
  /** Replicas running and not restarting. */
  readonly available: number;
}

/** A port of a lease's container published on the host (reference §5.4 `forwarded_ports`, plus ingress ports). */
export interface PublishedPort {
  readonly service: string;
  readonly replica: number;
  /** Container port. */
  readonly port: number;
  /** The expose's external port (`as`). */
  readonly externalPort: number;
  readonly proto: "TCP" | "UDP";
  readonly hostIp: string;
  readonly hostPort: number;
  /** Served through the HTTP ingress rather than forwarded. */
  readonly ingress: boolean;
}

export interface LeaseClusterStatus {
  readonly services: readonly ServiceState[];
  readonly ports: readonly PublishedPort[];
  /** Problems the cluster reports for the lease (a failed image pull, a container that cannot start). */
  readonly errors: readonly string[];
}

/** An event about a lease's workloads, in the shape of Akash's `kubeevents` (reference §5.4). */
export interface ClusterEvent {
  readonly type: "Normal" | "Warning";
  readonly reason: string;
  readonly note: string;
  readonly object: { readonly kind: string; readonly namespace: string; readonly name: string };
  readonly time: Date;
  /** Its number among the lease's events, rising (from the store; absent when the store failed to keep it). */
  readonly seq?: number;
}

/**
 * Where a backend whose cluster keeps no events of its own (Docker) keeps its leases' events so that they
 * outlive a provider restart: the provider's state (state/store.ts). `lease` is `leaseIdString(id)`.
 */
export interface ClusterEventStore {
  /**
   * Appends an event to the lease's, dropping its oldest beyond the last `keep`; returns its number among the
   * lease's (rising, never reused while the lease lives), or undefined when the event was not kept.
   */
  appendEvent(lease: string, event: ClusterEvent, keep: number): number | undefined;
  /** The lease's events, oldest first, with their numbers. */
  events(lease: string): ClusterEvent[];
  deleteEvents(lease: string): void;
}

export interface LogLine {
  /** The replica's name (Akash: the pod name). */
  readonly name: string;
  readonly message: string;
  /** When the replica wrote it (RFC 3339 with nanoseconds), if the cluster says. */
  readonly timestamp?: string;
}

export interface LogOptions {
  readonly services?: readonly string[];
  readonly follow: boolean;
  /** Lines from the end of each replica's log; undefined = all. */
  readonly tail?: number;
  /** Only lines written at or after this time (nanoseconds since the epoch). */
  readonly since?: bigint;
}

export interface ExecOptions {
  readonly service: string;
  readonly replica: number;
  readonly command: readonly string[];
  readonly tty: boolean;
  readonly stdin: boolean;
}

export interface ExecSession {
  readonly output: AsyncIterable<{ readonly stream: "stdout" | "stderr"; readonly data: Buffer }>;
  write(data: Buffer): void;
  closeStdin(): void;
  resize(width: number, height: number): Promise<void>;
  /** Resolves with the exit code once the command ended. */
  exitCode(): Promise<number>;
  kill(): void;
}

/** A stream the caller may stop early. */
export interface Subscription<T> extends AsyncIterable<T> {
  close(): void;
}

export interface ClusterCapacity {
  readonly cpuMillis: bigint;
  readonly memoryBytes: bigint;
  readonly storageBytes: bigint;
}

export interface ClusterBackend {
  readonly kind: string;
  /** Checks that the cluster answers (and prepares what it needs, such as images' pull access). */
  ready(): Promise<void>;
  /**
   * Makes the lease run exactly this group: creates what is missing, replaces replicas whose spec changed,
   * removes what the group no longer has, leaves the rest untouched. Idempotent.
   */
  deploy(lease: LeaseId, group: ManifestGroup, context: DeployContext): Promise<void>;
  /** Removes every container, network and volume of the lease. Idempotent. */
  teardown(lease: LeaseId): Promise<void>;
  /** The leases this provider runs on this cluster (found by label, never by name). */
  leases(): Promise<LeaseId[]>;
  /** The lease's services as the cluster sees them, measured against the group it should run (if known). */
  status(lease: LeaseId, group?: ManifestGroup, context?: DeployContext): Promise<LeaseClusterStatus>;
  logs(lease: LeaseId, options: LogOptions): Promise<Subscription<LogLine>>;
  /**
   * Past events of the lease (only those numbered above `after`, if given), then (with follow) new ones as they
   * happen.
   */
  events(lease: LeaseId, follow: boolean, after?: number): Subscription<ClusterEvent>;
  /**
   * Keeps the leases' events in `store` from now on (a backend whose cluster keeps them has no such method).
   * `onError` hears of a store that fails: the event still reaches followers, only its history is lost.
   */
  keepEventsIn?(store: ClusterEventStore, onError: (e: unknown) => void): void;
  exec(lease: LeaseId, options: ExecOptions): Promise<ExecSession>;
  /** What the cluster has in total (before reservations). */
  capacity(): Promise<ClusterCapacity>;
  close(): Promise<void>;
}

/** The lease or service is not on the cluster (the gateway answers 404). */
export class NotFoundInClusterError extends Error {
  override name = "NotFoundInClusterError";
}
