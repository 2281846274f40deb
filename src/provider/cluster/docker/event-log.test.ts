// The lease event log over the provider's SQLite state: events in order, the last KEEP_EVENTS per lease, the
// history back after a restart (the same file opened again), live followers, and nothing left once the lease
// is torn down or forgotten. A store that fails never fails the caller.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, beforeEach, describe, it } from "node:test";
import { type LeaseId, leaseIdString } from "../../lease-id.js";
import { ProviderStore } from "../../state/store.js";
import type { ClusterEvent } from "../backend.js";
import { EventLog, KEEP_EVENTS } from "./event-log.js";

const dir = mkdtempSync(join(tmpdir(), "decloud-events-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const LEASE: LeaseId = { owner: "akash1tenant", dseq: "66", gseq: 1, oseq: 1, provider: "akash1provider" };
const KEY = leaseIdString(LEASE);

function started(name: string): Omit<ClusterEvent, "time"> {
  return {
    type: "Normal",
    reason: "Started",
    note: `Started container ${name}`,
    object: { kind: "Pod", namespace: "ns", name },
  };
}

async function collect(channel: AsyncIterable<ClusterEvent>): Promise<ClusterEvent[]> {
  const out: ClusterEvent[] = [];
  for await (const e of channel) out.push(e);
  return out;
}

describe("persistent event log", () => {
  let path: string;
  let n = 0;
  let store: ProviderStore;
  let log: EventLog;
  const errors: unknown[] = [];

  beforeEach(() => {
    path = join(dir, `state${n++}.sqlite`);
    store?.close();
    store = new ProviderStore(path);
    store.putLease({ id: LEASE, priceDenom: "uakt", priceAmount: "1", wonAt: 0 });
    errors.length = 0;
    log = new EventLog();
    log.keepIn(store, (e) => errors.push(e));
  });
  after(() => store.close());

  it("records events in order with all their fields", () => {
    log.record(KEY, started("web-0"));
    log.record(KEY, { ...started("web-1"), type: "Warning", reason: "BackOff", note: "exited with code 1" });
    const events = log.list(KEY);
    assert.deepEqual(
      events.map((e) => [e.type, e.reason, e.note, e.object.name]),
      [
        ["Normal", "Started", "Started container web-0", "web-0"],
        ["Warning", "BackOff", "exited with code 1", "web-1"],
      ],
    );
    assert.ok(events[0]!.time instanceof Date && Math.abs(events[0]!.time.getTime() - Date.now()) < 60_000);
    assert.deepEqual(errors, []);
  });

  it(`keeps the last ${KEEP_EVENTS} events of a lease`, () => {
    for (let i = 0; i < KEEP_EVENTS + 5; i++) log.record(KEY, started(`web-${i}`));
    const events = log.list(KEY);
    assert.equal(events.length, KEEP_EVENTS);
    assert.equal(events[0]!.object.name, "web-5", "the oldest go first");
    assert.equal(events.at(-1)!.object.name, `web-${KEEP_EVENTS + 4}`);
  });

  it("gives the history back after a restart, and followers the new events live", async () => {
    log.record(KEY, started("web-0"));
    log.closeAll();
    store.close();
    store = new ProviderStore(path);
    log = new EventLog();
    log.keepIn(store, (e) => errors.push(e));
    assert.deepEqual(
      log.list(KEY).map((e) => e.object.name),
      ["web-0"],
    );
    assert.deepEqual(
      (await collect(log.subscribe(KEY, false))).map((e) => e.object.name),
      ["web-0"],
    );
    const follower = log.subscribe(KEY, true);
    log.record(KEY, started("web-1"));
    log.forget(KEY);
    assert.deepEqual(
      (await collect(follower)).map((e) => e.object.name),
      ["web-0", "web-1"],
      "the past, then the new event, then the end when the lease is torn down",
    );
  });

  it("deletes a lease's events when the lease is torn down or forgotten, and keeps none after", () => {
    log.record(KEY, started("web-0"));
    log.forget(KEY);
    assert.deepEqual(log.list(KEY), []);
    log.record(KEY, started("web-0"));
    store.deleteLease(LEASE);
    assert.deepEqual(store.events(KEY), []);
    // A container's death reported after the teardown belongs to no lease the provider holds.
    log.record(KEY, started("web-0"));
    assert.deepEqual(store.events(KEY), []);
  });

  it("carries over what was recorded in memory before the store was handed over", () => {
    const early = new EventLog();
    early.record(KEY, started("web-0"));
    early.keepIn(store, (e) => errors.push(e));
    assert.deepEqual(
      store.events(KEY).map((e) => e.object.name),
      ["web-0"],
    );
  });

  it("a failing store is reported, and followers still get the event", async () => {
    const follower = log.subscribe(KEY, true);
    store.close();
    log.record(KEY, started("web-0"));
    assert.deepEqual(log.list(KEY), []);
    log.closeAll();
    assert.deepEqual(
      (await collect(follower)).map((e) => e.object.name),
      ["web-0"],
    );
    assert.equal(errors.length, 2, "the failed write and the failed read");
    store = new ProviderStore(path);
  });
});

describe("event log without a store", () => {
  it("keeps events in memory, the last KEEP_EVENTS, until forgotten", () => {
    const log = new EventLog();
    for (let i = 0; i < KEEP_EVENTS + 1; i++) log.record(KEY, started(`web-${i}`));
    assert.equal(log.list(KEY).length, KEEP_EVENTS);
    assert.equal(log.list(KEY)[0]!.object.name, "web-1");
    log.forget(KEY);
    assert.deepEqual(log.list(KEY), []);
  });
});
