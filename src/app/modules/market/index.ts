// The market module: orders, bids and leases.
import type { AppModule } from "../../module.js";
import type { MarketEscrow } from "./expected.js";
import { exportMarketGenesis, initMarketGenesis } from "./genesis.js";
import { MARKET_STORE, type MarketKeeper } from "./keeper.js";
import { type MarketMsgDeps, marketMsgs } from "./msgs.js";
import { marketQueries } from "./queries.js";

export type { AuditLookup, MarketDeployments, MarketEscrow, ProviderLookup } from "./expected.js";
export { marketEscrowHooks } from "./hooks.js";
export { MARKET_STORE, MarketKeeper, type MarketOptions } from "./keeper.js";
export type { MarketMsgDeps } from "./msgs.js";
export { defaultMarketParams, type MarketParams } from "./params.js";

export function marketModule(
  market: MarketKeeper,
  deps: MarketMsgDeps & { escrow: MarketEscrow },
): AppModule {
  return {
    name: "market",
    storeKey: MARKET_STORE,
    msgs: marketMsgs(market, deps),
    queries: marketQueries(market, deps.escrow),
    initGenesis: (ctx, state) => initMarketGenesis(market, ctx, state),
    exportGenesis: (ctx) => exportMarketGenesis(market, ctx),
  };
}
