// The provider module: who offers compute, where their gateway is, and what they claim to have
// (reference: akash-chain.md §5.1).
import type { AppModule } from "../../module.js";
import { exportProviderGenesis, initProviderGenesis } from "./genesis.js";
import { PROVIDER_STORE, type ProviderKeeper } from "./keeper.js";
import { type ProviderMarketKeeper, providerMsgs } from "./msgs.js";
import { providerQueries } from "./queries.js";

export { ATTRIBUTE_KEY, ATTRIBUTE_KEY_WILDCARD, AttributeErrors, validateAttributes } from "./attributes.js";
export { ProviderErrors } from "./errors.js";
export { PROVIDER_STORE, ProviderKeeper } from "./keeper.js";
export type { ProviderMarketKeeper } from "./msgs.js";

export function providerModule(keeper: ProviderKeeper, market: ProviderMarketKeeper): AppModule {
  return {
    name: "provider",
    storeKey: PROVIDER_STORE,
    msgs: providerMsgs(keeper, market),
    queries: providerQueries(keeper),
    initGenesis: (ctx, state) => initProviderGenesis(keeper, ctx, state),
    exportGenesis: (ctx) => exportProviderGenesis(keeper, ctx),
  };
}
