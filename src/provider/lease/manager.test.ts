// The lease manager's periodic work and its stop: the provider closes its state store right after stopping
// the manager, so no periodic run may still be using the store then.
import assert from "node:assert/strict";
import { test } from "node:test";
import { managerOf } from "../testing/lease-manager.js";

test("stop waits for an escrow check in progress and interrupts the wait for the next", async () => {
  const log: string[] = [];
  let closed = false;
  let answerHeight!: (h: number) => void;
  const store = {
    leases() {
      if (closed) throw new TypeError("The database connection is not open");
      log.push("store read");
      return [];
    },
  };
  const chain = {
    height() {
      log.push("height asked");
      return new Promise<number>((resolve) => {
        answerHeight = resolve;
      });
    },
  };
  const manager = managerOf({ chain, store }, { fundsCheckPeriodMs: 10 });
  manager.start();
  while (!log.includes("height asked")) await new Promise((r) => setTimeout(r, 5));

  let stopped = false;
  const stopping = manager.stop().then(() => {
    stopped = true;
  });
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(stopped, false, "stop waits for the check in progress");
  answerHeight(7);
  await stopping;
  closed = true; // what the provider does next
  assert.deepEqual(log, ["height asked", "store read"]);
  await new Promise((r) => setTimeout(r, 50));
  assert.deepEqual(log, ["height asked", "store read"], "no check runs after stop");
});

test("stop interrupts a teardown's backoff and keeps the lease stored for the next start to finish", async () => {
  const log: string[] = [];
  const cluster = {
    async teardown() {
      log.push("teardown");
      throw new Error("engine unreachable");
    },
  };
  const store = {
    deleteLease() {
      log.push("lease deleted");
    },
  };
  const manager = managerOf({ cluster, store });
  const closing = manager.leaseClosed({ owner: "akash1tenant", dseq: "1", gseq: 1, oseq: 1, provider: "p" });
  // Attempts at 0, 250 and 750 ms; the wait before the fourth is a second long.
  while (log.length < 3) await new Promise((r) => setTimeout(r, 10));
  const started = Date.now();
  await manager.stop();
  await closing;
  assert.ok(Date.now() - started < 500, `stop did not wait out the backoff (${Date.now() - started} ms)`);
  assert.deepEqual(
    log,
    ["teardown", "teardown", "teardown"],
    "no attempt after stop, and the lease stays stored",
  );
});
