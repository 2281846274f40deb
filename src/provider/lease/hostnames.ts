// The hostnames of a lease: one generated per service with an HTTP expose, under the provider's ingress
// domain (Akash's UUIDv5/base32hex label; reference: akash-provider.md §5.2), plus the tenant's `accept`
// hosts. A hostname bound to another deployment is refused (reference §6.6: Akash withholds it from the
// same owner until migrated; DeCloud refuses it with a message saying so, until migration exists).
import { unprocessable } from "../errors.js";
import { type LeaseId, leaseIdString, serviceHostLabel } from "../lease-id.js";
import { externalPort, isIngressExpose, type ManifestGroup } from "../manifest/types.js";
import type { HostnameBinding } from "../state/store.js";

export function leaseHostnames(
  lease: LeaseId,
  group: ManifestGroup,
  ingressDomain: string,
): HostnameBinding[] {
  const out: HostnameBinding[] = [];
  const seen = new Set<string>();
  for (const s of group.services) {
    for (const e of s.expose) {
      if (!isIngressExpose(e)) continue;
      const hosts = [`${serviceHostLabel(lease, s.name)}.${ingressDomain}`, ...e.hosts];
      for (const h of hosts) {
        const hostname = h.toLowerCase();
        if (seen.has(hostname)) continue;
        seen.add(hostname);
        out.push({ hostname, lease, service: s.name, externalPort: externalPort(e) });
      }
    }
  }
  return out;
}

/** Throws 422 when a hostname is bound to another lease, or blocked. */
export function checkHostnames(
  wanted: readonly HostnameBinding[],
  bound: readonly HostnameBinding[],
  blocked: readonly string[],
): void {
  for (const w of wanted) {
    for (const b of blocked) {
      const suffix = b.startsWith(".");
      if (suffix ? w.hostname.endsWith(b) || w.hostname === b.slice(1) : w.hostname === b) {
        throw unprocessable(`hostname ${w.hostname} is blocked on this provider`);
      }
    }
    const other = bound.find(
      (b) => b.hostname === w.hostname && leaseIdString(b.lease) !== leaseIdString(w.lease),
    );
    if (!other) continue;
    if (other.lease.owner !== w.lease.owner)
      throw unprocessable(`hostname ${w.hostname} is in use by another tenant`);
    throw unprocessable(
      `hostname ${w.hostname} is in use by your deployment ${other.lease.dseq}; close it or drop the host there first`,
    );
  }
}
