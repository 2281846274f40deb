// Which providers can bid on a group, as far as a tenant can know before deploying (landscape.md T2, Akash
// AEP-67 "bid screening"): the placement's attributes and its `signedBy` auditors against what providers and
// auditors put on chain, persistent storage classes against the providers' capability attributes, and the
// group's size against the free capacity each provider's public `/status` reports, and the bid's price against
// the group's maximum when the provider publishes its rates there (DeCloud's `bid_pricing`). The same rules as
// the provider's bid engine (src/provider/bidengine/match.ts, reference: akash-provider.md §3.2 "shouldBid"),
// and the same price (client/pricing.ts prices the engine's bids too).
// `screenGroup` is pure: `readMarket` gathers what it reads, so one read serves every group.
import type { GroupSpec } from "@akashnetwork/chain-sdk/private-types/akash.v1beta4";
import type { PublicClient } from "./connect.js";
import { formatDec } from "./decimal.js";
import { getProviderStatus } from "./gateway/lease.js";
import { resolveGateway } from "./gateway/provider.js";
import type { ProviderStatus } from "./gateway/types.js";
import {
  type Attribute,
  type AuditRecord,
  listAudits,
  listProviders,
  type ProviderInfo,
} from "./modules/provider/queries.js";
import { checkBidPrice, orderMaxPrice, publishedRates, scalePrice } from "./pricing.js";
import { formatBytes, formatCpu, type GroupTotals, groupTotals, persistentStorage } from "./resources.js";

/** What screening reads: the chain's providers, its audit records, and each provider's `/status`. */
export interface Market {
  readonly providers: readonly ProviderInfo[];
  readonly audits: readonly AuditRecord[];
  /** Each provider's `/status` by address; undefined when it did not answer. */
  readonly statuses: ReadonlyMap<string, ProviderStatus | undefined>;
}

export interface ReadMarketParameters {
  /** Reads a provider's `/status`; the default asks its gateway. Undefined means it does not answer. */
  readonly status?: (provider: ProviderInfo) => Promise<ProviderStatus | undefined>;
  /** How long a provider's gateway has to answer (default 3 s). */
  readonly timeoutMs?: number;
}

/** The providers and audits on chain, and every provider's `/status`, asked in parallel. */
export async function readMarket(client: PublicClient, params: ReadMarketParameters = {}): Promise<Market> {
  const [providers, audits] = await Promise.all([listProviders(client), listAudits(client)]);
  const ask =
    params.status ??
    (async (p: ProviderInfo) => {
      try {
        return await getProviderStatus(await resolveGateway(client, p.owner), params.timeoutMs ?? 3_000);
      } catch {
        return undefined;
      }
    });
  const statuses = new Map(await Promise.all(providers.map(async (p) => [p.owner, await ask(p)] as const)));
  return { providers, audits, statuses };
}

/** `*` in a wanted key matches any run of characters (Akash allows glob keys in placement requirements). */
export function globMatch(pattern: string, key: string): boolean {
  if (!pattern.includes("*")) return pattern === key;
  const escaped = pattern.split("*").map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&"));
  return new RegExp(`^${escaped.join(".*")}$`).test(key);
}

/** The attributes (a provider's, or what an auditor signed) cover a wanted one. */
export const hasAttribute = (attrs: readonly Attribute[], want: Attribute) =>
  attrs.some((a) => globMatch(want.key, a.key) && a.value === want.value);

/** The auditors who signed anything about `provider`. */
export function auditorsOf(audits: readonly AuditRecord[], provider: string): string[] {
  return [...new Set(audits.filter((a) => a.owner === provider).map((a) => a.auditor))];
}

function signedFor(
  audits: readonly AuditRecord[],
  provider: string,
  auditor: string,
  wanted: readonly Attribute[],
) {
  const signed = audits
    .filter((a) => a.owner === provider && a.auditor === auditor)
    .flatMap((a) => a.attributes);
  return wanted.every((w) => hasAttribute(signed, w));
}

