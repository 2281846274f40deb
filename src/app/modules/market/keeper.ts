// Orders, bids and leases (reference: akash-chain.md §3), and how they close. An order is opened for each
// open group; providers bid on it; the tenant accepts one bid, which becomes a lease paid from the
// deployment's escrow. Keys extend the deployment's (owner first), and every record is also indexed by
// state, and bids and leases by provider and state, so that the lists providers page through cost the same
// however much history the chain holds.
//
// DeCloud fixes Akash's bugs here (DESIGN.md, reference §12): a new lease closes every competing bid as
// `lost` with an event and a refund (§12.1); closing a group or deployment closes its open orders and bids
// too (§12.2); a lease records the reason it really closed.
import type { Context } from "../../context.js";
import { prefixEnd } from "../../pagination.js";
import { GOV_AUTHORITY } from "../chain-sdk.js";
import { concatBytes, groupKeyOf, INDEX_VALUE, ownerPart, toBigInt, u32 } from "../deployment/keys.js";
import {
  Deployment_State as DeploymentState,
  type Group,
  Group_State as GroupState,
} from "../deployment/types.js";
import { bidAccountId, deploymentAccountId, leasePaymentId } from "../escrow/ids.js";
import { State as EscrowState } from "../escrow/keeper.js";
import { MarketErrors } from "./errors.js";
import { marketEvents } from "./events.js";
import type { MarketDeployments, MarketEscrow } from "./expected.js";
import { defaultMarketParams, type MarketParams, MarketParams as ParamsCodec } from "./params.js";
import {
  type Bid,
  BidCodec,
  type BidRef,
  Bid_State as BidState,
  type Lease,
  LeaseClosedReason,
  LeaseCodec,
  Lease_State as LeaseState,
  type Order,
  OrderCodec,
  type OrderRef,
  Order_State as OrderState,
} from "./types.js";

export const MARKET_STORE = "market";

const PARAMS_KEY = Uint8Array.of(0x01);
export const ORDER_PREFIX = 0x11;
export const ORDER_STATE_PREFIX = 0x12;
export const BID_PREFIX = 0x21;
export const BID_STATE_PREFIX = 0x22;
export const BID_PROVIDER_PREFIX = 0x23;
export const LEASE_PREFIX = 0x31;
export const LEASE_STATE_PREFIX = 0x32;
export const LEASE_PROVIDER_PREFIX = 0x33;

type Id = { owner: string; dseq: { toString(): string }; gseq: number; oseq: number };
type BidIdLike = Id & { provider: string; bseq: number };

export const orderRef = (id: Id): OrderRef => ({
  owner: id.owner,
  dseq: toBigInt(id.dseq),
  gseq: id.gseq,
  oseq: id.oseq,
});

export const bidRef = (id: BidIdLike): BidRef => ({ ...orderRef(id), provider: id.provider, bseq: id.bseq });

export const orderKeyOf = (o: OrderRef) => concatBytes(groupKeyOf(o.owner, o.dseq, o.gseq), u32(o.oseq));
export const bidKeyOf = (b: BidRef) => concatBytes(orderKeyOf(b), ownerPart(b.provider), u32(b.bseq));

export function describeOrder(o: OrderRef): string {
  return `${o.owner}/${o.dseq}/${o.gseq}/${o.oseq}`;
}

export function describeBid(b: BidRef): string {
  return `${describeOrder(b)}/${b.provider}`;
}

/** A lease's outcome when its group closes: insufficient funds, or closed by its owner (reference §3.7). */
export function leaseOutcome(groupState: GroupState): { state: LeaseState; reason: LeaseClosedReason } {
  return groupState === GroupState.insufficient_funds
    ? {
        state: LeaseState.insufficient_funds,
        reason: LeaseClosedReason.lease_closed_reason_insufficient_funds,
      }
    : { state: LeaseState.closed, reason: LeaseClosedReason.lease_closed_owner };
}

export interface MarketOptions {
  /** Who may change the params (default: the gov module account). */
  authority?: string;
}

export class MarketKeeper {
  readonly authority: string;

  constructor(
    private readonly deployments: MarketDeployments,
    private readonly escrow: MarketEscrow,
    opts: MarketOptions = {},
  ) {
    this.authority = opts.authority ?? GOV_AUTHORITY;
  }

  getParams(ctx: Context): MarketParams {
    const bytes = ctx.kv(MARKET_STORE).get(PARAMS_KEY);
    return bytes ? ParamsCodec.decode(bytes) : defaultMarketParams();
  }

  setParams(ctx: Context, params: MarketParams): void {
    ctx.kv(MARKET_STORE).set(PARAMS_KEY, ParamsCodec.encode(params).finish());
  }

