// One lock around every call into the app, for the solo driver: the embedded single validator's blocks,
// its RPC's queries and its mempool's CheckTx. A handler awaits, and a query or CheckTx running between
// FinalizeBlock and Commit would see a half-applied block; callers take turns through the same scheduler as
// the ABCI server's connections (src/node/serial.ts), so a block waiting for the lock goes before queued
// queries, and queries before queued CheckTx.
import type { AbciApplication } from "../../app/abci.js";
import { Lane, Serial } from "../serial.js";

export class AppLock {
  private readonly serial = new Serial();
  private readonly lines = {
    [Lane.Block]: this.serial.line(Lane.Block),
    [Lane.Query]: this.serial.line(Lane.Query),
    [Lane.Mempool]: this.serial.line(Lane.Mempool),
  };

  constructor(readonly app: AbciApplication) {}

  /** Runs `fn` when its turn comes; a failing holder does not poison the queue. */
  run<T>(lane: Lane.Block | Lane.Query | Lane.Mempool, fn: (app: AbciApplication) => Promise<T>): Promise<T> {
    return this.serial.run(this.lines[lane], () => fn(this.app));
  }
}
