// The bid engine against a fake chain: matching, pricing, capacity, exactly-once bidding, timeouts and
// releases (reference: akash-provider.md §3).
import assert from "node:assert/strict";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, beforeEach, describe, it } from "node:test";
import { pino } from "pino";
import { formatDec } from "../../client/decimal.js";
import type { ClusterBackend } from "../cluster/backend.js";
import { ProviderStore } from "../state/store.js";
import { FakeChain } from "../testing/fake-chain.js";
import { eventually } from "../testing/harness.js";
import { buildSdl, webSdl } from "../testing/sdl.js";
import { BidEngine, type BidEngineOptions } from "./engine.js";
import { Inventory } from "./inventory.js";
import { scalePrice } from "./pricing.js";

const PROVIDER = "akash1provider";
const GiB = 1024n * 1024n * 1024n;
const dir = mkdtempSync(join(tmpdir(), "decloud-bid-"));
let n = 0;

const scale = {
  strategy: "scale",
  cpu: 0.1,
  memory: 0.01,
  storage: { ephemeral: 0.001, beta2: 0.002 },
  endpoint: 0,
} as const;

function setup(opts: Partial<BidEngineOptions> = {}, cpus = 4n) {
  const chain = new FakeChain("bid-test", PROVIDER);
  chain.providers.set(PROVIDER, {
    owner: PROVIDER,
    hostUri: "https://localhost:8443",
    attributes: [{ key: "region", value: "local" }],
  });
  const store = new ProviderStore(join(dir, `s${n++}.sqlite`));
  const cluster = {
    capacity: async () => ({ cpuMillis: cpus * 1000n, memoryBytes: 64n * GiB, storageBytes: 1000n * GiB }),
  };
  const inventory = new Inventory({}, { cluster: cluster as unknown as ClusterBackend, store });
  const engine = new BidEngine(
    {
      attributes: [],
      pricing: scale,
      deposit: { denom: "uakt", amount: "500000" },
      bidTimeoutMs: 60_000,
      ...opts,
    },
    { chain, inventory, logger: pino({ level: "silent" }) },
  );
  return { chain, store, inventory, engine };
}

async function deploy(chain: FakeChain, owner: string, dseq: string, sdl: string) {
  const built = await buildSdl(sdl);
  const [order] = chain.addDeployment({ owner, dseq }, built.version, built.groupSpecs);
  return { order: order!, spec: built.groupSpecs[0]! };
}

const bids = (chain: FakeChain) => chain.sent.filter((m) => m.type === "MsgCreateBid");

