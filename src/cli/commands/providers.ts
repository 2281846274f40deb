// `decloud providers` and `decloud deploy FILE --dry-run`: the chain's providers as a tenant sees them before
// deploying — attributes, auditors, online or not and free capacity from their public `/status` — and, for
// an SDL, which of them would bid on each placement group and at what price (for providers that publish their
// rates in `/status`) and, for the others, the first requirement they do not meet (landscape.md T2 and §6
// item 5, Akash AEP-67 "bid screening"). Nothing is signed or sent.
import type { Command } from "commander";
import { formatRate } from "../../client/amount.js";
import type { PublicClient } from "../../client/connect.js";
import { DecloudError } from "../../client/errors.js";
import type { Attribute } from "../../client/modules/provider/queries.js";
import { explainScreening } from "../../client/no-bids.js";
import { estimateBlockSeconds } from "../../client/node.js";
import { formatBytes, formatCpu, type GroupTotals } from "../../client/resources.js";
import {
  auditorsOf,
  type FreeCapacity,
  formatFree,
  freeCapacity,
  type GroupScreening,
  hasAttribute,
  type Market,
  type ProviderScreening,
  readMarket,
  screenGroup,
  storageClasses,
} from "../../client/screening.js";
import { maxPrice, type Sdl } from "../../client/sdl.js";
import type { CliContext } from "../context.js";
import type { Colors } from "../output.js";
import { shortAddress, table } from "../table.js";
import { type Ctx, withFrom } from "../tenant.js";
import { formatMonthly } from "./bids.js";

/** How long a provider's gateway has to answer `/status` before it is shown offline. */
const STATUS_TIMEOUT_MS = 3_000;

/** Reads the market with a spinner: providers and audits from the chain, then every `/status` at once. */
async function readMarketWithProgress(ctx: CliContext, client: PublicClient): Promise<Market> {
  const spinner = ctx.output.progress("Asking the chain's providers for their capacity…");
  try {
    const market = await readMarket(client, { timeoutMs: STATUS_TIMEOUT_MS });
    const online = [...market.statuses.values()].filter((s) => s !== undefined).length;
    const n = market.providers.length;
    spinner.succeed(`${n} provider${n === 1 ? "" : "s"} on chain, ${online} online`);
    return market;
  } catch (e) {
    spinner.fail();
    throw e;
  }
}

/** `region=local, host=decloud, storage=beta2`: capability attributes folded into what they offer. */
export function compactAttributes(attrs: readonly Attribute[]): string {
  const plain = attrs
    .filter((a) => !a.key.startsWith("capabilities/storage/"))
    .map((a) => `${a.key}=${a.value}`);
  const storage = storageClasses(attrs).map((cls) => `storage=${cls}`);
  return [...plain, ...storage].join(", ") || "—";
}

const region = (attrs: readonly Attribute[]) => attrs.find((a) => a.key === "region")?.value;

function freeJson(free: FreeCapacity | undefined) {
  return free
    ? {
        cpu_millis: free.cpuMillis,
        memory_bytes: free.memoryBytes,
        storage_bytes: free.storageBytes,
        gpus: free.gpus,
        storage_classes: Object.fromEntries(free.storageClasses),
      }
    : null;
}

function needsText(needs: GroupTotals): string {
  return [
    formatCpu(needs.cpuMillis),
    `${formatBytes(needs.memoryBytes)} memory`,
    `${formatBytes(needs.storageBytes)} storage`,
    ...(needs.gpus > 0n ? [`${needs.gpus} GPU`] : []),
  ].join(" · ");
}

// ---- decloud providers ----

export async function providersAction(ctxOf: Ctx, _opts: unknown, command: Command): Promise<void> {
  const ctx = ctxOf(command);
  const client = await ctx.connect();
  const market = await readMarketWithProgress(ctx, client);
  const rows = market.providers.map((p) => {
    const status = market.statuses.get(p.owner);
    return { p, status, free: freeCapacity(status), auditors: auditorsOf(market.audits, p.owner) };
  });
  ctx.output.result(
    rows.map((r) => ({
      address: r.p.owner,
      host_uri: r.p.hostUri,
      attributes: r.p.attributes,
      audited_by: r.auditors,
      online: r.status !== undefined,
      leases: r.status?.cluster?.leases ?? null,
      available: freeJson(r.free),
    })),
    (c) =>
      rows.length === 0
        ? [
            "No provider is registered on this chain. Start one with `decloud provider init && decloud provider register && decloud provider run`, or run `decloud dev` (it has one).",
          ]
        : table(
            ["PROVIDER", "HOST URI", "ATTRIBUTES", "AUDITED BY", "STATUS", "CPU", "MEMORY", "STORAGE"],
            rows.map((r) => [
              shortAddress(r.p.owner),
              r.p.hostUri,
              compactAttributes(r.p.attributes),
              r.auditors.map(shortAddress).join(", ") || c.dim("—"),
              r.status ? c.green("online") : c.yellow("offline"),
              r.free ? formatCpu(Math.floor(r.free.cpuMillis)) : "—",
              r.free ? formatBytes(r.free.memoryBytes) : "—",
              r.free ? formatBytes(r.free.storageBytes) : "—",
            ]),
          ),
  );
}

// ---- decloud deploy FILE --dry-run ----

