// The devnet's provider, in the devnet's process, on the machine's Docker Engine: the same composition as
// `decloud provider run` (src/provider/provider.ts), configured for local use — gateway and ingress on
// loopback, frequent withdrawals and escrow checks — and signing with the key the genesis registered.
// Stopping it stops its containers (a stopped devnet pays no one); the next start resumes them (the
// provider's reconcile restarts what the chain still shows active).
import { createWriteStream, mkdirSync } from "node:fs";
import { join } from "node:path";
import Docker from "dockerode";
import { type Logger, pino } from "pino";
import { stringify } from "yaml";
import { RpcChain } from "../provider/chain/rpc-chain.js";
import { DockerBackend } from "../provider/cluster/docker/backend.js";
import { ownerFilters } from "../provider/cluster/docker/labels.js";
import { parseConfig } from "../provider/config.js";
import { Provider } from "../provider/provider.js";
import {
  DEV_PROVIDER_KEY,
  type DevProviderIdentity,
  devProviderAttributes,
  providerDir,
  providerKeyring,
} from "./provider-identity.js";

export const DEV_PROVIDER_PORTS = { gateway: 8443, ingress: 8080 } as const;

export interface DevProviderOptions {
  /** Gateway port on 127.0.0.1 (default 8443; 0 picks a free one). */
  readonly gatewayPort?: number;
  /** Ingress port on 127.0.0.1 (default 8080; 0 picks a free one). */
  readonly ingressPort?: number;
  /** Docker's socket (default: DOCKER_HOST's unix socket, else /var/run/docker.sock). */
  readonly dockerSocket?: string;
  /** Where the provider logs (default `<devnet home>/provider/provider.log`). */
  readonly logger?: Logger;
}

/** Docker's socket from DOCKER_HOST (`unix:///…`), else the default. */
export function dockerSocketPath(explicit?: string): string {
  return explicit ?? process.env.DOCKER_HOST?.replace(/^unix:\/\//, "") ?? "/var/run/docker.sock";
}

/** Undefined when the Docker Engine answers; otherwise why not. */
export async function dockerProblem(socketPath: string): Promise<string | undefined> {
  try {
    await new Docker({ socketPath, timeout: 3_000 }).ping();
    return undefined;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return `Docker Engine does not answer on ${socketPath}${code ? ` (${code})` : ""}`;
  }
}

/** Removes every container, network and volume of one provider on one chain (found by label, never by name). */
export async function removeProviderObjects(
  socketPath: string,
  chainId: string,
  provider: string,
): Promise<number> {
  const docker = new Docker({ socketPath });
  const filters = ownerFilters({ chainId, provider });
  let removed = 0;
  for (const c of await docker.listContainers({ all: true, filters })) {
    await docker.getContainer(c.Id).remove({ force: true, v: true });
    removed++;
  }
  for (const n of await docker.listNetworks({ filters })) await docker.getNetwork(n.Id).remove();
  for (const v of (await docker.listVolumes({ filters })).Volumes ?? [])
    await docker.getVolume(v.Name).remove();
  return removed;
}

export class DevProvider {
  private stopped = false;

  private constructor(
    readonly provider: Provider,
    private readonly chain: RpcChain,
    private readonly socketPath: string,
    private readonly closeLog: () => void,
  ) {}

  static async start(params: {
    readonly devnetHome: string;
    readonly chainId: string;
    readonly rpcUrl: string;
    readonly identity: DevProviderIdentity;
    readonly options: DevProviderOptions;
  }): Promise<DevProvider> {
    const { devnetHome, identity, options } = params;
    const dir = providerDir(devnetHome);
    mkdirSync(dir, { recursive: true });
    const socketPath = dockerSocketPath(options.dockerSocket);
    const log = options.logger ? undefined : createWriteStream(join(dir, "provider.log"), { flags: "a" });
    const logger = options.logger ?? pino({ level: process.env.DECLOUD_LOG ?? "info" }, log!);
    const gatewayPort = options.gatewayPort ?? DEV_PROVIDER_PORTS.gateway;
    const config = parseConfig(
      stringify({
        chain: { node: params.rpcUrl },
        key: DEV_PROVIDER_KEY,
        provider: {
          host_uri: `https://127.0.0.1:${gatewayPort}`,
          attributes: Object.fromEntries(devProviderAttributes().map((a) => [a.key, a.value])),
        },
        gateway: { listen: `127.0.0.1:${gatewayPort}` },
        ingress: { listen: `127.0.0.1:${options.ingressPort ?? DEV_PROVIDER_PORTS.ingress}` },
        cluster: { docker_socket: socketPath, public_address: "127.0.0.1" },
        // A devnet's escrow moves fast: check it every few seconds, withdraw every minute.
        lease: { withdrawal_period: "1m", funds_check_period: "2s" },
      }),
    );
    const keyring = providerKeyring(devnetHome);
    const chain = await RpcChain.connect({
      nodeUrl: params.rpcUrl,
      signer: await keyring.getSigner(DEV_PROVIDER_KEY),
      address: identity.address,
      pollMs: 200,
    });
    const cluster = new DockerBackend({
      chainId: params.chainId,
      provider: identity.address,
      socketPath,
      publicAddress: "127.0.0.1",
    });
    const provider = new Provider(config, dir, {
      chain,
      cluster,
      logger,
      tls: { cert: identity.tls.cert, key: identity.tls.key },
    });
    try {
      await provider.start();
      await syncRegistration(chain, provider.gateway.url, identity);
    } catch (e) {
      await provider.stop().catch(() => undefined);
      chain.disconnect();
      log?.end();
      throw e;
    }
    return new DevProvider(provider, chain, socketPath, () => log?.end());
  }

  get address(): string {
    return this.chain.address;
  }

  /** The Docker Engine the provider runs on. */
  get docker(): Docker {
    return new Docker({ socketPath: this.socketPath });
  }

  get gatewayUrl(): string {
    return this.provider.gateway.url;
  }

  get ingressPort(): number {
    return this.provider.ingress.port;
  }

  get attributes(): readonly { key: string; value: string }[] {
    return this.provider.config.provider.attributes;
  }

  capacity(): { cpuMillis: bigint; memoryBytes: bigint } {
    return this.provider.inventory.capacity();
  }

  /** Stops the provider and the containers of its leases (kept, to be started again on the next run). */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.provider.stop();
    this.chain.disconnect();
    const docker = new Docker({ socketPath: this.socketPath });
    const filters = ownerFilters({ chainId: this.chain.chainId, provider: this.address });
    const running = await docker.listContainers({ filters }).catch(() => []);
    await Promise.all(
      running.map((c) =>
        docker
          .getContainer(c.Id)
          .stop({ t: 2 })
          .catch(() => undefined),
      ),
    );
    this.closeLog();
  }
}

/**
 * The genesis registered the provider at the gateway URL of the devnet's first start; a later start on other
 * ports (or a renewed TLS certificate) updates the chain, so that tenants find and trust the gateway.
 */
async function syncRegistration(chain: RpcChain, gatewayUrl: string, identity: DevProviderIdentity) {
  const onChain = await chain.provider(identity.address);
  if (onChain?.hostUri !== gatewayUrl) {
    await chain.registerProvider({ hostUri: gatewayUrl, attributes: devProviderAttributes() });
  }
  const certs = await chain.certificates(identity.address);
  if (!certs.some((c) => c.state === "valid" && c.cert === identity.tls.cert)) {
    await chain.publishCertificate(identity.tls.cert, identity.tls.publicKey);
  }
}
