// akash.deployment.v1beta4.Msg (reference: akash-chain.md §2.2–2.4), with the fixes of §12: a group is
// started again only while its deployment is active, and actions that close leases settle the deployment's
// escrow first, so that a deployment that ran out of funds closes for that reason.
import {
  MsgCloseDeployment,
  MsgCloseDeploymentResponse,
  MsgCloseGroup,
  MsgCloseGroupResponse,
  MsgCreateDeployment,
  MsgCreateDeploymentResponse,
  MsgPauseGroup,
  MsgPauseGroupResponse,
  MsgStartGroup,
  MsgStartGroupResponse,
  MsgUpdateDeployment,
  MsgUpdateDeploymentResponse,
  MsgUpdateParams,
  MsgUpdateParamsResponse,
} from "@akashnetwork/chain-sdk/private-types/akash.v1beta4";
import { formatCoin } from "../../coins.js";
import type { Context } from "../../context.js";
import { defineMsg, type ProtoCodec } from "../../module.js";
import { msgResponse, type SdkCodec, updateParamsMsg } from "../chain-sdk.js";
import { validateDeposit } from "../escrow/deposit.js";
import { deploymentAccountId } from "../escrow/ids.js";
import { DeploymentErrors } from "./errors.js";
import { deploymentEvents } from "./events.js";
import type { DeploymentEscrow, DeploymentMarket } from "./expected.js";
import type { DeploymentKeeper } from "./keeper.js";
import { toBigInt } from "./keys.js";
import { minDepositOf, validateDeploymentParams } from "./params.js";
import {
  DeploymentCodec,
  Deployment_State as DeploymentState,
  type Group,
  GroupCodec,
  type GroupID,
  Group_State as GroupState,
} from "./types.js";
import { validateDeploymentId, validateGroupId, validateGroups, validateHash } from "./validation.js";

