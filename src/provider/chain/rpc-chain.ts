// The provider's chain over a node's CometBFT RPC, like any other client (DESIGN.md, "provider"): queries as
// `abci_query` with chain-sdk's request/response types at the gRPC method paths, transactions signed with
// the provider's key through the client SDK's `signAndBroadcast`, and events read from each new block's
// tx results (reference: akash-chain.md §7.2).
import {
  QueryProvidersResponse as AuditProvidersResponse,
  MsgCreateCertificate,
  QueryCertificatesRequest,
  QueryCertificatesResponse,
  QueryProviderAuditorRequest,
} from "@akashnetwork/chain-sdk/private-types/akash.v1";
import {
  MsgCreateProvider,
  MsgUpdateProvider,
  QueryDeploymentRequest,
  QueryDeploymentResponse,
  QueryProviderRequest,
  QueryProviderResponse,
} from "@akashnetwork/chain-sdk/private-types/akash.v1beta4";
import {
  MsgCloseBid,
  MsgCreateBid,
  MsgWithdrawLease,
  QueryBidsRequest,
  QueryBidsResponse,
  QueryLeaseRequest,
  QueryLeaseResponse,
  QueryLeasesRequest,
  QueryLeasesResponse,
  QueryOrderRequest,
  QueryOrderResponse,
  QueryOrdersRequest,
  QueryOrdersResponse,
} from "@akashnetwork/chain-sdk/private-types/akash.v1beta5";
import type { OfflineSigner } from "@cosmjs/proto-signing";
import { type GeneratedType, Registry } from "@cosmjs/proto-signing";
import { defaultRegistryTypes, GasPrice, SigningStargateClient } from "@cosmjs/stargate";
import { connect, type PublicClient, signAndBroadcast, type WalletClient } from "../../client/index.js";
import { DEFAULT_MIN_GAS_PRICES } from "../../params/chain.js";
import type { DeploymentId, LeaseId } from "../lease-id.js";
import { notifyNewBlocks } from "./block-notifier.js";
import type {
  AuditedAttributes,
  BidId,
  ChainBid,
  ChainCertificate,
  ChainDeployment,
  ChainEventBatch,
  ChainLease,
  ChainOrder,
  ChainProvider,
  Coin,
  DecCoin,
  LeaseState,
  OrderId,
  ProviderChain,
} from "./chain.js";
import { parseChainEvents } from "./events.js";

/** A chain-sdk (ts-proto) message codec. */
interface Codec<T> {
  readonly $type: string;
  encode(m: T): { finish(): Uint8Array };
  decode(b: Uint8Array): T;
  fromPartial(o: never): T;
}

/** Akash messages the provider sends, for cosmjs's registry. */
const PROVIDER_MESSAGES: Codec<unknown>[] = [
  MsgCreateBid,
  MsgCloseBid,
  MsgWithdrawLease,
  MsgCreateProvider,
  MsgUpdateProvider,
  MsgCreateCertificate,
] as unknown as Codec<unknown>[];

export function providerRegistry(): Registry {
  return new Registry([
    ...defaultRegistryTypes,
    ...PROVIDER_MESSAGES.map(
      (c) => [`/${c.$type}`, c as unknown as GeneratedType] as [string, GeneratedType],
    ),
  ]);
}

/** uint64 fields: ts-proto's fromPartial takes decimal strings (as Long.fromValue does). */
const u64 = (s: string) => s as never;
const str = (v: { toString(): string } | undefined) => (v ?? "0").toString();

const LEASE_STATES: Record<number, LeaseState> = { 1: "active", 2: "insufficient_funds", 3: "closed" };
const ORDER_STATES: Record<number, ChainOrder["state"]> = { 1: "open", 2: "active", 3: "closed" };
const BID_STATES: Record<number, ChainBid["state"]> = { 1: "open", 2: "active", 3: "lost", 4: "closed" };
const GROUP_STATES = { 1: "open", 2: "paused", 3: "insufficient_funds", 4: "closed" } as const;

