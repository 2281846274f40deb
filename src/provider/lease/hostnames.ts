// The hostnames of a lease and who may hold them. Each service with an HTTP expose gets one generated name
// under the provider's ingress domain (Akash's UUIDv5/base32hex label; reference: akash-provider.md §5.2),
// plus the tenant's `accept` hosts. Reservations follow Akash's (reference §6.6): a hostname is held by one
// lease at a time; another owner's is refused, the same owner's held by another deployment or group is
// withheld (accepted, not bound) until the owner migrates it (`POST /hostname/migrate`, §4.3); blocked names
// and suffixes are refused.
import { badRequest, forbidden, unprocessable } from "../errors.js";
import { type LeaseId, sameLease, serviceHostLabel } from "../lease-id.js";
import { externalPort, isIngressExpose, type ManifestGroup } from "../manifest/types.js";
import type { HostnameBinding } from "../state/store.js";

/** Every hostname the lease's group asks for: the generated ones, then the `accept` hosts. */
export function leaseHostnames(
  lease: LeaseId,
  group: ManifestGroup,
  ingressDomain: string,
): HostnameBinding[] {
  return hostnamesOf(lease, group, (service) => [`${serviceHostLabel(lease, service)}.${ingressDomain}`]);
}

/**
 * The `accept` hosts of the lease's group alone: the names a tenant may migrate (Akash migrates the hosts a
 * manifest declares, never generated ones; reference §4.3).
 */
export function acceptHostnames(lease: LeaseId, group: ManifestGroup): HostnameBinding[] {
  return hostnamesOf(lease, group, () => []);
}

function hostnamesOf(
  lease: LeaseId,
  group: ManifestGroup,
  generated: (service: string) => string[],
): HostnameBinding[] {
  const out: HostnameBinding[] = [];
  const seen = new Set<string>();
  for (const s of group.services) {
    for (const e of s.expose) {
      if (!isIngressExpose(e)) continue;
      for (const h of [...generated(s.name), ...e.hosts]) {
        const hostname = h.toLowerCase();
        if (seen.has(hostname)) continue;
        seen.add(hostname);
        out.push({ hostname, lease, service: s.name, externalPort: externalPort(e) });
      }
    }
  }
  return out;
}

/** A hostname a lease asks for but does not hold: another lease of the same owner holds it. */
export interface WithheldHostname {
  readonly binding: HostnameBinding;
  /** The owner's lease that holds it. */
  readonly heldBy: LeaseId;
}

export interface HostnamePlan {
  /** What the lease holds once its manifest is accepted. */
  readonly bind: readonly HostnameBinding[];
  readonly withheld: readonly WithheldHostname[];
}

/**
 * Which of `wanted` (one lease's hostnames) the lease gets, given what is `bound` now: throws 422 for a
 * blocked hostname or one another owner holds; withholds those another lease of the same owner holds.
 */
export function planHostnames(
  wanted: readonly HostnameBinding[],
  bound: readonly HostnameBinding[],
  blocked: readonly string[],
): HostnamePlan {
  const bind: HostnameBinding[] = [];
  const withheld: WithheldHostname[] = [];
  for (const w of wanted) {
    checkNotBlocked(w.hostname, blocked);
    const holder = bound.find((b) => b.hostname === w.hostname);
    if (!holder || sameLease(holder.lease, w.lease)) {
      bind.push(w);
      continue;
    }
    if (holder.lease.owner !== w.lease.owner)
      throw unprocessable(`hostname ${w.hostname} is in use by another tenant`);
    withheld.push({ binding: w, heldBy: holder.lease });
  }
  return { bind, withheld };
}

/** Throws 422 when the provider's configuration blocks `hostname` (a name, or a `.suffix` and its apex). */
export function checkNotBlocked(hostname: string, blocked: readonly string[]): void {
  for (const b of blocked) {
    const suffix = b.startsWith(".");
    if (suffix ? hostname.endsWith(b) || hostname === b.slice(1) : hostname === b) {
      throw unprocessable(`hostname ${hostname} is blocked on this provider`);
    }
  }
}

/** One hostname of a migration: where it goes, and the lease that held it (none if no lease did). */
export interface HostnameMove {
  readonly binding: HostnameBinding;
  readonly from: LeaseId | undefined;
}

/**
 * A migration to `destination` (reference §4.3, `POST /hostname/migrate`): each hostname must be one of the
 * destination's `accept` hosts, as Akash requires ("the hostname … is not used by this deployment", 400),
 * not blocked, and not held by another owner. A hostname no lease holds (its holder closed or dropped it)
 * is bound to the destination too; one the destination holds already is left as it is. Throws before
 * anything moves, so that a migration is all or nothing.
 */
export function planMigration(
  hostnames: readonly string[],
  destination: LeaseId,
  destinationGroup: ManifestGroup,
  bound: readonly HostnameBinding[],
  blocked: readonly string[],
): { moves: HostnameMove[]; already: string[] } {
  const accepted = acceptHostnames(destination, destinationGroup);
  const moves: HostnameMove[] = [];
  const already: string[] = [];
  const seen = new Set<string>();
  for (const name of hostnames) {
    const hostname = name.toLowerCase();
    if (seen.has(hostname)) continue;
    seen.add(hostname);
    const binding = accepted.find((a) => a.hostname === hostname);
    if (!binding) {
      const listed = accepted.map((a) => a.hostname).join(", ");
      throw badRequest(
        `hostname ${hostname} is not used by deployment ${destination.dseq} (group ${destination.gseq}): ${listed ? `its manifest accepts ${listed}` : "its manifest accepts no hostname"}; add it to an HTTP expose's accept list and update the deployment first`,
      );
    }
    checkNotBlocked(hostname, blocked);
    const holder = bound.find((b) => b.hostname === hostname);
    if (holder && holder.lease.owner !== destination.owner)
      throw forbidden(`hostname ${hostname} is in use by another tenant`);
    if (holder && sameLease(holder.lease, destination)) {
      already.push(hostname);
      continue;
    }
    moves.push({ binding, from: holder?.lease });
  }
  return { moves, already };
}
