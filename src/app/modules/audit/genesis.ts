// audit genesis: `{"providers": [AuditedProvider, ...]}` in proto-JSON, the shape of Akash's
// akash.audit.v1.GenesisState (reference: akash-chain.md §10).
import { GenesisState } from "@akashnetwork/chain-sdk/private-types/akash.v1";
import { toJson } from "../../../codec/json.js";
import { fromJson } from "../../../codec/json-parse.js";
import type { Context } from "../../context.js";
import { requireAddress } from "../chain-sdk.js";
import { validateAttributes } from "../provider/attributes.js";
import { AuditErrors } from "./errors.js";
import { type AuditKeeper, sortedByKey } from "./keeper.js";

export function initAuditGenesis(keeper: AuditKeeper, ctx: Context, state: unknown): void {
  if (state === undefined) return;
  const genesis = GenesisState.decode(fromJson(GenesisState.$type, state));
  const seen = new Set<string>();
  for (const record of genesis.providers) {
    const id = `${record.owner}/${record.auditor}`;
    try {
      requireAddress(record.owner, "provider", AuditErrors.invalidAddress);
      requireAddress(record.auditor, "auditor", AuditErrors.invalidAddress);
      validateAttributes(record.attributes);
    } catch (e) {
      throw new Error(`genesis audit record ${id}: ${(e as Error).message}`);
    }
    if (seen.has(id)) throw new Error(`genesis lists audit record ${id} twice`);
    seen.add(id);
  }
  // Stored sorted by key, as signing leaves them.
  for (const record of genesis.providers)
    keeper.set(ctx, { ...record, attributes: sortedByKey(record.attributes) });
}

export function exportAuditGenesis(keeper: AuditKeeper, ctx: Context): unknown {
  return toJson(GenesisState.$type, GenesisState.encode({ providers: [...keeper.all(ctx)] }).finish());
}
