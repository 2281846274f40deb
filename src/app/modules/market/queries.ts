// akash.market.v1beta5.Query (reference: akash-chain.md §8): orders, bids (with their escrow account) and
// leases (with their escrow payment), filtered by id fields, provider and state. The filters pick the
// narrowest key range: the provider index for a provider, the state index for a state, else the records
// themselves from the longest id prefix given; a page then costs the same however many records the chain
// holds. Pagination keys are relative to that range: resend the same filters with `next_key`.
import {
  QueryBidRequest,
  QueryBidResponse,
  QueryBidsRequest,
  QueryBidsResponse,
  QueryLeaseRequest,
  QueryLeaseResponse,
  QueryLeasesRequest,
  QueryLeasesResponse,
  QueryOrderRequest,
  QueryOrderResponse,
  QueryOrdersRequest,
  QueryOrdersResponse,
  QueryParamsRequest,
  QueryParamsResponse,
} from "@akashnetwork/chain-sdk/private-types/akash.v1beta5";
import { isValidAddress } from "../../../crypto/address.js";
import type { KVStore } from "../../../store/types.js";
import type { Context } from "../../context.js";
import { invalidArgument, notFound } from "../../errors.js";
import { defineQuery } from "../../module.js";
import { paginateSdk } from "../chain-sdk.js";
import { concatBytes, ownerPart, toBigInt, u32, u64 } from "../deployment/keys.js";
import { bidAccountId, leasePaymentId } from "../escrow/ids.js";
import { accountToProto, paymentToProto } from "../escrow/keeper.js";
import type { MarketEscrow } from "./expected.js";
import {
  BID_PREFIX,
  BID_PROVIDER_PREFIX,
  BID_STATE_PREFIX,
  bidRef,
  describeBid,
  describeOrder,
  LEASE_PREFIX,
  LEASE_PROVIDER_PREFIX,
  LEASE_STATE_PREFIX,
  MARKET_STORE,
  type MarketKeeper,
  ORDER_PREFIX,
  ORDER_STATE_PREFIX,
  orderRef,
} from "./keeper.js";
import {
  type Bid,
  Bid_State,
  BidCodec,
  type Lease,
  Lease_State,
  LeaseCodec,
  Order_State,
  OrderCodec,
} from "./types.js";

/** The id fields a list filter may set; zero and "" mean unset. */
interface IdFilter {
  owner: string;
  dseq: bigint;
  gseq: number;
  oseq: number;
  provider?: string;
  bseq?: number;
}

function idFilterOf(f: {
  owner: string;
  dseq: { toString(): string };
  gseq: number;
  oseq: number;
  provider?: string;
  bseq?: number;
}): IdFilter {
  for (const [role, address] of [
    ["owner", f.owner],
    ["provider", f.provider ?? ""],
  ]) {
    if (address !== "" && !isValidAddress(address!))
      throw invalidArgument(`invalid ${role} address "${address}"`);
  }
  return {
    owner: f.owner,
    dseq: toBigInt(f.dseq),
    gseq: f.gseq,
    oseq: f.oseq,
    provider: f.provider,
    bseq: f.bseq,
  };
}

/** The longest key prefix the set id fields spell, from the owner on. */
function idPrefix(f: IdFilter): Uint8Array {
  const parts: Uint8Array[] = [];
  if (f.owner === "") return new Uint8Array();
  parts.push(ownerPart(f.owner));
  if (f.dseq === 0n) return concatBytes(...parts);
  parts.push(u64(f.dseq));
  if (f.gseq === 0) return concatBytes(...parts);
  parts.push(u32(f.gseq));
  if (f.oseq === 0) return concatBytes(...parts);
  parts.push(u32(f.oseq));
  if (!f.provider) return concatBytes(...parts);
  parts.push(ownerPart(f.provider));
  return concatBytes(...parts);
}

/** Whether a record's id has every field the filter sets. */
function idMatches(
  f: IdFilter,
  id: {
    owner: string;
    dseq: { toString(): string };
    gseq: number;
    oseq: number;
    provider?: string;
    bseq?: number;
  },
): boolean {
  return (
    (f.owner === "" || id.owner === f.owner) &&
    (f.dseq === 0n || toBigInt(id.dseq) === f.dseq) &&
    (f.gseq === 0 || id.gseq === f.gseq) &&
    (f.oseq === 0 || id.oseq === f.oseq) &&
    (!f.provider || id.provider === f.provider) &&
    (!f.bseq || id.bseq === f.bseq)
  );
}

/** A state filter by its enum name; empty means any state. */
function stateFilter(
  name: string,
  states: Record<string, string | number>,
  what: string,
): number | undefined {
  if (name === "") return undefined;
  const value = states[name];
  if (typeof value !== "number" || value <= 0) {
    const names = Object.keys(states).filter(
      (k) => typeof states[k] === "number" && (states[k] as number) > 0,
    );
    throw invalidArgument(`invalid ${what} state "${name}": expected one of ${names.join(", ")}`);
  }
  return value;
}

interface Ranges {
  primary: number;
  state: number;
  provider?: number;
}

/**
 * The key range to page through and how to read a record from an entry of it: index entries are empty and
 * end with the record's key.
 */
