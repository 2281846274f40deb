// The provider's own state in SQLite: leases it won, the manifests tenants sent, capacity reserved for bids
// and leases, the hostnames bound to leases, and the events of the leases' workloads. It survives restarts;
// on start the provider reconciles it with the chain and the cluster (lease/manager.ts). Akash keeps the same
// facts in Kubernetes CRDs and bbolt, its events in Kubernetes (reference: akash-provider.md §5.1, §6.1).
import Database from "better-sqlite3";
import type { ClusterEvent, ClusterEventStore } from "../cluster/backend.js";
import { type DeploymentId, type LeaseId, leaseIdString, parseLeaseIdString } from "../lease-id.js";

export interface StoredLease {
  readonly id: LeaseId;
  readonly priceDenom: string;
  readonly priceAmount: string;
  /** When the provider learnt it won the lease (ms since the epoch). */
  readonly wonAt: number;
}

export interface StoredManifest {
  readonly deployment: DeploymentId;
  /** The whole manifest JSON as received (all groups; each provider runs its own group). */
  readonly json: string;
  readonly version: Uint8Array;
  readonly receivedAt: number;
}

export interface Reservation {
  /** The order it was made for (owner/dseq/gseq/oseq). */
  readonly order: string;
  readonly cpuMillis: bigint;
  readonly memoryBytes: bigint;
  readonly storageBytes: bigint;
  /** `pending` while bidding, `active` once the lease is won. */
  readonly state: "pending" | "active";
}

