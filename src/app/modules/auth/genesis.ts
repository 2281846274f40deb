// auth genesis: params and accounts, in the JSON of a Cosmos genesis file
// (`{"params": {...}, "accounts": [{"@type": "/cosmos.auth.v1beta1.BaseAccount", "address": ...}]}`).
import { fromBech32Address } from "../../../crypto/address.js";
import type { Context } from "../../context.js";
import type { AccountKeeper } from "./keeper.js";
import { defaultAuthParams } from "./params.js";

export interface AuthGenesisAccount {
  "@type"?: string;
  address: string;
  account_number?: string;
  sequence?: string;
  name?: string;
  permissions?: string[];
}

export interface AuthGenesis {
  params?: Partial<Record<string, string>>;
  accounts?: AuthGenesisAccount[];
}

export function initAuthGenesis(keeper: AccountKeeper, ctx: Context, state: AuthGenesis | undefined): void {
  const defaults = defaultAuthParams();
  const p = state?.params ?? {};
  keeper.setParams(ctx, {
    maxMemoCharacters: BigInt(p.max_memo_characters ?? defaults.maxMemoCharacters),
    txSigLimit: BigInt(p.tx_sig_limit ?? defaults.txSigLimit),
    txSizeCostPerByte: BigInt(p.tx_size_cost_per_byte ?? defaults.txSizeCostPerByte),
    sigVerifyCostEd25519: BigInt(p.sig_verify_cost_ed25519 ?? defaults.sigVerifyCostEd25519),
    sigVerifyCostSecp256k1: BigInt(p.sig_verify_cost_secp256k1 ?? defaults.sigVerifyCostSecp256k1),
  });
  // Accounts that carry a number keep it (an exported chain re-imports unchanged); the others are numbered next.
  const accounts = state?.accounts ?? [];
  for (const a of accounts) {
    if (a.account_number !== undefined) keeper.reserveAccountNumber(ctx, BigInt(a.account_number));
  }
  for (const a of accounts) {
    const address = fromBech32Address(a.address);
    if (keeper.hasAccount(ctx, address)) throw new Error(`genesis lists account ${a.address} twice`);
    const account =
      a.account_number === undefined
        ? keeper.newAccount(ctx, address)
        : { address: a.address, accountNumber: BigInt(a.account_number), sequence: 0n };
    if (a.sequence !== undefined) account.sequence = BigInt(a.sequence);
    if (a.name) account.module = { name: a.name, permissions: a.permissions ?? [] };
    keeper.setAccount(ctx, account);
  }
}

export function exportAuthGenesis(keeper: AccountKeeper, ctx: Context): AuthGenesis {
  const p = keeper.getParams(ctx);
  return {
    params: {
      max_memo_characters: p.maxMemoCharacters.toString(),
      tx_sig_limit: p.txSigLimit.toString(),
      tx_size_cost_per_byte: p.txSizeCostPerByte.toString(),
      sig_verify_cost_ed25519: p.sigVerifyCostEd25519.toString(),
      sig_verify_cost_secp256k1: p.sigVerifyCostSecp256k1.toString(),
    },
    accounts: [...keeper.allAccounts(ctx)].map((a) => ({
      "@type": a.module ? "/cosmos.auth.v1beta1.ModuleAccount" : "/cosmos.auth.v1beta1.BaseAccount",
      address: a.address,
      account_number: a.accountNumber.toString(),
      sequence: a.sequence.toString(),
      ...(a.module ? { name: a.module.name, permissions: a.module.permissions } : {}),
    })),
  };
}
