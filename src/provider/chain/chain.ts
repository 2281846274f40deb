// What the provider needs from the chain, declared by the provider itself (Cosmos calls this an "expected
// keeper"): the RPC implementation (rpc-chain.ts) talks to a node through the client SDK; tests pass a fake.
// Shapes follow akash.deployment.v1beta4 / akash.market.v1beta5 / akash.market.v1 (reference:
// akash-chain.md §7–8, akash-provider.md §2).
import type { GroupSpec } from "@akashnetwork/chain-sdk/private-types/akash.v1beta4";
import type { DeploymentId, LeaseId } from "../lease-id.js";

export interface OrderId {
  readonly owner: string;
  readonly dseq: string;
  readonly gseq: number;
  readonly oseq: number;
}

export interface BidId extends OrderId {
  readonly provider: string;
  readonly bseq: number;
}

export interface DecCoin {
  readonly denom: string;
  /** Decimal string (LegacyDec), e.g. "1000" or "1000.5". */
  readonly amount: string;
}

export interface Coin {
  readonly denom: string;
  readonly amount: string;
}

export interface ChainOrder {
  readonly id: OrderId;
  readonly state: "open" | "active" | "closed";
  readonly spec: GroupSpec;
  readonly createdAt: number;
}

export interface ChainGroup {
  readonly gseq: number;
  readonly state: "open" | "paused" | "insufficient_funds" | "closed";
  readonly spec: GroupSpec;
}

export interface ChainDeployment {
  readonly id: DeploymentId;
  readonly state: "active" | "closed";
  /** The manifest version the tenant put on chain (32 bytes). */
  readonly hash: Uint8Array;
  readonly groups: readonly ChainGroup[];
  /** Escrow: what is left to pay leases from, and the height it was last settled at. */
  readonly escrow?: { readonly funds: DecCoin; readonly settledAt: number };
}

export type LeaseState = "active" | "insufficient_funds" | "closed";

export interface ChainLease {
  readonly id: LeaseId;
  readonly state: LeaseState;
  readonly price: DecCoin;
  readonly createdAt: number;
}

export interface ChainBid {
  readonly id: BidId;
  readonly state: "open" | "active" | "lost" | "closed";
  readonly price: DecCoin;
  /** Height of the block that included it. */
  readonly createdAt: number;
}

export interface ChainProvider {
  readonly owner: string;
  readonly hostUri: string;
  readonly attributes: readonly { readonly key: string; readonly value: string }[];
}

export interface AuditedAttributes {
  readonly owner: string;
  readonly auditor: string;
  readonly attributes: readonly { readonly key: string; readonly value: string }[];
}

export interface ChainCertificate {
  /** Decimal serial. */
  readonly serial: string;
  readonly state: "valid" | "revoked";
  /** PEM. */
  readonly cert: string;
}

/** Typed events the provider reacts to (reference: akash-chain.md §7.2), as read from a block's tx results. */
export type ChainEvent =
  | { readonly type: "OrderCreated"; readonly id: OrderId }
  | { readonly type: "OrderClosed"; readonly id: OrderId }
  | { readonly type: "BidCreated"; readonly id: BidId; readonly price: DecCoin }
  | { readonly type: "BidClosed"; readonly id: BidId }
  | { readonly type: "LeaseCreated"; readonly id: LeaseId; readonly price: DecCoin }
  | { readonly type: "LeaseClosed"; readonly id: LeaseId; readonly reason: string }
  | { readonly type: "DeploymentUpdated"; readonly id: DeploymentId; readonly hash: Uint8Array }
  | { readonly type: "DeploymentClosed"; readonly id: DeploymentId }
  | { readonly type: "GroupClosed"; readonly id: OrderId };

export interface ChainEventBatch {
  readonly height: number;
  readonly events: readonly ChainEvent[];
}

/** Bid close reasons the provider sends (akash.market.v1.LeaseClosedReason; reference §2). */
export const CLOSE_REASON = {
  unstable: 10000,
  decommission: 10001,
  unspecified: 10002,
  manifestTimeout: 10003,
} as const;

export interface ProviderChain {
  readonly chainId: string;
  /** The provider's account address (it signs bids and withdrawals). */
  readonly address: string;
  height(): Promise<number>;
  provider(owner: string): Promise<ChainProvider | undefined>;
  deployment(id: DeploymentId): Promise<ChainDeployment | undefined>;
  order(id: OrderId): Promise<ChainOrder | undefined>;
  /** One page of open orders after `key` (undefined: from the start). */
  openOrders(key?: Uint8Array): Promise<{ orders: ChainOrder[]; next?: Uint8Array }>;
  lease(id: LeaseId): Promise<ChainLease | undefined>;
  /** This provider's leases, optionally only in one state. */
  providerLeases(state?: LeaseState): Promise<ChainLease[]>;
  /** This provider's bids in one state. */
  providerBids(state: ChainBid["state"]): Promise<ChainBid[]>;
  auditedAttributes(owner: string): Promise<AuditedAttributes[]>;
  certificates(owner: string): Promise<ChainCertificate[]>;
  /** The account's secp256k1 public key (33 bytes), once it has sent a transaction. */
  accountPubkey(address: string): Promise<Uint8Array | undefined>;

  createBid(params: {
    order: OrderId;
    price: DecCoin;
    deposit: Coin;
    resourcesOffer: readonly { resources: unknown; count: number }[];
  }): Promise<void>;
  closeBid(id: BidId, reason: number): Promise<void>;
  withdrawLease(id: LeaseId): Promise<void>;

  /** Calls `handler` with the events of every new block, in order, until the returned function is called. */
  subscribe(handler: (batch: ChainEventBatch) => void): () => void;
}
