// Figures for `npm run bench` (issue 4, "Performance"): with 100, 10,000 and 100,000 active leases seeded by
// genesis import, what a block's marketplace work costs (a withdrawal, a new deployment, a bid, a lease: it
// must not grow with the number of leases, because settlement is lazy and there is no per-block work), and
// how long a page of an owner's deployments and of open orders takes to query.
import { Source } from "@akashnetwork/chain-sdk/private-types/akash.v1";
import { MsgCreateDeployment } from "@akashnetwork/chain-sdk/private-types/akash.v1beta4";
import {
  MsgCreateBid,
  MsgCreateLease,
  MsgWithdrawLease,
  type QueryOrdersResponse,
} from "@akashnetwork/chain-sdk/private-types/akash.v1beta5";
import { authModule } from "../auth/index.js";
import { bankModule } from "../bank/index.js";
import { decText } from "../escrow/decimal.js";
import { address, ESCROW_ADDRESS, group, HASH, MarketFixture } from "./testing.js";

const OWNERS = 100;
const PROVIDER = address("bench-provider");
const BIDDER = address("bench-bidder");
const PRICE = "10";

/** Genesis with `leases` deployments (one group, a lease each) spread over OWNERS owners, and as many open orders. */
function genesisWith(leases: number) {
  const owners = Array.from({ length: OWNERS }, (_, i) => address(`bench-owner-${i}`));
  const deployments = [];
  const orders = [];
  const bids = [];
  const marketLeases = [];
  const accounts = [];
  const payments = [];
  const deposit = 10_000_000n;
  for (let i = 0; i < 2 * leases; i++) {
    const owner = owners[i % OWNERS]!;
    const dseq = String(i + 1);
    const leased = i < leases;
    const spec = group("web");
    const groupId = { owner, dseq, gseq: 1 };
    const orderId = { ...groupId, oseq: 1 };
    const bidId = { ...orderId, provider: PROVIDER, bseq: 0 };
    deployments.push({
      deployment: {
        id: { owner, dseq },
        state: "active",
        hash: Buffer.from(HASH).toString("base64"),
        created_at: "1",
      },
      groups: [{ id: groupId, state: "open", group_spec: specJson(spec), created_at: "1" }],
    });
    orders.push({ id: orderId, state: leased ? "active" : "open", spec: specJson(spec), created_at: "1" });
    accounts.push({
      id: { scope: "deployment", xid: `${owner}/${dseq}` },
      state: {
        owner,
        state: "open",
        transferred: [{ denom: "uakt", amount: "0" }],
        settled_at: "1",
        funds: [{ denom: "uakt", amount: decText(deposit * 10n ** 18n) }],
        deposits: [
          {
            owner,
            height: "1",
            source: "balance",
            balance: { denom: "uakt", amount: decText(deposit * 10n ** 18n) },
          },
        ],
      },
    });
    if (!leased) continue;
    bids.push({
      id: bidId,
      state: "active",
      price: { denom: "uakt", amount: PRICE },
      created_at: "1",
      resources_offer: [],
    });
    marketLeases.push({
      id: bidId,
      state: "active",
      price: { denom: "uakt", amount: PRICE },
      created_at: "1",
      closed_on: "0",
      reason: "lease_closed_invalid",
    });
    accounts.push({
      id: { scope: "bid", xid: `${owner}/${dseq}/1/1/${PROVIDER}` },
      state: {
        owner: PROVIDER,
        state: "open",
        transferred: [],
        settled_at: "1",
        funds: [{ denom: "uakt", amount: "500000" }],
        deposits: [
          { owner: PROVIDER, height: "1", source: "balance", balance: { denom: "uakt", amount: "500000" } },
        ],
      },
    });
    payments.push({
      id: { aid: { scope: "deployment", xid: `${owner}/${dseq}` }, xid: `1/1/${PROVIDER}` },
      state: {
        owner: PROVIDER,
        state: "open",
        rate: { denom: "uakt", amount: PRICE },
        balance: { denom: "uakt", amount: "0" },
        unsettled: { denom: "uakt", amount: "0" },
        withdrawn: { denom: "uakt", amount: "0" },
      },
    });
  }
  const escrowHolds = BigInt(2 * leases) * deposit + BigInt(leases) * 500_000n;
  const funded = [...owners, PROVIDER, BIDDER].map((a) => ({
    address: a,
    coins: [{ denom: "uakt", amount: "1000000000" }],
  }));
  return {
    owners,
    state: {
      auth: { accounts: [...funded, { address: ESCROW_ADDRESS }].map((a) => ({ address: a.address })) },
      bank: {
        balances: [
          ...funded,
          { address: ESCROW_ADDRESS, coins: [{ denom: "uakt", amount: String(escrowHolds) }] },
        ],
      },
      deployment: { deployments },
      market: { orders, bids, leases: marketLeases },
      escrow: { accounts, payments },
    } as Record<string, unknown>,
  };
}

