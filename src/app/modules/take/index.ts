// The take module: take rates per denom and the take fee on lease payments.
import type { AppModule } from "../../module.js";
import { exportTakeGenesis, initTakeGenesis } from "./genesis.js";
import { TAKE_STORE, type TakeKeeper } from "./keeper.js";
import { takeMsgs } from "./msgs.js";
import { takeQueries } from "./queries.js";

export {
  COMMUNITY_POOL,
  type ModuleAccounts,
  TAKE_STORE,
  type TakeBank,
  TakeKeeper,
  type TakeOptions,
} from "./keeper.js";
export { defaultTakeParams, type TakeParams } from "./params.js";

export function takeModule(take: TakeKeeper): AppModule {
  return {
    name: "take",
    storeKey: TAKE_STORE,
    msgs: takeMsgs(take),
    queries: takeQueries(take),
    initGenesis: (ctx, state) => initTakeGenesis(take, ctx, state),
    exportGenesis: (ctx) => exportTakeGenesis(take, ctx),
  };
}
