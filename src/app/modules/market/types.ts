// The chain-sdk types of orders, bids and leases, named once (codecs and types share names in chain-sdk, and
// the state enums' names collide across modules).
export {
  type Attribute,
  type BidID,
  type Lease,
  Lease as LeaseCodec,
  Lease_State,
  LeaseClosedReason,
  type LeaseID,
  type OrderID,
} from "@akashnetwork/chain-sdk/private-types/akash.v1";
export {
  type Bid,
  Bid as BidCodec,
  Bid_State,
  type Order,
  Order as OrderCodec,
  Order_State,
  type ResourceOffer,
} from "@akashnetwork/chain-sdk/private-types/akash.v1beta5";

/** An order, bid or lease id with its dseq as bigint: what keys and escrow ids are made of. */
export interface OrderRef {
  owner: string;
  dseq: bigint;
  gseq: number;
  oseq: number;
}

export interface BidRef extends OrderRef {
  provider: string;
  bseq: number;
}
