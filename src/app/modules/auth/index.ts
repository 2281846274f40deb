// The auth module: accounts, their numbers, sequences and public keys, and the params of the ante pipeline.
import type { AppModule } from "../../module.js";
import { type AuthGenesis, exportAuthGenesis, initAuthGenesis } from "./genesis.js";
import { type AccountKeeper, AUTH_STORE } from "./keeper.js";
import { authQueries } from "./queries.js";

export { type Account, AccountKeeper, AUTH_STORE } from "./keeper.js";

export function authModule(keeper: AccountKeeper): AppModule {
  return {
    name: "auth",
    storeKey: AUTH_STORE,
    msgs: [],
    queries: authQueries(keeper),
    initGenesis: (ctx, state) => initAuthGenesis(keeper, ctx, state as AuthGenesis | undefined),
    exportGenesis: (ctx) => exportAuthGenesis(keeper, ctx),
  };
}
