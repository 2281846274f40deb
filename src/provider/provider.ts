// The provider daemon: the chain, the cluster, the state, the bid engine, the lease manager, the gateway and
// the ingress composed in one place, and the chain's events routed to them. Start-up follows Akash's order
// (reference: akash-provider.md §6.1): cluster ready, state reconciled, events followed, bids caught up,
// gateway and ingress listening.
import { join } from "node:path";
import type { Logger } from "pino";
import type { ProviderStatus, ResourceAmounts } from "../client/gateway/types.js";
import { BidEngine } from "./bidengine/engine.js";
import { Inventory } from "./bidengine/inventory.js";
import { publishedPricing } from "./bidengine/pricing.js";
import type { ChainEvent, ProviderChain } from "./chain/chain.js";
import type { ClusterBackend } from "./cluster/backend.js";
import type { ProviderConfig } from "./config.js";
import { Gateway } from "./gateway/server.js";
import { Ingress } from "./ingress/proxy.js";
import { LeaseManager } from "./lease/manager.js";
import { retryForever } from "./retry.js";
import { ProviderStore } from "./state/store.js";

export const PROVIDER_VERSION = "0.1.0";

export interface ProviderModules {
  readonly chain: ProviderChain;
  readonly cluster: ClusterBackend;
  readonly logger: Logger;
  /** The provider's TLS certificate and key (PEM), published on chain. */
  readonly tls: { readonly cert: string; readonly key: string };
}

export class Provider {
  readonly store: ProviderStore;
  readonly leases: LeaseManager;
  readonly inventory: Inventory;
  readonly bids: BidEngine;
  readonly gateway: Gateway;
  readonly ingress: Ingress;
  private unsubscribe: (() => void) | undefined;
  private ingressPort = 0;
  private stopped = false;
  private refreshTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly config: ProviderConfig,
    readonly home: string,
    readonly modules: ProviderModules,
  ) {
    const { chain, cluster, logger } = modules;
    this.store = new ProviderStore(join(home, "provider.sqlite"));
    // Lease events outlive a restart in the state, and go with the lease (ProviderStore.deleteLease).
    cluster.keepEventsIn?.(this.store, (err) =>
      logger.warn(
        { err },
        "lease events: the state store failed; live events still reach tenants, history may miss some",
      ),
    );
    this.ingress = new Ingress(
      { host: config.ingress.host, port: config.ingress.port },
      { targets: (h) => this.leases.ingressTargets(h) },
    );
    // The ingress port is known once it listens (0 picks a free one); URIs are built after that.
    const ingressPort = () => this.ingressPort || config.ingress.port;
    this.leases = new LeaseManager(
      {
        ingressDomain: config.ingress.domain,
        get ingressPort() {
          return ingressPort();
        },
        publicHostname: config.ingress.publicHostname,
        blockedHostnames: config.ingress.blockedHostnames,
        manifestTimeoutMs: config.bidding.manifestTimeoutMs,
        withdrawalPeriodMs: config.lease.withdrawalPeriodMs,
        fundsCheckPeriodMs: config.lease.fundsCheckPeriodMs,
      },
      { chain, cluster, store: this.store, logger },
    );
    this.leases.onChange(() => this.ingress.invalidate());
    this.inventory = new Inventory(config.capacity, { cluster, store: this.store });
    this.bids = new BidEngine(
      {
        attributes: config.provider.attributes,
        pricing: config.bidding.pricing,
        deposit: config.bidding.deposit,
        bidTimeoutMs: config.bidding.bidTimeoutMs,
      },
      { chain, inventory: this.inventory, logger },
    );
    this.gateway = new Gateway(
      {
        host: config.gateway.host,
        port: config.gateway.port,
        cert: modules.tls.cert,
        key: modules.tls.key,
        version: PROVIDER_VERSION,
      },
      { chain, cluster, leases: this.leases, status: () => this.status() },
    );
  }

  async start(): Promise<void> {
    const { cluster, logger } = this.modules;
    const stopped = () => this.stopped;
    await retryForever(() => cluster.ready(), {
      stopped,
      onError: (e) => logger.warn({ err: e }, `${cluster.kind} is not answering; retrying`),
    });
    await this.inventory.refresh();
    await this.ingress.start();
    this.ingressPort = this.ingress.port;
    await this.gateway.start();
    // Events first, so that nothing between the catch-up and the subscription is missed.
    this.unsubscribe = this.modules.chain.subscribe((batch) => {
      for (const e of batch.events) this.dispatch(e);
    });
    const onChain = await this.modules.chain.provider(this.modules.chain.address).catch(() => undefined);
    if (!onChain) {
      logger.warn(
        { address: this.modules.chain.address },
        "this provider is not registered on chain: bids will be refused until `decloud provider register`",
      );
    }
    await this.leases.reconcile();
    await retryForever(() => this.bids.catchUp(), {
      stopped,
      onError: (e) => logger.warn({ err: e }, "catching up with open orders failed; retrying"),
    });
    this.leases.start();
    // Disks fill up and engines change: capacity is read again now and then (a failure keeps the last figures).
    this.refreshTimer = setInterval(() => void this.inventory.refresh().catch(() => undefined), 60_000);
    this.refreshTimer.unref();
    logger.info({ gateway: this.gateway.url, ingress: this.ingress.port }, "provider running");
  }

  /** Routes one chain event: bids to the bid engine, leases of this provider to the lease manager. */
  dispatch(e: ChainEvent): void {
    const me = this.modules.chain.address;
    this.bids.handle(e);
    if (e.type === "LeaseCreated" && e.id.provider === me) {
      this.leases.leaseWon({ id: e.id, state: "active", price: e.price, createdAt: 0 });
    } else if (e.type === "LeaseClosed" && e.id.provider === me) {
      void this.leases.leaseClosed(e.id);
    }
  }

  /**
   * `GET /status` (reference §6.5): leases, capacity, reservations, orders in flight; and DeCloud's
   * `bid_pricing`, the scale rates a tenant predicts our bids from (absent for a pricing script).
   */
  async status(): Promise<ProviderStatus> {
    const capacity = this.inventory.capacity();
    const free = this.inventory.available();
    const res = (r: { cpuMillis: bigint; memoryBytes: bigint; storageBytes: bigint }): ResourceAmounts => ({
      cpu: Number(r.cpuMillis),
      gpu: 0,
      memory: Number(r.memoryBytes),
      storage_ephemeral: Number(r.storageBytes),
    });
    const deployments = new Set(this.store.leases().map((l) => `${l.id.owner}/${l.id.dseq}`));
    const pricing = publishedPricing(this.config.bidding.pricing);
    return {
      cluster: {
        leases: this.store.leases().length,
        inventory: {
          active: [res(this.inventory.reserved("active"))],
          pending: [res(this.inventory.reserved("pending"))],
          available: {
            nodes: [{ name: this.modules.cluster.kind, allocatable: res(capacity), available: res(free) }],
            storage: [],
          },
        },
      },
      bidengine: { orders: this.bids.inFlight },
      manifest: { deployments: deployments.size },
      cluster_public_hostname: this.config.ingress.publicHostname,
      address: this.modules.chain.address,
      ...(pricing ? { bid_pricing: pricing } : {}),
    };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.refreshTimer);
    this.unsubscribe?.();
    this.bids.stop();
    await this.leases.stop();
    await this.gateway.stop();
    await this.ingress.stop();
    await this.modules.cluster.close();
    this.store.close();
  }
}
