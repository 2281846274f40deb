// Retrying with backoff: what the provider does with every error of the chain RPC or of the cluster. A
// transient failure is retried and reported, never turned into a teardown (landscape.md T1).

export interface BackoffOptions {
  readonly initialMs?: number;
  readonly maxMs?: number;
  /** Stops retrying when it returns true (e.g. the provider is shutting down). */
  readonly stopped?: () => boolean;
  readonly onError?: (error: unknown, attempt: number) => void;
}

/** Runs `work` until it succeeds (or `stopped()`), waiting longer after each failure. */
export async function retryForever<T>(
  work: () => Promise<T>,
  opts: BackoffOptions = {},
): Promise<T | undefined> {
  let delay = opts.initialMs ?? 250;
  for (let attempt = 1; ; attempt++) {
    if (opts.stopped?.()) return undefined;
    try {
      return await work();
    } catch (e) {
      opts.onError?.(e, attempt);
    }
    if (opts.stopped?.()) return undefined;
    await sleep(delay);
    delay = Math.min(delay * 2, opts.maxMs ?? 30_000);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
