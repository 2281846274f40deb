// Followed logs and events across dropped connections, at the client's boundary: a real TLS websocket server
// in the test plays the provider's gateway (its logs route honours `since` as Docker does, including the
// lines at that very time; its events route numbers events; testing/fake-gateway.ts), drops the connection mid-stream or goes away
// and comes back on the same port; the client must go on without repeating or losing a line, say so once,
// and give up when told the lease is gone or after the outage limit (short timings injected).
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { CertificateManager } from "@akashnetwork/chain-sdk";
import { DecloudError } from "../errors.js";
import { EventCursor, LogCursor, type ReconnectOptions, StreamGaveUpError } from "./follow.js";
import { STREAM_CLOSE_CODE, streamLeaseEvents, streamLeaseLogs } from "./streams.js";
import { FakeGateway, FAKE_PROVIDER as PROVIDER, reader } from "./testing/fake-gateway.js";
import type { LeaseEvent } from "./types.js";

const LEASE = { dseq: "7", gseq: 1, oseq: 1 };
const FAST: ReconnectOptions = { initialDelayMs: 20, maxDelayMs: 80, giveUpAfterMs: 5_000 };

describe("following logs and events across dropped connections", () => {
  let tls: { cert: string; key: string };

  before(async () => {
    const pem = await new CertificateManager().generatePEM(PROVIDER);
    tls = { cert: pem.cert, key: pem.privateKey };
  });

  const auth = { type: "jwt", token: "test" } as const;
  /** Follows the fake gateway's logs with the given reconnection settings. */
  const followLogs = (gw: FakeGateway, reconnect: ReconnectOptions) =>
    streamLeaseLogs(gw.target, { owner: "o", lease: LEASE, auth, follow: true, reconnect });

  it("logs: a provider restart loses no line, repeats none, and says so once", async () => {
    const gw = new FakeGateway(tls);
    await gw.start();
    let interrupted = 0;
    let resumed = 0;
    // Docker trims trailing zeros: ".5Z" is after ".123456789Z", which a string comparison gets wrong.
    gw.log("web-0", "one", "2030-01-01T00:00:00.123456789Z");
    gw.log("web-0", "two", "2030-01-01T00:00:00.5Z");
    gw.log("web-0", "two bis (same time)", "2030-01-01T00:00:00.5Z");
    gw.log("api-0", "api one", "2030-01-01T00:00:00.2Z");
    const stream = await streamLeaseLogs(gw.target, {
      owner: "akash1owner",
      lease: LEASE,
      auth,
      follow: true,
      tail: 10,
      reconnect: { ...FAST, onInterrupted: () => interrupted++, onResumed: () => resumed++ },
    });
    const read = reader(stream);
    await read.count(4);

    await gw.stop();
    // Written while the provider is down (the containers go on): they must come after the restart.
    gw.log("web-0", "three (same time as two)", "2030-01-01T00:00:00.5Z");
    gw.log("web-0", "four", "2030-01-01T00:00:01Z");
    await new Promise((r) => setTimeout(r, 150));
    await gw.start();
    await read.count(6);
    gw.log("api-0", "api two", "2030-01-01T00:00:02Z");
    await read.count(7);
    stream.close();
    await read.done;

    assert.deepEqual(
      read.items.map((l) => l.message),
      ["one", "two", "two bis (same time)", "api one", "three (same time as two)", "four", "api two"],
    );
    const query = gw.queries.at(-1)!;
    // api-0's last line (.2) is within the overlap of web-0's (.5): ask from the older of the two.
    assert.equal(query.get("since"), "2030-01-01T00:00:00.200000000Z");
    assert.equal(query.has("tail"), false, "the resumed query asks by time, not tail");
    assert.deepEqual([interrupted, resumed], [1, 1], "one outage, one resumption");
    await gw.stop();
  });

  it("events: a dropped socket resumes after the last event, even when the provider resends them all", async () => {
    const gw = new FakeGateway(tls);
    await gw.start();
    gw.event("Pulled");
    gw.event("Created");
    let interrupted = 0;
    const stream = await streamLeaseEvents(gw.target, {
      owner: "akash1owner",
      lease: LEASE,
      auth,
      follow: true,
      reconnect: { ...FAST, onInterrupted: () => interrupted++ },
    });
    const read = reader(stream);
    await read.count(2);
    gw.drop();
    gw.event("Started");
    await read.count(3);
    stream.close();
    await read.done;
    assert.deepEqual(
      read.items.map((e) => e.reason),
      ["Pulled", "Created", "Started"],
    );
    assert.equal(gw.queries.at(-1)!.get("after"), "2");
    assert.equal(interrupted, 1);
    await gw.stop();
  });

  it("gives up after the outage limit, saying how to retry", async () => {
    const gw = new FakeGateway(tls);
    await gw.start();
    gw.log("web-0", "one", "2030-01-01T00:00:00Z");
    const stream = await followLogs(gw, { ...FAST, giveUpAfterMs: 300 });
    const read = reader(stream);
    await read.count(1);
    const started = Date.now();
    await gw.stop();
    await assert.rejects(read.done, (e: unknown) => {
      assert.ok(e instanceof StreamGaveUpError, String(e));
      assert.match(e.message, /did not answer for 0 s; stopped following/);
      assert.match(e.hint ?? "", /Run the same command again/);
      return true;
    });
    assert.ok(Date.now() - started < 2_000, "gave up soon after the limit");
  });

  it("a provider that accepts and drops at once is one outage: one notice, and it is given up on", async () => {
    const gw = new FakeGateway(tls);
    await gw.start();
    gw.log("web-0", "one", "2030-01-01T00:00:00Z");
    let interrupted = 0;
    let resumed = 0;
    const stream = await followLogs(gw, {
      ...FAST,
      giveUpAfterMs: 400,
      onInterrupted: () => interrupted++,
      onResumed: () => resumed++,
    });
    const read = reader(stream);
    await read.count(1);
    gw.refuseWith = 1011; // every new connection is closed at once, as by a crashing server
    gw.drop();
    await assert.rejects(read.done, StreamGaveUpError);
    assert.ok(gw.queries.length > 3, "it kept trying");
    assert.deepEqual([interrupted, resumed], [1, 1], "one outage, however many short-lived connections");
    await gw.stop();
  });

  it("stops when the lease is found gone, and on a close code that means it", async () => {
    const gw = new FakeGateway(tls);
    await gw.start();
    gw.log("web-0", "one", "2030-01-01T00:00:00Z");
    const gone = new DecloudError("The lease was closed.");
    const stream = await followLogs(gw, { ...FAST, leaseGone: async () => gone });
    const read = reader(stream);
    await read.count(1);
    await gw.stop();
    await assert.rejects(read.done, (e: unknown) => e === gone);

    // The provider answers, but no longer has the lease: no reconnection.
    await gw.start();
    let interrupted = 0;
    const again = await followLogs(gw, { ...FAST, onInterrupted: () => interrupted++ });
    const second = reader(again);
    await second.count(1);
    gw.refuseWith = STREAM_CLOSE_CODE.leaseNotFound;
    gw.drop();
    await assert.rejects(second.done, /has no such lease/);
    assert.equal(interrupted, 1, "one outage, then the provider said the lease is gone");
    await gw.stop();
  });

  it("close() during an outage ends the stream cleanly (Ctrl-C)", async () => {
    const gw = new FakeGateway(tls);
    await gw.start();
    gw.log("web-0", "one", "2030-01-01T00:00:00Z");
    const stream = await streamLeaseLogs(gw.target, {
      owner: "o",
      lease: LEASE,
      auth,
      follow: true,
      reconnect: {
        ...FAST,
        initialDelayMs: 10_000,
        onInterrupted: () => setTimeout(() => stream.close(), 20),
      },
    });
    const read = reader(stream);
    await read.count(1);
    await gw.stop();
    await read.done;
    assert.equal(read.items.length, 1);
  });

  it("without reconnect, or without follow, a stream ends with its connection as before", async () => {
    const gw = new FakeGateway(tls);
    await gw.start();
    gw.log("web-0", "one", "2030-01-01T00:00:00Z");
    const stream = await streamLeaseLogs(gw.target, { owner: "o", lease: LEASE, auth, follow: true });
    const read = reader(stream);
    await read.count(1);
    gw.drop();
    await assert.rejects(read.done, /The provider closed the stream \(1006\)/);
    const once = await streamLeaseLogs(gw.target, { owner: "o", lease: LEASE, auth, reconnect: FAST });
    const all: string[] = [];
    for await (const l of once) all.push(l.message);
    assert.deepEqual(all, ["one"]);
    assert.equal(gw.queries.at(-1)!.get("follow"), "false");
    await gw.stop();
  });
});

