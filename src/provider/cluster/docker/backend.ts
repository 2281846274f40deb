// The Docker backend: one host's Docker Engine runs the leases. Per lease a bridge network; per service
// `count` containers with the unit's limits; storage as Docker volumes; global ports published on the host
// (HTTP ones on loopback for the ingress, others on the provider's public address). Everything carries the
// provider's labels (labels.ts) and is found by them.
import { statfs } from "node:fs/promises";
import Docker from "dockerode";
import { dockerSince, parseLogTime } from "../../../client/gateway/log-time.js";
import { type LeaseId, leaseIdString } from "../../lease-id.js";
import { isIngressExpose, type ManifestGroup, type ManifestService } from "../../manifest/types.js";
import {
  type ClusterBackend,
  type ClusterCapacity,
  type ClusterEvent,
  type ClusterEventStore,
  type DeployContext,
  type ExecOptions,
  type ExecSession,
  type LeaseClusterStatus,
  type LogLine,
  type LogOptions,
  NotFoundInClusterError,
  type PublishedPort,
  type ServiceState,
  type Subscription,
} from "../backend.js";
import { Channel } from "../subscription.js";
import {
  containerCreateOptions,
  leasePrefix,
  networkName,
  portKey,
  publishedExposes,
  serviceSpecHash,
  volumeMounts,
} from "./container-spec.js";
import { EventLog } from "./event-log.js";
import { FrameDecoder, LineSplitter } from "./frames.js";
import { LABEL, leaseLabels, type Owner, ownedLease, ownerFilters } from "./labels.js";
import { PortAllocator } from "./ports.js";
import {
  type Cidr,
  DEFAULT_LEASE_SUBNETS,
  formatCidr,
  freeSubnet,
  hostRoutes,
  LEASE_SUBNET_PREFIX,
  parseCidr,
  parseLeaseSubnets,
} from "./subnets.js";

export interface DockerBackendOptions {
  readonly chainId: string;
  /** The provider's account address. */
  readonly provider: string;
  /** Docker's socket (default: DOCKER_HOST's unix socket, else /var/run/docker.sock). */
  readonly socketPath?: string;
  /** Where non-HTTP global ports are published (the provider's public address; loopback on a devnet). */
  readonly publicAddress?: string;
  /** The IPv4 range lease networks get their /24s from (default DEFAULT_LEASE_SUBNETS; see subnets.ts). */
  readonly leaseSubnets?: string;
}

/** Where HTTP ports are published: only the ingress, on this host, reaches them. */
const INGRESS_BIND = "127.0.0.1";

interface ContainerFacts {
  readonly id: string;
  readonly name: string;
  readonly service: string;
  readonly replica: number;
  readonly spec: string;
  readonly running: boolean;
  readonly restarting: boolean;
  readonly exitCode: number;
  readonly restartCount: number;
  readonly error: string;
  readonly bindings: Record<string, { HostIp: string; HostPort: string }[] | null>;
}

export class DockerBackend implements ClusterBackend {
  readonly kind = "docker";
  readonly docker: Docker;
  private readonly owner: Owner;
  private readonly publicAddress: string;
  private readonly leaseSubnets: Cidr;
  /** Lease networks are created one at a time, so that two deploys do not reach for the same subnet. */
  private networkQueue: Promise<unknown> = Promise.resolve();
  private readonly ports = new PortAllocator();
  private readonly eventLog = new EventLog();
  /** Problems found by the last deploy of each lease, shown in its status until a deploy succeeds. */
  private readonly deployErrors = new Map<string, string[]>();
  /** One deploy or teardown at a time per lease. */
  private readonly locks = new Map<string, Promise<unknown>>();
  private eventStream: NodeJS.ReadableStream | undefined;
  private closed = false;

