// The bid engine (reference: akash-provider.md §3): every open order — from the event stream, and on start
// from paging the chain's open orders — is matched, reserved, priced and bid on, once. A bid that is not
// turned into a lease within the bid timeout is closed; a lost or closed bid releases its reservation.
import type { Logger } from "pino";
import type { ChainEvent, ChainOrder, Coin, OrderId, ProviderChain } from "../chain/chain.js";
import { CLOSE_REASON } from "../chain/chain.js";
import { groupTotals } from "../manifest/validate.js";
import { orderKey } from "../state/store.js";
import type { Inventory } from "./inventory.js";
import { type Attribute, whyNotBid } from "./match.js";
import { type PricingConfig, priceOrder } from "./pricing.js";

export interface BidEngineOptions {
  readonly attributes: readonly Attribute[];
  readonly pricing: PricingConfig;
  readonly deposit: Coin;
  /** Close a bid that has not become a lease after this long. */
  readonly bidTimeoutMs: number;
  readonly maxVolumesPerUnit?: number;
}

export interface BidEngineModules {
  readonly chain: ProviderChain;
  readonly inventory: Inventory;
  readonly logger: Logger;
}

type OrderState = { stage: "evaluating" } | { stage: "bid"; timer: NodeJS.Timeout } | { stage: "done" };

export interface BidDecision {
  readonly order: string;
  readonly bid: boolean;
  readonly reason?: string;
  readonly price?: string;
}

export class BidEngine {
  /** Every order this engine has seen: never evaluated twice, never bid twice. */
  private readonly orders = new Map<string, OrderState>();
  private readonly decisionListeners = new Set<(d: BidDecision) => void>();
  private stopped = false;

  constructor(
    private readonly opts: BidEngineOptions,
    private readonly modules: BidEngineModules,
  ) {}

  /** Orders being evaluated or with an open bid (`bidengine.orders` in `/status`). */
  get inFlight(): number {
    let n = 0;
    for (const s of this.orders.values()) if (s.stage !== "done") n++;
    return n;
  }

  onDecision(f: (d: BidDecision) => void): () => void {
    this.decisionListeners.add(f);
    return () => this.decisionListeners.delete(f);
  }

  private decided(d: BidDecision): void {
    if (!d.bid) this.modules.logger.info({ order: d.order, reason: d.reason }, "not bidding");
    else this.modules.logger.info({ order: d.order, price: d.price }, "bid placed");
    for (const f of this.decisionListeners) f(d);
  }

  /**
   * Catches up with the chain: bids this provider already has are re-armed (no second bid), then every
   * open order is evaluated, page by page (reference §3.1).
   */
  async catchUp(): Promise<void> {
    const { chain, inventory } = this.modules;
    const open = await chain.providerBids("open");
    for (const bid of open) {
      const key = orderKey(bid.id);
      if (this.orders.has(key)) continue;
      this.armTimeout(bid.id);
    }
    // Reservations of bids that ended while the provider was down are released (leases' are active ones).
    const bidding = new Set(open.map((b) => orderKey(b.id)));
    for (const key of inventory.pendingOrders()) {
      if (!bidding.has(key) && !this.orders.has(key)) inventory.release(key);
    }
    let next: Uint8Array | undefined;
    do {
      const page = await chain.openOrders(next);
      for (const order of page.orders) void this.consider(order);
      next = page.next;
    } while (next && !this.stopped);
  }

  /** Events of a new block. */
  handle(event: ChainEvent): void {
    const { chain } = this.modules;
    switch (event.type) {
      case "OrderCreated":
        if (!this.orders.has(orderKey(event.id))) void this.considerId(event.id);
        break;
      case "LeaseCreated": {
        const key = orderKey(event.id);
        const state = this.orders.get(key);
        if (!state) break;
        this.finish(key);
        if (event.id.provider !== chain.address) {
          // Lost: the chain marks our bid lost; close it so its deposit comes back (reference §3.2).
          void this.closeBid(event.id, CLOSE_REASON.unspecified);
          this.modules.inventory.release(key);
        }
        break;
      }
      case "OrderClosed": {
        const key = orderKey(event.id);
        if (this.orders.has(key)) {
          this.finish(key);
          this.modules.inventory.release(key);
        }
        break;
      }
      case "GroupClosed":
        this.finishAll(`${event.id.owner}/${event.id.dseq}/${event.id.gseq}/`);
        break;
      case "BidClosed":
        if (event.id.provider === chain.address) {
          this.finish(orderKey(event.id));
          this.modules.inventory.release(orderKey(event.id));
        }
        break;
      case "DeploymentClosed":
        this.finishAll(`${event.id.owner}/${event.id.dseq}/`);
        break;
    }
  }

