// Whether this provider should bid on an order (reference: akash-provider.md §3.2 "shouldBid"): the
// order's placement attributes are among the provider's (keys may be globs), its `signed_by` auditors have
// signed attributes covering the placement, its storage classes are ones the provider offers, it asks for
// nothing the cluster cannot run (GPUs on the Docker backend), and it is not the provider's own order.
import type { GroupSpec } from "@akashnetwork/chain-sdk/private-types/akash.v1beta4";
import { serviceResources } from "../../client/resources.js";
import type { AuditedAttributes } from "../chain/chain.js";

export interface Attribute {
  readonly key: string;
  readonly value: string;
}

export interface MatchContext {
  readonly provider: string;
  readonly attributes: readonly Attribute[];
  /** Attributes auditors signed for this provider. */
  readonly audited: readonly AuditedAttributes[];
  /** The cluster can run GPU workloads. */
  readonly gpus: boolean;
  /** Most storage volumes one resource unit may have. */
  readonly maxVolumesPerUnit?: number;
}

/** `*` matches any run of characters (Akash allows glob keys in placement requirements). */
function globMatch(pattern: string, key: string): boolean {
  if (!pattern.includes("*")) return pattern === key;
  const re = new RegExp(`^${pattern.split("*").map(escapeRegExp).join(".*")}$`);
  return re.test(key);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.+?^${}()|[\]\\]/g, "\\$&");
}

function covers(have: readonly Attribute[], want: readonly Attribute[]): boolean {
  return want.every((w) => have.some((h) => globMatch(w.key, h.key) && h.value === w.value));
}

/** Undefined when the provider should bid; otherwise why not (logged, and shown by `provider status`). */
export function whyNotBid(owner: string, spec: GroupSpec, ctx: MatchContext): string | undefined {
  if (owner === ctx.provider) return "the order is the provider's own";
  const wanted = spec.requirements?.attributes ?? [];
  if (!covers(ctx.attributes, wanted)) return "placement attributes do not match the provider's";
  const signedBy = spec.requirements?.signedBy;
  const signedFor = (auditor: string) =>
    covers(
      ctx.audited.filter((a) => a.auditor === auditor).flatMap((a) => a.attributes),
      wanted,
    );
  if (signedBy?.allOf.length && !signedBy.allOf.every(signedFor))
    return "not signed by every required auditor";
  if (signedBy?.anyOf.length && !signedBy.anyOf.some(signedFor))
    return "not signed by any of the accepted auditors";
  for (const unit of spec.resources) {
    const r = serviceResources(unit.resource);
    if (r.gpuUnits > 0n && !ctx.gpus) return "the order asks for GPUs and this cluster has none";
    // Leased IPs need an IP operator (Akash's MetalLB); the Docker backend has none to lease.
    if (unit.resource?.endpoints.some((e) => (e.kind as number) === 2)) return "leased IPs are not offered";
    if (ctx.maxVolumesPerUnit !== undefined && r.storage.length > ctx.maxVolumesPerUnit) {
      return `a resource unit has ${r.storage.length} volumes (at most ${ctx.maxVolumesPerUnit})`;
    }
    for (const s of r.storage) {
      if (!s.persistent) continue;
      // "default" (a persistent volume without a class; Akash's Go parser names it so) takes any class offered.
      const offered = ctx.attributes.some(
        (a) =>
          /^capabilities\/storage\/[^/]+\/class$/.test(a.key) &&
          (a.value === s.class || s.class === "default") &&
          ctx.attributes.some((p) => p.key === a.key.replace(/class$/, "persistent") && p.value === "true"),
      );
      if (!offered) return `persistent storage class "${s.class}" is not offered`;
    }
  }
  return undefined;
}
