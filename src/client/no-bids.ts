// Why no provider bids (or would bid) on a group, as far as it can be known (landscape.md T2, "no bids" is
// opaque on Akash): the screening of every provider (screening.ts) summed up as the requirement no provider
// met and the SDL field to relax. `decloud deploy` says it after a deployment got no bids, and
// `decloud deploy --dry-run` before one is made.
import type { GroupSpec } from "@akashnetwork/chain-sdk/private-types/akash.v1beta4";
import { formatRate } from "./amount.js";
import type { PublicClient } from "./connect.js";
import { formatDec, parseDec } from "./decimal.js";
import type { Attribute } from "./modules/provider/queries.js";
import { orderMaxPrice } from "./pricing.js";
import { formatBytes, formatCpu } from "./resources.js";
import {
  formatFree,
  type GroupScreening,
  globMatch,
  hasAttribute,
  type ReadMarketParameters,
  readMarket,
  screenGroup,
  storageClasses,
} from "./screening.js";

export interface NoBidsExplanation {
  /** One sentence: what no provider offers. */
  readonly reason: string;
  /** What to change (the SDL field), or what to wait for. */
  readonly hint: string;
  /** Providers that meet every on-chain requirement of the group. */
  readonly matching: readonly string[];
}

const showAttrs = (attrs: readonly Attribute[]) => attrs.map((a) => `${a.key}=${a.value}`).join(", ");

const plural = (n: number, one: string, many: string) => (n === 1 ? one : many);