  private async considerId(id: OrderId): Promise<void> {
    const key = orderKey(id);
    this.orders.set(key, { stage: "evaluating" });
    try {
      const order = await this.modules.chain.order(id);
      if (!order || order.state !== "open") {
        this.orders.set(key, { stage: "done" });
        return;
      }
      await this.evaluate(order);
    } catch (e) {
      this.modules.logger.warn({ err: e, order: key }, "could not read the order");
      this.orders.delete(key);
    }
  }

  private async consider(order: ChainOrder): Promise<void> {
    const key = orderKey(order.id);
    if (this.orders.has(key)) return;
    this.orders.set(key, { stage: "evaluating" });
    await this.evaluate(order).catch((e) => {
      this.modules.logger.warn({ err: e, order: key }, "evaluating the order failed");
      this.orders.delete(key);
    });
  }

  private async evaluate(order: ChainOrder): Promise<void> {
    const { chain, inventory } = this.modules;
    const key = orderKey(order.id);
    const refuse = (reason: string) => {
      this.orders.set(key, { stage: "done" });
      this.decided({ order: key, bid: false, reason });
    };
    const provider = await chain.provider(chain.address);
    const audited =
      order.spec.requirements?.signedBy?.allOf.length || order.spec.requirements?.signedBy?.anyOf.length
        ? await chain.auditedAttributes(chain.address)
        : [];
    const why = whyNotBid(order.id.owner, order.spec, {
      provider: chain.address,
      attributes: provider?.attributes ?? this.opts.attributes,
      audited,
      gpus: false,
      maxVolumesPerUnit: this.opts.maxVolumesPerUnit,
    });
    if (why) return refuse(why);
    const priced = await priceOrder(order.spec, order.id.owner, this.opts.pricing);
    if ("refused" in priced) return refuse(priced.refused);
    const totals = groupTotals(order.spec);
    const noRoom = inventory.reserve(key, totals);
    if (noRoom) return refuse(`not enough capacity: ${noRoom}`);
    try {
      await chain.createBid({
        order: order.id,
        price: priced.price,
        deposit: this.opts.deposit,
        resourcesOffer: order.spec.resources.map((u) => ({ resources: u.resource, count: u.count })),
      });
    } catch (e) {
      inventory.release(key);
      return refuse(`bid failed: ${(e as Error).message}`);
    }
    this.armTimeout(order.id);
    this.decided({ order: key, bid: true, price: `${priced.price.amount}${priced.price.denom}` });
  }

  private armTimeout(id: OrderId): void {
    const key = orderKey(id);
    const timer = setTimeout(() => {
      if (this.orders.get(key)?.stage !== "bid") return;
      this.modules.logger.info({ order: key }, "no lease within the bid timeout: closing the bid");
      this.finish(key);
      this.modules.inventory.release(key);
      void this.closeBid(id, CLOSE_REASON.unspecified);
    }, this.opts.bidTimeoutMs);
    timer.unref();
    this.orders.set(key, { stage: "bid", timer });
  }

  /** Ends every order under a deployment or group (their bids are closed by the chain with them). */
  private finishAll(prefix: string): void {
    for (const key of this.orders.keys()) {
      if (!key.startsWith(prefix)) continue;
      this.finish(key);
      this.modules.inventory.release(key);
    }
  }

  private finish(key: string): void {
    const state = this.orders.get(key);
    if (state?.stage === "bid") clearTimeout(state.timer);
    this.orders.set(key, { stage: "done" });
  }

  private async closeBid(id: OrderId, reason: number): Promise<void> {
    try {
      await this.modules.chain.closeBid({ ...id, provider: this.modules.chain.address, bseq: 0 }, reason);
    } catch (e) {
      // Already closed (the chain closes losing bids itself), or the chain is away: either way nothing to undo.
      this.modules.logger.debug({ err: e }, "closing the bid failed");
    }
  }

  stop(): void {
    this.stopped = true;
    for (const key of [...this.orders.keys()]) this.finish(key);
  }
}