export function deploymentMsgs(keeper: DeploymentKeeper, escrow: DeploymentEscrow, market: DeploymentMarket) {
  const mustGetDeployment = (ctx: Context, owner: string, dseq: bigint) => {
    const deployment = keeper.get(ctx, owner, dseq);
    if (!deployment) throw DeploymentErrors.deploymentNotFound(`deployment ${owner}/${dseq} not found`);
    return deployment;
  };
  const mustGetGroup = (ctx: Context, id: GroupID) => {
    const dseq = toBigInt(id.dseq);
    const group = keeper.getGroup(ctx, id.owner, dseq, id.gseq);
    if (!group) throw DeploymentErrors.groupNotFound(`group ${id.owner}/${dseq}/${id.gseq} not found`);
    return group;
  };
  /** Settles the deployment's escrow if it is active; false when it has just run dry and closed. */
  const settled = (ctx: Context, id: GroupID) => {
    const dseq = toBigInt(id.dseq);
    const deployment = mustGetDeployment(ctx, id.owner, dseq);
    return (
      deployment.state !== DeploymentState.active ||
      escrow.accountSettle(ctx, deploymentAccountId(id.owner, dseq))
    );
  };

  /**
   * A message that moves one group to another state (close, pause, start; reference §2.4), so that each
   * states only what differs. Every one finds the group and refuses a closed one; `refuse` says what else
   * this message refuses. The deployment's escrow settles first: if it has just run dry, the deployment
   * closed with all its groups and there is nothing left to do. Otherwise the group moves to `to` (the keeper
   * emits the event) and `tellMarket` tells the market.
   */
  const groupMsg = <M extends { id?: GroupID }, R>(def: {
    typeUrl: string;
    codec: ProtoCodec<M>;
    response: SdkCodec<R> & { fromPartial(object: object): R };
    /** What a closed group is told: it "is closed", or "is already closed" when closing was asked for. */
    closed: string;
    refuse?: (ctx: Context, group: Group, id: GroupID) => void;
    to: GroupState;
    tellMarket: (ctx: Context, group: Group) => void;
  }) =>
    defineMsg<M>({
      typeUrl: def.typeUrl,
      codec: def.codec,
      signers: (msg) => [msg.id?.owner ?? ""],
      validateBasic: (msg) => validateGroupId(msg.id),
      handle(ctx, msg) {
        const id = msg.id!;
        const group = mustGetGroup(ctx, id);
        if (group.state === GroupState.closed) {
          throw DeploymentErrors.groupClosed(`group ${describe(id)} ${def.closed}`);
        }
        def.refuse?.(ctx, group, id);
        if (settled(ctx, id)) {
          const current = mustGetGroup(ctx, id);
          keeper.setGroupState(ctx, current, def.to);
          def.tellMarket(ctx, current);
        }
        return msgResponse(def.response);
      },
    });

  return [
    defineMsg({
      typeUrl: "/akash.deployment.v1beta4.MsgCreateDeployment",
      codec: MsgCreateDeployment,
      signers: (msg) => [msg.id?.owner ?? ""],
      validateBasic(msg) {
        validateDeploymentId(msg.id);
        const deposit = validateDeposit(msg.deposit, "deployment deposit");
        validateHash(msg.hash);
        const denom = validateGroups(msg.groups);
        if (deposit.amount.denom !== denom) {
          throw DeploymentErrors.invalidDeposit(
            `the deposit is in ${deposit.amount.denom} but the groups are priced in ${denom}; use one denom`,
          );
        }
      },
      handle(ctx, msg) {
        const { owner } = msg.id!;
        const dseq = toBigInt(msg.id!.dseq);
        if (keeper.get(ctx, owner, dseq)) {
          throw DeploymentErrors.deploymentExists(
            `deployment ${owner}/${dseq} already exists; pick another dseq`,
          );
        }
        const params = keeper.getParams(ctx);
        const deposit = validateDeposit(msg.deposit, "deployment deposit");
        const allowed = params.minDeposits.map((c) => c.denom).join(", ");
        const minimum = minDepositOf(params, deposit.amount.denom);
        if (minimum === undefined) {
          throw DeploymentErrors.invalidDeposit(
            `deployments cannot be funded in ${deposit.amount.denom}; use one of ${allowed}`,
          );
        }
        if (deposit.amount.amount < minimum) {
          throw DeploymentErrors.invalidDeposit(
            `deposit ${formatCoin(deposit.amount)} is below the minimum ${minimum}${deposit.amount.denom}`,
          );
        }
        const denom = validateGroups(msg.groups);
        if (minDepositOf(params, denom) === undefined) {
          throw DeploymentErrors.invalidPrice(
            `deployments cannot be priced in ${denom}; use one of ${allowed}`,
          );
        }
        const depositors = escrow.authorizeDeposits(ctx, owner, deposit);
        const height = ctx.block.height;
        keeper.save(
          ctx,
          DeploymentCodec.fromPartial({
            id: msg.id,
            state: DeploymentState.active,
            hash: msg.hash,
            createdAt: height,
          }),
        );
        deploymentEvents.created(ctx, msg.id!, msg.hash);
        const groups = msg.groups.map((spec, i) =>
          GroupCodec.fromPartial({
            id: { owner, dseq, gseq: i + 1 },
            state: GroupState.open,
            groupSpec: spec,
            createdAt: height,
          }),
        );
        for (const group of groups) keeper.saveGroup(ctx, group);
        for (const group of groups) market.createOrder(ctx, group);
        escrow.accountCreate(ctx, deploymentAccountId(owner, dseq), owner, depositors);
        return msgResponse(MsgCreateDeploymentResponse);
      },
    }),
    defineMsg({
      typeUrl: "/akash.deployment.v1beta4.MsgUpdateDeployment",
      codec: MsgUpdateDeployment,
      signers: (msg) => [msg.id?.owner ?? ""],
      validateBasic(msg) {
        validateDeploymentId(msg.id);
        validateHash(msg.hash);
      },
      handle(ctx, msg) {
        const dseq = toBigInt(msg.id!.dseq);
        const deployment = mustGetDeployment(ctx, msg.id!.owner, dseq);
        if (deployment.state !== DeploymentState.active) {
          throw DeploymentErrors.deploymentClosed(`deployment ${msg.id!.owner}/${dseq} is closed`);
        }
        if (Buffer.from(deployment.hash).equals(Buffer.from(msg.hash))) {
          throw DeploymentErrors.invalidHash(
            "the new hash is the deployment's current hash: nothing to update",
          );
        }
        deployment.hash = msg.hash;
        keeper.save(ctx, deployment);
        deploymentEvents.updated(ctx, msg.id!, msg.hash);
        return msgResponse(MsgUpdateDeploymentResponse);
      },
    }),
    defineMsg({
      typeUrl: "/akash.deployment.v1beta4.MsgCloseDeployment",
      codec: MsgCloseDeployment,
      signers: (msg) => [msg.id?.owner ?? ""],
      validateBasic: (msg) => validateDeploymentId(msg.id),
      handle(ctx, msg) {
        const { owner } = msg.id!;
        const dseq = toBigInt(msg.id!.dseq);
        const deployment = mustGetDeployment(ctx, owner, dseq);
        if (deployment.state !== DeploymentState.active) {
          throw DeploymentErrors.deploymentClosed(`deployment ${owner}/${dseq} is already closed`);
        }
        // Escrow settles, pays the providers, refunds the deposits, then its hook closes the deployment and
        // everything in it (reference §2.4, §3.8) — with the insufficient-funds reason if it had run dry.
        escrow.accountClose(ctx, deploymentAccountId(owner, dseq));
        return msgResponse(MsgCloseDeploymentResponse);
      },
    }),
    groupMsg({
      typeUrl: "/akash.deployment.v1beta4.MsgCloseGroup",
      codec: MsgCloseGroup,
      response: MsgCloseGroupResponse,
      closed: "is already closed",
      to: GroupState.closed,
      tellMarket: (ctx, group) => market.onGroupClosed(ctx, group),
    }),
    groupMsg({
      typeUrl: "/akash.deployment.v1beta4.MsgPauseGroup",
      codec: MsgPauseGroup,
      response: MsgPauseGroupResponse,
      closed: "is closed",
      refuse(_ctx, group, id) {
        if (group.state === GroupState.paused)
          throw DeploymentErrors.groupPaused(`group ${describe(id)} is already paused`);
        if (group.state !== GroupState.open) {
          throw DeploymentErrors.groupNotOpen(
            `group ${describe(id)} is ${GroupState[group.state]}: only an open group can pause`,
          );
        }
      },
      to: GroupState.paused,
      tellMarket: (ctx, group) => market.onGroupClosed(ctx, group),
    }),
    groupMsg({
      typeUrl: "/akash.deployment.v1beta4.MsgStartGroup",
      codec: MsgStartGroup,
      response: MsgStartGroupResponse,
      closed: "is closed",
      refuse(ctx, group, id) {
        if (group.state === GroupState.open)
          throw DeploymentErrors.groupOpen(`group ${describe(id)} is already open`);
        const deployment = mustGetDeployment(ctx, id.owner, toBigInt(id.dseq));
        if (deployment.state !== DeploymentState.active) {
          // reference §12.7: Akash reopens groups of closed deployments; their orders could never lease.
          throw DeploymentErrors.deploymentClosed(
            `deployment ${id.owner}/${toBigInt(id.dseq)} is closed; create a new deployment`,
          );
        }
      },
      to: GroupState.open,
      tellMarket: (ctx, group) => market.createOrder(ctx, group),
    }),
    updateParamsMsg({
      typeUrl: "/akash.deployment.v1beta4.MsgUpdateParams",
      codec: MsgUpdateParams,
      response: MsgUpdateParamsResponse,
      keeper: keeper,
      validate: validateDeploymentParams,
    }),
  ];
}

function describe(id: GroupID): string {
  return `${id.owner}/${toBigInt(id.dseq)}/${id.gseq}`;
}
