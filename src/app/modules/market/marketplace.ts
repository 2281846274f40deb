// The marketplace's four modules wired together in one place — take, escrow, deployment, market — with
// escrow's hook to the market registered, so the app (and tests) cannot wire them differently. The app
// passes in its bank and auth keepers and the provider and audit keepers.
import type { AppModule } from "../../module.js";
import { DeploymentKeeper, type DeploymentOptions, deploymentModule } from "../deployment/index.js";
import { type EscrowBank, EscrowKeeper, escrowModule } from "../escrow/index.js";
import {
  type ModuleAccounts,
  type TakeBank,
  TakeKeeper,
  type TakeOptions,
  takeModule,
} from "../take/index.js";
import type { AuditLookup, ProviderLookup } from "./expected.js";
import { marketEscrowHooks } from "./hooks.js";
import { marketModule } from "./index.js";
import { MarketKeeper, type MarketOptions } from "./keeper.js";

export interface MarketplaceDeps {
  bank: EscrowBank & TakeBank;
  accounts: ModuleAccounts;
  providers: ProviderLookup;
  audits: AuditLookup;
}

export interface Marketplace {
  take: TakeKeeper;
  escrow: EscrowKeeper;
  deployments: DeploymentKeeper;
  market: MarketKeeper;
  /** In the order their genesis must load: escrow accounts exist before the records that refer to them. */
  modules: AppModule[];
}

export function createMarketplace(
  deps: MarketplaceDeps,
  opts: { take?: TakeOptions; deployment?: DeploymentOptions; market?: MarketOptions } = {},
): Marketplace {
  const take = new TakeKeeper(deps.bank, deps.accounts, opts.take);
  const escrow = new EscrowKeeper(deps.bank, take);
  const deployments = new DeploymentKeeper(opts.deployment);
  const market = new MarketKeeper(deployments, escrow, opts.market);
  escrow.addHooks(marketEscrowHooks(market));
  return {
    take,
    escrow,
    deployments,
    market,
    modules: [
      takeModule(take),
      escrowModule(escrow),
      deploymentModule(deployments, escrow, market),
      marketModule(market, { deployments, escrow, providers: deps.providers, audits: deps.audits }),
    ],
  };
}
