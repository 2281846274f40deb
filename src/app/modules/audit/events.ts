// Audit events as Akash emits them (reference: akash-chain.md §7.1); the provider daemon follows both.
import {
  EventTrustedAuditorCreated,
  EventTrustedAuditorDeleted,
} from "@akashnetwork/chain-sdk/private-types/akash.v1";
import type { Context } from "../../context.js";
import { emitTypedEvent } from "../chain-sdk.js";

export const auditEvents = {
  // Emitted on every signing, first or not, as Akash does.
  signed: (ctx: Context, owner: string, auditor: string) =>
    emitTypedEvent(ctx, EventTrustedAuditorCreated, { owner, auditor }),
  deleted: (ctx: Context, owner: string, auditor: string) =>
    emitTypedEvent(ctx, EventTrustedAuditorDeleted, { owner, auditor }),
};
