// Deployments and their groups (reference: akash-chain.md §2). A deployment is an owner's (owner, dseq) with
// the hash of its manifest; each group is a placement with resources and a price, for which the market
// opens orders. Records are keyed by owner first, so one owner's deployments are one key range, and
// deployments are also indexed by state.

import type { Context } from "../../context.js";
import { prefixEnd } from "../../pagination.js";
import { GOV_AUTHORITY } from "../chain-sdk.js";
import { deploymentEvents } from "./events.js";
import { concatBytes, deploymentKeyOf, groupKeyOf, INDEX_VALUE, toBigInt } from "./keys.js";
import { type DeploymentParams, defaultDeploymentParams, DeploymentParams as ParamsCodec } from "./params.js";
import {
  type Deployment,
  DeploymentCodec,
  Deployment_State as DeploymentState,
  type Group,
  GroupCodec,
  Group_State as GroupState,
} from "./types.js";

export const DEPLOYMENT_STORE = "deployment";

const PARAMS_KEY = Uint8Array.of(0x01);
export const DEPLOYMENT_PREFIX = 0x11;
export const DEPLOYMENT_STATE_PREFIX = 0x12;
export const GROUP_PREFIX = 0x21;

export const deploymentStoreKey = (owner: string, dseq: bigint) =>
  concatBytes(Uint8Array.of(DEPLOYMENT_PREFIX), deploymentKeyOf(owner, dseq));

export const deploymentStateKey = (state: DeploymentState, owner: string, dseq: bigint) =>
  concatBytes(Uint8Array.of(DEPLOYMENT_STATE_PREFIX, state), deploymentKeyOf(owner, dseq));

export const groupStoreKey = (owner: string, dseq: bigint, gseq: number) =>
  concatBytes(Uint8Array.of(GROUP_PREFIX), groupKeyOf(owner, dseq, gseq));

export interface DeploymentOptions {
  /** Who may change the params (default: the gov module account). */
  authority?: string;
}

export class DeploymentKeeper {
  readonly authority: string;

  constructor(opts: DeploymentOptions = {}) {
    this.authority = opts.authority ?? GOV_AUTHORITY;
  }

  getParams(ctx: Context): DeploymentParams {
    const bytes = ctx.kv(DEPLOYMENT_STORE).get(PARAMS_KEY);
    return bytes ? ParamsCodec.decode(bytes) : defaultDeploymentParams();
  }

  setParams(ctx: Context, params: DeploymentParams): void {
    ctx.kv(DEPLOYMENT_STORE).set(PARAMS_KEY, ParamsCodec.encode(params).finish());
  }

  get(ctx: Context, owner: string, dseq: bigint): Deployment | undefined {
    const bytes = ctx.kv(DEPLOYMENT_STORE).get(deploymentStoreKey(owner, dseq));
    return bytes ? DeploymentCodec.decode(bytes) : undefined;
  }

  /** Writes a deployment; `previous` is the state it was stored in, if any (the state index follows it). */
  save(ctx: Context, deployment: Deployment, previous?: DeploymentState): void {
    const store = ctx.kv(DEPLOYMENT_STORE);
    const { owner } = deployment.id!;
    const dseq = toBigInt(deployment.id!.dseq);
    if (previous !== undefined && previous !== deployment.state) {
      store.delete(deploymentStateKey(previous, owner, dseq));
    }
    store.set(deploymentStoreKey(owner, dseq), DeploymentCodec.encode(deployment).finish());
    store.set(deploymentStateKey(deployment.state, owner, dseq), INDEX_VALUE);
  }

  getGroup(ctx: Context, owner: string, dseq: bigint, gseq: number): Group | undefined {
    const bytes = ctx.kv(DEPLOYMENT_STORE).get(groupStoreKey(owner, dseq, gseq));
    return bytes ? GroupCodec.decode(bytes) : undefined;
  }

  saveGroup(ctx: Context, group: Group): void {
    const { owner, gseq } = group.id!;
    ctx
      .kv(DEPLOYMENT_STORE)
      .set(groupStoreKey(owner, toBigInt(group.id!.dseq), gseq), GroupCodec.encode(group).finish());
  }

  /** A deployment's groups in gseq order. */
  groups(ctx: Context, owner: string, dseq: bigint): Group[] {
    const prefix = concatBytes(Uint8Array.of(GROUP_PREFIX), deploymentKeyOf(owner, dseq));
    return [...ctx.kv(DEPLOYMENT_STORE).iterator(prefix, prefixEnd(prefix))].map(([, v]) =>
      GroupCodec.decode(v),
    );
  }

  /** Marks an active deployment closed and says so. */
  close(ctx: Context, deployment: Deployment): void {
    const previous = deployment.state;
    deployment.state = DeploymentState.closed;
    this.save(ctx, deployment, previous);
    deploymentEvents.closed(ctx, deployment.id!);
  }

  /** Moves a group to `state` with the event a provider expects for it (§7.1). */
  setGroupState(ctx: Context, group: Group, state: GroupState): void {
    group.state = state;
    this.saveGroup(ctx, group);
    if (state === GroupState.open) deploymentEvents.groupStarted(ctx, group.id!);
    else if (state === GroupState.paused) deploymentEvents.groupPaused(ctx, group.id!);
    else deploymentEvents.groupClosed(ctx, group.id!);
  }
}
