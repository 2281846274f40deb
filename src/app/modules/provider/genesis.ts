// provider genesis: `{"providers": [Provider, ...]}` in proto-JSON, the shape of Akash's
// akash.provider.v1beta4.GenesisState (reference: akash-chain.md §10).
import { Provider_GenesisState } from "@akashnetwork/chain-sdk/private-types/akash.v1beta4";
import { toJson } from "../../../codec/json.js";
import { fromJson } from "../../../codec/json-parse.js";
import type { Context } from "../../context.js";
import type { ProviderKeeper } from "./keeper.js";
import { validateProvider } from "./validation.js";

export function initProviderGenesis(keeper: ProviderKeeper, ctx: Context, state: unknown): void {
  if (state === undefined) return;
  const genesis = Provider_GenesisState.decode(fromJson(Provider_GenesisState.$type, state));
  const seen = new Set<string>();
  for (const provider of genesis.providers) {
    try {
      validateProvider(provider);
    } catch (e) {
      throw new Error(`genesis provider ${provider.owner}: ${(e as Error).message}`);
    }
    if (seen.has(provider.owner)) throw new Error(`genesis lists provider ${provider.owner} twice`);
    seen.add(provider.owner);
  }
  for (const provider of genesis.providers) keeper.set(ctx, provider);
}

export function exportProviderGenesis(keeper: ProviderKeeper, ctx: Context): unknown {
  const state = Provider_GenesisState.encode({ providers: [...keeper.all(ctx)] }).finish();
  return toJson(Provider_GenesisState.$type, state);
}
