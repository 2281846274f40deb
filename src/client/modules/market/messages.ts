// Market messages a tenant sends (akash.market.v1beta5.Msg): accept a bid as a lease, or close a lease.
import { MsgCloseLease, MsgCreateLease } from "@akashnetwork/chain-sdk/private-types/akash.v1beta5";
import type { WalletClient } from "../../connect.js";
import { type SignAndBroadcastParameters, signAndBroadcast, type TxResult } from "../../tx.js";
import type { BidId, LeaseId } from "./queries.js";

type TxParameters = Omit<SignAndBroadcastParameters, "messages" | "spend" | "spendLabel">;

export interface CreateLeaseParameters extends TxParameters {
  readonly bid: BidId;
}

/** Accepts a bid: the lease starts paying the provider from the deployment's escrow every block. */
export function createLease(client: WalletClient, params: CreateLeaseParameters): Promise<TxResult> {
  const { bid, ...rest } = params;
  const value = MsgCreateLease.fromPartial({ bidId: { ...bid, dseq: bid.dseq as never } });
  return signAndBroadcast(client, {
    ...rest,
    messages: [{ typeUrl: "/akash.market.v1beta5.MsgCreateLease", value }],
  });
}

export interface CloseLeaseParameters extends TxParameters {
  readonly lease: LeaseId;
}

export function closeLease(client: WalletClient, params: CloseLeaseParameters): Promise<TxResult> {
  const { lease, ...rest } = params;
  const value = MsgCloseLease.fromPartial({ id: { ...lease, dseq: lease.dseq as never, bseq: 0 } });
  return signAndBroadcast(client, {
    ...rest,
    messages: [{ typeUrl: "/akash.market.v1beta5.MsgCloseLease", value }],
  });
}
