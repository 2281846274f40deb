// The lease manager: from a lease won on chain to containers serving, and back. It accepts manifests
// (reference: akash-provider.md §4.4), deploys and re-deploys them on the cluster with retries, watches
// escrow and withdraws earnings (§6.3), and tears a lease down only when the chain shows it closed (§6.4;
// landscape.md T1): a chain or cluster error is retried and reported, never acted upon.

import { setTimeout as delay } from "node:timers/promises";
import { manifestToSortedJSON } from "@akashnetwork/chain-sdk";
import type { Logger } from "pino";
import { parseDec } from "../../client/decimal.js";
import type { LeaseStatus } from "../../client/gateway/types.js";
import type { ChainLease, ProviderChain } from "../chain/chain.js";
import { CLOSE_REASON } from "../chain/chain.js";
import type { ClusterBackend, DeployContext, LeaseClusterStatus } from "../cluster/backend.js";
import { NotFoundInClusterError } from "../cluster/backend.js";
import { GatewayError, notFound, unavailable, unprocessable } from "../errors.js";
import { type DeploymentId, type LeaseId, leaseIdString, sameDeployment, sameLease } from "../lease-id.js";
import { decodeManifest, ManifestDecodeError, manifestVersion } from "../manifest/decode.js";
import type { Manifest, ManifestGroup } from "../manifest/types.js";
import {
  crossValidate,
  groupTotals,
  ManifestValidationError,
  validateManifest,
} from "../manifest/validate.js";
import { retryForever } from "../retry.js";
import { orderKey, type ProviderStore } from "../state/store.js";
import { leaseHostnames, planHostnames, planMigration } from "./hostnames.js";
import { leaseStatusJson, withheldHostnames } from "./status.js";

export interface LeaseManagerOptions {
  /** Domain under which service hostnames are generated (e.g. `localhost`, `ingress.example.com`). */
  readonly ingressDomain: string;
  readonly ingressPort: number;
  readonly publicHostname: string;
  /** Hostnames (or `.suffix`es) tenants may not use. */
  readonly blockedHostnames?: readonly string[];
  /** A won lease without a manifest after this long is given up (MsgCloseBid manifest_timeout). 0 disables. */
  readonly manifestTimeoutMs: number;
  /** Withdraw earnings this often (0 disables). */
  readonly withdrawalPeriodMs: number;
  /** Check each lease's escrow this often; a lease whose escrow ran dry is settled (and so closed) at once. */
  readonly fundsCheckPeriodMs: number;
}

/** What a hostname migration did. */
export interface HostnameMigration {
  readonly destination: LeaseId;
  /** Hostnames now bound to the destination, each with the lease that held it (none if no lease did). */
  readonly moved: readonly { hostname: string; service: string; from: LeaseId | undefined }[];
  /** Hostnames the destination held already. */
  readonly already: readonly string[];
}

export interface LeaseManagerModules {
  readonly chain: ProviderChain;
  readonly cluster: ClusterBackend;
  readonly store: ProviderStore;
  readonly logger: Logger;
}

