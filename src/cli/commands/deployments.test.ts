import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { DeploymentInfo } from "../../client/modules/deployment/queries.js";
import type { LeaseInfo } from "../../client/modules/market/queries.js";
import { formatDuration } from "../tenant.js";
import { escrowView } from "./deployments.js";

const deployment = (funds: string, settledAt: number): DeploymentInfo => ({
  owner: "akash1owner",
  dseq: "7",
  state: "active",
  hash: new Uint8Array(32),
  createdAt: 1,
  groups: [],
  escrow: { state: "open", funds: [{ denom: "uakt", amount: funds }], transferred: [], settledAt },
});

const lease = (price: string, state: LeaseInfo["state"] = "active"): LeaseInfo => ({
  id: { owner: "akash1owner", dseq: "7", gseq: 1, oseq: 1, provider: "akash1provider" },
  state,
  price: { denom: "uakt", amount: price },
  createdAt: 2,
  closedOn: 0,
  reason: "",
  payment: undefined,
});

describe("escrow at the current rate", () => {
  test("what is left pays for the blocks since the last settlement first", () => {
    const view = escrowView(deployment("5000", 100), [lease("10.5")], 110, 6);
    assert.deepEqual(view?.left, { denom: "uakt", amount: "4895" });
    assert.deepEqual(view?.ratePerBlock, { denom: "uakt", amount: "10.5" });
    assert.equal(view?.blocksLeft, 466);
    assert.equal(view?.secondsLeft, 466 * 6);
  });

  test("several leases add up; closed leases cost nothing; nothing is left below zero", () => {
    const view = escrowView(deployment("100", 0), [lease("30"), lease("30"), lease("99", "closed")], 10, 1);
    assert.deepEqual(view?.left, { denom: "uakt", amount: "0" });
    assert.equal(view?.blocksLeft, 0);
  });

  test("without a lease there is no rate and no time left; a closed deployment has no escrow to show", () => {
    const idle = escrowView(deployment("5000", 1), [], 50, 6);
    assert.equal(idle?.ratePerBlock, undefined);
    assert.equal(idle?.secondsLeft, undefined);
    assert.equal(escrowView({ ...deployment("5000", 1), state: "closed" }, [], 50, 6), undefined);
  });

  test("under a day left, the top-up that buys a day more is worked out, rounded up to whole AKT", () => {
    // 4,895 uakt at 10.5 uakt per 6 s block: 2,796 s left; a day is 14,400 blocks = 151,200 uakt → 1 AKT.
    assert.equal(escrowView(deployment("5000", 100), [lease("10.5")], 110, 6)?.topUp, "1akt");
    // 1,000 uakt per 0.2 s block: a day is 432,000 blocks = 432 AKT.
    assert.equal(escrowView(deployment("5000000", 1), [lease("1000")], 1, 0.2)?.topUp, "432akt");
    // A month left: no hint.
    assert.equal(escrowView(deployment("3000000000", 1), [lease("1")], 1, 1)?.topUp, undefined);
  });

  test("time is said the way people say it", () => {
    assert.equal(formatDuration(42), "~42 s");
    assert.equal(formatDuration(40 * 60), "~40 min");
    assert.equal(formatDuration(8.6 * 3600), "~8.6 h");
    assert.equal(formatDuration(3 * 86400), "~3.0 d");
  });
});
