// The market's messages and queries on the whole marketplace with the real bank: bids and every reason one
// is refused, leases and the bids that lose, withdrawals with the take, closing by either side, a
// deployment that runs dry, and deposits by a third party.
import assert from "node:assert/strict";
import { after, beforeEach, describe, it } from "node:test";
import {
  LeaseClosedReason,
  MsgAccountDeposit,
  Scope,
  Source,
} from "@akashnetwork/chain-sdk/private-types/akash.v1";
import {
  MsgCloseDeployment,
  MsgCreateDeployment,
  MsgStartGroup,
  type QueryDeploymentResponse,
} from "@akashnetwork/chain-sdk/private-types/akash.v1beta4";
import {
  MsgCloseBid,
  MsgCloseLease,
  MsgCreateBid,
  MsgCreateLease,
  MsgUpdateParams,
  MsgWithdrawLease,
  type QueryBidResponse,
  type QueryBidsResponse,
  type QueryLeaseResponse,
  type QueryLeasesResponse,
  type QueryOrdersResponse,
} from "@akashnetwork/chain-sdk/private-types/akash.v1beta5";
import { QueryError } from "../../errors.js";
import { GOV_AUTHORITY } from "../chain-sdk.js";
import { Group_State } from "../deployment/types.js";
import {
  address,
  ESCROW_ADDRESS,
  group,
  HASH,
  MarketFixture,
  POOL_ADDRESS,
  typedEvents,
  USDC,
  unit,
} from "./testing.js";
import { Bid_State, Lease_State, Order_State } from "./types.js";

const TENANT = address("tenant");
const FRIEND = address("friend");
const AUDITOR = address("auditor");
const OTHER_AUDITOR = address("other-auditor");
const P = Array.from({ length: 25 }, (_, i) => address(`provider-${i}`));
const M = {
  createDeployment: "/akash.deployment.v1beta4.MsgCreateDeployment",
  closeDeployment: "/akash.deployment.v1beta4.MsgCloseDeployment",
  startGroup: "/akash.deployment.v1beta4.MsgStartGroup",
  createBid: "/akash.market.v1beta5.MsgCreateBid",
  closeBid: "/akash.market.v1beta5.MsgCloseBid",
  createLease: "/akash.market.v1beta5.MsgCreateLease",
  withdrawLease: "/akash.market.v1beta5.MsgWithdrawLease",
  closeLease: "/akash.market.v1beta5.MsgCloseLease",
  updateParams: "/akash.market.v1beta5.MsgUpdateParams",
  deposit: "/akash.escrow.v1.MsgAccountDeposit",
};
const BID_DEPOSIT = 500_000n;
const FUNDS = 100_000_000n;

const bidId = (provider: string, oseq = 1, gseq = 1) => ({
  owner: TENANT,
  dseq: 1n,
  gseq,
  oseq,
  provider,
  bseq: 0,
});

function bid(provider: string, over: Partial<Parameters<typeof MsgCreateBid.fromPartial>[0]> = {}) {
  return MsgCreateBid.fromPartial({
    id: bidId(provider),
    price: { denom: "uakt", amount: "90" },
    deposit: { amount: { denom: "uakt", amount: String(BID_DEPOSIT) }, sources: [Source.balance] },
    resourcesOffer: [],
    ...over,
  });
}

const lease = (provider: string, oseq = 1) => MsgCreateLease.fromPartial({ bidId: bidId(provider, oseq) });

