// Akash's typed events (type = proto name, one JSON attribute per field; reference: akash-chain.md §7.1)
// turned into the provider's ChainEvents. Only the types the provider follows are read (§7.2).
import type { ChainEvent } from "./chain.js";

interface RawEvent {
  readonly type: string;
  readonly attributes: readonly { readonly key: string; readonly value: string }[];
}

type Json = Record<string, unknown>;

function attr(e: RawEvent, key: string): Json | string | undefined {
  const raw = e.attributes.find((a) => a.key === key)?.value;
  if (raw === undefined) return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

const n = (v: unknown) => Number(v ?? 0);
const s = (v: unknown) => String(v ?? "");

function orderId(j: Json) {
  return { owner: s(j.owner), dseq: s(j.dseq), gseq: n(j.gseq), oseq: n(j.oseq) };
}

function price(e: RawEvent) {
  const p = (attr(e, "price") ?? {}) as Json;
  return { denom: s(p.denom), amount: s(p.amount) };
}

export function parseChainEvents(events: readonly RawEvent[]): ChainEvent[] {
  const out: ChainEvent[] = [];
  for (const e of events) {
    const id = attr(e, "id");
    if (typeof id !== "object" || id === null) continue;
    switch (e.type) {
      case "akash.market.v1.EventOrderCreated":
        out.push({ type: "OrderCreated", id: orderId(id) });
        break;
      case "akash.market.v1.EventOrderClosed":
        out.push({ type: "OrderClosed", id: orderId(id) });
        break;
      case "akash.market.v1.EventBidCreated":
        out.push({
          type: "BidCreated",
          id: { ...orderId(id), provider: s(id.provider), bseq: n(id.bseq) },
          price: price(e),
        });
        break;
      case "akash.market.v1.EventBidClosed":
        out.push({ type: "BidClosed", id: { ...orderId(id), provider: s(id.provider), bseq: n(id.bseq) } });
        break;
      case "akash.market.v1.EventLeaseCreated":
        out.push({ type: "LeaseCreated", id: { ...orderId(id), provider: s(id.provider) }, price: price(e) });
        break;
      case "akash.market.v1.EventLeaseClosed":
        out.push({
          type: "LeaseClosed",
          id: { ...orderId(id), provider: s(id.provider) },
          reason: s(attr(e, "reason")),
        });
        break;
      case "akash.deployment.v1.EventDeploymentUpdated": {
        const hash = attr(e, "hash");
        out.push({
          type: "DeploymentUpdated",
          id: { owner: s(id.owner), dseq: s(id.dseq) },
          hash: new Uint8Array(Buffer.from(typeof hash === "string" ? hash : "", "base64")),
        });
        break;
      }
      case "akash.deployment.v1.EventDeploymentClosed":
        out.push({ type: "DeploymentClosed", id: { owner: s(id.owner), dseq: s(id.dseq) } });
        break;
      case "akash.deployment.v1.EventGroupClosed":
        // A group's orders end with it (oseq is not in the group id: every order of the group).
        out.push({ type: "GroupClosed", id: { ...orderId(id), oseq: 0 } });
        break;
    }
  }
  return out;
}