describe("bid engine", () => {
  let engine: BidEngine | undefined;
  beforeEach(() => engine?.stop());
  after(() => {
    engine?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("bids on a matching order with the scale price and the deposit, once", async () => {
    const s = setup();
    engine = s.engine;
    await s.inventory.refresh();
    const { order, spec } = await deploy(s.chain, "akash1tenant", "1", webSdl({ image: "x", cpu: 0.5 }));
    s.engine.handle({ type: "OrderCreated", id: order });
    s.engine.handle({ type: "OrderCreated", id: order });
    await eventually(async () => (bids(s.chain).length === 1 ? true : undefined), "a bid");
    await s.engine.catchUp();
    assert.equal(bids(s.chain).length, 1, "never twice");
    const bid = bids(s.chain)[0]!.value as { price: { amount: string; denom: string }; deposit: unknown };
    assert.deepEqual(bid.price, { denom: "uakt", amount: formatDec(scalePrice(spec, scale)) });
    assert.equal(bid.price.amount, "50.74");
    assert.deepEqual(bid.deposit, { denom: "uakt", amount: "500000" });
    assert.equal(s.inventory.reserved("pending").cpuMillis, 500n);
  });

  it("does not bid on orders whose attributes, auditors, size, price or owner do not fit", async () => {
    const s = setup({}, 1n);
    engine = s.engine;
    await s.inventory.refresh();
    const reasons: string[] = [];
    s.engine.onDecision((d) => reasons.push(d.reason ?? "bid"));
    const cases = [
      ["akash1t", "1", webSdl({ image: "x", region: "mars" })],
      ["akash1t", "2", webSdl({ image: "x", cpu: 2 })],
      ["akash1t", "3", webSdl({ image: "x", price: 1 })],
      [PROVIDER, "4", webSdl({ image: "x" })],
      [
        "akash1t",
        "5",
        webSdl({ image: "x" }).replace(
          "      pricing:",
          "      signedBy: {anyOf: [akash1auditor]}\n      pricing:",
        ),
      ],
      [
        "akash1t",
        "7",
        webSdl({ image: "x" })
          .replace(
            "        storage: [{size: 100Mi}]",
            "        storage: [{size: 100Mi}, {name: data, size: 1Gi, attributes: {persistent: true, class: beta3}}]",
          )
          .replace("    expose:", "    params: {storage: {data: {mount: /data}}}\n    expose:"),
      ],
      [
        "akash1t",
        "8",
        `${webSdl({ image: "x" }).replace("          - global: true", "          - global: true\n            ip: myip")}\nendpoints:\n  myip:\n    kind: ip\n`,
      ],
    ] as const;
    for (const [owner, dseq, sdl] of cases) {
      const { order } = await deploy(s.chain, owner, dseq, sdl);
      s.engine.handle({ type: "OrderCreated", id: order });
    }
    await eventually(async () => (reasons.length === cases.length ? true : undefined), "decisions");
    assert.deepEqual(reasons.sort(), [
      "leased IPs are not offered",
      "not enough capacity: needs 2000m CPU, 1000m free",
      "not signed by any of the accepted auditors",
      'persistent storage class "beta3" is not offered',
      "placement attributes do not match the provider's",
      "price 10.74uakt is above the order's maximum 1uakt",
      "the order is the provider's own",
    ]);
    assert.equal(bids(s.chain).length, 0);
    assert.equal(s.inventory.reserved().cpuMillis, 0n);

    s.chain.audits.push({
      owner: PROVIDER,
      auditor: "akash1auditor",
      attributes: [{ key: "region", value: "local" }],
    });
    const { order } = await deploy(s.chain, "akash1t", "6", cases[4][2]);
    s.engine.handle({ type: "OrderCreated", id: order });
    await eventually(async () => (bids(s.chain).length === 1 ? true : undefined), "a bid once audited");
  });

  it("never books the same capacity twice under many concurrent orders", async () => {
    const s = setup({}, 5n);
    engine = s.engine;
    await s.inventory.refresh();
    const decided: boolean[] = [];
    s.engine.onDecision((d) => decided.push(d.bid));
    for (let i = 0; i < 20; i++) {
      const { order } = await deploy(s.chain, "akash1t", String(100 + i), webSdl({ image: "x", cpu: 1 }));
      s.engine.handle({ type: "OrderCreated", id: order });
    }
    await eventually(async () => (decided.length === 20 ? true : undefined), "20 decisions");
    assert.equal(bids(s.chain).length, 5);
    assert.equal(s.inventory.reserved().cpuMillis, 5000n);
  });

  it("catches up by paging open orders, and re-arms bids it already has without bidding again", async () => {
    const s = setup();
    engine = s.engine;
    await s.inventory.refresh();
    const orders = [];
    for (let i = 0; i < 5; i++)
      orders.push((await deploy(s.chain, "akash1t", String(200 + i), webSdl({ image: "x" }))).order);
    await s.chain.createBid({
      order: orders[0]!,
      price: { denom: "uakt", amount: "1" },
      deposit: { denom: "uakt", amount: "1" },
    });
    s.chain.sent.length = 0;
    // A bid that ended while the provider was down left its reservation behind: catching up releases it.
    s.store.putReservation({
      order: "akash1t/999/1/1",
      cpuMillis: 1000n,
      memoryBytes: 0n,
      storageBytes: 0n,
      state: "pending",
    });
    await s.engine.catchUp();
    assert.equal(s.store.reservation("akash1t/999/1/1"), undefined);
    await eventually(async () => (bids(s.chain).length === 4 ? true : undefined), "4 bids");
    assert.equal(s.engine.inFlight, 5);
  });

  it("closes a bid after the bid timeout, and a lost bid, releasing their reservations", async () => {
    const s = setup({ bidTimeoutMs: 50 });
    engine = s.engine;
    await s.inventory.refresh();
    const a = await deploy(s.chain, "akash1t", "300", webSdl({ image: "x" }));
    s.engine.handle({ type: "OrderCreated", id: a.order });
    await eventually(
      async () => (s.chain.sent.some((m) => m.type === "MsgCloseBid") ? true : undefined),
      "bid closed on timeout",
    );
    assert.equal(s.inventory.reserved().cpuMillis, 0n);

    const s2 = setup();
    engine = s2.engine;
    await s2.inventory.refresh();
    const b = await deploy(s2.chain, "akash1t", "301", webSdl({ image: "x" }));
    s2.engine.handle({ type: "OrderCreated", id: b.order });
    await eventually(async () => (bids(s2.chain).length === 1 ? true : undefined), "a bid");
    s2.engine.handle({
      type: "LeaseCreated",
      id: { ...b.order, provider: "akash1other" },
      price: { denom: "uakt", amount: "1" },
    });
    await eventually(
      async () => (s2.chain.sent.some((m) => m.type === "MsgCloseBid") ? true : undefined),
      "lost bid closed",
    );
    assert.equal(s2.inventory.reserved().cpuMillis, 0n);
  });

  it("prices with an external script when configured", async () => {
    const script = join(dir, "price.sh");
    writeFileSync(
      script,
      '#!/bin/sh\ninput=$(cat)\ncase "$input" in *\'"count":1\'*) echo 7.5 ;; *) echo bad ;; esac\n',
    );
    chmodSync(script, 0o755);
    const s = setup({ pricing: { strategy: "script", path: script, timeoutMs: 5000 } });
    engine = s.engine;
    await s.inventory.refresh();
    const { order } = await deploy(s.chain, "akash1t", "400", webSdl({ image: "x" }));
    s.engine.handle({ type: "OrderCreated", id: order });
    await eventually(async () => (bids(s.chain).length === 1 ? true : undefined), "a scripted bid");
    assert.deepEqual((bids(s.chain)[0]!.value as { price: unknown }).price, { denom: "uakt", amount: "7.5" });
  });
});
