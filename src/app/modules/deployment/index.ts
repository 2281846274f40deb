// The deployment module: deployments, their groups, and the messages that create, update, pause, start and
// close them.
import type { AppModule } from "../../module.js";
import type { DeploymentEscrow, DeploymentMarket } from "./expected.js";
import { exportDeploymentGenesis, initDeploymentGenesis } from "./genesis.js";
import { DEPLOYMENT_STORE, type DeploymentKeeper } from "./keeper.js";
import { deploymentMsgs } from "./msgs.js";
import { deploymentQueries } from "./queries.js";

export type { DeploymentEscrow, DeploymentMarket } from "./expected.js";
export { DEPLOYMENT_STORE, DeploymentKeeper, type DeploymentOptions } from "./keeper.js";
export { type DeploymentParams, defaultDeploymentParams, USDC_DENOM } from "./params.js";

export function deploymentModule(
  keeper: DeploymentKeeper,
  escrow: DeploymentEscrow,
  market: DeploymentMarket,
): AppModule {
  return {
    name: "deployment",
    storeKey: DEPLOYMENT_STORE,
    msgs: deploymentMsgs(keeper, escrow, market),
    queries: deploymentQueries(keeper, escrow),
    initGenesis: (ctx, state) => initDeploymentGenesis(keeper, ctx, state),
    exportGenesis: (ctx) => exportDeploymentGenesis(keeper, ctx),
  };
}