  constructor(opts: DockerBackendOptions) {
    this.owner = { chainId: opts.chainId, provider: opts.provider };
    this.publicAddress = opts.publicAddress ?? "127.0.0.1";
    this.leaseSubnets = parseLeaseSubnets(opts.leaseSubnets ?? DEFAULT_LEASE_SUBNETS);
    const socketPath = opts.socketPath ?? dockerSocketFromEnv();
    this.docker = new Docker({ socketPath });
  }

  async ready(): Promise<void> {
    await this.docker.ping();
    if (!this.eventStream) void this.followDockerEvents();
  }

  async deploy(lease: LeaseId, group: ManifestGroup, context: DeployContext): Promise<void> {
    await this.exclusive(lease, () => this.deployNow(lease, group, context));
  }

  private async deployNow(lease: LeaseId, group: ManifestGroup, context: DeployContext): Promise<void> {
    const key = leaseIdString(lease);
    const prefix = leasePrefix(this.owner, lease);
    const errors: string[] = [];
    await this.ensureNetwork(lease, prefix);
    const existing = await this.containers(lease);
    const wanted = new Set<string>();
    for (const service of group.services) {
      for (let replica = 0; replica < service.count; replica++) wanted.add(`${service.name}/${replica}`);
    }
    // Replicas the manifest no longer has go first, which frees their resources for the new ones.
    for (const c of existing) {
      if (!wanted.has(`${c.service}/${c.replica}`)) {
        await this.removeReplica(lease, c, true);
      }
    }
    for (const service of group.services) {
      try {
        await this.ensureImage(lease, prefix, service);
      } catch (e) {
        errors.push((e as Error).message);
        continue;
      }
      const spec = serviceSpecHash(service, context);
      for (let replica = 0; replica < service.count; replica++) {
        const current = existing.find((c) => c.service === service.name && c.replica === replica);
        try {
          if (current && current.spec === spec) {
            if (current.running || current.restarting) continue;
            try {
              await this.docker.getContainer(current.id).start();
              continue;
            } catch (e) {
              // Its host port was taken meanwhile: a new replica gets new ports; anything else is retried.
              if (!isPortConflict(e)) throw e;
              await this.removeReplica(lease, current, false);
              await this.replaceReplica(lease, prefix, service, replica, context, undefined);
              continue;
            }
          }
          await this.replaceReplica(lease, prefix, service, replica, context, current);
        } catch (e) {
          const message = `${service.name}-${replica}: ${dockerMessage(e)}`;
          errors.push(message);
          this.eventLog.record(key, warning(prefix, `${service.name}-${replica}`, "FailedCreate", message));
        }
      }
    }
    this.deployErrors.set(key, errors);
    if (errors.length > 0) throw new Error(`deploying lease ${key}: ${errors.join("; ")}`);
  }

  private async replaceReplica(
    lease: LeaseId,
    prefix: string,
    service: ManifestService,
    replica: number,
    context: DeployContext,
    current: ContainerFacts | undefined,
  ): Promise<void> {
    const key = leaseIdString(lease);
    const name = `${service.name}-${replica}`;
    // Keep the host ports a replica already had, so that a replaced replica answers where it did.
    const hostPorts = new Map<string, { hostIp: string; hostPort: number }>();
    for (const e of publishedExposes(service)) {
      const hostIp = isIngressExpose(e) ? INGRESS_BIND : this.publicAddress;
      const old = current?.bindings[portKey(e)]?.[0];
      const hostPort =
        old && old.HostIp === hostIp && Number(old.HostPort) > 0
          ? Number(old.HostPort)
          : await this.ports.allocate(hostIp, e.proto.toUpperCase() === "UDP" ? "UDP" : "TCP");
      hostPorts.set(portKey(e), { hostIp, hostPort });
    }
    if (current) {
      this.eventLog.record(key, normal(prefix, name, "Killing", `Replacing ${name}: its spec changed`));
      await this.removeReplica(lease, current, false);
    }
    for (const m of volumeMounts(prefix, service, replica)) {
      if (m.ram) continue;
      await this.docker.createVolume({
        Name: m.volume,
        Labels: {
          ...leaseLabels(this.owner, lease),
          [LABEL.service]: service.name,
          [LABEL.replica]: String(replica),
          [LABEL.persistent]: String(m.persistent),
        },
      });
    }
    const options = containerCreateOptions({
      owner: this.owner,
      lease,
      prefix,
      service,
      replica,
      context,
      hostPorts,
    });
    const container = await this.docker.createContainer(options);
    this.eventLog.record(key, normal(prefix, name, "Created", `Created container ${name}`));
    try {
      await container.start();
    } catch (e) {
      // A replica that cannot start is not left behind half made: the retry creates it afresh.
      await ignoreNotFound(container.remove({ force: true }));
      throw e;
    }
    this.eventLog.record(key, normal(prefix, name, "Started", `Started container ${name}`));
  }

