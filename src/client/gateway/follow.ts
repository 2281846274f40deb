// Following a lease's logs or events across a dropped connection (landscape.md T8: Akash's Console stops
// receiving logs after an idle period; logs and shell fail after a provider restart). When the socket ends
// abnormally — the provider restarted, a proxy or the network cut it — the follower connects again with
// backoff and asks only for what comes after the last item it yielded; what the provider sends twice at the
// boundary is dropped here. It gives up when the lease is gone or after a long outage.
import { DecloudError, GatewayRequestError, ProviderUnreachableError } from "../errors.js";
import { formatLogTime, parseLogTime } from "./log-time.js";
import type { LeaseEvent, LogLine } from "./types.js";

/** A stream the caller may stop early. */
export interface Subscription<T> extends AsyncIterable<T> {
  close(): void;
}

export interface ReconnectOptions {
  /** The first wait before connecting again (default 500 ms); it doubles up to `maxDelayMs`. */
  readonly initialDelayMs?: number;
  /** The longest wait between attempts (default 5 s). */
  readonly maxDelayMs?: number;
  /** How long an outage may last before the stream ends with StreamGaveUpError (default 2 min). */
  readonly giveUpAfterMs?: number;
  /**
   * A connection that hears nothing for this long, not even the provider's pings (every 10 s, reference:
   * akash-provider.md §5.4), is taken for dead and replaced (default 30 s).
   */
  readonly silenceTimeoutMs?: number;
  /** The connection was lost (called once per outage, before the first attempt to reconnect). */
  readonly onInterrupted?: (cause: DecloudError) => void;
  /** A connection is open again after an outage (called once per outage). */
  readonly onResumed?: () => void;
  /**
   * A new connection that ends again before it delivered anything or stayed up this long (default 15 s) does
   * not end the outage: a provider that accepts and drops at once is given up on like one that never answers.
   */
  readonly stableAfterMs?: number;
  /**
   * Asked after each failed attempt: an error when the lease is gone (closed on chain), which then ends the
   * stream; undefined to keep trying (including when it cannot tell).
   */
  readonly leaseGone?: () => Promise<DecloudError | undefined>;
}

export const RECONNECT_DEFAULTS = {
  initialDelayMs: 500,
  maxDelayMs: 5_000,
  giveUpAfterMs: 120_000,
  silenceTimeoutMs: 30_000,
  stableAfterMs: 15_000,
} as const;

/** The provider's socket ended abnormally (no close frame, the provider going away or restarting). */
export class StreamDroppedError extends DecloudError {
  override name = "StreamDroppedError";
  constructor(
    readonly provider: string,
    readonly code: number,
    reason: string,
  ) {
    super(`The provider closed the stream (${code}${reason ? ` ${reason}` : ""}).`, {
      hint: "`decloud status DSEQ` shows whether the provider answers; follow with -f to reconnect by itself.",
    });
  }
}

/** The outage lasted longer than a follower waits. */
export class StreamGaveUpError extends DecloudError {
  override name = "StreamGaveUpError";
  constructor(
    readonly provider: string,
    seconds: number,
    last: DecloudError,
  ) {
    super(`Provider ${provider} did not answer for ${seconds} s; stopped following.`, {
      hint: "Your deployment and its escrow are safe on chain. Run the same command again once the provider answers (`decloud status DSEQ` shows whether it does).",
      details: last.message,
    });
  }
}

/** Close codes after which connecting again may work: the socket died, or the server is going away. */
const TRANSIENT_CLOSE = new Set([1001, 1006, 1011, 1012, 1013, 1014]);

export function isTransientCloseCode(code: number): boolean {
  return TRANSIENT_CLOSE.has(code);
}

/** An error after which connecting again may work: nothing answered, a dropped socket, a 5xx. */
function transient(e: unknown): e is DecloudError {
  return (
    e instanceof ProviderUnreachableError ||
    e instanceof StreamDroppedError ||
    (e instanceof GatewayRequestError && e.status >= 500)
  );
}

/** Where a follower is in a stream: what to ask for when connecting again, and what it has yielded already. */
export interface StreamCursor<T> {
  /** False for an item yielded before (the provider resends the boundary); records the others. */
  accept(item: T): boolean;
  /** A new connection begins (the provider will resend from the cursor's position). */
  reconnecting(): void;
}

/**
 * A followed stream that survives dropped connections: `first` is the open connection, `reopen` makes the
 * next (asking from the cursor's position). Ends normally when a connection does, or after close(); fails on
 * an error that reconnecting cannot mend, when the lease is gone, or after `giveUpAfterMs` of outage.
 */
