// The cert module: the on-chain registry of self-signed X.509 certificates that tenants and providers use
// for mTLS with provider gateways (reference: akash-chain.md §5.3).
import type { AppModule } from "../../module.js";
import { exportCertGenesis, initCertGenesis } from "./genesis.js";
import { CERT_STORE, type CertKeeper } from "./keeper.js";
import { certMsgs } from "./msgs.js";
import { certQueries } from "./queries.js";

export { CertErrors } from "./errors.js";
export { CERT_STORE, CertKeeper } from "./keeper.js";

export function certModule(keeper: CertKeeper): AppModule {
  return {
    name: "cert",
    storeKey: CERT_STORE,
    msgs: certMsgs(keeper),
    queries: certQueries(keeper),
    initGenesis: (ctx, state) => initCertGenesis(keeper, ctx, state),
    exportGenesis: (ctx) => exportCertGenesis(keeper, ctx),
  };
}