  /** Removes a replica's container, and its volumes unless they are persistent and the replica stays. */
  private async removeReplica(lease: LeaseId, c: ContainerFacts, dropping: boolean): Promise<void> {
    await ignoreNotFound(this.docker.getContainer(c.id).remove({ force: true }));
    const volumes = await this.docker.listVolumes({
      filters: {
        label: [...ownerFilters(this.owner, lease, c.service).label, `${LABEL.replica}=${c.replica}`],
      },
    });
    for (const v of volumes.Volumes ?? []) {
      if (!dropping && v.Labels?.[LABEL.persistent] === "true") continue;
      await ignoreNotFound(this.docker.getVolume(v.Name).remove());
    }
  }

  private async ensureNetwork(lease: LeaseId, prefix: string): Promise<void> {
    const name = networkName(prefix);
    const found = await this.docker.listNetworks({ filters: { name: [name] } });
    const same = found.find((n) => n.Name === name);
    if (same) {
      if (!ownedLease(this.owner, same.Labels)) {
        throw new Error(`a Docker network named ${name} exists and is not this provider's`);
      }
      return;
    }
    const create = this.networkQueue.then(() => this.createNetwork(name, leaseLabels(this.owner, lease)));
    this.networkQueue = create.catch(() => undefined);
    await create;
  }

  /**
   * Creates a lease's bridge network on the first free /24 of the provider's range: free of every Docker
   * network's subnet and of the host's routes. Another provider on the same engine may take the same one in
   * between; Docker then refuses it as overlapping and the next is tried.
   */
  private async createNetwork(name: string, labels: Record<string, string>): Promise<void> {
    const routes = await hostRoutes();
    for (let attempt = 0; ; attempt++) {
      const taken = [...routes];
      for (const n of await this.docker.listNetworks()) {
        for (const c of n.IPAM?.Config ?? []) {
          if (c.Subnet?.includes(".")) taken.push(parseCidr(c.Subnet));
        }
      }
      const subnet = freeSubnet(this.leaseSubnets, taken);
      if (!subnet) {
        throw new Error(
          `no free /${LEASE_SUBNET_PREFIX} left for lease network ${name} in cluster.lease_subnets ` +
            `${formatCidr(this.leaseSubnets)}: widen the range, or remove unused networks (docker network prune)`,
        );
      }
      try {
        await this.docker.createNetwork({
          Name: name,
          Driver: "bridge",
          CheckDuplicate: true,
          Labels: labels,
          IPAM: { Driver: "default", Config: [{ Subnet: formatCidr(subnet) }] },
        });
        return;
      } catch (e) {
        if (attempt < 8 && /overlaps/i.test(dockerMessage(e))) continue;
        throw e;
      }
    }
  }

