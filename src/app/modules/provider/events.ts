// Provider events as Akash emits them: typed events carrying the owner (reference: akash-chain.md §7.1).
import {
  EventProviderCreated,
  EventProviderDeleted,
  EventProviderUpdated,
} from "@akashnetwork/chain-sdk/private-types/akash.v1beta4";
import type { Context } from "../../context.js";
import { emitTypedEvent } from "../chain-sdk.js";

export const providerEvents = {
  created: (ctx: Context, owner: string) => emitTypedEvent(ctx, EventProviderCreated, { owner }),
  updated: (ctx: Context, owner: string) => emitTypedEvent(ctx, EventProviderUpdated, { owner }),
  // Akash defines it but never emits it, since it never deletes; DeCloud does (reference §12.8).
  deleted: (ctx: Context, owner: string) => emitTypedEvent(ctx, EventProviderDeleted, { owner }),
};