export interface RpcChainOptions {
  readonly nodeUrl: string;
  readonly signer: OfflineSigner;
  readonly address: string;
  readonly gasPrice?: string;
  /** How often to look for a new block when the websocket is quiet (ms). */
  readonly pollMs?: number;
}

export class RpcChain implements ProviderChain {
  private constructor(
    private readonly client: WalletClient,
    readonly address: string,
    private readonly pollMs: number,
  ) {}

  static async connect(opts: RpcChainOptions): Promise<RpcChain> {
    const base: PublicClient = await connect(opts.nodeUrl);
    const gasPrice = GasPrice.fromString(opts.gasPrice ?? DEFAULT_MIN_GAS_PRICES);
    const signing = SigningStargateClient.createWithSigner(base.comet, opts.signer, {
      gasPrice,
      registry: providerRegistry(),
    });
    return new RpcChain({ ...base, signing, gasPrice }, opts.address, opts.pollMs ?? 500);
  }

  get chainId(): string {
    return this.client.chainId;
  }

  private async query<Req, Res>(
    path: string,
    req: Codec<Req>,
    res: Codec<Res>,
    value: unknown,
  ): Promise<Res> {
    const data = req.encode(req.fromPartial(value as never)).finish();
    const r = await this.client.comet.abciQuery({ path, data });
    if (r.code !== 0) {
      const error = new Error(`${path}: ${r.log ?? `code ${r.code}`}`) as Error & { notFound?: boolean };
      error.notFound = /not found/i.test(r.log ?? "");
      throw error;
    }
    return res.decode(r.value);
  }

  private async maybe<T>(f: () => Promise<T>): Promise<T | undefined> {
    try {
      return await f();
    } catch (e) {
      if ((e as { notFound?: boolean }).notFound) return undefined;
      throw e;
    }
  }

  async height(): Promise<number> {
    return (await this.client.comet.status()).syncInfo.latestBlockHeight;
  }

  async provider(owner: string): Promise<ChainProvider | undefined> {
    const r = await this.maybe(() =>
      this.query("/akash.provider.v1beta4.Query/Provider", QueryProviderRequest, QueryProviderResponse, {
        owner,
      }),
    );
    const p = r?.provider;
    return p && { owner: p.owner, hostUri: p.hostUri, attributes: p.attributes };
  }

  async deployment(id: DeploymentId): Promise<ChainDeployment | undefined> {
    const r = await this.maybe(() =>
      this.query(
        "/akash.deployment.v1beta4.Query/Deployment",
        QueryDeploymentRequest,
        QueryDeploymentResponse,
        {
          id: { owner: id.owner, dseq: u64(id.dseq) },
        },
      ),
    );
    if (!r?.deployment) return undefined;
    const account = r.escrowAccount?.state;
    const funds = account?.funds[0];
    return {
      id,
      state: r.deployment.state === 1 ? "active" : "closed",
      hash: r.deployment.hash,
      groups: r.groups.map((g) => ({
        gseq: g.id?.gseq ?? 0,
        state: GROUP_STATES[g.state as 1 | 2 | 3 | 4] ?? "closed",
        spec: g.groupSpec!,
      })),
      escrow: funds && {
        funds: { denom: funds.denom, amount: funds.amount },
        settledAt: Number(str(account?.settledAt)),
      },
    };
  }

  private order_(o: QueryOrderResponse["order"]): ChainOrder {
    return {
      id: { owner: o!.id!.owner, dseq: str(o!.id!.dseq), gseq: o!.id!.gseq, oseq: o!.id!.oseq },
      state: ORDER_STATES[o!.state] ?? "closed",
      spec: o!.spec!,
      createdAt: Number(str(o!.createdAt)),
    };
  }

  async order(id: OrderId): Promise<ChainOrder | undefined> {
    const r = await this.maybe(() =>
      this.query("/akash.market.v1beta5.Query/Order", QueryOrderRequest, QueryOrderResponse, {
        id: { ...id, dseq: u64(id.dseq) },
      }),
    );
    return r?.order ? this.order_(r.order) : undefined;
  }

