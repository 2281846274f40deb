// The bids on a new deployment as `decloud deploy` shows them (reference: akash-provider.md §7.2 steps 3–4):
// collected while their table grows in place on a terminal (Enter ends the wait when a person is to choose),
// then printed once, numbered per group, cheapest first, and chosen by that number.

import { formatCoin, formatRate } from "../../client/amount.js";
import type { PublicClient } from "../../client/connect.js";
import type { DecCoin } from "../../client/modules/escrow/types.js";
import type { BidInfo } from "../../client/modules/market/queries.js";
import { compareDecimal, waitForBids } from "../../client/modules/market/wait.js";
import { getProvider, getProviderAudits } from "../../client/modules/provider/queries.js";
import { estimateBlockSeconds } from "../../client/node.js";
import type { CliContext } from "../context.js";
import type { CliIO } from "../io.js";
import { liveBlock } from "../live.js";
import type { Colors } from "../output.js";
import { ask, CancelledError, isInteractive, onKeys } from "../prompt.js";
import { shortAddress, table } from "../table.js";

/** What the table says about a provider besides its price. */
export interface ProviderFacts {
  /** Its `region` attribute; undefined when it has none or could not be read. */
  readonly region?: string;
  readonly audited: boolean;
}

export interface BidTableFacts {
  /** Seconds per block, for the ≈/MONTH column; undefined while still being measured. */
  readonly blockSeconds?: number;
  /** Providers not in the map are still being looked up (shown as `…`). */
  readonly providers: ReadonlyMap<string, ProviderFacts>;
}

/** A price per block as an estimate per 30 days (`136.89 AKT`): two decimals say enough. */
export function formatMonthly(price: DecCoin, blockSeconds: number): string {
  const perMonth = (30 * 24 * 3600) / blockSeconds;
  return formatCoin({
    denom: price.denom,
    amount: BigInt(Math.floor(Number(price.amount) * perMonth)).toString(),
  }).replace(/(\.\d{2})\d+/, "$1");
}

/** Bids in the table's order, which the numbers a person answers refer to: by group, cheapest first. */
export function sortBids(bids: readonly BidInfo[]): BidInfo[] {
  // Array sort is stable: equal prices keep the chain's order, so bid 1 is the one `cheapestBids` picks.
  return [...bids].sort((a, b) => a.id.gseq - b.id.gseq || compareDecimal(a.price.amount, b.price.amount));
}

/** The bids as table lines (indented, header first), numbered from 1 within each group. */
export function bidTable(
  bids: readonly BidInfo[],
  facts: BidTableFacts,
  c: Colors,
  byGroup: boolean,
): string[] {
  const numberInGroup = new Map<number, number>();
  const rows = sortBids(bids).map((b) => {
    const n = (numberInGroup.get(b.id.gseq) ?? 0) + 1;
    numberInGroup.set(b.id.gseq, n);
    const provider = facts.providers.get(b.id.provider);
    const monthly = facts.blockSeconds === undefined ? "…" : formatMonthly(b.price, facts.blockSeconds);
    return [
      ...(byGroup ? [String(b.id.gseq)] : []),
      String(n),
      shortAddress(b.id.provider),
      formatRate(b.price).replace("/block", ""),
      monthly,
      provider ? (provider.region ?? "—") : "…",
      provider ? (provider.audited ? c.green("✔") : c.dim("✗")) : "…",
    ];
  });
  const headers = [
    ...(byGroup ? ["GROUP"] : []),
    "#",
    "PROVIDER",
    "PRICE/BLOCK",
    "≈/MONTH",
    "REGION",
    "AUDITED",
  ];
  return table(headers, rows, "  ");
}

export interface WaitingState {
  readonly received: number;
  readonly secondsLeft: number;
  /** The provider waited for (--provider). */
  readonly provider?: string;
  /** Groups without a (counting) bid yet, named only when the SDL has several. */
  readonly groupsWithout?: readonly number[];
  /** Enter ends the wait now. */
  readonly canChoose: boolean;
}

/** The spinner's line above the live table. */
export function waitingLine(s: WaitingState): string {
  const what = s.provider ? `a bid from ${shortAddress(s.provider)}` : "bids";
  const without =
    s.received > 0 && s.groupsWithout && s.groupsWithout.length > 0
      ? ` (none yet for group ${s.groupsWithout.join(", ")})`
      : "";
  const left = `${Math.max(0, Math.ceil(s.secondsLeft))} s left`;
  return `Waiting for ${what}… ${s.received} received${without}, ${left}${s.canChoose ? " (Enter to choose now)" : ""}`;
}

/**
 * Asks which bid of a group to lease, by its number in the table (`options` in the table's order), until the
 * answer is one; an empty answer takes bid 1, the cheapest.
 */
export async function askBid(
  io: CliIO,
  options: readonly BidInfo[],
  group?: number,
  cancel?: AbortSignal,
): Promise<BidInfo> {
  const question = `Lease ${group === undefined ? "" : `group ${group} `}from which bid? [1-${options.length}, default 1 (cheapest)] `;
  const range = options.length === 1 ? "1" : `a number from 1 to ${options.length}`;
  for (;;) {
    const answer = await ask(io, question, "1", cancel);
    const pick = /^\d+$/.test(answer) ? options[Number(answer) - 1] : undefined;
    if (pick) return pick;
    io.stderr.write(
      `  "${answer}" is not one of the bids: answer ${range}, or press Enter for the cheapest.\n`,
    );
  }
}