/** A provider's row for a group: the placement's attributes as it has them, audits, price, capacity, verdict. */
function screeningRow(s: ProviderScreening, group: GroupScreening, c: Colors): string[] {
  const wanted = group.group.requirements?.attributes ?? [];
  const attrs = wanted.map((w) => {
    if (hasAttribute(s.provider.attributes, w)) return `${w.key}=${w.value} ${c.green("✔")}`;
    const own = s.provider.attributes.filter((a) => a.key === w.key).map((a) => a.value);
    return `${w.key}=${own.join("|") || "—"} ${c.red("✗")}`;
  });
  const capacity = !s.online
    ? c.yellow("offline")
    : s.fits === undefined
      ? c.dim("?")
      : `${s.fits ? c.green("✔") : c.red("✗")} ${c.dim(`${s.free ? formatFree(s.free) : ""} free`)}`;
  // The bid it would make, when it publishes its rates; "—" when only its bid would tell.
  const price = s.price ? `${s.priceFits ? c.green("✔") : c.red("✗")} ${formatRate(s.price)}` : c.dim("—");
  return [
    shortAddress(s.provider.owner),
    region(s.provider.attributes) ?? "—",
    ...(wanted.length > 0 ? [attrs.join(", ")] : []),
    s.audited === undefined ? c.dim("—") : s.audited ? c.green("✔") : c.red("✗"),
    price,
    capacity,
    s.unmet ? c.yellow(s.unmet.text) : c.green("would bid"),
  ];
}

/** What the PRICE column means for the providers that can bid: their bids, or only a limit on them. */
function pricesNote(groups: readonly GroupScreening[]): string {
  const matching = groups.flatMap((g) => g.matching);
  const priced = matching.filter((p) => p.price !== undefined).length;
  if (priced === 0) return "Each provider bids its own price up to the max.";
  if (priced === matching.length) return "The prices are the bids the providers would make now.";
  return "The prices are the bids those providers would make now; the others (—) bid their own price up to the max.";
}

function summary(g: GroupScreening): string {
  const n = g.providers.length;
  return `${g.matching.length} of ${n} provider${n === 1 ? "" : "s"} can bid on group ${g.group.name}`;
}

/**
 * The dry run of a deploy, once the SDL is valid: each group's resources and maximum price, every provider
 * screened against it, and a summary. Fails (exit 1) when a group has no provider that can bid.
 */
export async function dryRun(ctx: CliContext, sdl: Sdl, from: string | undefined): Promise<void> {
  const client = await ctx.connect();
  const [market, blockSeconds] = await Promise.all([
    readMarketWithProgress(ctx, client),
    // Six seconds, Akash's block time, when the chain is too young to measure (as the bid table does).
    estimateBlockSeconds(client)
      .catch(() => undefined)
      .then((s) => s ?? 6),
  ]);
  const groups = sdl.groupSpecs.map((spec) => {
    const screening = screenGroup(market, spec);
    const max = maxPrice([spec]);
    return {
      screening,
      max,
      monthly: max.map((p) => formatMonthly(p, blockSeconds)),
      why: screening.matching.length === 0 ? explainScreening(screening) : undefined,
    };
  });
  const blocked = groups.find((g) => g.why !== undefined);
  ctx.output.result(
    {
      dry_run: true,
      file: sdl.file,
      can_deploy: blocked === undefined,
      groups: groups.map(({ screening: s, max, monthly, why }) => ({
        name: s.group.name,
        resources: {
          cpu_millis: s.needs.cpuMillis,
          memory_bytes: s.needs.memoryBytes,
          storage_bytes: s.needs.storageBytes,
          gpus: s.needs.gpus,
        },
        max_price_per_block: max,
        max_price_per_month: monthly,
        providers: s.providers.map((p) => ({
          address: p.provider.owner,
          host_uri: p.provider.hostUri,
          attributes: p.provider.attributes,
          missing_attributes: p.missingAttributes,
          audited: p.audited ?? null,
          audited_by: p.auditedBy,
          missing_storage_classes: p.missingStorageClasses,
          online: p.online,
          available: freeJson(p.free),
          capacity_fits: p.fits ?? null,
          // The bid it would make (from its `/status` rates); null when it publishes none.
          bid_price_per_block: p.price ?? null,
          price_fits: p.priceFits ?? null,
          would_bid: p.unmet === undefined,
          unmet: p.unmet ?? null,
        })),
        matching: s.matching.map((m) => m.provider.owner),
        summary: summary(s),
        ...(why ? { reason: why.reason, hint: why.hint } : {}),
      })),
    },
    (c) => {
      const lines: string[] = [];
      for (const { screening: s, max, monthly } of groups) {
        lines.push(
          `${c.bold(`Group ${s.group.name}`)}  ${needsText(s.needs)} · max ${max.map(formatRate).join(" + ")} ≈ ${monthly.join(" + ")}/month`,
        );
        if (s.providers.length > 0) {
          const wanted = (s.group.requirements?.attributes ?? []).length > 0;
          lines.push(
            ...table(
              [
                "PROVIDER",
                "REGION",
                ...(wanted ? ["PLACEMENT"] : []),
                "AUDITED",
                "PRICE",
                "CAPACITY",
                "VERDICT",
              ],
              s.providers.map((p) => screeningRow(p, s, c)),
              "  ",
            ),
          );
        }
        const line = `  ${summary(s)}.`;
        lines.push(s.matching.length > 0 ? line : c.yellow(line), "");
      }
      lines.push(
        blocked === undefined
          ? `Dry run: nothing was sent. ${pricesNote(groups.map((g) => g.screening))} Deploy: ${withFrom(`decloud deploy ${sdl.file}`, from)}`
          : "Dry run: nothing was sent.",
      );
      return lines;
    },
  );
  if (blocked?.why) {
    throw new DecloudError(
      `No provider can bid on group ${blocked.screening.group.name}. ${blocked.why.reason}`,
      {
        hint: blocked.why.hint,
      },
    );
  }
}
