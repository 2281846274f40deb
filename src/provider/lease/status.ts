// Lease status in Akash's JSON shapes (reference: akash-provider.md §5.4), from what the cluster reports
// and the hostnames bound to the lease. The shapes are the client's (src/client/gateway/types.ts): Console,
// provider-services, dashboards and our own client read them.
import type {
  ForwardedPort,
  LeaseStatus,
  ServiceStatus,
  WithheldHostname,
} from "../../client/gateway/types.js";
import type { LeaseClusterStatus } from "../cluster/backend.js";
import { type LeaseId, sameLease } from "../lease-id.js";
import type { ManifestGroup } from "../manifest/types.js";
import type { HostnameBinding } from "../state/store.js";

export interface StatusContext {
  /** Host name shown in forwarded ports (the provider's public host name). */
  readonly publicHostname: string;
  /** The ingress port, appended to URIs unless it is 80. */
  readonly ingressPort: number;
}

export function leaseStatusJson(
  cluster: LeaseClusterStatus,
  group: ManifestGroup,
  hostnames: readonly HostnameBinding[],
  context: StatusContext,
  withheld: readonly WithheldHostname[] = [],
): LeaseStatus {
  const services: Record<string, ServiceStatus> = {};
  for (const s of group.services) {
    const state = cluster.services.find((x) => x.name === s.name);
    const uris = hostnames
      .filter((h) => h.service === s.name)
      .map((h) => (context.ingressPort === 80 ? h.hostname : `${h.hostname}:${context.ingressPort}`));
    services[s.name] = {
      name: s.name,
      available: state?.available ?? 0,
      total: s.count,
      uris: uris.length > 0 ? uris : null,
      observed_generation: 1,
      replicas: s.count,
      updated_replicas: state?.updated ?? 0,
      ready_replicas: state?.ready ?? 0,
      available_replicas: state?.available ?? 0,
    };
  }
  const forwarded: Record<string, ForwardedPort[]> = {};
  for (const p of cluster.ports) {
    if (p.ingress) continue;
    forwarded[p.service] = forwarded[p.service] ?? [];
    forwarded[p.service]!.push({
      host: context.publicHostname,
      port: p.port,
      externalPort: p.hostPort,
      proto: p.proto,
      name: p.service,
    });
  }
  return {
    services,
    forwarded_ports: Object.keys(forwarded).length > 0 ? forwarded : null,
    ips: null,
    ...(cluster.errors.length > 0 ? { errors: [...cluster.errors] } : {}),
    ...(withheld.length > 0 ? { withheld_hostnames: [...withheld] } : {}),
  };
}

/**
 * The hostnames `lease` asks for (`wanted`) but does not hold, each with who holds it and how to move it
 * (reference §6.6: withheld until `POST /hostname/migrate`, §4.3).
 */
export function withheldHostnames(
  lease: LeaseId,
  wanted: readonly HostnameBinding[],
  bound: readonly HostnameBinding[],
): WithheldHostname[] {
  const out: WithheldHostname[] = [];
  for (const w of wanted) {
    const holder = bound.find((b) => b.hostname === w.hostname);
    if (holder && sameLease(holder.lease, lease)) continue;
    const migrate = `\`decloud hostnames migrate ${w.hostname} --dseq ${lease.dseq}${lease.gseq === 1 ? "" : ` --gseq ${lease.gseq}`}\` (POST /hostname/migrate)`;
    const theirs = holder && holder.lease.owner !== lease.owner;
    const message = !holder
      ? `${w.hostname} is not bound: the deployment that served it let it go; bind it here with ${migrate}`
      : theirs
        ? `${w.hostname} is in use by another tenant; it is not served by this deployment`
        : `${w.hostname} is withheld: your deployment ${holder.lease.dseq}${holder.lease.gseq === 1 ? "" : ` (group ${holder.lease.gseq})`} serves it; move it here with ${migrate}`;
    out.push({
      hostname: w.hostname,
      service: w.service,
      held_by:
        holder && !theirs
          ? { dseq: holder.lease.dseq, gseq: holder.lease.gseq, oseq: holder.lease.oseq }
          : null,
      message,
    });
  }
  return out;
}
