// What Docker is asked to create for one replica of a manifest service: pure, so that it is tested without
// an engine. Akash's Kubernetes builder is the model (reference: akash-provider.md §5.3): limits are the
// SDL's values, the tenant's command and args replace the image's, Akash's env vars are injected unless the
// tenant set them, storage is mounted where `params.storage` says, and only global ports are published.
import { createHash } from "node:crypto";
import type Docker from "dockerode";
import { serviceResources } from "../../../client/resources.js";
import { base32hex, type LeaseId } from "../../lease-id.js";
import {
  isForwardedExpose,
  isIngressExpose,
  type ManifestService,
  type ServiceExpose,
} from "../../manifest/types.js";
import type { DeployContext } from "../backend.js";
import { LABEL, leaseLabels, type Owner } from "./labels.js";

/**
 * The prefix of every Docker object name of a lease. Names must be unique on an engine that several chains
 * and providers share, so the chain id is hashed in with the lease id.
 */
export function leasePrefix(owner: Owner, lease: LeaseId): string {
  const digest = createHash("sha256")
    .update(`${owner.chainId}/${lease.owner}/${lease.dseq}/${lease.gseq}/${lease.oseq}/${lease.provider}`)
    .digest();
  return `dc-${base32hex(digest).slice(0, 16)}`;
}

export const networkName = (prefix: string): string => prefix;
export const containerName = (prefix: string, service: string, replica: number): string =>
  `${prefix}-${service}-${replica}`;
export const volumeName = (prefix: string, service: string, volume: string, replica: number): string =>
  `${prefix}-${service}-${replica}-${volume}`;

/** `80/tcp`, Docker's key for a container port. */
export function portKey(expose: Pick<ServiceExpose, "port" | "proto">): string {
  return `${expose.port}/${expose.proto.toLowerCase()}`;
}

/** The exposes of a service that are published on the host, once per container port and protocol. */
export function publishedExposes(service: ManifestService): ServiceExpose[] {
  const seen = new Set<string>();
  return service.expose.filter((e) => {
    if (!isIngressExpose(e) && !isForwardedExpose(e)) return false;
    if (seen.has(portKey(e))) return false;
    seen.add(portKey(e));
    return true;
  });
}

/** A volume a replica mounts: a Docker volume, or tmpfs for the `ram` class. */
export interface VolumeMount {
  readonly volume: string;
  readonly name: string;
  readonly target: string;
  readonly readOnly: boolean;
  readonly persistent: boolean;
  readonly ram: boolean;
  readonly bytes: bigint;
}

export function volumeMounts(prefix: string, service: ManifestService, replica: number): VolumeMount[] {
  const storage = serviceResources(service.resources).storage;
  return (service.params?.storage ?? []).map((p) => {
    const unit = storage.find((s) => s.name === p.name);
    return {
      volume: volumeName(prefix, service.name, p.name, replica),
      name: p.name,
      target: p.mount,
      readOnly: p.readOnly,
      persistent: unit?.persistent ?? false,
      ram: unit?.class === "ram",
      bytes: unit?.bytes ?? 0n,
    };
  });
}

/**
 * The hash of everything that shapes a replica. Only the manifest decides it (not the host ports, which are
 * kept across replacements), so an unchanged service hashes the same in every manifest version.
 */
export function serviceSpecHash(service: ManifestService, context: DeployContext): string {
  const r = serviceResources(service.resources);
  const spec = {
    image: service.image,
    command: service.command,
    args: service.args,
    env: service.env,
    cpu: r.cpuMillis.toString(),
    memory: r.memoryBytes.toString(),
    storage: r.storage.map((s) => [s.name, s.bytes.toString(), s.class]),
    expose: service.expose.map((e) => [e.port, e.externalPort, e.proto, e.service, e.global, e.ip]),
    params: (service.params?.storage ?? []).map((p) => [p.name, p.mount, p.readOnly]),
    credentials: service.credentials ? [service.credentials.host, service.credentials.username] : null,
    publicHostname: context.publicHostname,
  };
  return createHash("sha256").update(JSON.stringify(spec)).digest("hex").slice(0, 32);
}