  getOrder(ctx: Context, ref: OrderRef): Order | undefined {
    const bytes = ctx.kv(MARKET_STORE).get(concatBytes(Uint8Array.of(ORDER_PREFIX), orderKeyOf(ref)));
    return bytes ? OrderCodec.decode(bytes) : undefined;
  }

  getBid(ctx: Context, ref: BidRef): Bid | undefined {
    const bytes = ctx.kv(MARKET_STORE).get(concatBytes(Uint8Array.of(BID_PREFIX), bidKeyOf(ref)));
    return bytes ? BidCodec.decode(bytes) : undefined;
  }

  getLease(ctx: Context, ref: BidRef): Lease | undefined {
    const bytes = ctx.kv(MARKET_STORE).get(concatBytes(Uint8Array.of(LEASE_PREFIX), bidKeyOf(ref)));
    return bytes ? LeaseCodec.decode(bytes) : undefined;
  }

  /** Writes an order; `previous` is the state it was stored in, if any. */
  saveOrder(ctx: Context, order: Order, previous?: OrderState): void {
    const key = orderKeyOf(orderRef(order.id!));
    this.writeIndexed(
      ctx,
      key,
      OrderCodec.encode(order).finish(),
      ORDER_PREFIX,
      ORDER_STATE_PREFIX,
      order.state,
      previous,
    );
  }

  saveBid(ctx: Context, bid: Bid, previous?: BidState): void {
    const ref = bidRef(bid.id!);
    const key = bidKeyOf(ref);
    this.writeIndexed(
      ctx,
      key,
      BidCodec.encode(bid).finish(),
      BID_PREFIX,
      BID_STATE_PREFIX,
      bid.state,
      previous,
      {
        prefix: BID_PROVIDER_PREFIX,
        provider: ref.provider,
      },
    );
  }

  saveLease(ctx: Context, lease: Lease, previous?: LeaseState): void {
    const ref = bidRef(lease.id!);
    const key = bidKeyOf(ref);
    this.writeIndexed(
      ctx,
      key,
      LeaseCodec.encode(lease).finish(),
      LEASE_PREFIX,
      LEASE_STATE_PREFIX,
      lease.state,
      previous,
      {
        prefix: LEASE_PROVIDER_PREFIX,
        provider: ref.provider,
      },
    );
  }

  private writeIndexed(
    ctx: Context,
    key: Uint8Array,
    value: Uint8Array,
    prefix: number,
    statePrefix: number,
    state: number,
    previous: number | undefined,
    byProvider?: { prefix: number; provider: string },
  ): void {
    const store = ctx.kv(MARKET_STORE);
    const stateKey = (s: number) => concatBytes(Uint8Array.of(statePrefix, s), key);
    const providerKey = (s: number) =>
      concatBytes(Uint8Array.of(byProvider!.prefix), ownerPart(byProvider!.provider), Uint8Array.of(s), key);
    if (previous !== undefined && previous !== state) {
      store.delete(stateKey(previous));
      if (byProvider) store.delete(providerKey(previous));
    }
    store.set(concatBytes(Uint8Array.of(prefix), key), value);
    store.set(stateKey(state), INDEX_VALUE);
    if (byProvider) store.set(providerKey(state), INDEX_VALUE);
  }

  /** Whether the provider still runs an active lease: a provider with one cannot be deleted. */
  providerHasActiveLeases(ctx: Context, provider: string): boolean {
    const prefix = concatBytes(
      Uint8Array.of(LEASE_PROVIDER_PREFIX),
      ownerPart(provider),
      Uint8Array.of(LeaseState.active),
    );
    for (const _entry of ctx.kv(MARKET_STORE).iterator(prefix, prefixEnd(prefix))) return true;
    return false;
  }

  /** A group's orders in oseq order. */
  ordersOfGroup(ctx: Context, owner: string, dseq: bigint, gseq: number): Order[] {
    const prefix = concatBytes(Uint8Array.of(ORDER_PREFIX), groupKeyOf(owner, dseq, gseq));
    return [...ctx.kv(MARKET_STORE).iterator(prefix, prefixEnd(prefix))].map(([, v]) => OrderCodec.decode(v));
  }

  /** An order's bids in key order. */
  bidsOfOrder(ctx: Context, ref: OrderRef): Bid[] {
    const prefix = concatBytes(Uint8Array.of(BID_PREFIX), orderKeyOf(ref));
    return [...ctx.kv(MARKET_STORE).iterator(prefix, prefixEnd(prefix))].map(([, v]) => BidCodec.decode(v));
  }

