// The lease manager's periodic work and its stop: the provider closes its state store right after stopping
// the manager, so no periodic run may still be using the store then.
import assert from "node:assert/strict";
import { test } from "node:test";
import { pino } from "pino";
import { LeaseManager } from "./manager.js";

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
  const manager = new LeaseManager(
    {
      ingressDomain: "localhost",
      ingressPort: 8080,
      publicHostname: "localhost",
      manifestTimeoutMs: 0,
      withdrawalPeriodMs: 0,
      fundsCheckPeriodMs: 10,
    },
    { chain: chain as never, cluster: {} as never, store: store as never, logger: pino({ level: "silent" }) },
  );
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
