// market params: how many open bids an order takes and the bid deposits providers post, in uakt or USDC
// (reference: akash-chain.md §3.6; DeCloud has no `uact`).
import { Params as MarketParams } from "@akashnetwork/chain-sdk/private-types/akash.v1beta5";
import { parseCoins, validateCoins } from "../../coins.js";
import { USDC_DENOM } from "../deployment/params.js";
import { MarketErrors } from "./errors.js";

export { MarketParams };

export const MAX_ORDER_MAX_BIDS = 500;

export const defaultMarketParams = (): MarketParams => ({
  bidMinDeposit: { denom: "uakt", amount: "500000" },
  orderMaxBids: 20,
  bidMinDeposits: [
    { denom: USDC_DENOM, amount: "500000" },
    { denom: "uakt", amount: "500000" },
  ],
});

/** Params.Validate: order_max_bids in [1, 500]; bid_min_deposits valid coins (sorted, once each, positive). */
export function validateMarketParams(params: MarketParams | undefined): MarketParams {
  if (!params) throw MarketErrors.invalidParam("market params are missing");
  if (params.orderMaxBids < 1 || params.orderMaxBids > MAX_ORDER_MAX_BIDS) {
    throw MarketErrors.invalidParam(
      `order_max_bids ${params.orderMaxBids} is outside [1, ${MAX_ORDER_MAX_BIDS}]`,
    );
  }
  try {
    validateCoins(parseCoins(params.bidMinDeposits), "bid_min_deposits");
  } catch (e) {
    throw MarketErrors.invalidParam((e as Error).message);
  }
  return params;
}

/** The minimum bid deposit in a denom, or undefined when bids cannot post deposits in it. */
export function bidMinDepositOf(params: MarketParams, denom: string): bigint | undefined {
  const coin = params.bidMinDeposits.find((c) => c.denom === denom);
  return coin ? BigInt(coin.amount) : undefined;
}