describe("market", () => {
  let f: MarketFixture;

  function deploy(groups = [group("web")], deposit = 5_000_000n, dseq = 1n) {
    return f.run(
      M.createDeployment,
      MsgCreateDeployment.fromPartial({
        id: { owner: TENANT, dseq },
        groups,
        hash: HASH,
        deposit: {
          amount: { denom: groups[0]!.resources[0]!.price!.denom, amount: String(deposit) },
          sources: [Source.balance],
        },
      }),
    );
  }

  beforeEach(async () => {
    await f?.close();
    f = await MarketFixture.create();
    f.fund(TENANT, { uakt: FUNDS, [USDC]: FUNDS });
    f.fund(FRIEND, { uakt: FUNDS });
    for (const p of P) {
      f.fund(p, { uakt: FUNDS, [USDC]: FUNDS });
      f.providers.add(p, { region: "us-west", tier: "community" });
    }
  });
  after(() => f.close());

  describe("bids", () => {
    it("a registered provider bids at or below the order's price, posting a deposit in escrow", () => {
      deploy();
      const events = f.run(M.createBid, bid(P[0]!, { price: { denom: "uakt", amount: "100" } }));
      assert.deepEqual(typedEvents(events, "akash.market.v1.EventBidCreated"), [
        {
          id: { owner: TENANT, dseq: "1", gseq: 1, oseq: 1, provider: P[0], bseq: 0 },
          price: { denom: "uakt", amount: "100.000000000000000000" },
        },
      ]);
      assert.equal(f.balance(P[0]!), FUNDS - BID_DEPOSIT);
      const res = f.query<QueryBidResponse>("/akash.market.v1beta5.Query/Bid", { id: bidId(P[0]!) });
      assert.equal(res.bid!.state, Bid_State.open);
      assert.equal(res.escrowAccount!.id!.xid, `${TENANT}/1/1/1/${P[0]}`);
      assert.equal(res.escrowAccount!.state!.owner, P[0]);
    });

    it("refuses bids with each reason spelled out, writing nothing", () => {
      f.rejects(M.createBid, bid(P[0]!), "market", 15, /order .* not found/);
      deploy();
      f.rejects(
        M.createBid,
        bid(P[0]!, { price: { denom: "uakt", amount: "100.000001" } }),
        "market",
        22,
        /above the order's maximum 100uakt/,
      );
      f.rejects(
        M.createBid,
        bid(P[0]!, { price: { denom: USDC, amount: "1" } }),
        "market",
        22,
        /not in uakt/,
      );
      f.rejects(M.createBid, bid(P[0]!, { price: { denom: "uakt", amount: "0" } }), "market", 19);
      f.rejects(M.createBid, bid(TENANT), "market", 2, /its own order/);
      f.rejects(M.createBid, bid(address("nobody")), "market", 30, /not a registered provider/);
      f.rejects(M.createBid, bid(P[0]!, { id: { ...bidId(P[0]!), bseq: 1 } }), "market", 31, /bseq/);
      f.rejects(M.createBid, bid(P[0]!, { id: { ...bidId(P[0]!), oseq: 2 } }), "market", 15);
      const deposit = (denom: string, amount: string) => ({
        amount: { denom, amount },
        sources: [Source.balance],
      });
      f.rejects(
        M.createBid,
        bid(P[0]!, { deposit: deposit("uakt", "499999") }),
        "market",
        28,
        /below the minimum 500000uakt/,
      );
      f.rejects(
        M.createBid,
        bid(P[0]!, { deposit: deposit("uatom", "500000") }),
        "market",
        28,
        /cannot be in uatom/,
      );
      f.rejects(M.createBid, bid(P[0]!, { deposit: deposit("uakt", String(FUNDS + 1n)) }), "escrow", 16);
      f.rejects(
        M.createBid,
        bid(P[0]!, { resourcesOffer: [{ resources: { id: 9 }, count: 1 }] }),
        "market",
        32,
        /resource 9, which the order does not have/,
      );
      f.rejects(
        M.createBid,
        bid(P[0]!, { resourcesOffer: [{ resources: { id: 1 }, count: 2 }] }),
        "market",
        32,
        /asks for 1/,
      );
      f.rejects(
        M.createBid,
        bid(P[0]!, {
          resourcesOffer: [
            { resources: { id: 1 }, count: 1 },
            { resources: { id: 1 }, count: 1 },
          ],
        }),
        "market",
        32,
        /twice/,
      );
      f.run(M.createBid, bid(P[0]!, { resourcesOffer: [{ resources: { id: 1 }, count: 1 }] }));
      f.rejects(M.createBid, bid(P[0]!), "market", 21, /already bid/);
    });

    it("takes deposits in USDC as well as uakt", () => {
      deploy();
      f.run(
        M.createBid,
        bid(P[0]!, { deposit: { amount: { denom: USDC, amount: "500000" }, sources: [Source.balance] } }),
      );
      assert.equal(f.balance(ESCROW_ADDRESS, USDC), 500_000n);
    });

    it("takes exactly order_max_bids open bids, and another once one closes (reference §12.3 fixed)", () => {
      deploy();
      for (let i = 0; i < 20; i++) f.run(M.createBid, bid(P[i]!));
      f.rejects(M.createBid, bid(P[20]!), "market", 31, /already has 20 open bids/);
      f.run(
        M.closeBid,
        MsgCloseBid.fromPartial({
          id: bidId(P[3]!),
          reason: LeaseClosedReason.lease_closed_reason_unspecified,
        }),
      );
      f.run(M.createBid, bid(P[20]!));
      f.rejects(M.createBid, bid(P[21]!), "market", 31);
      f.run(
        M.updateParams,
        MsgUpdateParams.fromPartial({
          authority: GOV_AUTHORITY,
          params: { ...f.mp.market.getParams(f.ctx()), orderMaxBids: 21 },
        }),
      );
      f.run(M.createBid, bid(P[21]!));
    });

    it("matches the group's attributes against the provider's own", () => {
      deploy([group("web", [unit()], { attributes: { region: "us-west" } })]);
      f.providers.add(P[1]!, { region: "eu-central" });
      f.rejects(M.createBid, bid(P[1]!), "market", 5, /no attribute region=us-west/);
      f.run(M.createBid, bid(P[0]!));
    });

    it("matches attribute keys as globs", () => {
      deploy([group("web", [unit()], { attributes: { "region/*": "yes" } })]);
      f.providers.add(P[0]!, { "region/us-west": "yes" });
      f.providers.add(P[1]!, { "region/us/west": "yes" });
      f.run(M.createBid, bid(P[0]!));
      f.rejects(M.createBid, bid(P[1]!), "market", 5, /no attribute region\/\*=yes/);
    });

    it("with signed_by, only attributes the listed auditors signed count", () => {
      deploy([
        group("web", [unit()], { attributes: { tier: "premium" }, allOf: [AUDITOR], anyOf: [OTHER_AUDITOR] }),
      ]);
      f.providers.add(P[0]!, { tier: "premium" });
      f.rejects(M.createBid, bid(P[0]!), "market", 5, /none signed any/);
      f.audits.sign(P[0]!, AUDITOR, { tier: "premium" });
      f.rejects(M.createBid, bid(P[0]!), "market", 5, /one of/);
      f.audits.sign(P[0]!, OTHER_AUDITOR, { tier: "standard" });
      f.rejects(M.createBid, bid(P[0]!), "market", 5, /one of/);
      f.audits.sign(P[0]!, OTHER_AUDITOR, { tier: "premium" });
      f.run(M.createBid, bid(P[0]!));
      f.audits.sign(P[1]!, OTHER_AUDITOR, { tier: "premium" });
      f.rejects(M.createBid, bid(P[1]!), "market", 5, new RegExp(`signed by ${AUDITOR}`));
    });

    it("matches storage classes and GPUs against the provider's capabilities", () => {
      const spec = group("gpu", [
        unit({
          gpu: "1",
          gpuAttributes: { "vendor/nvidia/model/*": "true" },
          storage: [
            { size: String(2 ** 30) },
            { name: "data", size: String(2 ** 30), attributes: { class: "beta2", persistent: "true" } },
          ],
        }),
      ]);
      deploy([spec]);
      f.providers.add(P[0]!, { "capabilities/gpu/vendor/nvidia/model/a100": "true" });
      f.rejects(M.createBid, bid(P[0]!), "market", 32, /no storage with class=beta2/);
      f.providers.add(P[0]!, {
        "capabilities/storage/1/class": "beta2",
        "capabilities/storage/1/persistent": "true",
      });
      f.rejects(M.createBid, bid(P[0]!), "market", 32, /none of the GPUs/);
      f.providers.add(P[0]!, {
        "capabilities/storage/1/class": "beta2",
        "capabilities/storage/1/persistent": "true",
        "capabilities/gpu/vendor/nvidia/model/a100": "true",
      });
      f.run(M.createBid, bid(P[0]!));
    });

    it("an open bid closes with its deposit back; a closed or lost one cannot close again", () => {
      deploy();
      f.run(M.createBid, bid(P[0]!));
      const close = MsgCloseBid.fromPartial({
        id: bidId(P[0]!),
        reason: LeaseClosedReason.lease_closed_reason_unspecified,
      });
      f.rejects(M.closeBid, { ...close, reason: LeaseClosedReason.lease_closed_owner }, "market", 33);
      f.rejects(
        M.closeBid,
        { ...close, reason: LeaseClosedReason.lease_closed_reason_insufficient_funds },
        "market",
        33,
      );
      const events = f.run(M.closeBid, close);
      assert.equal(typedEvents(events, "akash.market.v1.EventBidClosed").length, 1);
      assert.equal(f.balance(P[0]!), FUNDS);
      f.rejects(M.closeBid, close, "market", 11, /already closed/);
      f.rejects(M.closeBid, MsgCloseBid.fromPartial({ ...close, id: bidId(P[1]!) }), "market", 6);
    });
  });

  describe("leases", () => {
    it("the tenant accepts a bid: lease, payment, every other bid lost with its event and deposit back", () => {
      deploy();
      for (let i = 0; i < 4; i++)
        f.run(M.createBid, bid(P[i]!, { price: { denom: "uakt", amount: String(90 + i) } }));
      assert.deepEqual(f.msg(M.createLease).signers(lease(P[2]!)), [TENANT], "only the owner can sign it");
      const events = f.run(M.createLease, lease(P[2]!));
      assert.deepEqual(typedEvents(events, "akash.market.v1.EventLeaseCreated"), [
        { id: { ...bidId(P[2]!), dseq: "1" }, price: { denom: "uakt", amount: "92.000000000000000000" } },
      ]);
      const lost = typedEvents(events, "akash.market.v1.EventBidClosed").map(
        (e) => (e.id as { provider: string }).provider,
      );
      assert.deepEqual(
        lost.sort(),
        [P[0], P[1], P[3]].sort(),
        "reference §12.1 fixed: every loser, with an event",
      );
      for (const i of [0, 1, 3]) assert.equal(f.balance(P[i]!), FUNDS, `provider ${i} got its deposit back`);
      assert.equal(f.balance(P[2]!), FUNDS - BID_DEPOSIT, "the winner's deposit stays until its bid closes");
      const bids = f.query<QueryBidsResponse>("/akash.market.v1beta5.Query/Bids", {
        filters: { owner: TENANT },
      });
      assert.deepEqual(
        bids.bids.map((b) => [b.bid!.id!.provider, b.bid!.state]).sort(),
        P.slice(0, 4)
          .map((p, i) => [p, i === 2 ? Bid_State.active : Bid_State.lost])
          .sort(),
      );
      const order = f.mp.market.getOrder(f.ctx(), { owner: TENANT, dseq: 1n, gseq: 1, oseq: 1 })!;
      assert.equal(order.state, Order_State.active);
      const res = f.query<QueryLeaseResponse>("/akash.market.v1beta5.Query/Lease", { id: bidId(P[2]!) });
      assert.equal(res.lease!.state, Lease_State.active);
      assert.equal(res.escrowPayment!.state!.rate!.amount, "92");
      assert.equal(res.escrowPayment!.id!.xid, `1/1/${P[2]}`);
    });

    it("refuses leases on bids that are not open, or that do not exist", () => {
      deploy();
      f.rejects(M.createLease, lease(P[0]!), "market", 18);
      f.run(M.createBid, bid(P[0]!));
      f.run(M.createBid, bid(P[1]!));
      f.run(
        M.closeBid,
        MsgCloseBid.fromPartial({
          id: bidId(P[0]!),
          reason: LeaseClosedReason.lease_closed_reason_unspecified,
        }),
      );
      f.rejects(M.createLease, lease(P[0]!), "market", 12, /closed: only an open bid/);
      f.run(M.createLease, lease(P[1]!));
      f.rejects(M.createLease, lease(P[1]!), "market", 12, /active/);
      f.rejects(M.createBid, bid(P[2]!), "market", 23, /already has a lease/);
    });

    it("pays the provider on withdrawal, less the take: 2% for uakt", () => {
      deploy();
      f.run(M.createBid, bid(P[0]!, { price: { denom: "uakt", amount: "100" } }));
      f.run(M.createLease, lease(P[0]!));
      f.advance(100n);
      f.run(M.withdrawLease, MsgWithdrawLease.fromPartial({ id: bidId(P[0]!) }));
      // 100 blocks × 100uakt = 10000; take 200; provider 9800.
      assert.equal(f.balance(P[0]!), FUNDS - BID_DEPOSIT + 9800n);
      assert.equal(f.balance(POOL_ADDRESS), 200n);
      f.rejects(M.withdrawLease, MsgWithdrawLease.fromPartial({ id: bidId(P[1]!) }), "market", 7);
    });

    it("pays the provider on withdrawal, less the take: 20% for USDC, fractional prices carried", () => {
      deploy([group("web", [unit({ price: { denom: USDC, amount: "2.5" } })])], 1_000_000n);
      f.run(M.createBid, bid(P[0]!, { price: { denom: USDC, amount: "1.25" } }));
      f.run(M.createLease, lease(P[0]!));
      for (let i = 0; i < 10; i++) {
        f.advance(1n);
        f.run(M.withdrawLease, MsgWithdrawLease.fromPartial({ id: bidId(P[0]!) }));
      }
      // 10 blocks × 1.25 = 12.5: 12 withdrawn over the ten withdrawals, the half carried; take floor(20%).
      const payment = f.query<QueryLeaseResponse>("/akash.market.v1beta5.Query/Lease", { id: bidId(P[0]!) })
        .escrowPayment!;
      assert.equal(payment.state!.withdrawn!.amount, "12");
      assert.equal(payment.state!.balance!.amount, "0.5");
      assert.equal(f.balance(P[0]!, USDC) + f.balance(POOL_ADDRESS, USDC), FUNDS + 12n);
    });

    it("the tenant closes a lease: owner reason, bid refunded, and bidding starts again on a new order", () => {
      deploy();
      f.run(M.createBid, bid(P[0]!));
      f.run(M.createLease, lease(P[0]!));
      f.advance(10n);
      const close = MsgCloseLease.fromPartial({ id: bidId(P[0]!) });
      f.rejects(
        M.closeLease,
        { ...close, reason: LeaseClosedReason.lease_closed_reason_unstable },
        "market",
        33,
      );
      const events = f.run(M.closeLease, close);
      assert.deepEqual(
        typedEvents(events, "akash.market.v1.EventLeaseClosed")[0]!.reason,
        "lease_closed_owner",
      );
      assert.equal(typedEvents(events, "akash.market.v1.EventOrderClosed").length, 1);
      assert.deepEqual(typedEvents(events, "akash.market.v1.EventOrderCreated")[0]!.id, {
        owner: TENANT,
        dseq: "1",
        gseq: 1,
        oseq: 2,
      });
      assert.equal(f.balance(P[0]!), FUNDS + 900n - 18n, "paid for 10 blocks at 90, less 2%, deposit back");
      const l = f.mp.market.getLease(f.ctx(), { ...bidId(P[0]!), dseq: 1n })!;
      assert.equal(l.state, Lease_State.closed);
      assert.equal(l.closedOn.toString(), String(f.height));
      f.rejects(M.closeLease, close, "market", 10, /already closed/);
      f.rejects(M.closeLease, MsgCloseLease.fromPartial({ id: bidId(P[5]!) }), "market", 20);
      f.run(M.createBid, bid(P[1]!, { id: bidId(P[1]!, 2) }));
    });

    it("the provider closes a lease: its reason recorded, the group paused until the tenant starts it", () => {
      deploy();
      f.run(M.createBid, bid(P[0]!));
      f.run(M.createLease, lease(P[0]!));
      f.advance(10n);
      const events = f.run(
        M.closeBid,
        MsgCloseBid.fromPartial({
          id: bidId(P[0]!),
          reason: LeaseClosedReason.lease_closed_reason_decommission,
        }),
      );
      assert.equal(
        typedEvents(events, "akash.market.v1.EventLeaseClosed")[0]!.reason,
        "lease_closed_reason_decommission",
      );
      assert.equal(typedEvents(events, "akash.deployment.v1.EventGroupPaused").length, 1);
      assert.equal(typedEvents(events, "akash.market.v1.EventOrderClosed").length, 1);
      assert.equal(f.mp.deployments.getGroup(f.ctx(), TENANT, 1n, 1)!.state, Group_State.paused);
      const l = f.mp.market.getLease(f.ctx(), { ...bidId(P[0]!), dseq: 1n })!;
      assert.equal(l.reason, LeaseClosedReason.lease_closed_reason_decommission);
      f.run(M.startGroup, MsgStartGroup.fromPartial({ id: { owner: TENANT, dseq: 1n, gseq: 1 } }));
      f.run(M.createBid, bid(P[1]!, { id: bidId(P[1]!, 2) }));
    });

    it("closing the deployment closes the lease for its owner, pays out and refunds everyone", () => {
      deploy([group("web"), group("db")]);
      f.run(M.createBid, bid(P[0]!));
      f.run(M.createBid, bid(P[1]!, { id: bidId(P[1]!, 1, 2) }));
      f.run(M.createLease, lease(P[0]!));
      f.advance(10n);
      const events = f.run(
        M.closeDeployment,
        MsgCloseDeployment.fromPartial({ id: { owner: TENANT, dseq: 1n } }),
      );
      assert.equal(typedEvents(events, "akash.market.v1.EventLeaseClosed")[0]!.reason, "lease_closed_owner");
      assert.equal(
        typedEvents(events, "akash.market.v1.EventBidClosed").length,
        2,
        "the open bid of group 2 too",
      );
      assert.equal(typedEvents(events, "akash.market.v1.EventOrderClosed").length, 2);
      assert.equal(f.balance(P[0]!), FUNDS + 900n - 18n);
      assert.equal(f.balance(P[1]!), FUNDS);
      assert.equal(f.balance(TENANT), FUNDS - 900n);
      assert.equal(f.balance(ESCROW_ADDRESS), 0n);
    });
  });

  describe("escrow exhaustion", () => {
    it("a deployment that runs dry closes with the insufficient-funds reason at the next withdrawal", () => {
      deploy([group("web")], 500_000n);
      f.run(M.createBid, bid(P[0]!, { price: { denom: "uakt", amount: "100" } }));
      f.run(M.createLease, lease(P[0]!));
      f.advance(6000n); // dry after 5000 blocks
      const events = f.run(M.withdrawLease, MsgWithdrawLease.fromPartial({ id: bidId(P[0]!) }));
      assert.equal(
        f.balance(P[0]!),
        FUNDS - BID_DEPOSIT + 500_000n - 10_000n + BID_DEPOSIT,
        "all 500000 less 2%, and its deposit",
      );
      assert.equal(f.balance(POOL_ADDRESS), 10_000n);
      assert.equal(f.balance(ESCROW_ADDRESS), 0n);
      assert.equal(typedEvents(events, "akash.deployment.v1.EventDeploymentClosed").length, 1);
      assert.equal(
        typedEvents(events, "akash.market.v1.EventLeaseClosed")[0]!.reason,
        "lease_closed_reason_insufficient_funds",
      );
      const d = f.query<QueryDeploymentResponse>("/akash.deployment.v1beta4.Query/Deployment", {
        id: { owner: TENANT, dseq: 1n },
      });
      assert.equal(d.deployment!.state, 2);
      assert.equal(d.groups[0]!.state, Group_State.insufficient_funds);
      assert.equal(d.escrowAccount!.state!.state, 3, "overdrawn");
      assert.equal(d.escrowAccount!.state!.funds[0]!.amount, "-100000", "the 1000 unpaid blocks");
      const l = f.query<QueryLeaseResponse>("/akash.market.v1beta5.Query/Lease", { id: bidId(P[0]!) });
      assert.equal(l.lease!.state, Lease_State.insufficient_funds);
      assert.equal(l.lease!.reason, LeaseClosedReason.lease_closed_reason_insufficient_funds);
      assert.equal(l.escrowPayment!.state!.unsettled!.amount, "100000");
      f.rejects(M.withdrawLease, MsgWithdrawLease.fromPartial({ id: bidId(P[0]!) }), "market", 10);
    });

    it("a lease cannot be created on a deployment that has run dry, and nothing is written", () => {
      deploy([group("web"), group("db")], 500_000n);
      f.run(M.createBid, bid(P[0]!, { price: { denom: "uakt", amount: "100" } }));
      f.run(M.createBid, bid(P[1]!, { id: bidId(P[1]!, 1, 2) }));
      f.run(M.createLease, lease(P[0]!));
      f.advance(6000n);
      f.rejects(
        M.createLease,
        MsgCreateLease.fromPartial({ bidId: bidId(P[1]!, 1, 2) }),
        "escrow",
        4,
        /ran out of funds/,
      );
    });

    it("a deposit by a third party keeps it running", () => {
      deploy([group("web")], 500_000n);
      f.run(M.createBid, bid(P[0]!, { price: { denom: "uakt", amount: "100" } }));
      f.run(M.createLease, lease(P[0]!));
      f.advance(4000n);
      const deposit = MsgAccountDeposit.fromPartial({
        signer: FRIEND,
        id: { scope: Scope.deployment, xid: `${TENANT}/1` },
        deposit: { amount: { denom: "uakt", amount: "300000" }, sources: [Source.balance] },
      });
      assert.deepEqual(f.msg(M.deposit).signers(deposit), [FRIEND]);
      f.run(M.deposit, deposit);
      f.advance(3000n);
      f.run(M.withdrawLease, MsgWithdrawLease.fromPartial({ id: bidId(P[0]!) }));
      assert.equal(f.mp.deployments.get(f.ctx(), TENANT, 1n)!.state, 1, "still active after 7000 blocks");
      f.run(M.closeDeployment, MsgCloseDeployment.fromPartial({ id: { owner: TENANT, dseq: 1n } }));
      // 700000 was paid: the tenant's 500000 first, then 200000 of the friend's 300000.
      assert.equal(f.balance(TENANT), FUNDS - 500_000n);
      assert.equal(f.balance(FRIEND), FUNDS - 200_000n);
    });

    it("closing a deployment that ran dry closes it for insufficient funds, not for its owner", () => {
      deploy([group("web")], 500_000n);
      f.run(M.createBid, bid(P[0]!, { price: { denom: "uakt", amount: "100" } }));
      f.run(M.createLease, lease(P[0]!));
      f.advance(6000n);
      const events = f.run(M.closeLease, MsgCloseLease.fromPartial({ id: bidId(P[0]!) }));
      assert.equal(
        typedEvents(events, "akash.market.v1.EventLeaseClosed")[0]!.reason,
        "lease_closed_reason_insufficient_funds",
      );
      assert.equal(
        typedEvents(events, "akash.market.v1.EventOrderCreated").length,
        0,
        "no new order for a dead deployment",
      );
    });
  });

  describe("queries", () => {
    it("pages through open orders, and bids and leases by provider and state", () => {
      for (let dseq = 1n; dseq <= 3n; dseq++) deploy([group("web")], 5_000_000n, dseq);
      f.run(M.createBid, bid(P[0]!));
      f.run(M.createBid, bid(P[1]!));
      f.run(M.createLease, lease(P[0]!));
      f.run(M.createBid, bid(P[0]!, { id: { ...bidId(P[0]!), dseq: 2n } }));
      const orders = (filters: object, pagination?: object) =>
        f.query<QueryOrdersResponse>("/akash.market.v1beta5.Query/Orders", { filters, pagination });
      const open = orders({ state: "open" }, { limit: 1n });
      assert.deepEqual(
        open.orders.map((o) => Number(o.id!.dseq)),
        [2],
      );
      const next = orders({ state: "open" }, { limit: 5n, key: open.pagination!.nextKey });
      assert.deepEqual(
        next.orders.map((o) => Number(o.id!.dseq)),
        [3],
      );
      assert.deepEqual(
        orders({ owner: TENANT, state: "active" }).orders.map((o) => Number(o.id!.dseq)),
        [1],
      );
      assert.deepEqual(orders({ owner: TENANT, dseq: 3n }).orders.length, 1);
      const bids = (filters: object) =>
        f
          .query<QueryBidsResponse>("/akash.market.v1beta5.Query/Bids", { filters })
          .bids.map((b) => [Number(b.bid!.id!.dseq), b.bid!.id!.provider, Bid_State[b.bid!.state]]);
      assert.deepEqual(bids({ provider: P[0], state: "open" }), [[2, P[0], "open"]]);
      assert.deepEqual(bids({ provider: P[0] }).length, 2);
      assert.deepEqual(bids({ state: "lost" }), [[1, P[1], "lost"]]);
      assert.deepEqual(bids({ owner: TENANT, dseq: 1n, provider: P[1] }), [[1, P[1], "lost"]]);
      const leases = (filters: object) =>
        f
          .query<QueryLeasesResponse>("/akash.market.v1beta5.Query/Leases", { filters })
          .leases.map((l) => l.lease!.id!.provider);
      assert.deepEqual(leases({ provider: P[0], state: "active" }), [P[0]]);
      assert.deepEqual(leases({ provider: P[1] }), []);
      assert.deepEqual(leases({ state: "closed" }), []);
      assert.equal(
        f.query<QueryLeasesResponse>("/akash.market.v1beta5.Query/Leases", { filters: {} }).leases[0]!
          .escrowPayment!.state!.owner,
        P[0],
      );
      assert.throws(
        () => orders({ state: "pending" }),
        (e: unknown) => e instanceof QueryError && e.status === "InvalidArgument",
      );
      assert.throws(
        () =>
          f.query("/akash.market.v1beta5.Query/Order", { id: { owner: TENANT, dseq: 9n, gseq: 1, oseq: 1 } }),
        (e: unknown) => e instanceof QueryError && e.status === "NotFound",
      );
    });
  });

  describe("params", () => {
    it("change only by governance, within bounds", () => {
      const params = f.mp.market.getParams(f.ctx());
      f.rejects(M.updateParams, MsgUpdateParams.fromPartial({ authority: TENANT, params }), "gov", 13);
      f.rejects(
        M.updateParams,
        MsgUpdateParams.fromPartial({ authority: GOV_AUTHORITY, params: { ...params, orderMaxBids: 0 } }),
        "market",
        29,
      );
      f.rejects(
        M.updateParams,
        MsgUpdateParams.fromPartial({ authority: GOV_AUTHORITY, params: { ...params, orderMaxBids: 501 } }),
        "market",
        29,
      );
      f.rejects(
        M.updateParams,
        MsgUpdateParams.fromPartial({
          authority: GOV_AUTHORITY,
          params: {
            ...params,
            bidMinDeposits: [
              { denom: "uakt", amount: "1" },
              { denom: USDC, amount: "1" },
            ],
          },
        }),
        "market",
        29,
        /sorted/,
      );
    });
  });
});
