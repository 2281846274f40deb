// Provider events as Akash emits them: typed events carrying the owner (reference: akash-chain.md §7.1).
import {
  EventProviderCreated,
  EventProviderDeleted,
  EventProviderUpdated,
} from "@akashnetwork/chain-sdk/private-types/akash.v1beta4";
import type { Context } from "../../context.js";
import { emitTyped } from "./typed-event.js";

export const providerEvents = {
  created: (ctx: Context, owner: string) => emitTyped(ctx, EventProviderCreated, { owner }),
  updated: (ctx: Context, owner: string) => emitTyped(ctx, EventProviderUpdated, { owner }),
  // Akash defines it but never emits it, since it never deletes; DeCloud does (reference §12.8).
  deleted: (ctx: Context, owner: string) => emitTyped(ctx, EventProviderDeleted, { owner }),
};
