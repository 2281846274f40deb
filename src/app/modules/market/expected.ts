// What the market needs from other modules (Cosmos "expected keepers"); the app wires the real keepers in.
// Provider and audit are the provider engineer's modules: their keepers' `get` and `getProviderAttributes`
// have these shapes.

import type { DecCoin } from "../../coins.js";
import type { Context } from "../../context.js";
import type { Deployment, Group, Group_State } from "../deployment/types.js";
import type { DepositRequest } from "../escrow/deposit.js";
import type { AccountId, PaymentId } from "../escrow/ids.js";
import type { EscrowAccount, EscrowDeposit, EscrowPayment } from "../escrow/keeper.js";
import type { Attribute } from "./types.js";

export interface ProviderLookup {
  /** A registered provider, with the attributes it declares about itself. */
  get(ctx: Context, owner: string): { owner: string; attributes: Attribute[] } | undefined;
}

export interface AuditLookup {
  /** Every auditor's signed attributes for a provider. */
  getProviderAttributes(ctx: Context, owner: string): { auditor: string; attributes: Attribute[] }[];
}

export interface MarketDeployments {
  get(ctx: Context, owner: string, dseq: bigint): Deployment | undefined;
  getGroup(ctx: Context, owner: string, dseq: bigint, gseq: number): Group | undefined;
  groups(ctx: Context, owner: string, dseq: bigint): Group[];
  close(ctx: Context, deployment: Deployment): void;
  setGroupState(ctx: Context, group: Group, state: Group_State): void;
}

export interface MarketEscrow {
  authorizeDeposits(ctx: Context, signer: string, deposit: DepositRequest): EscrowDeposit[];
  accountCreate(ctx: Context, id: AccountId, owner: string, deposits: EscrowDeposit[]): unknown;
  accountClose(ctx: Context, id: AccountId): void;
  accountSettle(ctx: Context, id: AccountId): boolean;
  getAccount(ctx: Context, id: AccountId): EscrowAccount | undefined;
  getPayment(ctx: Context, id: PaymentId): EscrowPayment | undefined;
  paymentCreate(ctx: Context, aid: AccountId, xid: string, owner: string, rate: DecCoin): unknown;
  paymentWithdraw(ctx: Context, id: PaymentId): void;
  paymentClose(ctx: Context, id: PaymentId): void;
}