  private async ensureImage(lease: LeaseId, prefix: string, service: ManifestService): Promise<void> {
    const key = leaseIdString(lease);
    try {
      await this.docker.getImage(service.image).inspect();
      return;
    } catch (e) {
      if (statusCode(e) !== 404) throw e;
    }
    this.eventLog.record(key, normal(prefix, service.name, "Pulling", `Pulling image "${service.image}"`));
    try {
      const credentials = service.credentials;
      const auth = credentials?.username
        ? {
            username: credentials.username,
            password: credentials.password,
            email: credentials.email,
            serveraddress: credentials.host,
          }
        : undefined;
      const stream = await this.docker.pull(service.image, auth ? { authconfig: auth } : {});
      await new Promise<void>((resolve, reject) => {
        this.docker.modem.followProgress(stream, (err: Error | null, output: { error?: string }[]) => {
          const failed = err ?? output.find((o) => o.error);
          if (failed) reject(failed instanceof Error ? failed : new Error(failed.error));
          else resolve();
        });
      });
    } catch (e) {
      const message = `Failed to pull image "${service.image}": ${dockerMessage(e)}`;
      this.eventLog.record(key, warning(prefix, service.name, "Failed", message));
      throw new Error(message);
    }
    this.eventLog.record(key, normal(prefix, service.name, "Pulled", `Pulled image "${service.image}"`));
  }

  async teardown(lease: LeaseId): Promise<void> {
    await this.exclusive(lease, async () => {
      const filters = ownerFilters(this.owner, lease);
      const containers = await this.docker.listContainers({ all: true, filters });
      for (const c of containers)
        await ignoreNotFound(this.docker.getContainer(c.Id).remove({ force: true }));
      const volumes = await this.docker.listVolumes({ filters });
      for (const v of volumes.Volumes ?? []) await ignoreNotFound(this.docker.getVolume(v.Name).remove());
      const networks = await this.docker.listNetworks({ filters });
      for (const n of networks) await ignoreNotFound(this.docker.getNetwork(n.Id).remove());
      this.deployErrors.delete(leaseIdString(lease));
      this.eventLog.forget(leaseIdString(lease));
    });
  }

  async leases(): Promise<LeaseId[]> {
    const filters = ownerFilters(this.owner);
    const labels = [
      ...(await this.docker.listContainers({ all: true, filters })).map((c) => c.Labels),
      ...((await this.docker.listVolumes({ filters })).Volumes ?? []).map((v) => v.Labels),
      ...(await this.docker.listNetworks({ filters })).map((n) => n.Labels),
    ];
    const found = new Map<string, LeaseId>();
    for (const l of labels) {
      const lease = ownedLease(this.owner, l);
      if (lease) found.set(leaseIdString(lease), lease);
    }
    return [...found.values()];
  }

  async status(lease: LeaseId, group?: ManifestGroup, context?: DeployContext): Promise<LeaseClusterStatus> {
    const containers = await this.containers(lease);
    const services: ServiceState[] = [];
    const ports: PublishedPort[] = [];
    const names = group ? group.services.map((s) => s.name) : [...new Set(containers.map((c) => c.service))];
    const errors = [...(this.deployErrors.get(leaseIdString(lease)) ?? [])];
    for (const name of names) {
      const service = group?.services.find((s) => s.name === name);
      const mine = containers.filter((c) => c.service === name && (!service || c.replica < service.count));
      const spec = service && context ? serviceSpecHash(service, context) : undefined;
      const updated = mine.filter((c) => spec === undefined || c.spec === spec);
      services.push({
        name,
        total: service?.count ?? mine.length,
        updated: updated.length,
        ready: mine.filter((c) => c.running).length,
        available: updated.filter((c) => c.running && !c.restarting).length,
      });
      for (const c of mine) {
        if (c.error) errors.push(`${c.name}: ${c.error}`);
        for (const e of service ? publishedExposes(service) : []) {
          const bound = c.bindings[portKey(e)]?.[0];
          if (!bound) continue;
          ports.push({
            service: name,
            replica: c.replica,
            port: e.port,
            externalPort: e.externalPort === 0 ? e.port : e.externalPort,
            proto: e.proto.toUpperCase() === "UDP" ? "UDP" : "TCP",
            hostIp: bound.HostIp,
            hostPort: Number(bound.HostPort),
            ingress: isIngressExpose(e),
          });
        }
      }
    }
    if (
      containers.length === 0 &&
      (await this.leases()).every((l) => leaseIdString(l) !== leaseIdString(lease))
    ) {
      throw new NotFoundInClusterError(`lease ${leaseIdString(lease)} is not deployed`);
    }
    return { services, ports, errors };
  }