/** A group spec as proto-JSON (what a genesis file carries). */
function specJson(spec: ReturnType<typeof group>) {
  const text = (v: Uint8Array | undefined) => new TextDecoder().decode(v);
  return {
    name: spec.name,
    requirements: { signed_by: { all_of: [], any_of: [] }, attributes: [] },
    resources: spec.resources.map((u) => ({
      resource: {
        id: u.resource!.id,
        cpu: {
          units: { val: Buffer.from(text(u.resource!.cpu!.units!.val)).toString("base64") },
          attributes: [],
        },
        memory: {
          quantity: { val: Buffer.from(text(u.resource!.memory!.quantity!.val)).toString("base64") },
          attributes: [],
        },
        storage: u.resource!.storage.map((s) => ({
          name: s.name,
          quantity: { val: Buffer.from(text(s.quantity!.val)).toString("base64") },
          attributes: [],
        })),
        gpu: { units: { val: Buffer.from("0").toString("base64") }, attributes: [] },
        endpoints: [],
      },
      count: u.count,
      price: u.price,
    })),
  };
}

function time<T>(fn: () => T): [T, number] {
  const start = performance.now();
  const out = fn();
  return [out, performance.now() - start];
}

const ms = (v: number) => `${v.toFixed(2)} ms`;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Runs a query five times; the median time, with its result. */
function repeat<T>(fn: () => T): [T, number] {
  const runs = Array.from({ length: 5 }, () => time(fn));
  return [runs[0]![0], median(runs.map(([, t]) => t))];
}

export async function benchMarketplace(sizes = [100, 10_000, 100_000]): Promise<Record<string, string>> {
  const figures: Record<string, string> = {};
  for (const leases of sizes) {
    const f = await MarketFixture.create();
    try {
      f.providers.add(PROVIDER);
      f.providers.add(BIDDER);
      const { owners, state } = genesisWith(leases);
      const [, seedMs] = time(() => {
        for (const m of [authModule(f.accounts), bankModule(f.bank, f.accounts), ...f.mp.modules]) {
          m.initGenesis(f.ctx(), state[m.name]);
        }
      });
      await f.t.cms.commit();
      figures[`${leases} leases: genesis import`] = ms(seedMs);
      // A block's marketplace work, five times over (each on fresh ids), median reported.
      const blocks: number[] = [];
      for (let round = 0; round < 5; round++) {
        f.advance(100n);
        const owner = owners[round]!;
        const dseq = BigInt(4 * leases + 1 + round);
        const bidId = { owner, dseq, gseq: 1, oseq: 1, provider: BIDDER, bseq: 0 };
        const [, blockMs] = time(() => {
          f.run(
            "/akash.market.v1beta5.MsgWithdrawLease",
            MsgWithdrawLease.fromPartial({
              id: { owner, dseq: BigInt(round + 1), gseq: 1, oseq: 1, provider: PROVIDER, bseq: 0 },
            }),
          );
          f.run(
            "/akash.deployment.v1beta4.MsgCreateDeployment",
            MsgCreateDeployment.fromPartial({
              id: { owner, dseq },
              groups: [group("web")],
              hash: HASH,
              deposit: { amount: { denom: "uakt", amount: "5000000" }, sources: [Source.balance] },
            }),
          );
          f.run(
            "/akash.market.v1beta5.MsgCreateBid",
            MsgCreateBid.fromPartial({
              id: bidId,
              price: { denom: "uakt", amount: "50" },
              deposit: { amount: { denom: "uakt", amount: "500000" }, sources: [Source.balance] },
            }),
          );
          f.run("/akash.market.v1beta5.MsgCreateLease", MsgCreateLease.fromPartial({ bidId }));
          f.t.cms.workingHash();
        });
        blocks.push(blockMs);
        await f.t.cms.commit();
      }
      figures[`${leases} leases: withdraw + deploy + bid + lease, hashed`] = ms(median(blocks));
      const page = { limit: 100n };
      const [byOwner, ownerMs] = repeat(() =>
        f.query<{ deployments: unknown[] }>("/akash.deployment.v1beta4.Query/Deployments", {
          filters: { owner: owners[OWNERS - 1], state: "active" },
          pagination: page,
        }),
      );
      figures[`${2 * leases} deployments: page of ${byOwner.deployments.length} by owner`] = ms(ownerMs);
      const [open, openMs] = repeat(() =>
        f.query<QueryOrdersResponse>("/akash.market.v1beta5.Query/Orders", {
          filters: { state: "open" },
          pagination: page,
        }),
      );
      figures[`${2 * leases} deployments: page of ${open.orders.length} open orders`] = ms(openMs);
    } finally {
      await f.close();
    }
  }
  return figures;
}
