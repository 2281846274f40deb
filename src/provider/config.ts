// The provider's configuration: one YAML file (`decloud provider init` writes it with every key and its
// default, DEFAULT_CONFIG_YAML), read into ProviderConfig. Akash spreads the same settings over flags and a
// Helm chart (reference: akash-provider.md §6.7).
import { parse } from "yaml";
import type { PricingConfig } from "./bidengine/pricing.js";
import type { Coin } from "./chain/chain.js";
import { formatCidr, parseLeaseSubnets } from "./cluster/docker/subnets.js";

export interface ProviderConfig {
  readonly chain: { readonly node: string; readonly gasPrice: string };
  readonly key: string;
  readonly provider: {
    readonly hostUri: string;
    readonly attributes: readonly { key: string; value: string }[];
    readonly email: string;
    readonly website: string;
  };
  readonly gateway: { readonly host: string; readonly port: number };
  readonly ingress: {
    readonly host: string;
    readonly port: number;
    readonly domain: string;
    readonly publicHostname: string;
    readonly blockedHostnames: readonly string[];
  };
  readonly cluster: {
    readonly backend: "docker";
    readonly dockerSocket?: string;
    readonly publicAddress: string;
    readonly leaseSubnets: string;
  };
  readonly capacity: {
    readonly cpuMillis?: bigint;
    readonly memoryBytes?: bigint;
    readonly storageBytes?: bigint;
  };
  readonly bidding: {
    readonly pricing: PricingConfig;
    readonly deposit: Coin;
    readonly bidTimeoutMs: number;
    readonly manifestTimeoutMs: number;
  };
  readonly lease: { readonly withdrawalPeriodMs: number; readonly fundsCheckPeriodMs: number };
}

/** What `decloud provider init` writes: every setting, its default, and what it means. */
export const DEFAULT_CONFIG_YAML = `# DeCloud provider configuration. Every key is optional: the value shown is the default.

chain:
  node: http://127.0.0.1:26657   # CometBFT RPC of a node of the chain
  gas_price: 0.025uakt           # fee per unit of gas for bids, withdrawals and registration

key: provider                    # the key (in the CLI's keyring, --home) that signs for the provider

provider:                        # what \`decloud provider register\` puts on chain
  host_uri: https://localhost:8443   # where tenants reach the gateway
  attributes:                    # matched against orders' placement attributes
    region: local
    host: decloud
    tier: community
    capabilities/storage/1/class: beta2
    capabilities/storage/1/persistent: "true"
  email: ""
  website: ""

gateway:
  listen: 127.0.0.1:8443         # HTTPS (TLS 1.3) gateway: manifests, status, logs, events, shell

ingress:
  listen: 127.0.0.1:8080         # HTTP ingress; use 0.0.0.0:80 on a public provider
  domain: localhost              # service hostnames are <random>.<domain>; *.localhost reaches loopback
  public_hostname: localhost     # shown in forwarded ports and given to containers
  blocked_hostnames: []          # hostnames tenants may not use; ".example.com" blocks a suffix

cluster:
  backend: docker                # docker (one host); kubernetes later
  docker_socket: /var/run/docker.sock
  public_address: 127.0.0.1      # where non-HTTP ports are published (the provider's public IP)
  lease_subnets: 10.221.0.0/16   # each lease's network gets a /24 of this range (256 leases per /16)

capacity:                        # caps on what is offered; unset = everything the Docker Engine has
  cpu: null                      # e.g. 4 (cores) or 3500m
  memory: null                   # e.g. 8Gi
  storage: null                  # e.g. 100Gi

bidding:
  pricing:                       # per block, in the order's denom
    strategy: scale              # scale, or script (path: ./price.sh, timeout: 10s; reads JSON, prints a price)
    cpu: 0.1                     # per millicpu
    memory: 0.01                 # per MiB
    storage:                     # per MiB, by class (ephemeral = non-persistent)
      ephemeral: 0.001
      beta2: 0.002
    endpoint: 0                  # per global endpoint
  deposit: 500000uakt            # escrowed with each bid, returned when it closes
  bid_timeout: 5m                # close a bid that has not become a lease
  manifest_timeout: 5m           # close a won lease that never received a manifest

lease:
  withdrawal_period: 1h          # withdraw earnings this often (0 disables)
  funds_check_period: 1m         # check escrow this often; a lease that ran dry is settled at once
`;

/** `5m`, `30s`, `1h`, `250ms`, `0`. */
export function parseDuration(v: unknown, what: string): number {
  if (typeof v === "number") return v * 1000;
  const m = String(v).match(/^(\d+(?:\.\d+)?)(ms|s|m|h)?$/);
  if (!m) throw new Error(`${what}: "${v}" is not a duration (e.g. 30s, 5m, 1h)`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? "s") as "ms" | "s" | "m" | "h"];
  return Math.round(Number(m[1]) * unit);
}

/** `8Gi`, `512Mi`, `100G`, bytes. */
export function parseBytes(v: unknown, what: string): bigint | undefined {
  if (v === null || v === undefined) return undefined;
  const m = String(v).match(/^(\d+)(Ki|Mi|Gi|Ti|K|M|G|T)?$/);
  if (!m) throw new Error(`${what}: "${v}" is not a size (e.g. 512Mi, 8Gi)`);
  const units: Record<string, bigint> = {
    Ki: 1024n,
    Mi: 1024n ** 2n,
    Gi: 1024n ** 3n,
    Ti: 1024n ** 4n,
    K: 1000n,
    M: 1000n ** 2n,
    G: 1000n ** 3n,
    T: 1000n ** 4n,
  };
  return BigInt(m[1]!) * (m[2] ? units[m[2]]! : 1n);
}