export function resumeOnDrop<T>(
  provider: string,
  first: Subscription<T>,
  reopen: () => Promise<Subscription<T>>,
  cursor: StreamCursor<T>,
  options: ReconnectOptions,
): Subscription<T> {
  const initialDelayMs = options.initialDelayMs ?? RECONNECT_DEFAULTS.initialDelayMs;
  const maxDelayMs = options.maxDelayMs ?? RECONNECT_DEFAULTS.maxDelayMs;
  const giveUpAfterMs = options.giveUpAfterMs ?? RECONNECT_DEFAULTS.giveUpAfterMs;
  const stableAfterMs = options.stableAfterMs ?? RECONNECT_DEFAULTS.stableAfterMs;
  let current: Subscription<T> | undefined = first;
  let closed = false;
  /** When the outage in progress began; undefined while the stream is healthy. */
  let outageSince: number | undefined;
  /** When the current connection opened, and whether it has delivered anything since. */
  let connectedAt = Date.now();
  let delivered = false;
  let wakeSleeper: (() => void) | undefined;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wakeSleeper = () => {
        clearTimeout(timer);
        resolve();
      };
    }).finally(() => {
      wakeSleeper = undefined;
    });

  /** Connects again until it works; undefined when closed meanwhile. */
  async function reconnect(cause: DecloudError): Promise<Subscription<T> | undefined> {
    // A connection that delivered something or stayed up a while ended the last outage; one that dropped at
    // once belongs to it (no second notice, and the give-up clock keeps running).
    const healthy = delivered || Date.now() - connectedAt >= stableAfterMs;
    const fresh = outageSince === undefined || healthy;
    if (fresh) {
      outageSince = Date.now();
      options.onInterrupted?.(cause);
    }
    const started = outageSince!;
    if (Date.now() - started >= giveUpAfterMs)
      throw new StreamGaveUpError(provider, Math.round(giveUpAfterMs / 1000), cause);
    let delay = initialDelayMs;
    let last = cause;
    for (;;) {
      await sleep(Math.min(delay, Math.max(0, started + giveUpAfterMs - Date.now())));
      if (closed) return undefined;
      try {
        cursor.reconnecting();
        const next = await reopen();
        if (closed) {
          next.close();
          return undefined;
        }
        if (fresh) options.onResumed?.();
        connectedAt = Date.now();
        delivered = false;
        return next;
      } catch (e) {
        if (!transient(e)) throw e;
        last = e;
      }
      const gone = await options.leaseGone?.().catch(() => undefined);
      if (gone) throw gone;
      if (closed) return undefined;
      if (Date.now() - started >= giveUpAfterMs)
        throw new StreamGaveUpError(provider, Math.round(giveUpAfterMs / 1000), last);
      delay = Math.min(delay * 2, maxDelayMs);
    }
  }

  return {
    close: () => {
      closed = true;
      current?.close();
      wakeSleeper?.();
    },
    async *[Symbol.asyncIterator]() {
      while (current) {
        try {
          for await (const item of current) {
            delivered = true;
            outageSince = undefined;
            if (cursor.accept(item)) yield item;
          }
          return;
        } catch (e) {
          if (closed) return;
          if (!transient(e)) throw e;
          current = await reconnect(e);
        }
      }
    },
  };
}

/**
 * Where a follower of logs is: per replica, the time of the last line it printed and how many lines it
 * printed with that very time (Docker's `since` includes the lines at that time, which come again).
 */
export class LogCursor implements StreamCursor<LogLine> {
  /** How far before the newest replica's last line a reconnection asks from, for the other replicas' lines. */
  static readonly OVERLAP_NS = 5_000_000_000n;
  private readonly replicas = new Map<string, { ns: bigint; count: number; skip: number }>();
  /** A line came without a time: the provider cannot resume (Akash's), so a reconnection asks for new lines only. */
  private untimed = false;

  accept(line: LogLine): boolean {
    const ns = line.timestamp === undefined ? undefined : parseLogTime(line.timestamp);
    if (ns === undefined) {
      this.untimed = true;
      return true;
    }
    const seen = this.replicas.get(line.name);
    if (!seen || ns > seen.ns) {
      this.replicas.set(line.name, { ns, count: 1, skip: 0 });
      return true;
    }
    if (ns < seen.ns) return false;
    if (seen.skip > 0) {
      seen.skip--;
      return false;
    }
    seen.count++;
    return true;
  }

  reconnecting(): void {
    for (const r of this.replicas.values()) r.skip = r.count;
  }

  /**
   * What to ask for on a new connection: lines since the replicas' last (every replica's, unless one is far
   * behind the newest: then from a little before the newest, so that a quiet replica does not make the
   * provider resend hours of a busy one); `tail: 0` (new lines only) when the provider gives no times; the
   * caller's own query when nothing was printed yet.
   */
  resumeQuery(): { since: string } | { tail: number } | undefined {
    if (this.replicas.size === 0) return this.untimed ? { tail: 0 } : undefined;
    const times = [...this.replicas.values()].map((r) => r.ns);
    const newest = times.reduce((a, b) => (a > b ? a : b));
    const oldest = times.reduce((a, b) => (a < b ? a : b));
    const from = newest - LogCursor.OVERLAP_NS > oldest ? newest - LogCursor.OVERLAP_NS : oldest;
    return { since: formatLogTime(from) };
  }
}

/**
 * Where a follower of events is: the number of the last event it printed (DeCloud's `seq`); for a provider
 * that numbers none (Akash's resends its whole list), the events printed, to drop when they come again.
 */
export class EventCursor implements StreamCursor<LeaseEvent> {
  /** Unnumbered events remembered, at most (the oldest are forgotten first). */
  static readonly REMEMBER = 10_000;
  private last: number | undefined;
  private readonly unnumbered = new Set<string>();

  accept(e: LeaseEvent): boolean {
    if (e.seq === undefined) {
      const key = JSON.stringify(e);
      if (this.unnumbered.has(key)) return false;
      this.unnumbered.add(key);
      if (this.unnumbered.size > EventCursor.REMEMBER)
        this.unnumbered.delete(this.unnumbered.values().next().value as string);
      return true;
    }
    if (this.last !== undefined && e.seq <= this.last) return false;
    this.last = e.seq;
    return true;
  }

  reconnecting(): void {}

  /** The number of the last event printed, to ask for those after it. */
  after(): number | undefined {
    return this.last;
  }
}