  async logs(lease: LeaseId, options: LogOptions): Promise<Subscription<LogLine>> {
    const containers = (await this.containers(lease))
      .filter((c) => !options.services || options.services.includes(c.service))
      .sort((a, b) => a.service.localeCompare(b.service) || a.replica - b.replica);
    const channel = new Channel<LogLine>();
    if (containers.length === 0) {
      channel.end();
      return channel;
    }
    let open = containers.length;
    const streams: NodeJS.ReadableStream[] = [];
    channel.whenClosed(() => {
      for (const s of streams) (s as unknown as { destroy?: () => void }).destroy?.();
    });
    for (const c of containers) {
      const name = `${c.service}-${c.replica}`;
      const decoder = new FrameDecoder();
      const splitters = { stdout: new LineSplitter(), stderr: new LineSplitter(), stdin: new LineSplitter() };
      // Docker puts each line's time before it (`timestamps`): the gateway passes it on, for a follower that
      // reconnects to ask for the lines `since` the last it saw.
      const push = (line: string) => {
        const space = line.indexOf(" ");
        const timestamp = space > 0 ? line.slice(0, space) : "";
        if (parseLogTime(timestamp) === undefined) channel.push({ name, message: line });
        else channel.push({ name, message: line.slice(space + 1), timestamp });
      };
      const feed = (chunk: Buffer) => {
        for (const frame of decoder.push(chunk)) {
          for (const line of splitters[frame.stream].push(frame.data)) push(line);
        }
      };
      const done = () => {
        for (const s of Object.values(splitters)) for (const line of s.flush()) push(line);
        if (--open === 0) channel.end();
      };
      const container = this.docker.getContainer(c.id);
      const tail = options.tail === undefined || options.tail < 0 ? "all" : options.tail;
      const since = options.since === undefined ? {} : { since: dockerSince(options.since) };
      if (options.follow) {
        const stream = await container.logs({
          follow: true,
          stdout: true,
          stderr: true,
          timestamps: true,
          tail: tail as number,
          ...since,
        });
        streams.push(stream);
        stream.on("data", feed);
        stream.on("end", done);
        stream.on("error", done);
      } else {
        const buffer = await container.logs({
          follow: false,
          stdout: true,
          stderr: true,
          timestamps: true,
          tail: tail as number,
          ...since,
        });
        feed(buffer as unknown as Buffer);
        done();
      }
    }
    return channel;
  }

  events(lease: LeaseId, follow: boolean, after?: number): Subscription<ClusterEvent> {
    return this.eventLog.subscribe(leaseIdString(lease), follow, after);
  }

  /** Docker keeps no history of events: without a store they live in memory, as long as this backend. */
  keepEventsIn(store: ClusterEventStore, onError: (e: unknown) => void): void {
    this.eventLog.keepIn(store, onError);
  }

