// The audit module: any account may vouch for a provider's attributes; tenants name the auditors they
// trust in `signed_by` (reference: akash-chain.md §5.2, §3.4).
import type { AppModule } from "../../module.js";
import { exportAuditGenesis, initAuditGenesis } from "./genesis.js";
import { AUDIT_STORE, type AuditKeeper } from "./keeper.js";
import { auditMsgs } from "./msgs.js";
import { auditQueries } from "./queries.js";

export { AuditErrors } from "./errors.js";
export { AUDIT_STORE, AuditKeeper } from "./keeper.js";

export function auditModule(keeper: AuditKeeper): AppModule {
  return {
    name: "audit",
    storeKey: AUDIT_STORE,
    msgs: auditMsgs(keeper),
    queries: auditQueries(keeper),
    initGenesis: (ctx, state) => initAuditGenesis(keeper, ctx, state),
    exportGenesis: (ctx) => exportAuditGenesis(keeper, ctx),
  };
}