  /**
   * Opens the next order of an open group (reference §3.5): oseq is one more than the group's orders so far,
   * none of which may still be open or active.
   */
  createOrder(ctx: Context, group: Group): Order {
    const { owner, gseq } = group.id!;
    const dseq = toBigInt(group.id!.dseq);
    const orders = this.ordersOfGroup(ctx, owner, dseq, gseq);
    const live = orders.find((o) => o.state === OrderState.open || o.state === OrderState.active);
    if (live) {
      throw MarketErrors.orderActive(
        `group ${owner}/${dseq}/${gseq} already has order ${live.id!.oseq} ${OrderState[live.state]}`,
      );
    }
    const order = OrderCodec.fromPartial({
      id: { owner, dseq, gseq, oseq: orders.length + 1 },
      state: OrderState.open,
      spec: group.groupSpec,
      createdAt: ctx.block.height,
    });
    this.saveOrder(ctx, order);
    marketEvents.orderCreated(ctx, order.id!);
    return order;
  }

  closeOrder(ctx: Context, order: Order): void {
    if (order.state === OrderState.closed) return;
    const previous = order.state;
    order.state = OrderState.closed;
    this.saveOrder(ctx, order, previous);
    marketEvents.orderClosed(ctx, order.id!);
  }

  /**
   * Closes a bid (or marks it `lost` when another bid won the order) and refunds its deposit. Both say so with
   * EventBidClosed, which is the event the provider daemon ends a bid on (reference §7.2).
   */
  closeBid(ctx: Context, bid: Bid, state: BidState.closed | BidState.lost = BidState.closed): void {
    if (bid.state === BidState.closed || bid.state === BidState.lost) return;
    const previous = bid.state;
    bid.state = state;
    this.saveBid(ctx, bid, previous);
    this.escrow.accountClose(ctx, bidAccountId(bidRef(bid.id!)));
    marketEvents.bidClosed(ctx, bid.id!);
  }

  /**
   * Closes a lease with the state and reason it closed for, and closes its payment if escrow has not already
   * (when escrow closes a whole account it settles the payments itself).
   */
  closeLease(ctx: Context, lease: Lease, outcome: { state: LeaseState; reason: LeaseClosedReason }): void {
    if (lease.state !== LeaseState.active) return;
    const previous = lease.state;
    lease.state = outcome.state;
    lease.reason = outcome.reason;
    lease.closedOn = LeaseCodec.fromPartial({ closedOn: ctx.block.height }).closedOn;
    this.saveLease(ctx, lease, previous);
    const payment = leasePaymentId(bidRef(lease.id!));
    if (this.escrow.getPayment(ctx, payment)?.state === EscrowState.open)
      this.escrow.paymentClose(ctx, payment);
    marketEvents.leaseClosed(ctx, lease.id!, outcome.reason);
  }

  /**
   * A group was paused or closed (reference §3.7, with §12.2 fixed): its open and active orders close, their
   * open and active bids close, and a lease closes as insufficient funds if that is why the group closed,
   * else as closed by its owner.
   */
  onGroupClosed(ctx: Context, group: Group): void {
    const { owner, gseq } = group.id!;
    const dseq = toBigInt(group.id!.dseq);
    const outcome = leaseOutcome(group.state);
    for (const order of this.ordersOfGroup(ctx, owner, dseq, gseq)) {
      if (order.state === OrderState.closed) continue;
      this.closeOrder(ctx, order);
      for (const bid of this.bidsOfOrder(ctx, orderRef(order.id!))) {
        if (bid.state === BidState.active) {
          const lease = this.getLease(ctx, bidRef(bid.id!));
          if (lease) this.closeLease(ctx, lease, outcome);
        }
        this.closeBid(ctx, bid);
      }
    }
  }

  /**
   * Escrow closed a deployment's account (reference §3.8): the deployment closes, and every group that is not
   * closed yet closes too — as `insufficient_funds` if the account ran dry — with all it holds.
   */
  onAccountClosed(ctx: Context, owner: string, dseq: bigint, overdrawn: boolean): void {
    const deployment = this.deployments.get(ctx, owner, dseq);
    if (!deployment || deployment.state !== DeploymentState.active) return;
    this.deployments.close(ctx, deployment);
    const state = overdrawn ? GroupState.insufficient_funds : GroupState.closed;
    for (const group of this.deployments.groups(ctx, owner, dseq)) {
      if (group.state === GroupState.closed) continue;
      this.deployments.setGroupState(ctx, group, state);
      this.onGroupClosed(ctx, group);
    }
  }

  /** Settles the escrow of a lease's deployment; false when the deployment just ran dry and closed. */
  settle(ctx: Context, ref: OrderRef): boolean {
    return this.escrow.accountSettle(ctx, deploymentAccountId(ref.owner, ref.dseq));
  }
}