/** The persistent storage classes a provider offers (`capabilities/storage/N/class` with `…/persistent: true`). */
export function storageClasses(attrs: readonly Attribute[]): string[] {
  return attrs
    .filter(
      (a) =>
        /^capabilities\/storage\/[^/]+\/class$/.test(a.key) &&
        attrs.some((p) => p.key === a.key.replace(/class$/, "persistent") && p.value === "true"),
    )
    .map((a) => a.value);
}

/** Free capacity from a provider's `/status` (milli-CPU, bytes), over all its nodes. */
export interface FreeCapacity {
  readonly cpuMillis: number;
  readonly memoryBytes: number;
  readonly storageBytes: number;
  readonly gpus: number;
  /** Persistent storage per class, when the provider reports it apart from the nodes' storage. */
  readonly storageClasses: ReadonlyMap<string, number>;
}

/** What `/status` says is free; undefined when it reports no nodes (the capacity cannot be known). */
export function freeCapacity(status: ProviderStatus | undefined): FreeCapacity | undefined {
  const available = status?.cluster?.inventory?.available;
  const nodes = available?.nodes ?? [];
  if (nodes.length === 0) return undefined;
  const sum = (pick: (n: (typeof nodes)[number]["available"]) => number) =>
    nodes.reduce((total, n) => total + (Number(pick(n.available)) || 0), 0);
  return {
    cpuMillis: sum((a) => a.cpu),
    memoryBytes: sum((a) => a.memory),
    storageBytes: sum((a) => a.storage_ephemeral),
    gpus: sum((a) => a.gpu),
    storageClasses: new Map((available?.storage ?? []).map((s) => [s.class, s.size])),
  };
}

/** `1.9 CPU, 22 GiB` (CPU and memory: what people compare first). */
export function formatFree(free: FreeCapacity): string {
  return `${formatCpu(Math.floor(free.cpuMillis))}, ${formatBytes(free.memoryBytes)}`;
}

/** Why a provider would not bid, in the order the bid engine checks. */
export type Requirement = "attributes" | "auditors" | "storage-class" | "online" | "price" | "capacity";

export interface Unmet {
  readonly requirement: Requirement;
  /** Short, for a table cell: `no region=eu-west`, `offline`, `price 10.768uakt is above …`, `too small: …`. */
  readonly text: string;
}

export interface ProviderScreening {
  readonly provider: ProviderInfo;
  /** The placement's attributes the provider lacks. */
  readonly missingAttributes: readonly Attribute[];
  /** The group asks for auditors (`signedBy`); undefined when it does not. */
  readonly audited: boolean | undefined;
  /** Which of the group's `signedBy` auditors signed the placement's attributes for this provider. */
  readonly auditedBy: readonly string[];
  /** Persistent storage classes the group asks for that the provider does not offer. */
  readonly missingStorageClasses: readonly string[];
  readonly online: boolean;
  /** Free capacity, when its `/status` reports it. */
  readonly free: FreeCapacity | undefined;
  /**
   * The bid the provider would make for the group (per block, in the group's denom), computed from the rates
   * its `/status` publishes; undefined when it publishes none (Akash's providers, a pricing script) or they
   * do not price the group (a storage class without a rate).
   */
  readonly price: { readonly denom: string; readonly amount: string } | undefined;
  /** The price is within the group's maximum; undefined when the price cannot be known. */
  readonly priceFits: boolean | undefined;
  /** The group fits in the free capacity; undefined when that cannot be known (offline, no nodes reported). */
  readonly fits: boolean | undefined;
  /** The first requirement it does not meet; undefined when it would bid. */
  readonly unmet: Unmet | undefined;
}

export interface GroupScreening {
  readonly group: GroupSpec;
  readonly needs: GroupTotals;
  readonly providers: readonly ProviderScreening[];
  /** Providers that meet every requirement that can be known. */
  readonly matching: readonly ProviderScreening[];
}

