// Market events, typed as Akash emits them (reference: akash-chain.md §7.1). A provider follows the market
// from these alone (§7.2): EventOrderCreated starts bidding, EventLeaseCreated tells who won, EventBidClosed
// and EventOrderClosed end a bid, EventLeaseClosed ends a lease.
import {
  type BidID,
  EventBidClosed,
  EventBidCreated,
  EventLeaseClosed,
  EventLeaseCreated,
  EventOrderClosed,
  EventOrderCreated,
  type LeaseClosedReason,
  type LeaseID,
  type OrderID,
} from "@akashnetwork/chain-sdk/private-types/akash.v1";
import type { DecCoin } from "@akashnetwork/chain-sdk/private-types/cosmos.v1beta1";
import type { Context } from "../../context.js";
import { emitTypedEvent } from "../chain-sdk.js";

export const marketEvents = {
  orderCreated: (ctx: Context, id: OrderID) => emitTypedEvent(ctx, EventOrderCreated, { id }),
  orderClosed: (ctx: Context, id: OrderID) => emitTypedEvent(ctx, EventOrderClosed, { id }),
  bidCreated: (ctx: Context, id: BidID, price: DecCoin) =>
    emitTypedEvent(ctx, EventBidCreated, { id, price }),
  bidClosed: (ctx: Context, id: BidID) => emitTypedEvent(ctx, EventBidClosed, { id }),
  leaseCreated: (ctx: Context, id: LeaseID, price: DecCoin) =>
    emitTypedEvent(ctx, EventLeaseCreated, { id, price }),
  leaseClosed: (ctx: Context, id: LeaseID, reason: LeaseClosedReason) =>
    emitTypedEvent(ctx, EventLeaseClosed, { id, reason }),
};
