// Properties of the marketplace under random sequences of messages and block advances, valid and invalid:
// money is conserved (balances, escrow and the take pool add up to the supply), the escrow module holds
// exactly what escrow records say, and the states of deployments, groups, orders, bids and leases agree.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  LeaseClosedReason,
  MsgAccountDeposit,
  type QueryAccountsResponse,
  type QueryPaymentsResponse,
  Scope,
  Source,
} from "@akashnetwork/chain-sdk/private-types/akash.v1";
import {
  MsgCloseDeployment,
  MsgCloseGroup,
  MsgCreateDeployment,
  MsgPauseGroup,
  MsgStartGroup,
  type QueryDeploymentsResponse,
} from "@akashnetwork/chain-sdk/private-types/akash.v1beta4";
import {
  MsgCloseBid,
  MsgCloseLease,
  MsgCreateBid,
  MsgCreateLease,
  MsgWithdrawLease,
  type QueryBidsResponse,
  type QueryLeasesResponse,
  type QueryOrdersResponse,
} from "@akashnetwork/chain-sdk/private-types/akash.v1beta5";
import fc from "fast-check";
import { AppError } from "../../errors.js";
import { Group_State } from "../deployment/types.js";
import { decFloor, decOf } from "../escrow/decimal.js";
import { address, ESCROW_ADDRESS, group, HASH, MarketFixture, POOL_ADDRESS, unit } from "./testing.js";
import { Bid_State, Lease_State, Order_State } from "./types.js";

const TENANTS = [address("tenant-a"), address("tenant-b")];
const PROVIDERS = [address("prov-a"), address("prov-b"), address("prov-c")];
const FRIEND = address("friend");
const EVERYONE = [...TENANTS, ...PROVIDERS, FRIEND, ESCROW_ADDRESS, POOL_ADDRESS];
const FUNDS = 5_000_000n;

const target = fc.record({
  tenant: fc.integer({ min: 0, max: 1 }),
  dseq: fc.integer({ min: 1, max: 2 }),
  gseq: fc.integer({ min: 1, max: 2 }),
  provider: fc.integer({ min: 0, max: 2 }),
  /** Which existing bid or lease an action on one picks; odd picks the target above, valid or not. */
  pick: fc.nat(),
});

const deploy = fc.record({
  kind: fc.constant("deploy" as const),
  at: target,
  groups: fc.constantFrom(1, 2, 2),
  price: fc.constantFrom("100", "37.5", "0.3", "250"),
  deposit: fc.bigInt(500_000n, 1_500_000n),
});

const op = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("advance" as const),
      blocks: fc.integer({ min: 1, max: 3000 }),
    }),
  },
  { weight: 1, arbitrary: deploy },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("bid" as const),
      at: target,
      price: fc.constantFrom("1", "30", "99.9", "100", "300"),
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("lease" as const), at: target }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("withdraw" as const), at: target }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constantFrom("closeBid" as const, "closeLease" as const, "closeDeployment" as const),
      at: target,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constantFrom("pause" as const, "start" as const, "closeGroup" as const),
      at: target,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("deposit" as const),
      at: target,
      amount: fc.bigInt(1n, 800_000n),
    }),
  },
);

const ALL = { limit: 100_000n };

type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;