export class LeaseManager {
  private stopped = false;
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Leases being torn down, so that a second close does not start a second teardown. */
  private readonly closing = new Map<string, Promise<void>>();
  /**
   * Everything running in the background (deploy loops, teardowns, chain reads and retries, the periodic
   * loops); stop aborts `halt`, which ends their waits, and awaits them all: none touches the state store
   * after stop resolved (the provider closes it then).
   */
  private readonly tasks = new Set<Promise<void>>();
  private readonly halt = new AbortController();
  /** The deploy loop of each lease: the newest wanted group wins, failures retry with backoff. */
  private readonly deploying = new Map<string, { group: ManifestGroup; running: boolean }>();
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly opts: LeaseManagerOptions,
    private readonly modules: LeaseManagerModules,
  ) {}

  private get deployContext(): DeployContext {
    return { publicHostname: this.opts.publicHostname };
  }

  /** Calls `f` whenever leases or hostnames change (the ingress refreshes its routes). */
  onChange(f: () => void): () => void {
    this.listeners.add(f);
    return () => this.listeners.delete(f);
  }

  private changed(): void {
    for (const f of this.listeners) f();
  }

  // ---- lease won / closed ----

  /** The chain created a lease for this provider. */
  leaseWon(lease: ChainLease): void {
    const { store } = this.modules;
    if (!store.lease(lease.id)) {
      store.putLease({
        id: lease.id,
        priceDenom: lease.price.denom,
        priceAmount: lease.price.amount,
        wonAt: Date.now(),
      });
    }
    const reservation = store.reservation(orderKey(lease.id));
    if (reservation) store.putReservation({ ...reservation, state: "active" });
    else this.background(this.reserveFromChain(lease.id), "reserving the lease's capacity failed");
    this.changed();
    const manifest = store.manifest(lease.id);
    if (manifest) {
      // The manifest may have arrived first (the gateway asks the chain, which knew of the lease before the
      // event reached the provider).
      const group = this.groupOf(decodeManifest(manifest.json), lease.id);
      if (group) this.deploy(lease.id, group);
    } else if (this.opts.manifestTimeoutMs > 0) {
      this.schedule(this.opts.manifestTimeoutMs, () => this.manifestTimeout(lease.id));
    }
  }

  /**
   * A lease won without a reservation here (won while the provider was down, or its state was lost) still
   * holds capacity: it is reserved from the group on chain, so that bids never count that capacity as free.
   */
  private async reserveFromChain(id: LeaseId): Promise<void> {
    const { chain, store, logger } = this.modules;
    const spec = await retryForever(
      async () => (await chain.deployment(id))?.groups.find((g) => g.gseq === id.gseq)?.spec ?? null,
      {
        stopped: () => this.stopped || !store.lease(id),
        signal: this.halt.signal,
        onError: (e) => logger.warn({ err: e }, "reading the lease's group failed; retrying"),
      },
    );
    if (!spec || !store.lease(id) || store.reservation(orderKey(id))) return;
    store.putReservation({ order: orderKey(id), ...groupTotals(spec), state: "active" });
  }

  private async manifestTimeout(id: LeaseId): Promise<void> {
    const { store, chain, logger } = this.modules;
    if (!store.lease(id) || store.manifest(id)) return;
    logger.warn({ lease: leaseIdString(id) }, "no manifest received in time: closing the bid");
    await retryForever(() => chain.closeBid({ ...id, bseq: 0 }, CLOSE_REASON.manifestTimeout), {
      stopped: () => this.stopped || !store.lease(id),
      signal: this.halt.signal,
      onError: (e) => logger.warn({ err: e }, "closing the bid after the manifest timeout failed; retrying"),
    });
  }

  /** The chain closed the lease (whoever closed it): remove everything it had. */
  leaseClosed(id: LeaseId): Promise<void> {
    const key = leaseIdString(id);
    const running = this.closing.get(key);
    if (running) return running;
    const { cluster, store, logger } = this.modules;
    this.deploying.delete(key);
    const work = (async () => {
      const done = await retryForever(
        async () => {
          await cluster.teardown(id);
          return true;
        },
        {
          signal: this.halt.signal,
          onError: (e) => logger.warn({ err: e, lease: key }, "teardown failed; retrying"),
        },
      );
      // Interrupted by stop: the lease stays stored, and the next start's reconcile tears it down.
      if (!done) return;
      store.deleteLease(id);
      this.changed();
      logger.info({ lease: key }, "lease closed: torn down");
    })().finally(() => this.closing.delete(key));
    this.closing.set(key, work);
    this.background(work, "tearing the lease down failed");
    return work;
  }

  // ---- manifests ----

  /**
   * `PUT /deployment/{dseq}/manifest` (reference §4.4). Resolves once the manifest is accepted and stored;
   * the deployment itself proceeds in the background (its progress shows in the lease status).
   */
  async submitManifest(deployment: DeploymentId, body: string): Promise<void> {
    const { chain, store } = this.modules;
    let manifest: Manifest;
    try {
      manifest = decodeManifest(body);
      validateManifest(manifest);
    } catch (e) {
      if (e instanceof ManifestDecodeError || e instanceof ManifestValidationError)
        throw unprocessable(e.message);
      throw e;
    }
    const [onChain, leases] = await chainCall(() =>
      Promise.all([chain.deployment(deployment), chain.providerLeases("active")]),
    );
    const mine = leases.filter((l) => sameDeployment(l.id, deployment));
    if (!onChain || mine.length === 0) throw notFound("no lease for deployment");
    const version = await manifestVersion(manifest);
    if (Buffer.compare(Buffer.from(version), Buffer.from(onChain.hash)) !== 0) {
      throw unprocessable(
        `manifest version validation failed: manifest hash ${Buffer.from(version).toString("hex")} does not match the deployment's ${Buffer.from(onChain.hash).toString("hex")}`,
      );
    }
    try {
      crossValidate(
        manifest,
        onChain.groups.map((g) => g.spec),
      );
    } catch (e) {
      if (e instanceof ManifestValidationError)
        throw unprocessable(`manifest cross-validation error: ${e.message}`);
      throw e;
    }
    const plans = mine.map((lease) => {
      const group = this.groupOf(manifest, lease.id, onChain.groups);
      if (!group) throw unprocessable(`manifest has no group for lease ${leaseIdString(lease.id)}`);
      return { lease, group, hostnames: leaseHostnames(lease.id, group, this.opts.ingressDomain) };
    });
    // Checked and written with no await in between: no other manifest or migration can bind a hostname in
    // the meantime. The same owner's hostnames held by another lease are withheld (reference §6.6).
    const bound = store.hostnames();
    const hostnames = plans.map((p) => planHostnames(p.hostnames, bound, this.opts.blockedHostnames ?? []));
    store.transaction(() => {
      store.putManifest({ deployment, json: body, version, receivedAt: Date.now() });
      for (const [i, p] of plans.entries()) {
        if (!store.lease(p.lease.id)) {
          store.putLease({
            id: p.lease.id,
            priceDenom: p.lease.price.denom,
            priceAmount: p.lease.price.amount,
            wonAt: Date.now(),
          });
        }
        store.setHostnames(p.lease.id, hostnames[i]!.bind);
      }
    });
    this.changed();
    for (const p of plans) this.deploy(p.lease.id, p.group);
  }

  /** This lease's group of a manifest: the group whose name is the on-chain group's (reference §4.4.5). */
  private groupOf(
    manifest: Manifest,
    lease: LeaseId,
    groups?: readonly { gseq: number; spec: { name: string } }[],
  ): ManifestGroup | undefined {
    const name = groups?.find((g) => g.gseq === lease.gseq)?.spec.name;
    if (name !== undefined) return manifest.find((g) => g.name === name);
    // Without the chain's groups at hand (a restart), groups are in on-chain order: gseq counts from 1.
    return manifest[lease.gseq - 1];
  }

  /** Deploys in the background until it succeeds; a newer group replaces a pending one. */
  private deploy(lease: LeaseId, group: ManifestGroup): void {
    const key = leaseIdString(lease);
    const current = this.deploying.get(key);
    if (current) {
      current.group = group;
      if (current.running) return;
    }
    const entry = { group, running: true };
    this.deploying.set(key, entry);
    const { cluster, logger } = this.modules;
    const loop = async () => {
      let applied: ManifestGroup | undefined;
      while (!this.stopped && this.deploying.get(key) === entry && applied !== entry.group) {
        const wanted = entry.group;
        const ok = await retryForever(
          async () => {
            if (this.deploying.get(key) !== entry) return true;
            await cluster.deploy(lease, wanted, this.deployContext);
            return true;
          },
          {
            stopped: () => this.stopped || this.deploying.get(key) !== entry || entry.group !== wanted,
            signal: this.halt.signal,
            onError: (e) => logger.warn({ err: e, lease: key }, "deploy failed; retrying"),
          },
        );
        if (ok) applied = wanted;
      }
      entry.running = false;
      if (this.deploying.get(key) === entry) this.deploying.delete(key);
      this.changed();
    };
    this.background(loop(), "the deploy loop failed");
  }

  // ---- reading ----

  /** The stored lease, or 404 (every lease route starts here). */
  requireLease(lease: LeaseId): { group: ManifestGroup | undefined } {
    const { store } = this.modules;
    if (!store.lease(lease)) throw notFound("lease not found");
    const manifest = store.manifest(lease);
    return { group: manifest ? this.groupOf(decodeManifest(manifest.json), lease) : undefined };
  }

  async leaseStatus(lease: LeaseId): Promise<LeaseStatus> {
    const { group } = this.requireLease(lease);
    if (!group) throw notFound("lease has no manifest");
    const cluster = await this.clusterStatus(lease, group);
    const bound = this.modules.store.hostnames();
    const wanted = leaseHostnames(lease, group, this.opts.ingressDomain);
    return leaseStatusJson(
      cluster,
      group,
      bound.filter((h) => sameLease(h.lease, lease)),
      { publicHostname: this.opts.publicHostname, ingressPort: this.opts.ingressPort },
      withheldHostnames(lease, wanted, bound),
    );
  }

  // ---- hostname migration ----

  /**
   * `POST /hostname/migrate` (reference §4.3, §6.6): binds `hostnames` to the owner's active lease of
   * `dseq`/`gseq` here, taking each from whichever of the owner's leases holds it; the ingress routes them
   * to the destination as soon as this returns. `authorizeSource` checks the caller may act on each lease a
   * hostname is taken from (a granular JWT names deployments). All or nothing: refusals come before any
   * write, and the write is one SQLite transaction.
   */
  migrateHostnames(
    owner: string,
    request: { readonly hostnames: readonly string[]; readonly dseq: string; readonly gseq: number },
    authorizeSource: (lease: LeaseId) => void = () => {},
  ): HostnameMigration {
    const { store, logger } = this.modules;
    const destination = store
      .leases()
      .map((l) => l.id)
      .find(
        (id) =>
          id.owner === owner &&
          id.dseq === request.dseq &&
          id.gseq === request.gseq &&
          !this.closing.has(leaseIdString(id)),
      );
    if (!destination) {
      throw notFound(
        `destination deployment ${request.dseq} (group ${request.gseq}) has no active lease of yours on this provider`,
      );
    }
    const { group } = this.requireLease(destination);
    if (!group) {
      throw notFound(
        `destination deployment ${request.dseq} has no manifest on this provider yet; send its manifest first`,
      );
    }
    const { moves, already } = planMigration(
      request.hostnames,
      destination,
      group,
      store.hostnames(),
      this.opts.blockedHostnames ?? [],
    );
    for (const m of moves) if (m.from) authorizeSource(m.from);
    store.moveHostnames(moves.map((m) => m.binding));
    if (moves.length > 0) this.changed();
    for (const m of moves) {
      logger.info(
        {
          hostname: m.binding.hostname,
          from: m.from && leaseIdString(m.from),
          to: leaseIdString(destination),
        },
        "hostname migrated",
      );
    }
    return {
      destination,
      moved: moves.map((m) => ({ hostname: m.binding.hostname, service: m.binding.service, from: m.from })),
      already,
    };
  }

  private async clusterStatus(lease: LeaseId, group: ManifestGroup): Promise<LeaseClusterStatus> {
    try {
      return await this.modules.cluster.status(lease, group, this.deployContext);
    } catch (e) {
      if (e instanceof NotFoundInClusterError) return { services: [], ports: [], errors: [] };
      throw unavailable(`cluster unavailable: ${(e as Error).message}`);
    }
  }

  /**
   * The manifest group of a lease as a one-element manifest in wire JSON (`GET …/manifest`; reference §4.3),
   * encoded by chain-sdk as tenants' tools encode it, so that it hashes back to the same version.
   */
  leaseManifest(lease: LeaseId): string {
    const { group } = this.requireLease(lease);
    if (!group) throw notFound("lease has no manifest");
    return manifestToSortedJSON([group]);
  }

  /** Upstreams of an ingress hostname: the published host ports of the service's replicas. */
  async ingressTargets(hostname: string): Promise<{ host: string; port: number }[] | undefined> {
    const binding = this.modules.store.hostnames().find((h) => h.hostname === hostname.toLowerCase());
    if (!binding) return undefined;
    const { group } = this.requireLease(binding.lease);
    if (!group) return undefined;
    const status = await this.modules.cluster.status(binding.lease, group, this.deployContext);
    return status.ports
      .filter((p) => p.ingress && p.service === binding.service && p.externalPort === binding.externalPort)
      .map((p) => ({ host: p.hostIp, port: p.hostPort }));
  }

  // ---- start, reconcile, escrow ----

  /**
   * Brings the stored state, the chain and the cluster together after a start (reference §6.1): leases the
   * chain shows closed are torn down; active ones are redeployed (a no-op for replicas that already run the
   * stored manifest); active leases won while the provider was down are adopted. Anything the chain cannot
   * tell right now is left as it is and retried.
   */
  async reconcile(): Promise<void> {
    const { chain, cluster, store, logger } = this.modules;
    const active = await retryForever(() => chain.providerLeases("active"), {
      signal: this.halt.signal,
      onError: (e) => logger.warn({ err: e }, "reconcile: chain unreachable; retrying"),
    });
    if (!active) return;
    const activeKeys = new Set(active.map((l) => leaseIdString(l.id)));
    const known = new Map(store.leases().map((l) => [leaseIdString(l.id), l.id]));
    for (const l of await cluster.leases()) if (!known.has(leaseIdString(l))) known.set(leaseIdString(l), l);
    for (const [key, id] of known) {
      if (activeKeys.has(key)) continue;
      const onChain = await chain.lease(id).catch(() => "unknown" as const);
      if (onChain === "unknown") continue;
      if (onChain && onChain.state !== "active") {
        void this.leaseClosed(id); // tracked as background work
      } else if (!onChain) {
        logger.warn({ lease: key }, "the chain does not know this lease; leaving its containers alone");
      }
    }
    for (const lease of active) this.leaseWon(lease);
  }

  /** Starts the periodic withdrawals and escrow checks. */
  start(): void {
    if (this.opts.withdrawalPeriodMs > 0) this.every(this.opts.withdrawalPeriodMs, () => this.withdrawAll());
    if (this.opts.fundsCheckPeriodMs > 0) this.every(this.opts.fundsCheckPeriodMs, () => this.checkFunds());
  }

  private async withdrawAll(): Promise<void> {
    const { chain, store, logger } = this.modules;
    for (const l of store.leases()) {
      try {
        await chain.withdrawLease(l.id);
      } catch (e) {
        logger.warn({ err: e, lease: leaseIdString(l.id) }, "withdrawal failed; will retry next period");
      }
    }
  }

  /**
   * A lease whose deployment's escrow cannot pay another block is settled at once: the chain then closes
   * it (insufficient funds) and the LeaseClosed event tears it down (reference §6.3).
   */
  private async checkFunds(): Promise<void> {
    const { chain, store, logger } = this.modules;
    const height = await chain.height().catch(() => undefined);
    if (height === undefined) return;
    const seen = new Set<string>();
    for (const l of store.leases()) {
      const key = `${l.id.owner}/${l.id.dseq}`;
      if (seen.has(key)) continue;
      seen.add(key);
      try {
        const d = await chain.deployment(l.id);
        if (!d?.escrow) continue;
        const leases = store.deploymentLeases(l.id);
        const perBlock = leases.reduce((sum, x) => sum + parseDec(x.priceAmount), 0n);
        const left =
          parseDec(d.escrow.funds.amount) - BigInt(Math.max(0, height - d.escrow.settledAt)) * perBlock;
        if (left <= 0n) for (const x of leases) await chain.withdrawLease(x.id);
      } catch (e) {
        logger.warn({ err: e, deployment: key }, "escrow check failed; will retry");
      }
    }
  }

  /** Capacity held by leases and bids (for the bid engine and `/status`). */
  reservedTotals(): { cpuMillis: bigint; memoryBytes: bigint; storageBytes: bigint } {
    let cpuMillis = 0n;
    let memoryBytes = 0n;
    let storageBytes = 0n;
    for (const r of this.modules.store.reservations()) {
      cpuMillis += r.cpuMillis;
      memoryBytes += r.memoryBytes;
      storageBytes += r.storageBytes;
    }
    return { cpuMillis, memoryBytes, storageBytes };
  }

  /** Tracks background work until it ends; a failure is logged, never an unhandled rejection. */
  private background(work: Promise<void>, failure: string): void {
    const task = work.catch((e) => this.modules.logger.warn({ err: e }, failure));
    this.tasks.add(task);
    void task.finally(() => this.tasks.delete(task));
  }

  private schedule(ms: number, f: () => Promise<void>): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (!this.stopped) this.background(f(), "scheduled lease work failed");
    }, ms);
    t.unref();
    this.timers.add(t);
  }

  /** Runs `f` every `ms` until stop, which interrupts the wait and waits for a run in progress. */
  private every(ms: number, f: () => Promise<void>): void {
    const loop = async () => {
      while (!this.stopped) {
        try {
          await delay(ms, undefined, { signal: this.halt.signal, ref: false });
        } catch {
          return; // stopped
        }
        try {
          await f();
        } catch (e) {
          this.modules.logger.warn({ err: e }, "periodic lease work failed; it runs again next period");
        }
      }
    };
    this.background(loop(), "periodic lease work failed");
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.halt.abort();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    while (this.tasks.size > 0) await Promise.all(this.tasks);
  }
}

/** A chain query for a gateway request: an unreachable chain is a 503, not a 500. */
async function chainCall<T>(f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if (e instanceof GatewayError) throw e;
    throw unavailable(`chain unavailable: ${(e as Error).message}`);
  }
}
