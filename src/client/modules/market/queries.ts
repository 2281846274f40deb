// Market queries (akash.market.v1beta5.Query): the bids on a deployment's orders and its leases, with the
// lease's escrow payment (rate, what it has been paid) and why it closed.
import {
  QueryBidsRequest,
  QueryBidsResponse,
  QueryLeasesRequest,
  QueryLeasesResponse,
} from "@akashnetwork/chain-sdk/private-types/akash.v1beta5";
import { assertAddress } from "../../address.js";
import type { PublicClient } from "../../connect.js";
import { queryAllPages } from "../../query.js";
import { type DecCoin, decCoin, type EscrowState, escrowState } from "../escrow/types.js";

export interface LeaseId {
  readonly owner: string;
  readonly dseq: string;
  readonly gseq: number;
  readonly oseq: number;
  readonly provider: string;
}

export interface BidId extends LeaseId {
  readonly bseq: number;
}

export type BidState = "open" | "active" | "lost" | "closed";

export interface BidInfo {
  readonly id: BidId;
  readonly state: BidState;
  /** Per block. */
  readonly price: DecCoin;
  readonly createdAt: number;
}

export type LeaseState = "active" | "insufficient_funds" | "closed";

/** Why a lease closed (akash.market.v1.LeaseClosedReason), by name. */
export type LeaseCloseReason =
  | ""
  | "owner"
  | "unstable"
  | "decommission"
  | "unspecified"
  | "manifest_timeout"
  | "insufficient_funds";

export interface LeaseInfo {
  readonly id: LeaseId;
  readonly state: LeaseState;
  /** Per block. */
  readonly price: DecCoin;
  readonly createdAt: number;
  /** The height it closed at; 0 while active. */
  readonly closedOn: number;
  readonly reason: LeaseCloseReason;
  readonly payment:
    | {
        readonly state: EscrowState;
        /** What the provider has been paid and not yet withdrawn. */
        readonly balance: DecCoin;
        /** What the lease was owed but the escrow could not pay (an overdrawn account). */
        readonly unsettled: DecCoin;
        readonly withdrawn: DecCoin;
      }
    | undefined;
}

const BID_STATES: Record<number, BidState> = { 1: "open", 2: "active", 3: "lost", 4: "closed" };
const LEASE_STATES: Record<number, LeaseState> = { 1: "active", 2: "insufficient_funds", 3: "closed" };
const REASONS: Record<number, LeaseCloseReason> = {
  1: "owner",
  10000: "unstable",
  10001: "decommission",
  10002: "unspecified",
  10003: "manifest_timeout",
  20000: "insufficient_funds",
};

const num = (v: { toString(): string } | undefined): number => Number((v ?? 0).toString());
const zero = (denom = ""): DecCoin => ({ denom, amount: "0" });

export interface ListBidsParameters {
  readonly owner: string;
  readonly dseq: string | bigint;
  readonly state?: BidState;
}

/** The bids on a deployment's orders. */
export async function listBids(client: PublicClient, params: ListBidsParameters): Promise<BidInfo[]> {
  assertAddress(params.owner);
  const pages = await queryAllPages(
    client,
    "/akash.market.v1beta5.Query/Bids",
    QueryBidsRequest,
    QueryBidsResponse,
    { filters: { owner: params.owner, dseq: params.dseq.toString(), state: params.state ?? "" } },
  );
  return pages.flatMap((p) =>
    p.bids.map(({ bid }) => {
      const id = bid!.id!;
      return {
        id: {
          owner: id.owner,
          dseq: id.dseq.toString(),
          gseq: id.gseq,
          oseq: id.oseq,
          provider: id.provider,
          bseq: id.bseq,
        },
        state: BID_STATES[bid!.state] ?? "closed",
        price: decCoin(bid!.price ?? zero()),
        createdAt: num(bid!.createdAt),
      };
    }),
  );
}

export interface ListLeasesParameters {
  readonly owner: string;
  /** One deployment's leases; all of the owner's by default. */
  readonly dseq?: string | bigint;
  readonly state?: LeaseState;
}

export async function listLeases(client: PublicClient, params: ListLeasesParameters): Promise<LeaseInfo[]> {
  assertAddress(params.owner);
  const pages = await queryAllPages(
    client,
    "/akash.market.v1beta5.Query/Leases",
    QueryLeasesRequest,
    QueryLeasesResponse,
    { filters: { owner: params.owner, dseq: (params.dseq ?? 0).toString(), state: params.state ?? "" } },
  );
  return pages.flatMap((p) =>
    p.leases.map(({ lease, escrowPayment }) => {
      const id = lease!.id!;
      const payment = escrowPayment?.state;
      const denom = lease!.price?.denom ?? "";
      return {
        id: {
          owner: id.owner,
          dseq: id.dseq.toString(),
          gseq: id.gseq,
          oseq: id.oseq,
          provider: id.provider,
        },
        state: LEASE_STATES[lease!.state] ?? "closed",
        price: decCoin(lease!.price ?? zero()),
        createdAt: num(lease!.createdAt),
        closedOn: num(lease!.closedOn),
        reason: REASONS[lease!.reason] ?? "",
        payment: payment && {
          state: escrowState(payment.state),
          balance: decCoin(payment.balance ?? zero(denom)),
          unsettled: decCoin(payment.unsettled ?? zero(denom)),
          withdrawn: decCoin(payment.withdrawn ?? zero(denom)),
        },
      };
    }),
  );
}
