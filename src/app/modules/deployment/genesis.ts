// deployment genesis: params and every deployment with its groups (akash.deployment.v1beta4.GenesisState,
// proto-JSON), so that a chain exported at a height starts again with the same deployments.
import { GenesisState } from "@akashnetwork/chain-sdk/private-types/akash.v1beta4";
import type { Context } from "../../context.js";
import { genesisFromJson, genesisToJson } from "../chain-sdk.js";
import { DEPLOYMENT_PREFIX, DEPLOYMENT_STORE, type DeploymentKeeper } from "./keeper.js";
import { toBigInt } from "./keys.js";
import { defaultDeploymentParams, validateDeploymentParams } from "./params.js";
import { DeploymentCodec } from "./types.js";
import { validateDeploymentId, validateGroupId } from "./validation.js";

export function initDeploymentGenesis(keeper: DeploymentKeeper, ctx: Context, state: unknown): void {
  const genesis = state ? genesisFromJson(GenesisState, state) : { deployments: [], params: undefined };
  keeper.setParams(ctx, validateDeploymentParams(genesis.params ?? defaultDeploymentParams()));
  for (const { deployment, groups } of genesis.deployments) {
    validateDeploymentId(deployment?.id);
    keeper.save(ctx, deployment!);
    for (const group of groups) {
      validateGroupId(group.id);
      if (
        group.id!.owner !== deployment!.id!.owner ||
        toBigInt(group.id!.dseq) !== toBigInt(deployment!.id!.dseq)
      ) {
        throw new Error(
          `deployment genesis: group ${group.id!.owner}/${group.id!.dseq}/${group.id!.gseq} is listed under another deployment`,
        );
      }
      keeper.saveGroup(ctx, group);
    }
  }
}

export function exportDeploymentGenesis(keeper: DeploymentKeeper, ctx: Context) {
  const store = ctx.kv(DEPLOYMENT_STORE);
  const deployments = [
    ...store.iterator(Uint8Array.of(DEPLOYMENT_PREFIX), Uint8Array.of(DEPLOYMENT_PREFIX + 1)),
  ].map(([, v]) => {
    const deployment = DeploymentCodec.decode(v);
    return { deployment, groups: keeper.groups(ctx, deployment.id!.owner, toBigInt(deployment.id!.dseq)) };
  });
  return genesisToJson(GenesisState, { deployments, params: keeper.getParams(ctx) });
}
