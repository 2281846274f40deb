// Why no provider bid on an order, as far as it can be known (landscape.md T2, "no bids" is opaque on
// Akash): placement attributes and auditors are checked against what providers and auditors put on chain,
// capacity against each matching provider's public `/status`. The answer names the requirement no provider
// met and the SDL field to relax.
import type { GroupSpec } from "@akashnetwork/chain-sdk/private-types/akash.v1beta4";
import type { PublicClient } from "./connect.js";
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
import { formatBytes, formatCpu, groupTotals } from "./resources.js";

export interface NoBidsExplanation {
  /** One sentence: what no provider offers. */
  readonly reason: string;
  /** What to change (the SDL field), or what to wait for. */
  readonly hint: string;
  /** Providers that meet every on-chain requirement of the group. */
  readonly matching: readonly string[];
}

function globMatch(pattern: string, key: string): boolean {
  if (!pattern.includes("*")) return pattern === key;
  const escaped = pattern.split("*").map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&"));
  return new RegExp(`^${escaped.join(".*")}$`).test(key);
}

/** The provider's (or an auditor's) attributes cover a wanted one (keys may be globs, as on Akash). */
const has = (attrs: readonly Attribute[], want: Attribute) =>
  attrs.some((a) => globMatch(want.key, a.key) && a.value === want.value);

const showAttrs = (attrs: readonly Attribute[]) => attrs.map((a) => `${a.key}=${a.value}`).join(", ");

function audited(
  audits: readonly AuditRecord[],
  provider: string,
  auditor: string,
  wanted: readonly Attribute[],
) {
  const signed = audits
    .filter((a) => a.owner === provider && a.auditor === auditor)
    .flatMap((a) => a.attributes);
  return wanted.every((w) => has(signed, w));
}

export interface ExplainNoBidsParameters {
  readonly group: GroupSpec;
  /** Reads a provider's `/status`; the default asks its gateway. Undefined means it does not answer. */
  readonly status?: (provider: ProviderInfo) => Promise<ProviderStatus | undefined>;
}

export async function explainNoBids(
  client: PublicClient,
  params: ExplainNoBidsParameters,
): Promise<NoBidsExplanation> {
  const { group } = params;
  const placement = `profiles.placement.${group.name}`;
  const [providers, audits] = await Promise.all([listProviders(client), listAudits(client)]);
  if (providers.length === 0) {
    return {
      reason: "No provider is registered on this chain.",
      hint: "Start one with `decloud provider init && decloud provider register && decloud provider run`, or run `decloud dev` (it has one).",
      matching: [],
    };
  }
  const wanted = group.requirements?.attributes ?? [];
  const withAttributes = providers.filter((p) => wanted.every((w) => has(p.attributes, w)));
  if (withAttributes.length === 0) {
    const missing = wanted.find((w) => !providers.some((p) => has(p.attributes, w)));
    const offered = [
      ...new Set(
        providers.flatMap((p) =>
          p.attributes
            .filter((a) => !missing || globMatch(missing.key, a.key))
            .map((a) => `${a.key}=${a.value}`),
        ),
      ),
    ];
    const count = `${providers.length} provider${providers.length === 1 ? "" : "s"}`;
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
  const signedBy = group.requirements?.signedBy;
  const allOf = signedBy?.allOf ?? [];
  const anyOf = signedBy?.anyOf ?? [];
  const trusted = withAttributes.filter(
    (p) =>
      allOf.every((a) => audited(audits, p.owner, a, wanted)) &&
      (anyOf.length === 0 || anyOf.some((a) => audited(audits, p.owner, a, wanted))),
  );
  if (trusted.length === 0) {
    const auditors = [...allOf, ...anyOf];
    return {
      reason: `${withAttributes.length} provider${withAttributes.length === 1 ? " offers" : "s offer"} ${showAttrs(wanted) || "what the placement asks"}, but none is audited for it by ${auditors.join(allOf.length > 0 ? " and " : " or ")}.`,
      hint: `Relax ${placement}.signedBy, or ask an auditor to sign a provider's attributes.`,
      matching: [],
    };
  }
  const needs = groupTotals(group);
  const ask =
    params.status ??
    (async (p: ProviderInfo) => {
      try {
        return await getProviderStatus(await resolveGateway(client, p.owner), 3_000);
      } catch {
        return undefined;
      }
    });
  const statuses = await Promise.all(trusted.map(async (p) => ({ p, status: await ask(p) })));
  const online = statuses.filter((s) => s.status !== undefined);
  if (online.length === 0) {
    return {
      reason: `${trusted.length} provider${trusted.length === 1 ? " matches" : "s match"} the placement (${trusted.map((t) => t.owner).join(", ")}), but none answers at its host_uri (${trusted.map((t) => t.hostUri).join(", ")}).`,
      hint: "Wait until it is back (on a devnet: is `decloud dev` running with its provider?), then deploy again.",
      matching: trusted.map((t) => t.owner),
    };
  }
  const roomy = online.filter(({ status }) => {
    const nodes = status?.cluster?.inventory?.available?.nodes ?? [];
    const free = nodes.reduce(
      (acc, n) => ({ cpu: acc.cpu + n.available.cpu, memory: acc.memory + n.available.memory }),
      { cpu: 0, memory: 0 },
    );
    return (
      nodes.length === 0 || (free.cpu >= Number(needs.cpuMillis) && free.memory >= Number(needs.memoryBytes))
    );
  });
  if (roomy.length === 0) {
    const free = online.map(({ p, status }) => {
      const n = status?.cluster?.inventory?.available?.nodes?.[0]?.available;
      return `${p.owner}: ${formatCpu(n?.cpu ?? 0)}, ${formatBytes(n?.memory ?? 0)} free`;
    });
    return {
      reason: `No matching provider has room: the group needs ${formatCpu(needs.cpuMillis)} and ${formatBytes(needs.memoryBytes)} (${free.join("; ")}).`,
      hint: `Ask for less in profiles.compute (or fewer replicas in deployment), or wait for leases to end.`,
      matching: online.map((o) => o.p.owner),
    };
  }
  return {
    reason: `${roomy.length} provider${roomy.length === 1 ? " matches" : "s match"} and ${roomy.length === 1 ? "has" : "have"} room, but did not bid: ${roomy.length === 1 ? "its" : "their"} price is likely above what the SDL offers.`,
    hint: `Raise ${placement}.pricing, then deploy again.`,
    matching: roomy.map((r) => r.p.owner),
  };
}