/** Akash's env vars (reference §5.3), unless the tenant set the same name. */
export function serviceEnv(lease: LeaseId, service: ManifestService, context: DeployContext): string[] {
  const injected: Record<string, string> = {
    AKASH_GROUP_SEQUENCE: String(lease.gseq),
    AKASH_DEPLOYMENT_SEQUENCE: lease.dseq,
    AKASH_ORDER_SEQUENCE: String(lease.oseq),
    AKASH_OWNER: lease.owner,
    AKASH_PROVIDER: lease.provider,
    AKASH_CLUSTER_PUBLIC_HOSTNAME: context.publicHostname,
  };
  const tenant = new Set(service.env.map((e) => e.split("=", 1)[0]));
  return [
    ...Object.entries(injected)
      .filter(([k]) => !tenant.has(k))
      .map(([k, v]) => `${k}=${v}`),
    ...service.env,
  ];
}

export interface ReplicaSpec {
  readonly owner: Owner;
  readonly lease: LeaseId;
  readonly prefix: string;
  readonly service: ManifestService;
  readonly replica: number;
  readonly context: DeployContext;
  /** Host address and port for each published container port (`80/tcp` → …). */
  readonly hostPorts: ReadonlyMap<string, { readonly hostIp: string; readonly hostPort: number }>;
}

export function containerCreateOptions(spec: ReplicaSpec): Docker.ContainerCreateOptions {
  const { service, prefix, replica } = spec;
  const r = serviceResources(service.resources);
  const network = networkName(prefix);
  const exposedPorts: Record<string, object> = {};
  const portBindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
  for (const e of publishedExposes(service)) {
    const bound = spec.hostPorts.get(portKey(e));
    if (!bound) throw new Error(`no host port allocated for ${service.name} ${portKey(e)}`);
    exposedPorts[portKey(e)] = {};
    portBindings[portKey(e)] = [{ HostIp: bound.hostIp, HostPort: String(bound.hostPort) }];
  }
  const mounts: Docker.MountSettings[] = volumeMounts(prefix, service, replica).map((m) =>
    m.ram
      ? // TmpfsOptions is in Docker's API but not in @types/dockerode.
        ({
          Type: "tmpfs",
          Source: "",
          Target: m.target,
          TmpfsOptions: { SizeBytes: Number(m.bytes) },
        } as Docker.MountSettings)
      : { Type: "volume", Source: m.volume, Target: m.target, ReadOnly: m.readOnly },
  );
  // RAM volumes count against the memory limit, as Akash adds them to the pod's (reference §5.3).
  const ramBytes = volumeMounts(prefix, service, replica)
    .filter((m) => m.ram)
    .reduce((sum, m) => sum + m.bytes, 0n);
  const memory = Number(r.memoryBytes + ramBytes);
  return {
    name: containerName(prefix, service.name, replica),
    Image: service.image,
    Entrypoint: service.command.length > 0 ? [...service.command] : undefined,
    Cmd: service.args.length > 0 ? [...service.args] : undefined,
    Env: serviceEnv(spec.lease, service, spec.context),
    Hostname: `${service.name}-${replica}`,
    Labels: {
      ...leaseLabels(spec.owner, spec.lease),
      [LABEL.service]: service.name,
      [LABEL.replica]: String(replica),
      [LABEL.spec]: serviceSpecHash(service, spec.context),
    },
    ExposedPorts: exposedPorts,
    HostConfig: {
      NanoCpus: Number(r.cpuMillis) * 1_000_000,
      Memory: memory,
      // No swap beyond the memory limit: a tenant gets what the lease pays for.
      MemorySwap: memory,
      PortBindings: portBindings,
      // A crashed container is restarted (and reported through events), and comes back after the Docker
      // daemon restarts; only the provider removes it, and only for a lease closed on chain.
      RestartPolicy: { Name: "unless-stopped" },
      Mounts: mounts,
      SecurityOpt: ["no-new-privileges"],
      // An init process as PID 1: signals reach the tenant's process (stops are prompt) and zombies are reaped.
      Init: true,
      // A fork bomb in one lease must not exhaust the host's process table for every other lease.
      PidsLimit: 4096,
      NetworkMode: network,
    },
    NetworkingConfig: {
      // Services reach each other by name inside the lease (Docker's DNS round-robins between replicas).
      EndpointsConfig: { [network]: { Aliases: [service.name, `${service.name}-${replica}`] } },
    },
  };
}