/** `4` cores, `3500m` millicores. */
export function parseCpu(v: unknown, what: string): bigint | undefined {
  if (v === null || v === undefined) return undefined;
  const m = String(v).match(/^(\d+(?:\.\d+)?)(m)?$/);
  if (!m) throw new Error(`${what}: "${v}" is not a CPU amount (e.g. 4 or 3500m)`);
  return m[2] ? BigInt(Math.round(Number(m[1]))) : BigInt(Math.round(Number(m[1]) * 1000));
}

function parseListen(v: unknown, what: string): { host: string; port: number } {
  const m = String(v).match(/^(.+):(\d+)$/);
  if (!m) throw new Error(`${what}: "${v}" is not HOST:PORT`);
  return { host: m[1]!, port: Number(m[2]) };
}

function parseCoin(v: unknown, what: string): Coin {
  const m = String(v).match(/^(\d+)([a-zA-Z][a-zA-Z0-9/:._-]*)$/);
  if (!m) throw new Error(`${what}: "${v}" is not an amount such as 500000uakt`);
  return { amount: m[1]!, denom: m[2]! };
}

// biome-ignore lint/suspicious/noExplicitAny: YAML is untyped until read here
type Yaml = any;

/** Reads a config file's text over the defaults; unknown keys are errors (a typo must not pass silently). */
export function parseConfig(text: string): ProviderConfig {
  const defaults: Yaml = parse(DEFAULT_CONFIG_YAML);
  const user: Yaml = parse(text) ?? {};
  checkKeys(user, defaults, "");
  const get = (path: string): Yaml => {
    let u: Yaml = user;
    let d: Yaml = defaults;
    for (const k of path.split(".")) {
      u = u?.[k];
      d = d?.[k];
    }
    return u === undefined ? d : u;
  };
  const pricing = get("bidding.pricing");
  const strategy = pricing.strategy ?? "scale";
  return {
    chain: { node: get("chain.node"), gasPrice: get("chain.gas_price") },
    key: get("key"),
    provider: {
      hostUri: get("provider.host_uri"),
      attributes: Object.entries(get("provider.attributes") ?? {})
        .map(([key, value]) => ({ key, value: String(value) }))
        .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)),
      email: get("provider.email") ?? "",
      website: get("provider.website") ?? "",
    },
    gateway: parseListen(get("gateway.listen"), "gateway.listen"),
    ingress: {
      ...parseListen(get("ingress.listen"), "ingress.listen"),
      domain: get("ingress.domain"),
      publicHostname: get("ingress.public_hostname"),
      blockedHostnames: get("ingress.blocked_hostnames") ?? [],
    },
    cluster: {
      backend: get("cluster.backend"),
      dockerSocket: get("cluster.docker_socket"),
      publicAddress: get("cluster.public_address"),
      leaseSubnets: formatCidr(parseLeaseSubnets(String(get("cluster.lease_subnets")))),
    },
    capacity: {
      cpuMillis: parseCpu(get("capacity.cpu"), "capacity.cpu"),
      memoryBytes: parseBytes(get("capacity.memory"), "capacity.memory"),
      storageBytes: parseBytes(get("capacity.storage"), "capacity.storage"),
    },
    bidding: {
      pricing:
        strategy === "script"
          ? {
              strategy: "script",
              path: String(pricing.path),
              timeoutMs: parseDuration(pricing.timeout ?? "10s", "pricing.timeout"),
            }
          : {
              strategy: "scale",
              cpu: Number(pricing.cpu ?? 0),
              memory: Number(pricing.memory ?? 0),
              storage: Object.fromEntries(
                Object.entries(pricing.storage ?? {}).map(([k, v]) => [k, Number(v)]),
              ),
              endpoint: Number(pricing.endpoint ?? 0),
            },
      deposit: parseCoin(get("bidding.deposit"), "bidding.deposit"),
      bidTimeoutMs: parseDuration(get("bidding.bid_timeout"), "bidding.bid_timeout"),
      manifestTimeoutMs: parseDuration(get("bidding.manifest_timeout"), "bidding.manifest_timeout"),
    },
    lease: {
      withdrawalPeriodMs: parseDuration(get("lease.withdrawal_period"), "lease.withdrawal_period"),
      fundsCheckPeriodMs: parseDuration(get("lease.funds_check_period"), "lease.funds_check_period"),
    },
  };
}

/** Keys the user wrote that the defaults do not have (maps of free keys — attributes, storage — excepted). */
function checkKeys(user: Yaml, defaults: Yaml, path: string): void {
  if (typeof user !== "object" || user === null || Array.isArray(user)) return;
  if (["provider.attributes", "bidding.pricing.storage", "bidding.pricing"].includes(path)) return;
  for (const k of Object.keys(user)) {
    const at = path ? `${path}.${k}` : k;
    if (defaults === null || typeof defaults !== "object" || !(k in defaults)) {
      throw new Error(`unknown setting "${at}" in the provider config`);
    }
    checkKeys(user[k], defaults[k], at);
  }
}
