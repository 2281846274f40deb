// What the deployment module needs from escrow and the market (Cosmos "expected keepers"); the app wires the
// real keepers in.
import type { Context } from "../../context.js";
import type { DepositRequest } from "../escrow/deposit.js";
import type { AccountId } from "../escrow/ids.js";
import type { EscrowAccount, EscrowDeposit } from "../escrow/keeper.js";
import type { Group } from "./types.js";

export interface DeploymentEscrow {
  authorizeDeposits(ctx: Context, signer: string, deposit: DepositRequest): EscrowDeposit[];
  accountCreate(ctx: Context, id: AccountId, owner: string, deposits: EscrowDeposit[]): unknown;
  accountClose(ctx: Context, id: AccountId): void;
  /** Settles the account; false when it is not open any more (it may have just run dry and closed). */
  accountSettle(ctx: Context, id: AccountId): boolean;
  getAccount(ctx: Context, id: AccountId): EscrowAccount | undefined;
}

export interface DeploymentMarket {
  /** Opens the next order of an open group (reference: akash-chain.md §3.5). */
  createOrder(ctx: Context, group: Group): void;
  /** A group was paused or closed: close its orders, bids and leases (§3.7). */
  onGroupClosed(ctx: Context, group: Group): void;
}
