// The escrow module: deployment and bid accounts, lease payments, lazy settlement.
import type { AppModule } from "../../module.js";
import { exportEscrowGenesis, initEscrowGenesis } from "./genesis.js";
import { ESCROW_STORE, type EscrowKeeper } from "./keeper.js";
import { escrowMsgs } from "./msgs.js";
import { escrowQueries } from "./queries.js";

export {
  ESCROW_MODULE,
  ESCROW_STORE,
  type EscrowAccount,
  type EscrowBank,
  type EscrowHooks,
  EscrowKeeper,
  type EscrowPayment,
  State as EscrowState,
  type TakeFees,
} from "./keeper.js";

export function escrowModule(escrow: EscrowKeeper): AppModule {
  return {
    name: "escrow",
    storeKey: ESCROW_STORE,
    msgs: escrowMsgs(escrow),
    queries: escrowQueries(),
    initGenesis: (ctx, state) => initEscrowGenesis(escrow, ctx, state),
    exportGenesis: (ctx) => exportEscrowGenesis(ctx),
  };
}