/** The first requirement no provider meets, from each provider's screening, and what to relax. */
export function explainScreening(screening: GroupScreening): NoBidsExplanation {
  const { group, providers } = screening;
  const placement = `profiles.placement.${group.name}`;
  if (providers.length === 0) {
    return {
      reason: "No provider is registered on this chain.",
      hint: "Start one with `decloud provider init && decloud provider register && decloud provider run`, or run `decloud dev` (it has one).",
      matching: [],
    };
  }
  const wanted = group.requirements?.attributes ?? [];
  const withAttributes = providers.filter((p) => p.missingAttributes.length === 0);
  if (withAttributes.length === 0) {
    const infos = providers.map((p) => p.provider);
    const missing = wanted.find((w) => !infos.some((p) => hasAttribute(p.attributes, w)));
    const offered = [
      ...new Set(
        infos.flatMap((p) =>
          p.attributes
            .filter((a) => !missing || globMatch(missing.key, a.key))
            .map((a) => `${a.key}=${a.value}`),
        ),
      ),
    ];
    const count = `${providers.length} ${plural(providers.length, "provider", "providers")}`;
    return missing
      ? {
          reason: `No provider offers ${missing.key}=${missing.value} (${count}${offered.length > 0 ? `: ${offered.join(", ")}` : ""}).`,
          hint: `Relax ${placement}.attributes.${missing.key}, or wait for a provider with ${missing.key}=${missing.value}.`,
          matching: [],
        }
      : {
          reason: `No provider offers all of ${showAttrs(wanted)} together (${count}).`,
          hint: `Relax ${placement}.attributes.`,
          matching: [],
        };
  }
  const trusted = withAttributes.filter((p) => p.audited !== false);
  if (trusted.length === 0) {
    const allOf = group.requirements?.signedBy?.allOf ?? [];
    const auditors = [...allOf, ...(group.requirements?.signedBy?.anyOf ?? [])];
    return {
      reason: `${withAttributes.length} ${plural(withAttributes.length, "provider offers", "providers offer")} ${showAttrs(wanted) || "what the placement asks"}, but none is audited for it by ${auditors.join(allOf.length > 0 ? " and " : " or ")}.`,
      hint: `Relax ${placement}.signedBy, or ask an auditor to sign a provider's attributes.`,
      matching: [],
    };
  }
  const stored = trusted.filter((p) => p.missingStorageClasses.length === 0);
  if (stored.length === 0) {
    const asked = [...new Set(trusted.flatMap((p) => p.missingStorageClasses))];
    const offered = [...new Set(trusted.flatMap((p) => storageClasses(p.provider.attributes)))];
    return {
      reason: `${trusted.length} ${plural(trusted.length, "provider matches", "providers match")} the placement, but none offers persistent storage class ${asked.join(", ")} (${offered.length > 0 ? `offered: ${offered.join(", ")}` : "none offers persistent storage"}).`,
      hint: `Use a class one of them offers in the storage \`class\` of profiles.compute, or make the volume non-persistent.`,
      matching: [],
    };
  }
  const online = stored.filter((p) => p.online);
  if (online.length === 0) {
    return {
      reason: `${stored.length} ${plural(stored.length, "provider matches", "providers match")} the placement (${stored.map((t) => t.provider.owner).join(", ")}), but none answers at its host_uri (${stored.map((t) => t.provider.hostUri).join(", ")}).`,
      hint: "Wait until it is back (on a devnet: is `decloud dev` running with its provider?), then deploy again.",
      matching: stored.map((t) => t.provider.owner),
    };
  }
  const affordable = online.filter((p) => p.priceFits !== false);
  // A refusal that is not a price above the maximum (a price of zero, a storage class without a rate) is the
  // provider's configuration: raising the SDL's price would not help.
  const misPriced = online.filter(
    (p) => p.priceFits === false && (p.price === undefined || parseDec(p.price.amount) <= 0n),
  );
  if (affordable.length === 0 && misPriced.length === online.length) {
    return {
      reason: `${online.length} ${plural(online.length, "provider matches", "providers match")} the placement, but ${plural(online.length, "its", "their")} pricing cannot price this group (${misPriced.map((p) => `${p.provider.owner}: ${p.unmet?.text ?? "?"}`).join("; ")}).`,
      hint: "That is the provider's configuration (bidding.pricing), not the SDL: tell its operator, or wait for another provider.",
      matching: online.map((o) => o.provider.owner),
    };
  }
  if (affordable.length === 0) {
    const max = orderMaxPrice(group);
    const asks = online.map(
      (p) => `${p.provider.owner}: ${p.price ? formatRate(p.price) : (p.unmet?.text ?? "?")}`,
    );
    const cheapest = online
      .flatMap((p) => (p.price ? [p.price] : []))
      .sort((a, b) => (parseDec(a.amount) < parseDec(b.amount) ? -1 : 1))[0];
    return {
      reason: `${online.length} ${plural(online.length, "provider matches", "providers match")} the placement, but ${plural(online.length, "its", "their")} price is above the SDL's maximum ${formatRate({ denom: max.denom, amount: formatDec(max.amount) })} (${asks.join("; ")}).`,
      hint: `Raise ${placement}.pricing${cheapest ? ` so the group offers at least ${formatRate(cheapest)}` : ""}, then deploy again.`,
      matching: online.map((o) => o.provider.owner),
    };
  }
  const roomy = affordable.filter((p) => p.fits !== false);
  if (roomy.length === 0) {
    const { needs } = screening;
    const free = online.map((p) => `${p.provider.owner}: ${p.free ? formatFree(p.free) : "?"} free`);
    return {
      reason: `No matching provider has room: the group needs ${formatCpu(needs.cpuMillis)} and ${formatBytes(needs.memoryBytes)} (${free.join("; ")}).`,
      hint: `Ask for less in profiles.compute (or fewer replicas in deployment), or wait for leases to end.`,
      matching: affordable.map((o) => o.provider.owner),
    };
  }
  const unpriced = roomy.filter((p) => p.price === undefined);
  if (unpriced.length === 0) {
    return {
      reason: `${roomy.length} ${plural(roomy.length, "provider matches", "providers match")}, ${plural(roomy.length, "has", "have")} room and ${plural(roomy.length, "asks", "ask")} no more than the SDL offers (${roomy.map((r) => `${r.provider.owner}: ${formatRate(r.price!)}`).join("; ")}), but no bid came: the reason is not one a tenant can see (the provider's log has it).`,
      hint: "Deploy again; if no bid comes, ask the provider's operator.",
      matching: roomy.map((r) => r.provider.owner),
    };
  }
  return {
    reason: `${unpriced.length} ${plural(unpriced.length, "provider matches", "providers match")} and ${plural(unpriced.length, "has", "have")} room, but did not bid: ${plural(unpriced.length, "its", "their")} price is likely above what the SDL offers.`,
    hint: `Raise ${placement}.pricing, then deploy again.`,
    matching: unpriced.map((r) => r.provider.owner),
  };
}

export interface ExplainNoBidsParameters extends ReadMarketParameters {
  readonly group: GroupSpec;
}

/** After a deployment got no bids: why, from the chain and the providers as they are now. */
export async function explainNoBids(
  client: PublicClient,
  params: ExplainNoBidsParameters,
): Promise<NoBidsExplanation> {
  return explainScreening(screenGroup(await readMarket(client, params), params.group));
}
