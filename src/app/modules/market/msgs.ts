// akash.market.v1beta5.Msg (reference: akash-chain.md §3.2–3.3), with the fixes of §12: `order_max_bids`
// is the most open bids an order takes (not one more), a new lease closes every competing bid, and a lease
// closed by its owner keeps the owner's reason. Actions that close a lease settle the deployment's escrow
// first, so that a deployment that ran dry closes with the insufficient-funds reason instead.
import {
  MsgCloseBid,
  MsgCloseBidResponse,
  MsgCloseLease,
  MsgCloseLeaseResponse,
  MsgCreateBid,
  MsgCreateBidResponse,
  MsgCreateLease,
  MsgCreateLeaseResponse,
  MsgUpdateParams,
  MsgUpdateParamsResponse,
  MsgWithdrawLease,
  MsgWithdrawLeaseResponse,
} from "@akashnetwork/chain-sdk/private-types/akash.v1beta5";
import { formatCoin } from "../../coins.js";
import type { Context } from "../../context.js";
import { defineMsg } from "../../module.js";
import { checkAddress, msgResponse, updateParamsMsg } from "../chain-sdk.js";
import { Group_State as GroupState } from "../deployment/types.js";
import { groupPrice, validDecCoin } from "../deployment/validation.js";
import { formatDecCoin } from "../escrow/decimal.js";
import { validateDeposit } from "../escrow/deposit.js";
import { bidAccountId, deploymentAccountId, leasePaymentId } from "../escrow/ids.js";
import { MarketErrors } from "./errors.js";
import { marketEvents } from "./events.js";
import type { AuditLookup, MarketDeployments, MarketEscrow, ProviderLookup } from "./expected.js";
import { bidRef, describeBid, describeOrder, type MarketKeeper, orderRef } from "./keeper.js";
import { capabilityMismatch, offerMismatch, placementMismatch } from "./matching.js";
import { bidMinDepositOf, validateMarketParams } from "./params.js";
import {
  BidCodec,
  type BidID,
  type BidRef,
  Bid_State as BidState,
  LeaseClosedReason,
  LeaseCodec,
  Lease_State as LeaseState,
  Order_State as OrderState,
} from "./types.js";

/** BidID.Validate (also LeaseID's): a valid order id, a provider that is not the owner, bseq 0. */
export function validateBidId(id: BidID | undefined, what: string): BidRef {
  if (!id) throw MarketErrors.invalidBid(`${what} id is missing`);
  checkAddress(id.owner, `${what} owner`);
  const ref = bidRef(id);
  if (ref.dseq === 0n || ref.gseq === 0 || ref.oseq === 0) {
    throw MarketErrors.invalidBid(`${what} id ${describeOrder(ref)}: dseq, gseq and oseq must not be 0`);
  }
  if (id.provider === "") throw MarketErrors.emptyProvider(`${what} id has no provider`);
  checkAddress(id.provider, `${what} provider`);
  if (id.provider === id.owner) {
    throw MarketErrors.sameAccount(`${what} id: a provider cannot bid on its own order (${id.owner})`);
  }
  if (id.bseq !== 0) throw MarketErrors.invalidBid(`${what} id: bseq must be 0, got ${id.bseq}`);
  return ref;
}

const PROVIDER_REASONS = { min: 10_000, max: 19_999 };
const OWNER_REASONS = { min: 1, max: 9_999 };

export interface MarketMsgDeps {
  deployments: MarketDeployments;
  escrow: MarketEscrow;
  providers: ProviderLookup;
  audits: AuditLookup;
}

