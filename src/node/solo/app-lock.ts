// One lock around every call into the app. The app's handlers are async; if a query or CheckTx could run
// between FinalizeBlock and Commit it would see a half-applied block. CometBFT's socket server serializes all
// ABCI connections the same way (one global mutex). reference: cometbft-cosmos.md §1.3
import type { AbciApplication } from "../../app/abci.js";

export class AppLock {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(readonly app: AbciApplication) {}

  /** Runs `fn` once every earlier holder has finished; a failing holder does not poison the queue. */
  run<T>(fn: (app: AbciApplication) => Promise<T>): Promise<T> {
    const next = this.tail.then(() => fn(this.app));
    this.tail = next.catch(() => undefined);
    return next;
  }
}
