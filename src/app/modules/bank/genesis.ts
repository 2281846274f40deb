// bank genesis in the JSON of a Cosmos genesis file: params, balances, supply (checked against the
// balances), denom metadata and per-denom send-enabled flags.

import { Metadata } from "cosmjs-types/cosmos/bank/v1beta1/bank";
import { fromBech32Address } from "../../../crypto/address.js";
import { parseCoins, validateCoins } from "../../coins.js";
import type { Context } from "../../context.js";
import type { AccountKeeper } from "../auth/keeper.js";
import {
  BANK_STORE,
  type BankKeeper,
  decodeAmount,
  decodeDenom,
  METADATA_PREFIX,
  SUPPLY_PREFIX,
} from "./keeper.js";

interface JsonCoin {
  denom: string;
  amount: string;
}

export interface BankGenesis {
  params?: { default_send_enabled?: boolean };
  balances?: { address: string; coins: JsonCoin[] }[];
  supply?: JsonCoin[];
  denom_metadata?: {
    description?: string;
    denom_units?: { denom: string; exponent?: number; aliases?: string[] }[];
    base: string;
    display?: string;
    name?: string;
    symbol?: string;
    uri?: string;
    uri_hash?: string;
  }[];
  send_enabled?: { denom: string; enabled: boolean }[];
}

export function initBankGenesis(
  bank: BankKeeper,
  accounts: AccountKeeper,
  ctx: Context,
  state: BankGenesis | undefined,
) {
  bank.setParams(ctx, { sendEnabled: [], defaultSendEnabled: state?.params?.default_send_enabled ?? true });
  for (const { denom, enabled } of state?.send_enabled ?? []) bank.setSendEnabled(ctx, denom, enabled);
  for (const m of state?.denom_metadata ?? []) {
    bank.setDenomMetadata(ctx, {
      description: m.description ?? "",
      denomUnits: (m.denom_units ?? []).map((u) => ({
        denom: u.denom,
        exponent: u.exponent ?? 0,
        aliases: u.aliases ?? [],
      })),
      base: m.base,
      display: m.display ?? "",
      name: m.name ?? "",
      symbol: m.symbol ?? "",
      uri: m.uri ?? "",
      uriHash: m.uri_hash ?? "",
    });
  }
  for (const b of state?.balances ?? []) {
    const address = fromBech32Address(b.address);
    const coins = parseCoins(b.coins);
    validateCoins(coins, `genesis balance of ${b.address}`, true);
    bank.mintCoins(ctx, address, coins);
    if (!accounts.hasAccount(ctx, address)) accounts.setAccount(ctx, accounts.newAccount(ctx, address));
  }
  for (const c of parseCoins(state?.supply ?? [])) {
    const actual = bank.getSupply(ctx, c.denom);
    if (actual !== c.amount) {
      throw new Error(`genesis supply of ${c.denom} is ${c.amount} but the balances add up to ${actual}`);
    }
  }
}

export function exportBankGenesis(bank: BankKeeper, accounts: AccountKeeper, ctx: Context): BankGenesis {
  const store = ctx.kv(BANK_STORE);
  const supply = [...store.iterator(Uint8Array.of(SUPPLY_PREFIX), Uint8Array.of(SUPPLY_PREFIX + 1))].map(
    ([k, v]) => ({
      denom: decodeDenom(k, 1),
      amount: decodeAmount(v).toString(),
    }),
  );
  const balances = [...accounts.allAccounts(ctx)]
    .map((a) => ({
      address: a.address,
      coins: bank
        .getAllBalances(ctx, fromBech32Address(a.address))
        .map((c) => ({ denom: c.denom, amount: c.amount.toString() })),
    }))
    .filter((b) => b.coins.length > 0);
  const denom_metadata = [
    ...store.iterator(Uint8Array.of(METADATA_PREFIX), Uint8Array.of(METADATA_PREFIX + 1)),
  ].map(([, v]) => {
    const m = Metadata.decode(v);
    return {
      description: m.description,
      denom_units: m.denomUnits.map((u) => ({ denom: u.denom, exponent: u.exponent, aliases: u.aliases })),
      base: m.base,
      display: m.display,
      name: m.name,
      symbol: m.symbol,
      uri: m.uri,
      uri_hash: m.uriHash,
    };
  });
  return {
    params: { default_send_enabled: bank.getParams(ctx).defaultSendEnabled },
    balances,
    supply,
    denom_metadata,
  };
}
