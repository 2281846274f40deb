// Retrying with backoff: what the provider does with every error of the chain RPC or of the cluster. A
// transient failure is retried and reported, never turned into a teardown (landscape.md T1).

export interface BackoffOptions {
  readonly initialMs?: number;
  readonly maxMs?: number;
  /** Stops retrying when it returns true (e.g. the lease is gone). */
  readonly stopped?: () => boolean;
  /** Stops retrying, a wait between attempts included, when aborted (the provider is shutting down). */
  readonly signal?: AbortSignal;
  readonly onError?: (error: unknown, attempt: number) => void;
}

/** Runs `work` until it succeeds (or `stopped()`), waiting longer after each failure. */
export async function retryForever<T>(
  work: () => Promise<T>,
  opts: BackoffOptions = {},
): Promise<T | undefined> {
  let delay = opts.initialMs ?? 250;
  const done = () => opts.signal?.aborted === true || opts.stopped?.() === true;
  for (let attempt = 1; ; attempt++) {
    if (done()) return undefined;
    try {
      return await work();
    } catch (e) {
      opts.onError?.(e, attempt);
    }
    if (done()) return undefined;
    await sleep(delay, opts.signal);
    delay = Math.min(delay * 2, opts.maxMs ?? 30_000);
  }
}

/** Waits `ms` (without holding the process open); an abort ends the wait early, without an error. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms).unref();
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
