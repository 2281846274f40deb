// A deployment's whole life at the handler level, from an SDL that chain-sdk turns into groups and a
// manifest version: providers filtered out by attributes and by signed_by, bids, a lease, blocks, a
// withdrawal, a third-party deposit and the close — balances checked to the last micro-unit, take included.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { generateManifest, generateManifestVersion } from "@akashnetwork/chain-sdk";
import { MsgAccountDeposit, Scope, Source } from "@akashnetwork/chain-sdk/private-types/akash.v1";
import { MsgCloseDeployment, MsgCreateDeployment } from "@akashnetwork/chain-sdk/private-types/akash.v1beta4";
import {
  MsgCreateBid,
  MsgCreateLease,
  MsgWithdrawLease,
} from "@akashnetwork/chain-sdk/private-types/akash.v1beta5";
import { parse } from "yaml";
import { address, ESCROW_ADDRESS, MarketFixture, POOL_ADDRESS, typedEvents, USDC } from "./testing.js";

const TENANT = address("lifecycle-tenant");
const FRIEND = address("lifecycle-friend");
const AUDITOR = address("lifecycle-auditor");
const ELSEWHERE = address("provider-elsewhere");
const UNAUDITED = address("provider-unaudited");
const GOOD = address("provider-good");
const FUNDS = 10_000_000n;

const SDL = `
version: "2.0"
services:
  web:
    image: nginx
    expose:
      - port: 80
        as: 80
        to:
          - global: true
  db:
    image: postgres
    params:
      storage:
        data: {mount: /var/lib/postgresql/data}
profiles:
  compute:
    web:
      resources:
        cpu: {units: 0.5}
        memory: {size: 512Mi}
        storage: [{size: 1Gi}]
    db:
      resources:
        cpu: {units: 1}
        memory: {size: 1Gi}
        storage:
          - size: 1Gi
          - name: data
            size: 10Gi
            attributes: {persistent: true, class: beta2}
  placement:
    dc:
      attributes: {region: us-west}
      signedBy:
        anyOf: [${AUDITOR}]
      pricing:
        web: {denom: ${USDC}, amount: 1.5}
        db: {denom: ${USDC}, amount: 10}
deployment:
  web:
    dc: {profile: web, count: 2}
  db:
    dc: {profile: db, count: 1}
`;

describe("a deployment's life from an SDL", () => {
  let f: MarketFixture;
  before(async () => {
    f = await MarketFixture.create();
    for (const who of [TENANT, FRIEND, ELSEWHERE, UNAUDITED, GOOD])
      f.fund(who, { uakt: FUNDS, [USDC]: FUNDS });
    const capabilities = {
      "capabilities/storage/1/class": "beta2",
      "capabilities/storage/1/persistent": "true",
    };
    f.providers.add(ELSEWHERE, { region: "eu-central", ...capabilities });
    f.audits.sign(ELSEWHERE, AUDITOR, { region: "eu-central" });
    f.providers.add(UNAUDITED, { region: "us-west", ...capabilities });
    f.providers.add(GOOD, { region: "us-west", ...capabilities });
    f.audits.sign(GOOD, AUDITOR, { region: "us-west" });
  });
  after(() => f.close());

  it("runs from SDL to close with every micro-unit accounted for", async () => {
    const built = generateManifest(parse(SDL));
    assert.ok(built.ok);
    const hash = await generateManifestVersion(built.value.groups);
    const events = f.run(
      "/akash.deployment.v1beta4.MsgCreateDeployment",
      MsgCreateDeployment.fromPartial({
        id: { owner: TENANT, dseq: 100n },
        groups: built.value.groupSpecs,
        hash,
        deposit: { amount: { denom: USDC, amount: "1000000" }, sources: [Source.balance] },
      }),
    );
    const order = typedEvents(events, "akash.market.v1.EventOrderCreated")[0]!.id as { gseq: number };
    const id = (provider: string) => ({
      owner: TENANT,
      dseq: 100n,
      gseq: order.gseq,
      oseq: 1,
      provider,
      bseq: 0,
    });
    // The order's price: 2 × 1.5 + 1 × 10 = 13 per block.
    const bid = (provider: string) =>
      MsgCreateBid.fromPartial({
        id: id(provider),
        price: { denom: USDC, amount: "12.5" },
        deposit: { amount: { denom: USDC, amount: "500000" }, sources: [Source.balance] },
      });
    f.rejects(
      "/akash.market.v1beta5.MsgCreateBid",
      bid(ELSEWHERE),
      "market",
      5,
      /requires region=us-west signed by one of/,
    );
    f.rejects("/akash.market.v1beta5.MsgCreateBid", bid(UNAUDITED), "market", 5, /none signed any/);
    f.run("/akash.market.v1beta5.MsgCreateBid", bid(GOOD));
    f.run("/akash.market.v1beta5.MsgCreateLease", MsgCreateLease.fromPartial({ bidId: id(GOOD) }));
    const start = f.height;

    f.advance(1001n);
    f.run("/akash.market.v1beta5.MsgWithdrawLease", MsgWithdrawLease.fromPartial({ id: id(GOOD) }));
    // 1001 blocks × 12.5 = 12512.5: 12512 paid, 0.5 carried. Take 20% of 12512 = 2502 (floored).
    assert.equal(f.balance(GOOD, USDC), FUNDS - 500_000n + 12_512n - 2_502n);
    assert.equal(f.balance(POOL_ADDRESS, USDC), 2_502n);

    f.run(
      "/akash.escrow.v1.MsgAccountDeposit",
      MsgAccountDeposit.fromPartial({
        signer: FRIEND,
        id: { scope: Scope.deployment, xid: `${TENANT}/100` },
        deposit: { amount: { denom: USDC, amount: "250000" }, sources: [Source.balance] },
      }),
    );
    f.advance(999n);
    f.run(
      "/akash.deployment.v1beta4.MsgCloseDeployment",
      MsgCloseDeployment.fromPartial({ id: { owner: TENANT, dseq: 100n } }),
    );
    // 2000 blocks in all × 12.5 = 25000 paid to the lease; take 20% of each withdrawal:
    // 2502 + floor(12488 × 0.2) = 2502 + 2497.
    assert.equal(f.height - start, 2000n);
    assert.equal(f.balance(POOL_ADDRESS, USDC), 2_502n + 2_497n);
    assert.equal(f.balance(GOOD, USDC), FUNDS + 25_000n - 2_502n - 2_497n, "its bid deposit back too");
    assert.equal(
      f.balance(TENANT, USDC),
      FUNDS - 25_000n,
      "the tenant's deposit is spent first, the rest refunded",
    );
    assert.equal(f.balance(FRIEND, USDC), FUNDS, "the friend's deposit is refunded untouched");
    assert.equal(f.balance(ELSEWHERE, USDC), FUNDS);
    assert.equal(f.balance(UNAUDITED, USDC), FUNDS);
    assert.equal(f.balance(ESCROW_ADDRESS, USDC), 0n);
  });
});
