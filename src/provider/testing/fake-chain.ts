// An in-memory chain for the provider's tests: deployments, orders, bids, leases, certificates and account
// keys that a test sets up, the provider's transactions recorded, and events delivered as blocks. It follows
// the market's rules the provider relies on (a closed lease stays closed; reference: akash-chain.md §7).
import type { GroupSpec } from "@akashnetwork/chain-sdk/private-types/akash.v1beta4";
import type {
  AuditedAttributes,
  BidId,
  ChainBid,
  ChainCertificate,
  ChainDeployment,
  ChainEvent,
  ChainEventBatch,
  ChainLease,
  ChainOrder,
  ChainProvider,
  Coin,
  DecCoin,
  LeaseState,
  OrderId,
  ProviderChain,
} from "../chain/chain.js";
import { type DeploymentId, type LeaseId, leaseIdString } from "../lease-id.js";
import { orderKey } from "../state/store.js";

export class FakeChain implements ProviderChain {
  currentHeight = 1;
  /** Makes every call fail, as an unreachable node does. */
  down = false;
  readonly deployments = new Map<string, ChainDeployment>();
  readonly orders = new Map<string, ChainOrder>();
  readonly leases = new Map<string, ChainLease>();
  readonly bids = new Map<string, ChainBid>();
  readonly providers = new Map<string, ChainProvider>();
  readonly audits: AuditedAttributes[] = [];
  readonly certs = new Map<string, ChainCertificate[]>();
  readonly pubkeys = new Map<string, Uint8Array>();
  readonly sent: { type: string; value: unknown }[] = [];
  private readonly handlers = new Set<(b: ChainEventBatch) => void>();

  constructor(
    readonly chainId: string,
    readonly address: string,
  ) {}

  private check(): void {
    if (this.down) throw new Error("connect ECONNREFUSED 127.0.0.1:26657");
  }

  /** Delivers events in a new block. */
  emit(...events: ChainEvent[]): void {
    this.currentHeight++;
    for (const h of this.handlers) h({ height: this.currentHeight, events });
  }

  // ---- test setup ----

  addDeployment(id: DeploymentId, hash: Uint8Array, specs: GroupSpec[], funds = "1000000000"): OrderId[] {
    this.deployments.set(`${id.owner}/${id.dseq}`, {
      id,
      state: "active",
      hash,
      groups: specs.map((spec, i) => ({ gseq: i + 1, state: "open", spec })),
      escrow: { funds: { denom: "uakt", amount: funds }, settledAt: this.currentHeight },
    });
    return specs.map((spec, i) => {
      const oid = { ...id, gseq: i + 1, oseq: 1 };
      this.orders.set(orderKey(oid), { id: oid, state: "open", spec, createdAt: this.currentHeight });
      return oid;
    });
  }

  createLease(
    order: OrderId,
    provider = this.address,
    price: DecCoin = { denom: "uakt", amount: "100" },
  ): ChainLease {
    const lease: ChainLease = {
      id: { ...order, provider },
      state: "active",
      price,
      createdAt: this.currentHeight,
    };
    this.leases.set(leaseIdString(lease.id), lease);
    const o = this.orders.get(orderKey(order));
    if (o) this.orders.set(orderKey(order), { ...o, state: "active" });
    return lease;
  }

  closeLease(id: LeaseId, state: LeaseState = "closed"): void {
    const l = this.leases.get(leaseIdString(id));
    if (l) this.leases.set(leaseIdString(id), { ...l, state });
  }

  updateDeploymentHash(id: DeploymentId, hash: Uint8Array): void {
    const d = this.deployments.get(`${id.owner}/${id.dseq}`)!;
    this.deployments.set(`${id.owner}/${id.dseq}`, { ...d, hash });
  }

  // ---- ProviderChain ----

  async height(): Promise<number> {
    this.check();
    return this.currentHeight;
  }

  async provider(owner: string): Promise<ChainProvider | undefined> {
    this.check();
    return this.providers.get(owner);
  }

  async deployment(id: DeploymentId): Promise<ChainDeployment | undefined> {
    this.check();
    return this.deployments.get(`${id.owner}/${id.dseq}`);
  }

  async order(id: OrderId): Promise<ChainOrder | undefined> {
    this.check();
    return this.orders.get(orderKey(id));
  }

  async openOrders(key?: Uint8Array): Promise<{ orders: ChainOrder[]; next?: Uint8Array }> {
    this.check();
    const open = [...this.orders.values()].filter((o) => o.state === "open");
    const start = key ? Number(new TextDecoder().decode(key)) : 0;
    const page = open.slice(start, start + 2);
    const next = start + 2 < open.length ? new TextEncoder().encode(String(start + 2)) : undefined;
    return { orders: page, next };
  }

  async lease(id: LeaseId): Promise<ChainLease | undefined> {
    this.check();
    return this.leases.get(leaseIdString(id));
  }

  async providerLeases(state?: LeaseState): Promise<ChainLease[]> {
    this.check();
    return [...this.leases.values()].filter(
      (l) => l.id.provider === this.address && (!state || l.state === state),
    );
  }

  async providerBids(state: ChainBid["state"]): Promise<ChainBid[]> {
    this.check();
    return [...this.bids.values()].filter((b) => b.id.provider === this.address && b.state === state);
  }

  async auditedAttributes(owner: string): Promise<AuditedAttributes[]> {
    this.check();
    return this.audits.filter((a) => a.owner === owner);
  }

  async certificates(owner: string): Promise<ChainCertificate[]> {
    this.check();
    return this.certs.get(owner) ?? [];
  }

  async accountPubkey(address: string): Promise<Uint8Array | undefined> {
    this.check();
    return this.pubkeys.get(address);
  }

  async createBid(params: { order: OrderId; price: DecCoin; deposit: Coin }): Promise<void> {
    this.check();
    const id: BidId = { ...params.order, provider: this.address, bseq: 0 };
    const key = `${orderKey(id)}/${id.provider}`;
    if (this.bids.has(key)) throw new Error("bid already exists");
    this.bids.set(key, { id, state: "open", price: params.price, createdAt: this.currentHeight });
    this.sent.push({ type: "MsgCreateBid", value: params });
  }

  async closeBid(id: BidId, reason: number): Promise<void> {
    this.check();
    const key = `${orderKey(id)}/${id.provider}`;
    const bid = this.bids.get(key);
    if (bid) this.bids.set(key, { ...bid, state: "closed" });
    this.sent.push({ type: "MsgCloseBid", value: { id, reason } });
  }

  async withdrawLease(id: LeaseId): Promise<void> {
    this.check();
    this.sent.push({ type: "MsgWithdrawLease", value: id });
  }

  subscribe(handler: (batch: ChainEventBatch) => void): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }
}
