// What a provider bids on a group under the `scale` strategy (reference: akash-provider.md §3.3): per-resource
// rates in the order's denom per block. The one implementation: DeCloud's bid engine prices its bids with it
// (src/provider/bidengine/pricing.ts), and `decloud deploy --dry-run` predicts a provider's bid with it from
// the rates the provider publishes in its `/status` (`bid_pricing`, gateway/types.ts).
import type { GroupSpec } from "@akashnetwork/chain-sdk/private-types/akash.v1beta4";
import { formatDec, parseDec } from "./decimal.js";
import type { BidPricing, ProviderStatus } from "./gateway/types.js";
import { serviceResources } from "./resources.js";

/** Per-resource rates per block, in the order's denom: numbers (a provider's config) or decimal strings. */
export interface ScaleRates {
  /** Per millicpu. */
  readonly cpu: number | string;
  /** Per MiB of memory. */
  readonly memory: number | string;
  /** Per MiB of storage, by class (`ephemeral` for non-persistent volumes). */
  readonly storage: Readonly<Record<string, number | string>>;
  /** Per global endpoint. */
  readonly endpoint: number | string;
}

const MIB = 1024n * 1024n;

/** The most the order pays per block: Σ unit price × count, and its denom (reference: akash-provider.md §1.9). */
export function orderMaxPrice(spec: GroupSpec): { denom: string; amount: bigint } {
  const denom = spec.resources[0]?.price?.denom ?? "uakt";
  let amount = 0n;
  for (const u of spec.resources) amount += parseDec(u.price?.amount ?? "0") * BigInt(u.count);
  return { denom, amount };
}

/** The group's price at these rates (18-decimal fixed point); throws when a storage class has no rate. */
export function scalePrice(spec: GroupSpec, scale: ScaleRates): bigint {
  let total = 0n;
  for (const unit of spec.resources) {
    const r = serviceResources(unit.resource);
    let one = r.cpuMillis * parseDec(scale.cpu) + (r.memoryBytes / MIB) * parseDec(scale.memory);
    for (const s of r.storage) {
      const cls = s.persistent ? s.class : "ephemeral";
      const rate = scale.storage[cls];
      if (rate === undefined) throw new Error(`no price for storage class "${cls}"`);
      one += (s.bytes / MIB) * parseDec(rate);
    }
    total +=
      one * BigInt(unit.count) + BigInt(unit.resource?.endpoints.length ?? 0) * parseDec(scale.endpoint);
  }
  return total;
}

export type BidPriceCheck =
  | { readonly price: { readonly denom: string; readonly amount: string } }
  | { readonly refused: string };

/**
 * A price against the order, as the bid engine decides (reference §3.3): none of zero, none above the order's
 * maximum; a bid is in the order's denom.
 */
export function checkBidPrice(spec: GroupSpec, amount: bigint): BidPriceCheck {
  const max = orderMaxPrice(spec);
  if (amount <= 0n) return { refused: "the price comes to zero" };
  if (amount > max.amount) {
    return {
      refused: `price ${formatDec(amount)}${max.denom} is above the order's maximum ${formatDec(max.amount)}${max.denom}`,
    };
  }
  return { price: { denom: max.denom, amount: formatDec(amount) } };
}

/** The rates as `/status` publishes them: exact decimal strings. */
export function publishScaleRates(scale: ScaleRates): BidPricing {
  const dec = (v: number | string) => formatDec(parseDec(v));
  return {
    strategy: "scale",
    cpu: dec(scale.cpu),
    memory: dec(scale.memory),
    storage: Object.fromEntries(Object.entries(scale.storage).map(([cls, v]) => [cls, dec(v)])),
    endpoint: dec(scale.endpoint),
  };
}

const isDec = (v: unknown): v is string => typeof v === "string" && /^\d+(\.\d+)?$/.test(v);

/**
 * The scale rates a provider publishes in its `/status`; undefined when it publishes none (Akash's providers,
 * a `script` strategy) or something this client cannot read (then its price is unknown, not wrong).
 */
export function publishedRates(status: ProviderStatus | undefined): ScaleRates | undefined {
  const p = status?.bid_pricing as Partial<BidPricing> | undefined;
  if (p?.strategy !== "scale" || !isDec(p.cpu) || !isDec(p.memory) || !isDec(p.endpoint)) return undefined;
  if (typeof p.storage !== "object" || p.storage === null) return undefined;
  if (!Object.values(p.storage).every(isDec)) return undefined;
  return { cpu: p.cpu, memory: p.memory, storage: p.storage, endpoint: p.endpoint };
}
