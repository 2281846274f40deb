// One call into the app at a time, most urgent first. The app's handlers are async: if a query or a
// CheckTx could run between FinalizeBlock and Commit it would see a half-applied block, so every caller
// waits its turn (CometBFT's socket server holds one global mutex the same way; reference:
// cometbft-cosmos.md §1.3). Each line (an ABCI connection, or a kind of caller) is served in arrival order;
// between lines the more urgent lane goes first, then the older request. Blocks go before queries, and
// queries before CheckTx, so a flood of broadcasts cannot hold a block back: block production keeps its
// pace and the flood is served between blocks.

/** Scheduling lanes, most urgent first. */
export enum Lane {
  Block = 0,
  Query = 1,
  Mempool = 2,
  /** Not known yet (an ABCI connection before its first request that tells). */
  Unknown = 3,
}

/** One caller's pending calls, served in arrival order. */
export interface Line {
  lane: Lane;
  readonly tasks: { seq: number; run: () => Promise<void> }[];
}

export class Serial {
  private readonly lines = new Set<Line>();
  private busy = false;
  private seq = 0;
  private idle: Promise<void> = Promise.resolve();
  private wakeIdle?: () => void;

  line(lane: Lane): Line {
    return { lane, tasks: [] };
  }

  /** Forgets a line (a closed connection): what it still had queued never runs. */
  drop(line: Line): void {
    this.lines.delete(line);
  }

  /** Queues `fn` on `line`; it runs when nothing else runs and no more urgent work is waiting. */
  run<T>(line: Line, fn: () => Promise<T> | T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      line.tasks.push({
        seq: this.seq++,
        run: async () => {
          try {
            resolve(await fn());
          } catch (err) {
            reject(err);
          }
        },
      });
      this.lines.add(line);
      if (!this.busy) void this.pump();
    });
  }

  /** Resolves once nothing runs or waits (what was queued has finished). */
  drained(): Promise<void> {
    return this.busy ? this.idle : Promise.resolve();
  }

  private async pump(): Promise<void> {
    this.busy = true;
    this.idle = new Promise((resolve) => {
      this.wakeIdle = resolve;
    });
    for (;;) {
      let next: Line | undefined;
      for (const line of this.lines) {
        const head = line.tasks[0];
        if (!head) continue;
        if (!next || line.lane < next.lane || (line.lane === next.lane && head.seq < next.tasks[0]!.seq)) {
          next = line;
        }
      }
      if (!next) break;
      await next.tasks.shift()!.run();
    }
    this.busy = false;
    this.wakeIdle?.();
  }
}