  async exec(lease: LeaseId, options: ExecOptions): Promise<ExecSession> {
    const replicas = (await this.containers(lease))
      .filter((c) => c.service === options.service)
      .sort((a, b) => a.replica - b.replica);
    if (replicas.length === 0) throw new NotFoundInClusterError(`service ${options.service} not found`);
    const target = replicas[options.replica];
    if (!target)
      throw new NotFoundInClusterError(`replica ${options.replica} of ${options.service} not found`);
    if (!target.running) throw new Error(`${options.service}-${options.replica} is not running`);
    const exec = await this.docker.getContainer(target.id).exec({
      Cmd: [...options.command],
      AttachStdin: options.stdin,
      AttachStdout: true,
      AttachStderr: true,
      Tty: options.tty,
    });
    // A hijacked connection is only needed to write stdin; without stdin a plain response stream ends reliably
    // when the process exits (a hijacked one sometimes never signals its end).
    const stream = (await exec.start({
      hijack: options.stdin,
      stdin: options.stdin,
      Tty: options.tty,
    })) as NodeJS.ReadWriteStream;
    const output = new Channel<{ stream: "stdout" | "stderr"; data: Buffer }>();
    const decoder = new FrameDecoder();
    stream.on("data", (chunk: Buffer) => {
      if (options.tty) output.push({ stream: "stdout", data: chunk });
      else
        for (const f of decoder.push(chunk))
          if (f.stream !== "stdin") output.push({ stream: f.stream, data: f.data });
    });
    const ended = new Promise<void>((resolve) => {
      stream.on("end", resolve);
      stream.on("close", resolve);
      stream.on("error", resolve);
    });
    void ended.then(() => output.end());
    // Belt and braces: once Docker reports the process gone, give the stream a moment to drain, then close it.
    void (async () => {
      for (;;) {
        const done = await Promise.race([ended.then(() => true), delay(250).then(() => false)]);
        if (done) return;
        const info = await exec.inspect().catch(() => undefined);
        if (info && !info.Running) {
          if (!(await Promise.race([ended.then(() => true), delay(500).then(() => false)]))) {
            (stream as unknown as { destroy: () => void }).destroy();
          }
          return;
        }
      }
    })();
    return {
      output,
      write: (data) => {
        stream.write(data);
      },
      closeStdin: () => {
        (stream as unknown as { end: () => void }).end();
      },
      resize: async (width, height) => {
        if (options.tty) await exec.resize({ w: width, h: height });
      },
      exitCode: async () => {
        await ended;
        for (;;) {
          const info = await exec.inspect();
          if (!info.Running) return info.ExitCode ?? -1;
          await new Promise((r) => setTimeout(r, 20));
        }
      },
      kill: () => {
        (stream as unknown as { destroy: () => void }).destroy();
      },
    };
  }

