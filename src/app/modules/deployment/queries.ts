// akash.deployment.v1beta4.Query (reference: akash-chain.md §8): deployments with their groups and escrow
// account, filtered by owner, dseq and state. An owner's deployments are one key range and the state index
// serves the state filter, so a page costs the same however many deployments the chain holds. Pagination
// keys are relative to the range the filters select: resend the same filters with `next_key`.
import {
  QueryDeploymentRequest,
  QueryDeploymentResponse,
  QueryDeploymentsRequest,
  QueryDeploymentsResponse,
  QueryGroupRequest,
  QueryGroupResponse,
  QueryParamsRequest,
  QueryParamsResponse,
} from "@akashnetwork/chain-sdk/private-types/akash.v1beta4";
import { isValidAddress } from "../../../crypto/address.js";
import type { Context } from "../../context.js";
import { invalidArgument, notFound } from "../../errors.js";
import { defineQuery } from "../../module.js";
import { paginateSdk } from "../chain-sdk.js";
import { deploymentAccountId } from "../escrow/ids.js";
import { accountToProto } from "../escrow/keeper.js";
import type { DeploymentEscrow } from "./expected.js";
import {
  DEPLOYMENT_PREFIX,
  DEPLOYMENT_STATE_PREFIX,
  DEPLOYMENT_STORE,
  type DeploymentKeeper,
} from "./keeper.js";
import { concatBytes, ownerPart, toBigInt } from "./keys.js";
import { type Deployment, DeploymentCodec, Deployment_State as DeploymentState } from "./types.js";

/** A state filter by its enum name; empty means any state. */
export function deploymentStateFilter(name: string): DeploymentState | undefined {
  if (name === "") return undefined;
  if (name === "active") return DeploymentState.active;
  if (name === "closed") return DeploymentState.closed;
  throw invalidArgument(`invalid deployment state "${name}": expected active or closed`);
}

function checkOwner(owner: string): void {
  if (owner !== "" && !isValidAddress(owner)) throw invalidArgument(`invalid owner address "${owner}"`);
}

export function deploymentQueries(keeper: DeploymentKeeper, escrow: Pick<DeploymentEscrow, "getAccount">) {
  const describe = (ctx: Context, deployment: Deployment): QueryDeploymentResponse => {
    const { owner } = deployment.id!;
    const dseq = toBigInt(deployment.id!.dseq);
    const account = escrow.getAccount(ctx, deploymentAccountId(owner, dseq));
    return {
      deployment,
      groups: keeper.groups(ctx, owner, dseq),
      escrowAccount: account ? accountToProto(account) : undefined,
    };
  };

  return [
    defineQuery({
      path: "/akash.deployment.v1beta4.Query/Deployments",
      request: QueryDeploymentsRequest,
      response: QueryDeploymentsResponse,
      handle(ctx, req) {
        const owner = req.filters?.owner ?? "";
        const dseq = req.filters?.dseq ? toBigInt(req.filters.dseq) : 0n;
        const state = deploymentStateFilter(req.filters?.state ?? "");
        checkOwner(owner);
        const store = ctx.kv(DEPLOYMENT_STORE);
        const byOwner = owner === "" ? new Uint8Array() : ownerPart(owner);
        const prefix =
          state === undefined
            ? concatBytes(Uint8Array.of(DEPLOYMENT_PREFIX), byOwner)
            : concatBytes(Uint8Array.of(DEPLOYMENT_STATE_PREFIX, state), byOwner);
        const { items, pagination } = paginateSdk(store, prefix, req.pagination, (key, value) => {
          const bytes =
            state === undefined
              ? value
              : store.get(concatBytes(Uint8Array.of(DEPLOYMENT_PREFIX), key.subarray(2)));
          const deployment = DeploymentCodec.decode(bytes!);
          if (dseq !== 0n && toBigInt(deployment.id!.dseq) !== dseq) return undefined;
          return describe(ctx, deployment);
        });
        return { deployments: items, pagination };
      },
    }),
    defineQuery({
      path: "/akash.deployment.v1beta4.Query/Deployment",
      request: QueryDeploymentRequest,
      response: QueryDeploymentResponse,
      handle(ctx, req) {
        if (!req.id) throw invalidArgument("empty request: a deployment id is required");
        checkOwner(req.id.owner);
        const deployment = keeper.get(ctx, req.id.owner, toBigInt(req.id.dseq));
        if (!deployment) throw notFound(`deployment ${req.id.owner}/${toBigInt(req.id.dseq)} not found`);
        return describe(ctx, deployment);
      },
    }),
    defineQuery({
      path: "/akash.deployment.v1beta4.Query/Group",
      request: QueryGroupRequest,
      response: QueryGroupResponse,
      handle(ctx, req) {
        if (!req.id) throw invalidArgument("empty request: a group id is required");
        checkOwner(req.id.owner);
        const dseq = toBigInt(req.id.dseq);
        const group = keeper.getGroup(ctx, req.id.owner, dseq, req.id.gseq);
        if (!group) throw notFound(`group ${req.id.owner}/${dseq}/${req.id.gseq} not found`);
        return { group };
      },
    }),
    defineQuery({
      path: "/akash.deployment.v1beta4.Query/Params",
      request: QueryParamsRequest,
      response: QueryParamsResponse,
      handle: (ctx) => ({ params: keeper.getParams(ctx) }),
    }),
  ];
}
