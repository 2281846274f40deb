// DeCloud's app: the modules, their keepers, and the wiring between them, in one place.

import { DEFAULT_MIN_GAS_PRICES } from "../params/chain.js";
import { openCommitMultiStore } from "../store/index.js";
import { AnteHandler, FEE_COLLECTOR } from "./ante.js";
import { BaseApp } from "./baseapp.js";
import { parseDecCoins } from "./coins.js";
import type { AppModule } from "./module.js";
import { AuditKeeper, auditModule } from "./modules/audit/index.js";
import { AccountKeeper, authModule } from "./modules/auth/index.js";
import { BankKeeper, bankModule } from "./modules/bank/index.js";
import { CertKeeper, certModule } from "./modules/cert/index.js";
import { ESCROW_MODULE } from "./modules/escrow/index.js";
import { createMarketplace } from "./modules/market/marketplace.js";
import { ProviderKeeper, providerModule } from "./modules/provider/index.js";
import { COMMUNITY_POOL } from "./modules/take/index.js";

export const APP_SOFTWARE_VERSION = "0.1.0";

export interface DeCloudAppOptions {
  /** Directory of the app's state database. */
  dataDir: string;
  chainId: string;
  /** The node's minimum gas prices, e.g. `0.025uakt` (default, as Akash validators use). */
  minGasPrices?: string;
  /** Versions of state to keep for queries at old heights; 0 keeps all. */
  keepRecent?: number;
}

export interface DeCloudApp {
  app: BaseApp;
  modules: AppModule[];
  close(): Promise<void>;
}

export async function createApp(opts: DeCloudAppOptions): Promise<DeCloudApp> {
  const accounts = new AccountKeeper();
  const bank = new BankKeeper(accounts);
  // Module accounts hold fees, escrowed deposits and take income; nobody may send to them by MsgSend.
  for (const name of [FEE_COLLECTOR, ESCROW_MODULE, COMMUNITY_POOL]) bank.blockModuleAccount(name);
  const providers = new ProviderKeeper();
  const audits = new AuditKeeper();
  const marketplace = createMarketplace({ bank, accounts, providers, audits });
  // Genesis loads in this order: accounts and balances first, then providers and auditors, then the market.
  const modules = [
    authModule(accounts),
    bankModule(bank, accounts),
    providerModule(providers, marketplace.market),
    auditModule(audits),
    certModule(new CertKeeper()),
    ...marketplace.modules,
  ];
  const cms = await openCommitMultiStore({
    dir: opts.dataDir,
    storeNames: modules.map((m) => m.storeKey),
    keepRecent: opts.keepRecent ?? 100_000,
  });
  const minGasPrices = parseDecCoins(opts.minGasPrices ?? DEFAULT_MIN_GAS_PRICES);
  const app = new BaseApp(
    { chainId: opts.chainId, version: APP_SOFTWARE_VERSION },
    cms,
    modules,
    (checked) => new AnteHandler({ minGasPrices }, accounts, bank, checked),
  );
  return { app, modules, close: () => cms.close() };
}