function fitsIn(needs: GroupTotals, persistent: ReadonlyMap<string, bigint>, free: FreeCapacity): boolean {
  if (free.cpuMillis < Number(needs.cpuMillis) || free.memoryBytes < Number(needs.memoryBytes)) return false;
  if (free.gpus < Number(needs.gpus)) return false;
  // Akash reports persistent storage per class apart from the nodes' ephemeral storage; a DeCloud provider
  // reports one pool on its node (storage_ephemeral) for both.
  if (free.storageClasses.size === 0) return free.storageBytes >= Number(needs.storageBytes);
  let persistentBytes = 0n;
  for (const [cls, bytes] of persistent) {
    persistentBytes += bytes;
    const offered =
      cls === "default" ? Math.max(0, ...free.storageClasses.values()) : free.storageClasses.get(cls);
    if ((offered ?? 0) < Number(bytes)) return false;
  }
  return free.storageBytes >= Number(needs.storageBytes - persistentBytes);
}

/**
 * The bid a provider publishing its rates would make, and why it would not (the engine's own check); undefined
 * when its price cannot be known.
 */
function bidPrice(
  group: GroupSpec,
  status: ProviderStatus | undefined,
): { price?: { denom: string; amount: string }; refused?: string } | undefined {
  const rates = publishedRates(status);
  if (!rates) return undefined;
  let amount: bigint;
  try {
    amount = scalePrice(group, rates);
  } catch (e) {
    return { refused: (e as Error).message }; // a storage class it has no rate for: the engine cannot price it
  }
  const checked = checkBidPrice(group, amount);
  const price = { denom: orderMaxPrice(group).denom, amount: formatDec(amount) };
  return "refused" in checked ? { price, refused: checked.refused } : { price };
}

/** Each provider against the group: what it meets, and the first requirement it does not. */
export function screenGroup(market: Market, group: GroupSpec): GroupScreening {
  const wanted = group.requirements?.attributes ?? [];
  const allOf = group.requirements?.signedBy?.allOf ?? [];
  const anyOf = group.requirements?.signedBy?.anyOf ?? [];
  const asksAudit = allOf.length > 0 || anyOf.length > 0;
  const needs = groupTotals(group);
  const persistent = persistentStorage(group);
  const providers = market.providers.map((provider): ProviderScreening => {
    const missingAttributes = wanted.filter((w) => !hasAttribute(provider.attributes, w));
    const auditedBy = [...allOf, ...anyOf].filter((a) => signedFor(market.audits, provider.owner, a, wanted));
    const audited = asksAudit
      ? allOf.every((a) => auditedBy.includes(a)) &&
        (anyOf.length === 0 || anyOf.some((a) => auditedBy.includes(a)))
      : undefined;
    const offered = storageClasses(provider.attributes);
    const missingStorageClasses = [...persistent.keys()].filter(
      (cls) => !(cls === "default" ? offered.length > 0 : offered.includes(cls)),
    );
    const status = market.statuses.get(provider.owner);
    const online = status !== undefined;
    const free = freeCapacity(status);
    const fits = free === undefined ? undefined : fitsIn(needs, persistent, free);
    const priced = bidPrice(group, status);
    const unmet: Unmet | undefined =
      missingAttributes.length > 0
        ? {
            requirement: "attributes",
            text: `no ${missingAttributes.map((a) => `${a.key}=${a.value}`).join(", ")}`,
          }
        : audited === false
          ? { requirement: "auditors", text: "not audited as signedBy asks" }
          : missingStorageClasses.length > 0
            ? { requirement: "storage-class", text: `no storage class ${missingStorageClasses.join(", ")}` }
            : !online
              ? { requirement: "online", text: "offline" }
              : priced?.refused !== undefined
                ? { requirement: "price", text: priced.refused }
                : fits === false
                  ? {
                      requirement: "capacity",
                      text: `too small: needs ${formatCpu(needs.cpuMillis)}, ${formatBytes(needs.memoryBytes)}`,
                    }
                  : undefined;
    return {
      provider,
      missingAttributes,
      audited,
      auditedBy,
      missingStorageClasses,
      online,
      free,
      fits,
      price: priced?.price,
      priceFits: priced === undefined ? undefined : priced.refused === undefined,
      unmet,
    };
  });
  return { group, needs, providers, matching: providers.filter((p) => p.unmet === undefined) };
}
