// take genesis: its params (akash.take.v1.GenesisState, proto-JSON); defaults when absent.
import { Take_GenesisState as GenesisState } from "@akashnetwork/chain-sdk/private-types/akash.v1";
import type { Context } from "../../context.js";
import { genesisFromJson, genesisToJson } from "../chain-sdk.js";
import type { TakeKeeper } from "./keeper.js";
import { defaultTakeParams, validateTakeParams } from "./params.js";

export function initTakeGenesis(take: TakeKeeper, ctx: Context, state: unknown): void {
  const genesis = state ? genesisFromJson(GenesisState, state) : { params: defaultTakeParams() };
  take.setParams(ctx, validateTakeParams(genesis.params ?? defaultTakeParams()));
}

export function exportTakeGenesis(take: TakeKeeper, ctx: Context) {
  return genesisToJson(GenesisState, { params: take.getParams(ctx) });
}