function range(store: KVStore, r: Ranges, f: IdFilter, state: number | undefined) {
  const ids = idPrefix(f);
  if (r.provider !== undefined && f.provider) {
    const head = concatBytes(Uint8Array.of(r.provider), ownerPart(f.provider));
    const prefix = state === undefined ? head : concatBytes(head, Uint8Array.of(state), ids);
    const skip = head.length + 1;
    return {
      prefix,
      read: (key: Uint8Array) => store.get(concatBytes(Uint8Array.of(r.primary), key.subarray(skip))),
    };
  }
  if (state !== undefined) {
    const prefix = concatBytes(Uint8Array.of(r.state, state), ids);
    return {
      prefix,
      read: (key: Uint8Array) => store.get(concatBytes(Uint8Array.of(r.primary), key.subarray(2))),
    };
  }
  return { prefix: concatBytes(Uint8Array.of(r.primary), ids), read: undefined };
}

/** One page of the records a list query's filters select, read through the narrowest index that serves them. */
function listRecords<T extends { id?: Parameters<typeof idMatches>[1]; state: number }, R>(
  ctx: Context,
  filters: (Parameters<typeof idFilterOf>[0] & { state: string }) | undefined,
  page: Parameters<typeof paginateSdk>[2],
  kind: {
    ranges: Ranges;
    states: Record<string, string | number>;
    what: string;
    codec: { decode(bytes: Uint8Array): T };
  },
  respond: (record: T) => R,
) {
  const f = idFilterOf(filters ?? { owner: "", dseq: 0n, gseq: 0, oseq: 0 });
  const state = stateFilter(filters?.state ?? "", kind.states, kind.what);
  const store = ctx.kv(MARKET_STORE);
  const { prefix, read } = range(store, kind.ranges, f, state);
  return paginateSdk(store, prefix, page, (key, value) => {
    const record = kind.codec.decode(read ? read(key)! : value);
    return idMatches(f, record.id!) && (state === undefined || record.state === state)
      ? respond(record)
      : undefined;
  });
}

export function marketQueries(market: MarketKeeper, escrow: Pick<MarketEscrow, "getAccount" | "getPayment">) {
  const bidResponse = (ctx: Context, bid: Bid): QueryBidResponse => {
    const account = escrow.getAccount(ctx, bidAccountId(bidRef(bid.id!)));
    return { bid, escrowAccount: account ? accountToProto(account) : undefined };
  };
  const leaseResponse = (ctx: Context, lease: Lease): QueryLeaseResponse => {
    const payment = escrow.getPayment(ctx, leasePaymentId(bidRef(lease.id!)));
    return { lease, escrowPayment: payment ? paymentToProto(payment) : undefined };
  };

  return [
    defineQuery({
      path: "/akash.market.v1beta5.Query/Orders",
      request: QueryOrdersRequest,
      response: QueryOrdersResponse,
      handle(ctx, req) {
        const kind = {
          ranges: { primary: ORDER_PREFIX, state: ORDER_STATE_PREFIX },
          states: Order_State,
          what: "order",
          codec: OrderCodec,
        };
        const { items, pagination } = listRecords(ctx, req.filters, req.pagination, kind, (order) => order);
        return { orders: items, pagination };
      },
    }),
    defineQuery({
      path: "/akash.market.v1beta5.Query/Order",
      request: QueryOrderRequest,
      response: QueryOrderResponse,
      handle(ctx, req) {
        if (!req.id) throw invalidArgument("empty request: an order id is required");
        const ref = orderRef(req.id);
        const order = market.getOrder(ctx, ref);
        if (!order) throw notFound(`order ${describeOrder(ref)} not found`);
        return { order };
      },
    }),
    defineQuery({
      path: "/akash.market.v1beta5.Query/Bids",
      request: QueryBidsRequest,
      response: QueryBidsResponse,
      handle(ctx, req) {
        const kind = {
          ranges: { primary: BID_PREFIX, state: BID_STATE_PREFIX, provider: BID_PROVIDER_PREFIX },
          states: Bid_State,
          what: "bid",
          codec: BidCodec,
        };
        const { items, pagination } = listRecords(ctx, req.filters, req.pagination, kind, (bid) =>
          bidResponse(ctx, bid),
        );
        return { bids: items, pagination };
      },
    }),
    defineQuery({
      path: "/akash.market.v1beta5.Query/Bid",
      request: QueryBidRequest,
      response: QueryBidResponse,
      handle(ctx, req) {
        if (!req.id) throw invalidArgument("empty request: a bid id is required");
        const ref = bidRef(req.id);
        const bid = market.getBid(ctx, ref);
        if (!bid) throw notFound(`bid ${describeBid(ref)} not found`);
        return bidResponse(ctx, bid);
      },
    }),
    defineQuery({
      path: "/akash.market.v1beta5.Query/Leases",
      request: QueryLeasesRequest,
      response: QueryLeasesResponse,
      handle(ctx, req) {
        const kind = {
          ranges: { primary: LEASE_PREFIX, state: LEASE_STATE_PREFIX, provider: LEASE_PROVIDER_PREFIX },
          states: Lease_State,
          what: "lease",
          codec: LeaseCodec,
        };
        const { items, pagination } = listRecords(ctx, req.filters, req.pagination, kind, (lease) =>
          leaseResponse(ctx, lease),
        );
        return { leases: items, pagination };
      },
    }),
    defineQuery({
      path: "/akash.market.v1beta5.Query/Lease",
      request: QueryLeaseRequest,
      response: QueryLeaseResponse,
      handle(ctx, req) {
        if (!req.id) throw invalidArgument("empty request: a lease id is required");
        const ref = bidRef(req.id);
        const lease = market.getLease(ctx, ref);
        if (!lease) throw notFound(`lease ${describeBid(ref)} not found`);
        return leaseResponse(ctx, lease);
      },
    }),
    defineQuery({
      path: "/akash.market.v1beta5.Query/Params",
      request: QueryParamsRequest,
      response: QueryParamsResponse,
      handle: (ctx) => ({ params: market.getParams(ctx) }),
    }),
  ];
}