  async capacity(): Promise<ClusterCapacity> {
    const info = await this.docker.info();
    let storageBytes = 0n;
    try {
      const fs = await statfs(info.DockerRootDir);
      storageBytes = BigInt(fs.bavail) * BigInt(fs.bsize);
    } catch {
      // A remote engine's disk is not visible from here; the config's capacity limits then decide.
    }
    return {
      cpuMillis: BigInt(info.NCPU) * 1000n,
      memoryBytes: BigInt(info.MemTotal),
      storageBytes,
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    (this.eventStream as unknown as { destroy?: () => void } | undefined)?.destroy?.();
    this.eventLog.closeAll();
  }

  /** The lease's containers with what the backend needs to know of each. */
  private async containers(lease: LeaseId): Promise<ContainerFacts[]> {
    const list = await this.docker.listContainers({ all: true, filters: ownerFilters(this.owner, lease) });
    const facts: ContainerFacts[] = [];
    for (const c of list) {
      let info: Docker.ContainerInspectInfo;
      try {
        info = await this.docker.getContainer(c.Id).inspect();
      } catch (e) {
        if (statusCode(e) === 404) continue;
        throw e;
      }
      facts.push({
        id: c.Id,
        name: info.Name.replace(/^\//, ""),
        service: c.Labels[LABEL.service] ?? "",
        replica: Number(c.Labels[LABEL.replica] ?? 0),
        spec: c.Labels[LABEL.spec] ?? "",
        running: info.State.Running && !info.State.Paused,
        restarting: info.State.Restarting,
        exitCode: info.State.ExitCode,
        restartCount: info.RestartCount,
        error: info.State.Error,
        bindings: (info.HostConfig.PortBindings ?? {}) as ContainerFacts["bindings"],
      });
    }
    return facts;
  }

  private async exclusive<T>(lease: LeaseId, work: () => Promise<T>): Promise<T> {
    const key = leaseIdString(lease);
    const previous = this.locks.get(key) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(work);
    this.locks.set(key, next);
    try {
      return await next;
    } finally {
      if (this.locks.get(key) === next) this.locks.delete(key);
    }
  }

  /**
   * Turns Docker's container events for this provider into lease events (crashes, OOM kills, restarts), and
   * reconnects with backoff when the daemon goes away: a daemon restart must not blind the provider.
   */
  private async followDockerEvents(): Promise<void> {
    let delay = 200;
    while (!this.closed) {
      try {
        const stream = await this.docker.getEvents({
          filters: { type: ["container"], label: ownerFilters(this.owner).label },
        });
        this.eventStream = stream;
        delay = 200;
        const splitter = new LineSplitter();
        await new Promise<void>((resolve) => {
          stream.on("data", (chunk: Buffer) => {
            for (const line of splitter.push(chunk)) this.onDockerEvent(line);
          });
          stream.on("end", resolve);
          stream.on("close", resolve);
          stream.on("error", resolve);
        });
      } catch {
        // The daemon is down or restarting; try again.
      }
      if (this.closed) return;
      await new Promise((r) => setTimeout(r, delay).unref());
      delay = Math.min(delay * 2, 5_000);
    }
  }

  private onDockerEvent(line: string): void {
    if (line.trim() === "") return;
    let event: { Action?: string; Actor?: { Attributes?: Record<string, string> } };
    try {
      event = JSON.parse(line);
    } catch {
      return;
    }
    const attributes = event.Actor?.Attributes ?? {};
    const lease = ownedLease(this.owner, attributes);
    if (!lease) return;
    const prefix = leasePrefix(this.owner, lease);
    const name = `${attributes[LABEL.service]}-${attributes[LABEL.replica]}`;
    const key = leaseIdString(lease);
    switch (event.Action) {
      case "die":
        this.eventLog.record(
          key,
          warning(
            prefix,
            name,
            "BackOff",
            `Container ${name} exited with code ${attributes.exitCode ?? "?"}`,
          ),
        );
        break;
      case "oom":
        this.eventLog.record(key, warning(prefix, name, "OOMKilling", `Container ${name} ran out of memory`));
        break;
      case "restart":
        this.eventLog.record(key, normal(prefix, name, "Restarted", `Restarted container ${name}`));
        break;
    }
  }
}

function event(
  type: "Normal" | "Warning",
  namespace: string,
  name: string,
  reason: string,
  note: string,
): Omit<ClusterEvent, "time"> {
  return { type, reason, note, object: { kind: "Pod", namespace, name } };
}

const normal = (ns: string, name: string, reason: string, note: string) =>
  event("Normal", ns, name, reason, note);
const warning = (ns: string, name: string, reason: string, note: string) =>
  event("Warning", ns, name, reason, note);

function isPortConflict(e: unknown): boolean {
  return /port is already allocated|address already in use/i.test(dockerMessage(e));
}

function statusCode(e: unknown): number | undefined {
  return (e as { statusCode?: number })?.statusCode;
}

/** Docker's own message (its JSON `message`) rather than dockerode's wrapper text. */
export function dockerMessage(e: unknown): string {
  const json = (e as { json?: { message?: string } })?.json;
  if (json?.message) return json.message;
  return (e as Error)?.message ?? String(e);
}

async function ignoreNotFound(p: Promise<unknown>): Promise<void> {
  try {
    await p;
  } catch (e) {
    if (statusCode(e) !== 404) throw e;
  }
}

function dockerSocketFromEnv(): string {
  const host = process.env.DOCKER_HOST;
  if (host?.startsWith("unix://")) return host.slice("unix://".length);
  return "/var/run/docker.sock";
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
