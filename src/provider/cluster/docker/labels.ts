// Labels on everything the provider creates in Docker. Several devnets, test runs and providers may share
// one Docker Engine: the provider only ever lists, changes or removes objects that carry its chain id and
// its address (DESIGN.md, "provider").
import { type LeaseId, leaseIdString, parseLeaseIdString } from "../../lease-id.js";

export const LABEL = {
  chainId: "network.decloud.chain-id",
  provider: "network.decloud.provider",
  lease: "network.decloud.lease",
  owner: "network.decloud.owner",
  dseq: "network.decloud.dseq",
  service: "network.decloud.service",
  replica: "network.decloud.replica",
  /** Hash of the service's spec: a replica whose spec hash differs from the manifest's is replaced. */
  spec: "network.decloud.spec",
  /** Volumes: whether the volume outlives its container (persistent storage). */
  persistent: "network.decloud.persistent",
} as const;

export interface Owner {
  readonly chainId: string;
  readonly provider: string;
}

export function leaseLabels(owner: Owner, lease: LeaseId): Record<string, string> {
  return {
    [LABEL.chainId]: owner.chainId,
    [LABEL.provider]: owner.provider,
    [LABEL.lease]: leaseIdString(lease),
    [LABEL.owner]: lease.owner,
    [LABEL.dseq]: lease.dseq,
  };
}

/** Docker list filters for everything of this provider, or of one of its leases. */
export function ownerFilters(owner: Owner, lease?: LeaseId, service?: string): { label: string[] } {
  const label = [`${LABEL.chainId}=${owner.chainId}`, `${LABEL.provider}=${owner.provider}`];
  if (lease) label.push(`${LABEL.lease}=${leaseIdString(lease)}`);
  if (service) label.push(`${LABEL.service}=${service}`);
  return { label };
}

/** The lease an object belongs to, if its labels say this provider owns it. */
export function ownedLease(owner: Owner, labels: Record<string, string> | undefined): LeaseId | undefined {
  if (!labels || labels[LABEL.chainId] !== owner.chainId || labels[LABEL.provider] !== owner.provider) {
    return undefined;
  }
  const text = labels[LABEL.lease];
  if (!text) return undefined;
  try {
    return parseLeaseIdString(text);
  } catch {
    return undefined;
  }
}
