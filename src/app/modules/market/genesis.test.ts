// Genesis export and import of the marketplace: a chain exported at a height and started from that export
// has the same deployments, orders, bids, leases, escrow and take params, and goes on the same way.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { LeaseClosedReason, Source } from "@akashnetwork/chain-sdk/private-types/akash.v1";
import { MsgCloseDeployment, MsgCreateDeployment } from "@akashnetwork/chain-sdk/private-types/akash.v1beta4";
import {
  MsgCloseBid,
  MsgCreateBid,
  MsgCreateLease,
  MsgWithdrawLease,
  type QueryOrdersResponse,
} from "@akashnetwork/chain-sdk/private-types/akash.v1beta5";
import type { AppModule } from "../../module.js";
import { authModule } from "../auth/index.js";
import { bankModule } from "../bank/index.js";
import { address, group, HASH, MarketFixture, USDC, unit } from "./testing.js";

const TENANT = address("genesis-tenant");
const P = [address("genesis-p0"), address("genesis-p1"), address("genesis-p2")];

/** Every module of a fixture: auth and bank (the coins escrow holds) and the marketplace's four. */
const modulesOf = (f: MarketFixture): AppModule[] => [
  authModule(f.accounts),
  bankModule(f.bank, f.accounts),
  ...f.mp.modules,
];

/** The exports compared: auth's is left out, as its import renumbers accounts (not the marketplace's concern). */
const exportAll = (f: MarketFixture) =>
  Object.fromEntries(modulesOf(f).map((m) => [m.name, m.name === "auth" ? null : m.exportGenesis(f.ctx())]));

describe("marketplace genesis", () => {
  let a: MarketFixture;
  let b: MarketFixture;
  before(async () => {
    a = await MarketFixture.create();
    b = await MarketFixture.create();
  });
  after(async () => {
    await a.close();
    await b.close();
  });

  it("round-trips through export and import, and both chains then go on the same way", () => {
    a.fund(TENANT, { uakt: 50_000_000n, [USDC]: 50_000_000n });
    for (const p of P) {
      a.fund(p, { uakt: 5_000_000n, [USDC]: 5_000_000n });
      a.providers.add(p);
      b.providers.add(p);
    }
    const deploy = (dseq: bigint, denom: string, price: string) =>
      a.run(
        "/akash.deployment.v1beta4.MsgCreateDeployment",
        MsgCreateDeployment.fromPartial({
          id: { owner: TENANT, dseq },
          groups: [
            group("web", [unit({ price: { denom, amount: price } })]),
            group("db", [unit({ price: { denom, amount: "1" } })]),
          ],
          hash: HASH,
          deposit: { amount: { denom, amount: "2000000" }, sources: [Source.balance] },
        }),
      );
    const id = (dseq: bigint, provider: string, gseq = 1) => ({
      owner: TENANT,
      dseq,
      gseq,
      oseq: 1,
      provider,
      bseq: 0,
    });
    const bid = (dseq: bigint, provider: string, price: { denom: string; amount: string }) =>
      a.run(
        "/akash.market.v1beta5.MsgCreateBid",
        MsgCreateBid.fromPartial({
          id: id(dseq, provider),
          price,
          deposit: { amount: { denom: "uakt", amount: "500000" }, sources: [Source.balance] },
        }),
      );
    deploy(1n, "uakt", "100");
    deploy(2n, USDC, "0.75");
    deploy(3n, "uakt", "10");
    bid(1n, P[0]!, { denom: "uakt", amount: "80" });
    bid(1n, P[1]!, { denom: "uakt", amount: "90" });
    bid(2n, P[2]!, { denom: USDC, amount: "0.5" });
    bid(3n, P[1]!, { denom: "uakt", amount: "10" });
    a.run("/akash.market.v1beta5.MsgCreateLease", MsgCreateLease.fromPartial({ bidId: id(1n, P[0]!) }));
    a.run("/akash.market.v1beta5.MsgCreateLease", MsgCreateLease.fromPartial({ bidId: id(2n, P[2]!) }));
    a.advance(333n);
    a.run("/akash.market.v1beta5.MsgWithdrawLease", MsgWithdrawLease.fromPartial({ id: id(2n, P[2]!) }));
    a.run(
      "/akash.market.v1beta5.MsgCloseBid",
      MsgCloseBid.fromPartial({
        id: id(3n, P[1]!),
        reason: LeaseClosedReason.lease_closed_reason_unspecified,
      }),
    );
    a.run(
      "/akash.deployment.v1beta4.MsgCloseDeployment",
      MsgCloseDeployment.fromPartial({ id: { owner: TENANT, dseq: 3n } }),
    );
    a.advance(17n);

    const exported = JSON.parse(JSON.stringify(exportAll(a)));
    exported.auth = authModule(a.accounts).exportGenesis(a.ctx());
    b.height = a.height;
    for (const m of modulesOf(b)) m.initGenesis(b.ctx(), exported[m.name]);
    exported.auth = null;
    assert.deepEqual(exportAll(b), exported, "the imported chain exports the same state");
    const open = (f: MarketFixture) =>
      f.query<QueryOrdersResponse>("/akash.market.v1beta5.Query/Orders", { filters: { state: "open" } });
    assert.deepEqual(open(b), open(a));

    // Settlement goes on from where it was: the same withdrawal pays the same on both chains.
    for (const f of [a, b]) {
      f.advance(100n);
      f.run("/akash.market.v1beta5.MsgWithdrawLease", MsgWithdrawLease.fromPartial({ id: id(1n, P[0]!) }));
      f.run("/akash.market.v1beta5.MsgWithdrawLease", MsgWithdrawLease.fromPartial({ id: id(2n, P[2]!) }));
    }
    assert.deepEqual(exportAll(b), exportAll(a));
    assert.equal(b.balance(P[0]!), 5_000_000n - 500_000n + 450n * 80n - (450n * 80n * 2n) / 100n);
  });
});
