// escrow genesis: accounts and payments in proto-JSON (akash.escrow.v1.GenesisState). The coins themselves
// are the escrow module account's balance in the bank genesis.
import {
  Escrow_GenesisState,
  Types_Account,
  Types_Payment,
} from "@akashnetwork/chain-sdk/private-types/akash.v1";
import type { Context } from "../../context.js";
import { genesisFromJson, genesisToJson } from "../chain-sdk.js";
import { accountKey, validateAccountId } from "./ids.js";
import {
  ACCOUNT_PREFIX,
  accountFromProto,
  ESCROW_STORE,
  type EscrowKeeper,
  PAYMENT_PREFIX,
  paymentFromProto,
} from "./keeper.js";

export function initEscrowGenesis(escrow: EscrowKeeper, ctx: Context, state: unknown): void {
  const genesis = genesisFromJson(Escrow_GenesisState, state);
  for (const a of genesis.accounts) {
    const account = accountFromProto(a);
    validateAccountId(account.id);
    escrow.saveAccount(ctx, account);
  }
  for (const p of genesis.payments) {
    const payment = paymentFromProto(p);
    if (!payment.id.aid || !escrow.getAccount(ctx, payment.id.aid)) {
      const key = payment.id.aid ? accountKey(payment.id.aid) : "(none)";
      throw new Error(`escrow genesis: payment ${payment.id.xid} belongs to a missing account ${key}`);
    }
    escrow.savePayment(ctx, payment);
  }
}

export function exportEscrowGenesis(ctx: Context) {
  const store = ctx.kv(ESCROW_STORE);
  const all = (prefix: number) => store.iterator(Uint8Array.of(prefix), Uint8Array.of(prefix + 1));
  return genesisToJson(Escrow_GenesisState, {
    accounts: [...all(ACCOUNT_PREFIX)].map(([, v]) => Types_Account.decode(v)),
    payments: [...all(PAYMENT_PREFIX)].map(([, v]) => Types_Payment.decode(v)),
  });
}