describe("stream cursors", () => {
  it("LogCursor: lines at the boundary's time are dropped as many times as they were printed", () => {
    const c = new LogCursor();
    assert.equal(c.resumeQuery(), undefined, "nothing printed: the caller's own query");
    const at = (message: string, timestamp: string) => ({ name: "web-0", message, timestamp });
    assert.equal(c.accept(at("a", "2030-01-01T00:00:01Z")), true);
    assert.equal(c.accept(at("b", "2030-01-01T00:00:01Z")), true);
    c.reconnecting();
    assert.equal(c.accept(at("a", "2030-01-01T00:00:01Z")), false);
    assert.equal(c.accept(at("b", "2030-01-01T00:00:01Z")), false);
    assert.equal(c.accept(at("c", "2030-01-01T00:00:01Z")), true, "a third line at that time is new");
    assert.equal(c.accept(at("old", "2030-01-01T00:00:00Z")), false);
    // A replica quiet for an hour does not make the provider resend the busy one's hour.
    c.accept({ name: "api-0", message: "x", timestamp: "2030-01-01T01:00:00Z" });
    assert.deepEqual(c.resumeQuery(), { since: "2030-01-01T00:59:55.000000000Z" });
  });

  it("LogCursor: a provider without timestamps (Akash's) resumes with new lines only", () => {
    const c = new LogCursor();
    assert.equal(c.accept({ name: "web-0", message: "a" }), true);
    assert.deepEqual(c.resumeQuery(), { tail: 0 });
  });

  it("EventCursor: unnumbered events (Akash's) are not printed twice", () => {
    const c = new EventCursor();
    const e: LeaseEvent = {
      type: "Normal",
      reportingController: "",
      reportingInstance: "",
      reason: "Started",
      note: "",
      object: { kind: "Pod", namespace: "", name: "web-0" },
    };
    assert.equal(c.accept(e), true);
    c.reconnecting();
    assert.equal(c.accept(e), false);
    assert.equal(c.after(), undefined);
  });
});