  async openOrders(key?: Uint8Array): Promise<{ orders: ChainOrder[]; next?: Uint8Array }> {
    const r = await this.query(
      "/akash.market.v1beta5.Query/Orders",
      QueryOrdersRequest,
      QueryOrdersResponse,
      {
        filters: { state: "open" },
        pagination: { key: key ?? new Uint8Array(), limit: u64("1000") },
      },
    );
    const next = r.pagination?.nextKey;
    return { orders: r.orders.map((o) => this.order_(o)), next: next && next.length > 0 ? next : undefined };
  }

  private lease_(l: QueryLeaseResponse["lease"]): ChainLease {
    const id = l!.id!;
    return {
      id: { owner: id.owner, dseq: str(id.dseq), gseq: id.gseq, oseq: id.oseq, provider: id.provider },
      state: LEASE_STATES[l!.state] ?? "closed",
      price: { denom: l!.price?.denom ?? "", amount: l!.price?.amount ?? "0" },
      createdAt: Number(str(l!.createdAt)),
    };
  }

  async lease(id: LeaseId): Promise<ChainLease | undefined> {
    const r = await this.maybe(() =>
      this.query("/akash.market.v1beta5.Query/Lease", QueryLeaseRequest, QueryLeaseResponse, {
        id: { ...id, dseq: u64(id.dseq), bseq: 0 },
      }),
    );
    return r?.lease ? this.lease_(r.lease) : undefined;
  }

  async providerLeases(state?: LeaseState): Promise<ChainLease[]> {
    const out: ChainLease[] = [];
    let key: Uint8Array | undefined;
    do {
      const r = await this.query(
        "/akash.market.v1beta5.Query/Leases",
        QueryLeasesRequest,
        QueryLeasesResponse,
        {
          filters: { provider: this.address, state: state ?? "" },
          pagination: { key: key ?? new Uint8Array(), limit: u64("1000") },
        },
      );
      out.push(...r.leases.map((l) => this.lease_(l.lease)));
      key = r.pagination?.nextKey?.length ? r.pagination.nextKey : undefined;
    } while (key);
    return out;
  }

  async providerBids(state: ChainBid["state"]): Promise<ChainBid[]> {
    const r = await this.query("/akash.market.v1beta5.Query/Bids", QueryBidsRequest, QueryBidsResponse, {
      filters: { provider: this.address, state },
      pagination: { limit: u64("1000") },
    });
    return r.bids.map((b) => {
      const id = b.bid!.id!;
      return {
        id: {
          owner: id.owner,
          dseq: str(id.dseq),
          gseq: id.gseq,
          oseq: id.oseq,
          provider: id.provider,
          bseq: id.bseq,
        },
        state: BID_STATES[b.bid!.state] ?? "closed",
        price: { denom: b.bid!.price?.denom ?? "", amount: b.bid!.price?.amount ?? "0" },
        createdAt: Number(str(b.bid!.createdAt)),
      };
    });
  }

  async auditedAttributes(owner: string): Promise<AuditedAttributes[]> {
    const r = await this.maybe(() =>
      this.query(
        "/akash.audit.v1.Query/ProviderAttributes",
        QueryProviderAuditorRequest,
        AuditProvidersResponse,
        {
          owner,
        },
      ),
    );
    return (r?.providers ?? []).map((p) => ({
      owner: p.owner,
      auditor: p.auditor,
      attributes: p.attributes,
    }));
  }

  async certificates(owner: string): Promise<ChainCertificate[]> {
    const r = await this.query(
      "/akash.cert.v1.Query/Certificates",
      QueryCertificatesRequest,
      QueryCertificatesResponse,
      {
        filter: { owner, serial: "", state: "" },
        pagination: { limit: u64("1000") },
      },
    );
    return r.certificates.map((c) => ({
      serial: c.serial,
      state: c.certificate?.state === 1 ? "valid" : "revoked",
      cert: Buffer.from(c.certificate?.cert ?? new Uint8Array()).toString("utf8"),
    }));
  }