function apply(f: MarketFixture, o: Op): void {
  if (o.kind === "advance") {
    f.advance(BigInt(o.blocks));
    return;
  }
  const owner = TENANTS[o.at.tenant]!;
  const provider = PROVIDERS[o.at.provider]!;
  const dseq = BigInt(o.at.dseq);
  const gid = { owner, dseq, gseq: o.at.gseq };
  const orders = f.mp.market.ordersOfGroup(f.ctx(), owner, dseq, o.at.gseq);
  const oseq = orders.length === 0 ? 1 : orders[orders.length - 1]!.id!.oseq;
  const targeted = { ...gid, oseq, provider, bseq: 0 };
  /** Mostly an existing bid or lease in the wanted state, so that actions on them get to run. */
  const existing = (states: number[], leases: boolean) => {
    if (o.at.pick % 2 === 1) return targeted;
    const path = leases ? "/akash.market.v1beta5.Query/Leases" : "/akash.market.v1beta5.Query/Bids";
    const all = leases
      ? f.query<QueryLeasesResponse>(path, { pagination: ALL }).leases.map((l) => l.lease!)
      : f.query<QueryBidsResponse>(path, { pagination: ALL }).bids.map((b) => b.bid!);
    const candidates = all.filter((x) => states.includes(x.state));
    return candidates.length === 0 ? targeted : candidates[(o.at.pick >> 1) % candidates.length]!.id!;
  };
  const bidId = targeted;
  switch (o.kind) {
    case "deploy":
      f.run(
        "/akash.deployment.v1beta4.MsgCreateDeployment",
        MsgCreateDeployment.fromPartial({
          id: { owner, dseq },
          groups: Array.from({ length: o.groups }, (_, i) =>
            group(`g${i}`, [unit({ price: { denom: "uakt", amount: o.price } })]),
          ),
          hash: HASH,
          deposit: { amount: { denom: "uakt", amount: String(o.deposit) }, sources: [Source.balance] },
        }),
      );
      return;
    case "bid":
      f.run(
        "/akash.market.v1beta5.MsgCreateBid",
        MsgCreateBid.fromPartial({
          id: bidId,
          price: { denom: "uakt", amount: o.price },
          deposit: { amount: { denom: "uakt", amount: "500000" }, sources: [Source.balance] },
        }),
      );
      return;
    case "lease":
      f.run(
        "/akash.market.v1beta5.MsgCreateLease",
        MsgCreateLease.fromPartial({ bidId: existing([Bid_State.open], false) }),
      );
      return;
    case "withdraw":
      f.run(
        "/akash.market.v1beta5.MsgWithdrawLease",
        MsgWithdrawLease.fromPartial({ id: existing([Lease_State.active], true) }),
      );
      return;
    case "closeBid":
      f.run(
        "/akash.market.v1beta5.MsgCloseBid",
        MsgCloseBid.fromPartial({
          id: existing([Bid_State.open, Bid_State.active], false),
          reason: LeaseClosedReason.lease_closed_reason_unstable,
        }),
      );
      return;
    case "closeLease":
      f.run(
        "/akash.market.v1beta5.MsgCloseLease",
        MsgCloseLease.fromPartial({ id: existing([Lease_State.active], true) }),
      );
      return;
    case "closeDeployment":
      f.run(
        "/akash.deployment.v1beta4.MsgCloseDeployment",
        MsgCloseDeployment.fromPartial({ id: { owner, dseq } }),
      );
      return;
    case "pause":
      f.run("/akash.deployment.v1beta4.MsgPauseGroup", MsgPauseGroup.fromPartial({ id: gid }));
      return;
    case "start":
      f.run("/akash.deployment.v1beta4.MsgStartGroup", MsgStartGroup.fromPartial({ id: gid }));
      return;
    case "closeGroup":
      f.run("/akash.deployment.v1beta4.MsgCloseGroup", MsgCloseGroup.fromPartial({ id: gid }));
      return;
    case "deposit":
      f.run(
        "/akash.escrow.v1.MsgAccountDeposit",
        MsgAccountDeposit.fromPartial({
          signer: FRIEND,
          id: { scope: Scope.deployment, xid: `${owner}/${dseq}` },
          deposit: { amount: { denom: "uakt", amount: String(o.amount) }, sources: [Source.balance] },
        }),
      );
      return;
  }
}