export function marketMsgs(market: MarketKeeper, { deployments, escrow, providers, audits }: MarketMsgDeps) {
  const mustGetBid = (ctx: Context, ref: BidRef, notFound: (m: string) => Error) => {
    const bid = market.getBid(ctx, ref);
    if (!bid) throw notFound(`bid ${describeBid(ref)} not found`);
    return bid;
  };

  return [
    defineMsg({
      typeUrl: "/akash.market.v1beta5.MsgCreateBid",
      codec: MsgCreateBid,
      signers: (msg) => [msg.id?.provider ?? ""],
      validateBasic(msg) {
        validateBidId(msg.id, "bid");
        const price = validDecCoin(msg.price, "bid price");
        if (price.amount === 0n) throw MarketErrors.bidZeroPrice("a bid price must be above 0");
        validateDeposit(msg.deposit, "bid deposit");
      },
      handle(ctx, msg) {
        const ref = validateBidId(msg.id, "bid");
        const order = market.getOrder(ctx, ref);
        if (!order) throw MarketErrors.orderNotFound(`order ${describeOrder(ref)} not found`);
        if (order.state === OrderState.active) {
          throw MarketErrors.orderActive(`order ${describeOrder(ref)} already has a lease`);
        }
        if (order.state !== OrderState.open)
          throw MarketErrors.orderClosed(`order ${describeOrder(ref)} is closed`);
        if (market.getBid(ctx, ref)) {
          throw MarketErrors.bidExists(`${ref.provider} has already bid on order ${describeOrder(ref)}`);
        }
        const provider = providers.get(ctx, ref.provider);
        if (!provider) {
          throw MarketErrors.unknownProvider(`${ref.provider} is not a registered provider; create it first`);
        }
        const params = market.getParams(ctx);
        const open = market.bidsOfOrder(ctx, ref).filter((b) => b.state === BidState.open).length;
        if (open >= params.orderMaxBids) {
          throw MarketErrors.invalidBid(
            `order ${describeOrder(ref)} already has ${open} open bids, the most order_max_bids allows`,
          );
        }
        const price = validDecCoin(msg.price, "bid price");
        const maximum = groupPrice(order.spec!);
        if (price.denom !== maximum.denom) {
          throw MarketErrors.bidInvalidPrice(
            `bid price ${formatDecCoin(price)} is not in ${maximum.denom}, the denom the order is priced in`,
          );
        }
        if (price.amount > maximum.amount) {
          throw MarketErrors.bidInvalidPrice(
            `bid price ${formatDecCoin(price)} is above the order's maximum ${formatDecCoin(maximum)}`,
          );
        }
        const deposit = validateDeposit(msg.deposit, "bid deposit");
        const minimum = bidMinDepositOf(params, deposit.amount.denom);
        if (minimum === undefined) {
          const allowed = params.bidMinDeposits.map((c) => c.denom).join(", ");
          throw MarketErrors.invalidDeposit(
            `bid deposits cannot be in ${deposit.amount.denom}; use one of ${allowed}`,
          );
        }
        if (deposit.amount.amount < minimum) {
          throw MarketErrors.invalidDeposit(
            `bid deposit ${formatCoin(deposit.amount)} is below the minimum ${minimum}${deposit.amount.denom}`,
          );
        }
        const offer = offerMismatch(order.spec!, msg.resourcesOffer);
        if (offer) throw MarketErrors.capabilitiesMismatch(offer);
        const placement = placementMismatch(
          order.spec!,
          provider.attributes,
          audits.getProviderAttributes(ctx, ref.provider),
        );
        if (placement) throw MarketErrors.attributeMismatch(placement);
        const capability = capabilityMismatch(order.spec!, provider.attributes);
        if (capability) throw MarketErrors.capabilitiesMismatch(capability);
        const depositors = escrow.authorizeDeposits(ctx, ref.provider, deposit);
        const bid = BidCodec.fromPartial({
          id: msg.id,
          state: BidState.open,
          price: msg.price,
          createdAt: ctx.block.height,
          resourcesOffer: msg.resourcesOffer,
        });
        market.saveBid(ctx, bid);
        marketEvents.bidCreated(ctx, bid.id!, bid.price!);
        escrow.accountCreate(ctx, bidAccountId(ref), ref.provider, depositors);
        return msgResponse(MsgCreateBidResponse);
      },
    }),
    defineMsg({
      typeUrl: "/akash.market.v1beta5.MsgCloseBid",
      codec: MsgCloseBid,
      signers: (msg) => [msg.id?.provider ?? ""],
      validateBasic(msg) {
        validateBidId(msg.id, "bid");
        if (msg.reason < PROVIDER_REASONS.min || msg.reason > PROVIDER_REASONS.max) {
          throw MarketErrors.invalidLeaseClosedReason(
            `a provider closes with a reason in [${PROVIDER_REASONS.min}, ${PROVIDER_REASONS.max}], got ${msg.reason}`,
          );
        }
      },
      handle(ctx, msg) {
        const ref = validateBidId(msg.id, "bid");
        const bid = mustGetBid(ctx, ref, MarketErrors.unknownBid);
        const order = market.getOrder(ctx, ref);
        if (!order) throw MarketErrors.unknownOrderForBid(`order ${describeOrder(ref)} of the bid not found`);
        if (bid.state === BidState.open) {
          market.closeBid(ctx, bid);
        } else if (bid.state === BidState.active) {
          const lease = market.getLease(ctx, ref);
          if (!lease) throw MarketErrors.unknownLeaseForBid(`bid ${describeBid(ref)} has no lease`);
          if (lease.state !== LeaseState.active) {
            throw MarketErrors.leaseNotActive(`lease ${describeBid(ref)} is ${LeaseState[lease.state]}`);
          }
          if (market.settle(ctx, ref)) {
            // reference §3.3: the provider ending a lease pauses its group; the tenant starts it again.
            market.closeLease(ctx, lease, { state: LeaseState.closed, reason: msg.reason });
            market.closeBid(ctx, bid);
            market.closeOrder(ctx, order);
            const group = deployments.getGroup(ctx, ref.owner, ref.dseq, ref.gseq);
            if (group?.state === GroupState.open) deployments.setGroupState(ctx, group, GroupState.paused);
          }
        } else {
          throw MarketErrors.bidNotActive(`bid ${describeBid(ref)} is already ${BidState[bid.state]}`);
        }
        return msgResponse(MsgCloseBidResponse);
      },
    }),
    defineMsg({
      typeUrl: "/akash.market.v1beta5.MsgCreateLease",
      codec: MsgCreateLease,
      signers: (msg) => [msg.bidId?.owner ?? ""],
      validateBasic: (msg) => void validateBidId(msg.bidId, "lease"),
      handle(ctx, msg) {
        const ref = validateBidId(msg.bidId, "lease");
        const bid = mustGetBid(ctx, ref, MarketErrors.bidNotFound);
        if (bid.state !== BidState.open) {
          throw MarketErrors.bidNotOpen(
            `bid ${describeBid(ref)} is ${BidState[bid.state]}: only an open bid can be leased`,
          );
        }
        const order = market.getOrder(ctx, ref);
        if (!order) throw MarketErrors.orderNotFound(`order ${describeOrder(ref)} not found`);
        if (order.state !== OrderState.open) {
          throw MarketErrors.orderNotOpen(`order ${describeOrder(ref)} is ${OrderState[order.state]}`);
        }
        const group = deployments.getGroup(ctx, ref.owner, ref.dseq, ref.gseq);
        if (!group) throw MarketErrors.groupNotFound(`group ${ref.owner}/${ref.dseq}/${ref.gseq} not found`);
        if (group.state !== GroupState.open) {
          throw MarketErrors.groupNotOpen(
            `group ${ref.owner}/${ref.dseq}/${ref.gseq} is ${GroupState[group.state]}`,
          );
        }
        const payment = leasePaymentId(ref);
        escrow.paymentCreate(
          ctx,
          deploymentAccountId(ref.owner, ref.dseq),
          payment.xid,
          ref.provider,
          validDecCoin(bid.price, "bid price"),
        );
        const lease = LeaseCodec.fromPartial({
          id: bid.id,
          state: LeaseState.active,
          price: bid.price,
          createdAt: ctx.block.height,
        });
        market.saveLease(ctx, lease);
        marketEvents.leaseCreated(ctx, lease.id!, lease.price!);
        const orderWas = order.state;
        order.state = OrderState.active;
        market.saveOrder(ctx, order, orderWas);
        bid.state = BidState.active;
        market.saveBid(ctx, bid, BidState.open);
        // reference §12.1: every competing bid loses, with its event and its deposit back.
        for (const other of market.bidsOfOrder(ctx, orderRef(order.id!))) {
          if (other.state === BidState.open) market.closeBid(ctx, other, BidState.lost);
        }
        return msgResponse(MsgCreateLeaseResponse);
      },
    }),
    defineMsg({
      typeUrl: "/akash.market.v1beta5.MsgWithdrawLease",
      codec: MsgWithdrawLease,
      signers: (msg) => [msg.id?.provider ?? ""],
      validateBasic: (msg) => void validateBidId(msg.id, "lease"),
      handle(ctx, msg) {
        const ref = validateBidId(msg.id, "lease");
        const lease = market.getLease(ctx, ref);
        if (!lease) throw MarketErrors.unknownLease(`lease ${describeBid(ref)} not found`);
        if (lease.state !== LeaseState.active) {
          throw MarketErrors.leaseNotActive(
            `lease ${describeBid(ref)} is ${LeaseState[lease.state]}: nothing accrues`,
          );
        }
        // If the deployment ran dry, this settlement finds it and escrow's hook closes it (reference §4.5).
        escrow.paymentWithdraw(ctx, leasePaymentId(ref));
        return msgResponse(MsgWithdrawLeaseResponse);
      },
    }),
    defineMsg({
      typeUrl: "/akash.market.v1beta5.MsgCloseLease",
      codec: MsgCloseLease,
      signers: (msg) => [msg.id?.owner ?? ""],
      validateBasic(msg) {
        validateBidId(msg.id, "lease");
        const owner =
          msg.reason === LeaseClosedReason.lease_closed_invalid ||
          (msg.reason >= OWNER_REASONS.min && msg.reason <= OWNER_REASONS.max);
        if (!owner) {
          throw MarketErrors.invalidLeaseClosedReason(
            `a tenant closes with an owner reason (lease_closed_owner), got ${msg.reason}`,
          );
        }
      },
      handle(ctx, msg) {
        const ref = validateBidId(msg.id, "lease");
        const lease = market.getLease(ctx, ref);
        if (!lease) throw MarketErrors.leaseNotFound(`lease ${describeBid(ref)} not found`);
        if (lease.state !== LeaseState.active) {
          throw MarketErrors.leaseNotActive(
            `lease ${describeBid(ref)} is already ${LeaseState[lease.state]}`,
          );
        }
        const order = market.getOrder(ctx, ref);
        if (order?.state !== OrderState.active)
          throw MarketErrors.orderClosed(`order ${describeOrder(ref)} is not active`);
        const bid = mustGetBid(ctx, ref, MarketErrors.bidNotFound);
        if (bid.state !== BidState.active)
          throw MarketErrors.bidNotActive(`bid ${describeBid(ref)} is not active`);
        if (market.settle(ctx, ref)) {
          const reason =
            msg.reason === LeaseClosedReason.lease_closed_invalid
              ? LeaseClosedReason.lease_closed_owner
              : msg.reason;
          market.closeLease(ctx, lease, { state: LeaseState.closed, reason });
          market.closeBid(ctx, bid);
          market.closeOrder(ctx, order);
          // reference §3.3, §12.5: the group is still open, so bidding starts again on a new order.
          const group = deployments.getGroup(ctx, ref.owner, ref.dseq, ref.gseq);
          if (group?.state === GroupState.open) market.createOrder(ctx, group);
        }
        return msgResponse(MsgCloseLeaseResponse);
      },
    }),
    updateParamsMsg({
      typeUrl: "/akash.market.v1beta5.MsgUpdateParams",
      codec: MsgUpdateParams,
      response: MsgUpdateParamsResponse,
      keeper: market,
      validate: validateMarketParams,
    }),
  ];
}