export interface HostnameBinding {
  readonly hostname: string;
  readonly lease: LeaseId;
  readonly service: string;
  readonly externalPort: number;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS leases (
  lease_id TEXT PRIMARY KEY, owner TEXT NOT NULL, dseq TEXT NOT NULL,
  price_denom TEXT NOT NULL, price_amount TEXT NOT NULL, won_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS leases_deployment ON leases (owner, dseq);
CREATE TABLE IF NOT EXISTS manifests (
  owner TEXT NOT NULL, dseq TEXT NOT NULL, json TEXT NOT NULL, version BLOB NOT NULL, received_at INTEGER NOT NULL,
  PRIMARY KEY (owner, dseq)
);
CREATE TABLE IF NOT EXISTS reservations (
  order_id TEXT PRIMARY KEY, cpu TEXT NOT NULL, memory TEXT NOT NULL, storage TEXT NOT NULL, state TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS hostnames (
  hostname TEXT PRIMARY KEY, lease_id TEXT NOT NULL, service TEXT NOT NULL, external_port INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS events (
  lease_id TEXT NOT NULL, seq INTEGER NOT NULL, time INTEGER NOT NULL, type TEXT NOT NULL, reason TEXT NOT NULL,
  note TEXT NOT NULL, kind TEXT NOT NULL, namespace TEXT NOT NULL, name TEXT NOT NULL,
  PRIMARY KEY (lease_id, seq)
) WITHOUT ROWID;
`;

/**
 * A lease's next event, numbered after its last. Events hang on a lease like its hostnames: one that comes for
 * a lease the provider no longer holds (a container's death reported after the teardown) is not kept.
 */
const INSERT_EVENT = `
INSERT INTO events (lease_id, seq, time, type, reason, note, kind, namespace, name)
SELECT @lease, COALESCE((SELECT MAX(seq) FROM events WHERE lease_id = @lease), 0) + 1,
  @time, @type, @reason, @note, @kind, @namespace, @name
WHERE EXISTS (SELECT 1 FROM leases WHERE lease_id = @lease)
RETURNING seq`;

export class ProviderStore implements ClusterEventStore {
  private readonly db: Database.Database;
  /** Prepared once: events are written on every container start and death. */
  private readonly eventStatements: {
    readonly insert: Database.Statement;
    readonly prune: Database.Statement;
    readonly list: Database.Statement;
    readonly remove: Database.Statement;
  };
  private readonly appendEventTx: (lease: string, event: ClusterEvent, keep: number) => number | undefined;

  constructor(path: string) {
    this.db = new Database(path);
    this.db.pragma("journal_mode = WAL");
    this.db.pragma("synchronous = NORMAL");
    this.db.exec(SCHEMA);
    this.eventStatements = {
      insert: this.db.prepare(INSERT_EVENT),
      prune: this.db.prepare("DELETE FROM events WHERE lease_id = ? AND seq <= ?"),
      list: this.db.prepare("SELECT * FROM events WHERE lease_id = ? ORDER BY seq"),
      remove: this.db.prepare("DELETE FROM events WHERE lease_id = ?"),
    };
    this.appendEventTx = this.db.transaction((lease: string, event: ClusterEvent, keep: number) => {
      const added = this.eventStatements.insert.get({
        lease,
        time: event.time.getTime(),
        type: event.type,
        reason: event.reason,
        note: event.note,
        kind: event.object.kind,
        namespace: event.object.namespace,
        name: event.object.name,
      }) as { seq: number } | undefined;
      if (added) this.eventStatements.prune.run(lease, added.seq - keep);
      return added?.seq;
    });
  }

  close(): void {
    this.db.close();
  }

  // ---- leases ----

  putLease(lease: StoredLease): void {
    this.db
      .prepare(
        "INSERT OR REPLACE INTO leases (lease_id, owner, dseq, price_denom, price_amount, won_at) VALUES (?, ?, ?, ?, ?, ?)",
      )
      .run(
        leaseIdString(lease.id),
        lease.id.owner,
        lease.id.dseq,
        lease.priceDenom,
        lease.priceAmount,
        lease.wonAt,
      );
  }

  leases(): StoredLease[] {
    return (this.db.prepare("SELECT * FROM leases ORDER BY lease_id").all() as LeaseRow[]).map(leaseFromRow);
  }

  lease(id: LeaseId): StoredLease | undefined {
    const row = this.db.prepare("SELECT * FROM leases WHERE lease_id = ?").get(leaseIdString(id)) as
      | LeaseRow
      | undefined;
    return row && leaseFromRow(row);
  }

  deploymentLeases(d: DeploymentId): StoredLease[] {
    return (
      this.db
        .prepare("SELECT * FROM leases WHERE owner = ? AND dseq = ? ORDER BY lease_id")
        .all(d.owner, d.dseq) as LeaseRow[]
    ).map(leaseFromRow);
  }

  /**
   * Forgets a lease and what hangs on it (its hostnames, its reservation, its events; its manifest once no
   * lease needs it).
   */
  deleteLease(id: LeaseId): void {
    const tx = this.db.transaction(() => {
      this.db.prepare("DELETE FROM leases WHERE lease_id = ?").run(leaseIdString(id));
      this.db.prepare("DELETE FROM hostnames WHERE lease_id = ?").run(leaseIdString(id));
      this.deleteEvents(leaseIdString(id));
      this.db.prepare("DELETE FROM reservations WHERE order_id = ?").run(orderKey(id));
      const left = this.db
        .prepare("SELECT 1 FROM leases WHERE owner = ? AND dseq = ?")
        .get(id.owner, id.dseq);
      if (!left) this.db.prepare("DELETE FROM manifests WHERE owner = ? AND dseq = ?").run(id.owner, id.dseq);
    });
    tx();
  }

  // ---- manifests ----

  putManifest(m: StoredManifest): void {
    this.db
      .prepare(
        "INSERT OR REPLACE INTO manifests (owner, dseq, json, version, received_at) VALUES (?, ?, ?, ?, ?)",
      )
      .run(m.deployment.owner, m.deployment.dseq, m.json, Buffer.from(m.version), m.receivedAt);
  }

  manifest(d: DeploymentId): StoredManifest | undefined {
    const row = this.db
      .prepare("SELECT * FROM manifests WHERE owner = ? AND dseq = ?")
      .get(d.owner, d.dseq) as
      | { owner: string; dseq: string; json: string; version: Buffer; received_at: number }
      | undefined;
    return (
      row && {
        deployment: { owner: row.owner, dseq: row.dseq },
        json: row.json,
        version: new Uint8Array(row.version),
        receivedAt: row.received_at,
      }
    );
  }

  // ---- reservations ----

  putReservation(r: Reservation): void {
    this.db
      .prepare(
        "INSERT OR REPLACE INTO reservations (order_id, cpu, memory, storage, state) VALUES (?, ?, ?, ?, ?)",
      )
      .run(r.order, r.cpuMillis.toString(), r.memoryBytes.toString(), r.storageBytes.toString(), r.state);
  }

  reservation(order: string): Reservation | undefined {
    const row = this.db.prepare("SELECT * FROM reservations WHERE order_id = ?").get(order) as
      | ReservationRow
      | undefined;
    return row && reservationFromRow(row);
  }

  reservations(): Reservation[] {
    return (this.db.prepare("SELECT * FROM reservations ORDER BY order_id").all() as ReservationRow[]).map(
      reservationFromRow,
    );
  }

  deleteReservation(order: string): void {
    this.db.prepare("DELETE FROM reservations WHERE order_id = ?").run(order);
  }

  /** Runs `f` in one transaction: a reservation is checked against capacity and written atomically. */
  transaction<T>(f: () => T): T {
    return this.db.transaction(f)();
  }

  // ---- hostnames ----

  hostnames(): HostnameBinding[] {
    return (
      this.db.prepare("SELECT * FROM hostnames ORDER BY hostname").all() as {
        hostname: string;
        lease_id: string;
        service: string;
        external_port: number;
      }[]
    ).map((r) => ({
      hostname: r.hostname,
      lease: parseLeaseIdString(r.lease_id),
      service: r.service,
      externalPort: r.external_port,
    }));
  }

  /** Replaces a lease's hostnames with `bindings`. */
  setHostnames(lease: LeaseId, bindings: readonly HostnameBinding[]): void {
    const tx = this.db.transaction(() => {
      this.db.prepare("DELETE FROM hostnames WHERE lease_id = ?").run(leaseIdString(lease));
      const insert = this.db.prepare(
        "INSERT INTO hostnames (hostname, lease_id, service, external_port) VALUES (?, ?, ?, ?)",
      );
      for (const b of bindings)
        insert.run(b.hostname.toLowerCase(), leaseIdString(lease), b.service, b.externalPort);
    });
    tx();
  }

  /**
   * Binds each hostname to the lease in its binding, taking it from whichever lease held it: one transaction,
   * so that a migration moves every hostname or none, and a restart finds it done or not done.
   */
  moveHostnames(bindings: readonly HostnameBinding[]): void {
    const tx = this.db.transaction(() => {
      const upsert = this.db.prepare(
        "INSERT OR REPLACE INTO hostnames (hostname, lease_id, service, external_port) VALUES (?, ?, ?, ?)",
      );
      for (const b of bindings)
        upsert.run(b.hostname.toLowerCase(), leaseIdString(b.lease), b.service, b.externalPort);
    });
    tx();
  }

  // ---- lease events (cluster/docker/event-log.ts; `lease` is `leaseIdString(id)`) ----

  /** Appends an event of a lease the store holds (others are dropped), keeping the lease's last `keep`. */
  appendEvent(lease: string, event: ClusterEvent, keep: number): number | undefined {
    return this.appendEventTx(lease, event, keep);
  }

  events(lease: string): ClusterEvent[] {
    return (this.eventStatements.list.all(lease) as EventRow[]).map(eventFromRow);
  }

  deleteEvents(lease: string): void {
    this.eventStatements.remove.run(lease);
  }

  // ---- meta ----

  getMeta(key: string): string | undefined {
    return (this.db.prepare("SELECT value FROM meta WHERE key = ?").get(key) as { value: string } | undefined)
      ?.value;
  }

  setMeta(key: string, value: string): void {
    this.db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)").run(key, value);
  }
}

/** The order a lease (or bid) came from, as reservations are keyed. */
export function orderKey(id: { owner: string; dseq: string; gseq: number; oseq: number }): string {
  return `${id.owner}/${id.dseq}/${id.gseq}/${id.oseq}`;
}

interface LeaseRow {
  lease_id: string;
  price_denom: string;
  price_amount: string;
  won_at: number;
}

function leaseFromRow(r: LeaseRow): StoredLease {
  return {
    id: parseLeaseIdString(r.lease_id),
    priceDenom: r.price_denom,
    priceAmount: r.price_amount,
    wonAt: r.won_at,
  };
}

interface ReservationRow {
  order_id: string;
  cpu: string;
  memory: string;
  storage: string;
  state: string;
}

function reservationFromRow(r: ReservationRow): Reservation {
  return {
    order: r.order_id,
    cpuMillis: BigInt(r.cpu),
    memoryBytes: BigInt(r.memory),
    storageBytes: BigInt(r.storage),
    state: r.state === "active" ? "active" : "pending",
  };
}

interface EventRow {
  seq: number;
  time: number;
  type: string;
  reason: string;
  note: string;
  kind: string;
  namespace: string;
  name: string;
}

function eventFromRow(r: EventRow): ClusterEvent {
  return {
    type: r.type === "Warning" ? "Warning" : "Normal",
    reason: r.reason,
    note: r.note,
    object: { kind: r.kind, namespace: r.namespace, name: r.name },
    time: new Date(r.time),
    seq: r.seq,
  };
}
