// A push-fed async iterable with an explicit end: what log, event and exec streams hand to the gateway.
import type { Subscription } from "./backend.js";

export class Channel<T> implements Subscription<T> {
  private readonly buffer: T[] = [];
  private waiter: ((r: IteratorResult<T>) => void) | undefined;
  private ended = false;
  private readonly onClose: (() => void)[] = [];

  push(value: T): void {
    if (this.ended) return;
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = undefined;
      w({ value, done: false });
    } else {
      this.buffer.push(value);
    }
  }

  /** Ends the stream after what is buffered. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = undefined;
      w({ value: undefined, done: true });
    }
    for (const f of this.onClose.splice(0)) f();
  }

  /** Runs `f` once the stream ends, whoever ends it. */
  whenClosed(f: () => void): void {
    if (this.ended) f();
    else this.onClose.push(f);
  }

  close(): void {
    this.buffer.length = 0;
    this.end();
  }

  get closed(): boolean {
    return this.ended;
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () => {
        if (this.buffer.length > 0) return Promise.resolve({ value: this.buffer.shift()!, done: false });
        if (this.ended) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => {
          this.waiter = resolve;
        });
      },
      return: () => {
        this.close();
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }
}