function checkInvariants(f: MarketFixture, supply: bigint): void {
  const total = EVERYONE.reduce((s, who) => s + f.balance(who), 0n);
  assert.equal(total, supply, "balances, escrow and the take pool add up to the supply");

  const accounts = f.query<QueryAccountsResponse>("/akash.escrow.v1.Query/Accounts", {
    pagination: ALL,
  }).accounts;
  const payments = f.query<QueryPaymentsResponse>("/akash.escrow.v1.Query/Payments", {
    pagination: ALL,
  }).payments;
  let held = 0n;
  for (const a of accounts) for (const d of a.state!.deposits) held += decFloor(decOf(d.balance!.amount));
  for (const p of payments) held += decFloor(decOf(p.state!.balance!.amount));
  assert.equal(f.balance(ESCROW_ADDRESS), held, "the escrow module holds exactly what escrow records hold");
  const accountState = new Map(accounts.map((a) => [`${Scope[a.id!.scope]}/${a.id!.xid}`, a.state!.state]));
  const paymentState = new Map(payments.map((p) => [`${p.id!.aid!.xid}/${p.id!.xid}`, p.state!.state]));

  const deployments = f.query<QueryDeploymentsResponse>("/akash.deployment.v1beta4.Query/Deployments", {
    pagination: ALL,
  }).deployments;
  const orders = f.query<QueryOrdersResponse>("/akash.market.v1beta5.Query/Orders", {
    pagination: ALL,
  }).orders;
  const bids = f
    .query<QueryBidsResponse>("/akash.market.v1beta5.Query/Bids", { pagination: ALL })
    .bids.map((b) => b.bid!);
  const leases = f
    .query<QueryLeasesResponse>("/akash.market.v1beta5.Query/Leases", { pagination: ALL })
    .leases.map((l) => l.lease!);
  const key = (id: { owner: string; dseq: { toString(): string } }, ...rest: (string | number)[]) =>
    [id.owner, id.dseq.toString(), ...rest].join("/");
  const maxBids = f.mp.market.getParams(f.ctx()).orderMaxBids;

  for (const { deployment, groups } of deployments) {
    const d = key(deployment!.id!);
    const account = accountState.get(`deployment/${d}`);
    if (deployment!.state === 1)
      assert.equal(account, 1, `active deployment ${d} has an open escrow account`);
    else assert.notEqual(account, 1, `closed deployment ${d} has no open escrow account`);
    for (const g of groups) {
      const live = orders.filter(
        (o) =>
          key(o.id!, o.id!.gseq) === key(g.id!, g.id!.gseq) &&
          (o.state === Order_State.open || o.state === Order_State.active),
      );
      if (g.state === Group_State.open) {
        assert.equal(live.length, 1, `open group ${d}/${g.id!.gseq} has one live order`);
        assert.equal(deployment!.state, 1, "an open group belongs to an active deployment");
      } else {
        assert.equal(live.length, 0, `group ${d}/${g.id!.gseq} (${Group_State[g.state]}) has no live order`);
      }
    }
  }
  for (const o of orders) {
    const ofOrder = bids.filter(
      (b) => key(b.id!, b.id!.gseq, b.id!.oseq) === key(o.id!, o.id!.gseq, o.id!.oseq),
    );
    const open = ofOrder.filter((b) => b.state === Bid_State.open);
    const active = ofOrder.filter((b) => b.state === Bid_State.active);
    assert.ok(open.length <= maxBids, "at most order_max_bids open bids");
    if (o.state === Order_State.open) assert.equal(active.length, 0, "an open order has no winning bid");
    if (o.state === Order_State.active) {
      assert.equal(active.length, 1, "an active order has exactly one winning bid");
      assert.equal(open.length, 0, "an active order has no competing open bid (reference §12.1)");
    }
    if (o.state === Order_State.closed)
      assert.equal(open.length + active.length, 0, "a closed order has no live bid");
  }
  for (const b of bids) {
    const xid = key(b.id!, b.id!.gseq, b.id!.oseq, b.id!.provider);
    const account = accountState.get(`bid/${xid}`);
    if (b.state === Bid_State.open || b.state === Bid_State.active)
      assert.equal(account, 1, `bid ${xid} holds its deposit`);
    else assert.equal(account, 2, `bid ${xid} (${Bid_State[b.state]}) was refunded`);
  }
  for (const l of leases) {
    const id = key(l.id!, l.id!.gseq, l.id!.oseq, l.id!.provider);
    const b = bids.find((x) => key(x.id!, x.id!.gseq, x.id!.oseq, x.id!.provider) === id)!;
    const o = orders.find((x) => key(x.id!, x.id!.gseq, x.id!.oseq) === key(l.id!, l.id!.gseq, l.id!.oseq))!;
    const payment = paymentState.get(
      `${l.id!.owner}/${l.id!.dseq}/${l.id!.gseq}/${l.id!.oseq}/${l.id!.provider}`,
    );
    if (l.state === Lease_State.active) {
      assert.equal(b.state, Bid_State.active, `active lease ${id} has an active bid`);
      assert.equal(o.state, Order_State.active, `active lease ${id} has an active order`);
      assert.equal(payment, 1, `active lease ${id} has an open payment`);
    } else {
      assert.notEqual(payment, 1, `closed lease ${id} has no open payment`);
      assert.notEqual(l.reason, LeaseClosedReason.lease_closed_invalid, `closed lease ${id} says why`);
    }
  }
}

describe("marketplace properties", () => {
  let f: MarketFixture;
  before(async () => {
    f = await MarketFixture.create();
  });
  after(() => f.close());

  it("conserves money and keeps every state invariant under random messages and block advances", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(deploy, { minLength: 2, maxLength: 4 }),
        fc.array(op, { minLength: 20, maxLength: 80 }),
        async (first, rest) => {
          const ops = [...first, ...rest];
          await f.close();
          f = await MarketFixture.create();
          for (const who of [...TENANTS, ...PROVIDERS, FRIEND]) f.fund(who, { uakt: FUNDS });
          for (const p of PROVIDERS) f.providers.add(p);
          const supply = EVERYONE.reduce((s, who) => s + f.balance(who), 0n);
          for (const o of ops) {
            try {
              apply(f, o);
            } catch (e) {
              if (!(e instanceof AppError)) throw e;
            }
            checkInvariants(f, supply);
          }
        },
      ),
      { numRuns: 50 },
    );
  });
});