  async accountPubkey(address: string): Promise<Uint8Array | undefined> {
    const account = await this.client.stargate.getAccount(address);
    const value = account?.pubkey?.value;
    return typeof value === "string" ? new Uint8Array(Buffer.from(value, "base64")) : undefined;
  }

  private send(typeUrl: string, value: unknown, spend: Coin[] = []) {
    return signAndBroadcast(this.client, { from: this.address, messages: [{ typeUrl, value }], spend });
  }

  async createBid(p: {
    order: OrderId;
    price: DecCoin;
    deposit: Coin;
    resourcesOffer: readonly { resources: unknown; count: number }[];
  }): Promise<void> {
    await this.send(
      "/akash.market.v1beta5.MsgCreateBid",
      MsgCreateBid.fromPartial({
        id: { ...p.order, dseq: u64(p.order.dseq), provider: this.address, bseq: 0 },
        price: p.price,
        // Source 1 = balance (akash.base.deposit.v1.Source).
        deposit: { amount: p.deposit, sources: [1] },
        resourcesOffer: p.resourcesOffer.map((r) => ({ resources: r.resources as never, count: r.count })),
      } as never),
      [p.deposit],
    );
  }

  async closeBid(id: BidId, reason: number): Promise<void> {
    await this.send(
      "/akash.market.v1beta5.MsgCloseBid",
      MsgCloseBid.fromPartial({ id: { ...id, dseq: u64(id.dseq) }, reason } as never),
    );
  }

  async withdrawLease(id: LeaseId): Promise<void> {
    await this.send(
      "/akash.market.v1beta5.MsgWithdrawLease",
      MsgWithdrawLease.fromPartial({ id: { ...id, dseq: u64(id.dseq), bseq: 0 } } as never),
    );
  }

  /** Registers or updates the provider on chain (`decloud provider register`). */
  async registerProvider(p: {
    hostUri: string;
    attributes: readonly { key: string; value: string }[];
    email?: string;
    website?: string;
  }) {
    const existing = await this.provider(this.address);
    const value = {
      owner: this.address,
      hostUri: p.hostUri,
      attributes: [...p.attributes],
      info: { email: p.email ?? "", website: p.website ?? "" },
    };
    return existing
      ? this.send("/akash.provider.v1beta4.MsgUpdateProvider", MsgUpdateProvider.fromPartial(value))
      : this.send("/akash.provider.v1beta4.MsgCreateProvider", MsgCreateProvider.fromPartial(value));
  }

  /** Publishes the provider's TLS certificate (`MsgCreateCertificate`, PEM bytes). */
  publishCertificate(cert: string, publicKey: string) {
    return this.send(
      "/akash.cert.v1.MsgCreateCertificate",
      MsgCreateCertificate.fromPartial({
        owner: this.address,
        cert: new TextEncoder().encode(cert),
        pubkey: new TextEncoder().encode(publicKey),
      }),
    );
  }

  /**
   * Follows new blocks: a websocket subscription to new block headers wakes it, a slow poll covers a quiet
   * or broken socket, and every height is read in order from the last one handled, so that no block is
   * skipped across reconnects or RPC outages.
   */
  subscribe(handler: (batch: ChainEventBatch) => void): () => void {
    let stopped = false;
    let wake: (() => void) | undefined;
    let last: number | undefined;
    const stopNotifier = notifyNewBlocks(this.client.nodeUrl, () => wake?.());
    const loop = async () => {
      while (!stopped) {
        try {
          const height = await this.height();
          if (last === undefined) last = height;
          while (last < height && !stopped) {
            const results = await this.client.comet.blockResults(last + 1);
            last++;
            const events = (results.results ?? []).flatMap((tx) =>
              tx.code === 0 ? parseChainEvents(tx.events) : [],
            );
            if (events.length > 0) handler({ height: last, events });
          }
        } catch {
          // The node is away: try again; nothing is acted upon meanwhile.
        }
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, this.pollMs).unref();
        });
      }
    };
    void loop();
    return () => {
      stopped = true;
      wake?.();
      stopNotifier();
    };
  }

  disconnect(): void {
    this.client.disconnect();
  }
}
