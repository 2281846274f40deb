// The bank module: balances, transfers, supply and denom metadata.
import type { AppModule } from "../../module.js";
import type { AccountKeeper } from "../auth/keeper.js";
import { type BankGenesis, exportBankGenesis, initBankGenesis } from "./genesis.js";
import { BANK_STORE, type BankKeeper } from "./keeper.js";
import { bankMsgs } from "./msgs.js";
import { bankQueries } from "./queries.js";

export { BANK_STORE, BankKeeper } from "./keeper.js";

export function bankModule(bank: BankKeeper, accounts: AccountKeeper): AppModule {
  return {
    name: "bank",
    storeKey: BANK_STORE,
    msgs: bankMsgs(bank, accounts),
    queries: bankQueries(bank),
    initGenesis: (ctx, state) => initBankGenesis(bank, accounts, ctx, state as BankGenesis | undefined),
    exportGenesis: (ctx) => exportBankGenesis(bank, accounts, ctx),
  };
}