/**
 * The table's facts, looked up as bids arrive: each provider's region and audits once, the block time once
 * (the live table picks up what is known at its next frame).
 */
export class BidFactsLookup {
  private blockSeconds: number | undefined;
  private readonly providers = new Map<string, ProviderFacts>();
  private readonly pending = new Map<string, Promise<void>>();
  private readonly blockTime: Promise<void>;

  constructor(private readonly client: PublicClient) {
    this.blockTime = estimateBlockSeconds(client)
      .catch(() => undefined)
      .then((s) => {
        // Six seconds, Akash's block time, when the chain is too young to measure.
        this.blockSeconds = s ?? 6;
      });
  }

  /** Starts looking up the providers of `bids` not looked up yet. */
  learn(bids: readonly BidInfo[]): void {
    for (const { provider } of bids.map((b) => b.id)) {
      if (this.pending.has(provider)) continue;
      const client = this.client;
      const lookup = Promise.all([
        getProvider(client, { owner: provider }).catch(() => undefined),
        getProviderAudits(client, { owner: provider }).catch(() => []),
      ]).then(([info, audits]) => {
        this.providers.set(provider, {
          region: info?.attributes.find((a) => a.key === "region")?.value,
          audited: audits.length > 0,
        });
      });
      this.pending.set(provider, lookup);
    }
  }

  /** What is known now. */
  current(): BidTableFacts {
    return { blockSeconds: this.blockSeconds, providers: this.providers };
  }

  /** Everything about `bids`, once looked up. */
  async complete(bids: readonly BidInfo[]): Promise<BidTableFacts> {
    this.learn(bids);
    await Promise.all([this.blockTime, ...this.pending.values()]);
    return this.current();
  }
}

export interface CollectBidsParameters {
  readonly owner: string;
  readonly dseq: string;
  readonly groups: readonly number[];
  /** Only this provider's bids count (--provider): the wait ends once it has bid in every group. */
  readonly provider?: string;
  readonly timeoutSeconds: number;
  /** Once every group has a bid, how long to keep collecting. */
  readonly windowSeconds: number;
  /** Redraw the table in place as bids arrive (stderr is a terminal and the output is not --json). */
  readonly live: boolean;
  /** A person is to choose: while the table is live, Enter ends the wait once every group has a bid. */
  readonly enterToChoose: boolean;
  /** Cancels the wait, as Ctrl-C at the live table does (a stop signal: SIGINT, SIGTERM, SIGHUP). */
  readonly cancel?: AbortSignal;
}

/**
 * Waits for bids until every group has one and the window has passed (at once with --provider), or the
 * time is up; then returns the open bids, the display gone. Ctrl-C while Enter is listened for, or `cancel`,
 * cancels.
 */
export async function collectBids(
  ctx: CliContext,
  client: PublicClient,
  lookup: BidFactsLookup,
  p: CollectBidsParameters,
): Promise<BidInfo[]> {
  const deadline = Date.now() + p.timeoutSeconds * 1000;
  const counts = (b: BidInfo) => !p.provider || b.id.provider === p.provider;
  const without = (bids: readonly BidInfo[]) =>
    p.groups.filter((g) => !bids.some((b) => b.id.gseq === g && counts(b)));
  let complete: number | undefined;
  let latest: readonly BidInfo[] = [];
  const stop = new AbortController();
  let cancelled = false;

  const state = (): WaitingState => {
    const end = complete === undefined ? deadline : Math.min(deadline, complete + p.windowSeconds * 1000);
    return {
      received: latest.length,
      secondsLeft: (end - Date.now()) / 1000,
      provider: p.provider,
      groupsWithout: p.groups.length > 1 ? without(latest) : undefined,
      canChoose: p.enterToChoose && complete !== undefined,
    };
  };
  const c = ctx.output.ce;
  const block = p.live
    ? liveBlock(ctx.io.stderr, (spinner) => [
        `${c.cyan(spinner)} ${waitingLine(state())}`,
        ...(latest.length > 0 ? bidTable(latest, lookup.current(), c, p.groups.length > 1) : []),
      ])
    : undefined;
  const spinner = block ? undefined : ctx.output.progress("Waiting for bids…");
  const stopKeys =
    block && p.enterToChoose && isInteractive(ctx.io)
      ? onKeys(ctx.io, {
          enter: () => {
            if (complete !== undefined) stop.abort();
          },
          interrupt: () => {
            cancelled = true;
            stop.abort();
          },
        })
      : undefined;
  const onCancel = () => {
    cancelled = true;
    stop.abort();
  };
  if (p.cancel?.aborted) onCancel();
  p.cancel?.addEventListener("abort", onCancel, { once: true });
  let bids: BidInfo[];
  try {
    bids = await waitForBids(client, {
      owner: p.owner,
      dseq: p.dseq,
      timeoutMs: p.timeoutSeconds * 1000,
      signal: stop.signal,
      onBids: (bids) => {
        latest = bids;
        if (block) {
          lookup.learn(bids);
          block.refresh();
        }
        spinner?.update(`Waiting for bids… ${bids.length} received`);
      },
      enough: (bids) => {
        if (without(bids).length > 0) return false;
        if (p.provider) return true;
        complete ??= Date.now();
        return Date.now() - complete >= p.windowSeconds * 1000;
      },
    });
  } finally {
    p.cancel?.removeEventListener("abort", onCancel);
    stopKeys?.();
    block?.clear();
    spinner?.fail();
  }
  if (cancelled) throw new CancelledError();
  return bids;
}
