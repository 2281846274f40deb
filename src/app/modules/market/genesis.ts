// market genesis: params, orders, bids and leases (akash.market.v1beta5.GenesisState, proto-JSON), so that a
// chain exported at a height starts again with the same market.
import { GenesisState } from "@akashnetwork/chain-sdk/private-types/akash.v1beta5";
import type { Context } from "../../context.js";
import { genesisFromJson, genesisToJson } from "../chain-sdk.js";
import { BID_PREFIX, LEASE_PREFIX, MARKET_STORE, type MarketKeeper, ORDER_PREFIX } from "./keeper.js";
import { defaultMarketParams, validateMarketParams } from "./params.js";
import { BidCodec, LeaseCodec, OrderCodec } from "./types.js";

export function initMarketGenesis(market: MarketKeeper, ctx: Context, state: unknown): void {
  const genesis = state ? genesisFromJson(GenesisState, state) : undefined;
  market.setParams(ctx, validateMarketParams(genesis?.params ?? defaultMarketParams()));
  for (const order of genesis?.orders ?? []) market.saveOrder(ctx, order);
  for (const bid of genesis?.bids ?? []) market.saveBid(ctx, bid);
  for (const lease of genesis?.leases ?? []) market.saveLease(ctx, lease);
}

export function exportMarketGenesis(market: MarketKeeper, ctx: Context) {
  const store = ctx.kv(MARKET_STORE);
  const all = (prefix: number) =>
    [...store.iterator(Uint8Array.of(prefix), Uint8Array.of(prefix + 1))].map(([, v]) => v);
  return genesisToJson(GenesisState, {
    params: market.getParams(ctx),
    orders: all(ORDER_PREFIX).map((v) => OrderCodec.decode(v)),
    leases: all(LEASE_PREFIX).map((v) => LeaseCodec.decode(v)),
    bids: all(BID_PREFIX).map((v) => BidCodec.decode(v)),
  });
}
