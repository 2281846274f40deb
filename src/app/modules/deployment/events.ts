// Deployment events, typed as Akash emits them (reference: akash-chain.md §7.1); the provider daemon follows
// deployments and groups from these alone (§7.2).
import {
  type DeploymentID,
  EventDeploymentClosed,
  EventDeploymentCreated,
  EventDeploymentUpdated,
  EventGroupClosed,
  EventGroupPaused,
  EventGroupStarted,
  type GroupID,
} from "@akashnetwork/chain-sdk/private-types/akash.v1";
import type { Context } from "../../context.js";
import { emitTypedEvent } from "../chain-sdk.js";

export const deploymentEvents = {
  created: (ctx: Context, id: DeploymentID, hash: Uint8Array) =>
    emitTypedEvent(ctx, EventDeploymentCreated, { id, hash }),
  updated: (ctx: Context, id: DeploymentID, hash: Uint8Array) =>
    emitTypedEvent(ctx, EventDeploymentUpdated, { id, hash }),
  closed: (ctx: Context, id: DeploymentID) => emitTypedEvent(ctx, EventDeploymentClosed, { id }),
  groupStarted: (ctx: Context, id: GroupID) => emitTypedEvent(ctx, EventGroupStarted, { id }),
  groupPaused: (ctx: Context, id: GroupID) => emitTypedEvent(ctx, EventGroupPaused, { id }),
  groupClosed: (ctx: Context, id: GroupID) => emitTypedEvent(ctx, EventGroupClosed, { id }),
};
