// Waiting for bids on a new deployment: polls the chain once per interval and reports each new bid as it
// arrives, so that a person sees them come in (reference: akash-provider.md §7.2 step 3).
import type { PublicClient } from "../../connect.js";
import { type BidInfo, listBids } from "./queries.js";

export interface WaitForBidsParameters {
  readonly owner: string;
  readonly dseq: string;
  /** Stop waiting once this says the bids are enough (e.g. one per group, or the wanted provider's). */
  readonly enough: (bids: readonly BidInfo[]) => boolean;
  /** Give up after this long (default 60 s, as Akash's Console does). */
  readonly timeoutMs?: number;
  readonly pollIntervalMs?: number;
  /** Called with every open bid each time a new one arrives. */
  readonly onBids?: (bids: readonly BidInfo[]) => void;
  readonly signal?: AbortSignal;
}

/** Resolves with the open bids once `enough`, or with whatever arrived when the time is up. */
export async function waitForBids(client: PublicClient, params: WaitForBidsParameters): Promise<BidInfo[]> {
  const deadline = Date.now() + (params.timeoutMs ?? 60_000);
  let seen = 0;
  for (;;) {
    const bids = await listBids(client, { owner: params.owner, dseq: params.dseq, state: "open" });
    if (bids.length !== seen) {
      seen = bids.length;
      params.onBids?.(bids);
    }
    if (params.enough(bids) || Date.now() >= deadline || params.signal?.aborted) return bids;
    await new Promise((r) => setTimeout(r, params.pollIntervalMs ?? 250));
  }
}

/** The cheapest open bid of each group (ties: the earliest). Prices compare as exact decimals. */
export function cheapestBids(bids: readonly BidInfo[]): BidInfo[] {
  const best = new Map<number, BidInfo>();
  for (const b of bids) {
    const current = best.get(b.id.gseq);
    if (!current || compareDecimal(b.price.amount, current.price.amount) < 0) best.set(b.id.gseq, b);
  }
  return [...best.values()].sort((a, b) => a.id.gseq - b.id.gseq);
}

/** Compares two non-negative decimal strings ("800", "799.5"). */
export function compareDecimal(a: string, b: string): number {
  const [ai = "0", af = ""] = a.split(".");
  const [bi = "0", bf = ""] = b.split(".");
  const width = Math.max(af.length, bf.length);
  const x = BigInt(ai + af.padEnd(width, "0"));
  const y = BigInt(bi + bf.padEnd(width, "0"));
  return x < y ? -1 : x > y ? 1 : 0;
}
