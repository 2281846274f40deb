// Lease networks get their subnets from the provider's own range (cluster.lease_subnets), not from Docker's
// default address pools: those hold only 31 bridge networks (172.17–31.0.0/16 and 192.168.0.0/16 in /20s),
// so a host would stop taking leases at the 32nd — sooner where stale bridges or the host's own routes
// already cover some of them. A /24 per lease from a /16 gives 256 leases per Docker host.
import { readFile } from "node:fs/promises";

/** An IPv4 network: its first address as an unsigned 32-bit number and its prefix length. */
export interface Cidr {
  readonly base: number;
  readonly prefix: number;
}

/** The default range lease networks are carved from. */
export const DEFAULT_LEASE_SUBNETS = "10.221.0.0/16";
/** Each lease network's prefix length: 254 addresses, more than a lease's replicas ever need. */
export const LEASE_SUBNET_PREFIX = 24;

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** Parses "a.b.c.d/n"; `what` names the setting in the error. */
export function parseCidr(text: string, what = "subnet"): Cidr {
  const [address, bits, extra] = String(text).trim().split("/");
  const octets = IPV4.exec(address ?? "");
  const prefix = Number(bits);
  if (!octets || extra !== undefined || !/^\d{1,2}$/.test(bits ?? "") || prefix > 32) {
    throw new Error(`${what}: "${text}" is not an IPv4 network like 10.221.0.0/16`);
  }
  const parts = octets.slice(1).map(Number);
  if (parts.some((p) => p > 255)) throw new Error(`${what}: "${text}" is not an IPv4 address`);
  const base = ((parts[0] << 24) | (parts[1] << 16) | (parts[2] << 8) | parts[3]) >>> 0;
  if ((base & mask(prefix)) >>> 0 !== base) {
    throw new Error(
      `${what}: "${text}" has host bits set (did you mean ${formatCidr({ base: (base & mask(prefix)) >>> 0, prefix })}?)`,
    );
  }
  return { base, prefix };
}

export function formatCidr(c: Cidr): string {
  return `${c.base >>> 24}.${(c.base >>> 16) & 255}.${(c.base >>> 8) & 255}.${c.base & 255}/${c.prefix}`;
}

function mask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

export function overlaps(a: Cidr, b: Cidr): boolean {
  const m = mask(Math.min(a.prefix, b.prefix));
  return (a.base & m) >>> 0 === (b.base & m) >>> 0;
}

/** Parses cluster.lease_subnets: a range at least one lease network wide. */
export function parseLeaseSubnets(text: string): Cidr {
  const range = parseCidr(text, "cluster.lease_subnets");
  if (range.prefix > LEASE_SUBNET_PREFIX) {
    throw new Error(
      `cluster.lease_subnets: ${text} is smaller than one lease network (/${LEASE_SUBNET_PREFIX})`,
    );
  }
  return range;
}

/** The lease-sized subnets of a range, in order. */
function* leaseSubnets(range: Cidr): Generator<Cidr> {
  const count = 2 ** (LEASE_SUBNET_PREFIX - range.prefix);
  const step = 2 ** (32 - LEASE_SUBNET_PREFIX);
  for (let i = 0; i < count; i++) yield { base: (range.base + i * step) >>> 0, prefix: LEASE_SUBNET_PREFIX };
}

/** The first lease subnet of `range` that overlaps nothing in `taken`, or undefined when the range is full. */
export function freeSubnet(range: Cidr, taken: readonly Cidr[]): Cidr | undefined {
  for (const s of leaseSubnets(range)) if (!taken.some((t) => overlaps(s, t))) return s;
  return undefined;
}

/**
 * The networks this host routes to other than through its default route (/proc/net/route, IPv4): a lease
 * network there would hide them from the containers, so their subnets are never used. Empty where the
 * file cannot be read.
 */
export async function hostRoutes(path = "/proc/net/route"): Promise<Cidr[]> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    return [];
  }
  return parseRouteTable(text);
}

/** Parses /proc/net/route: destination and mask are little-endian hex; the default route (mask 0) is left out. */
export function parseRouteTable(text: string): Cidr[] {
  const routes: Cidr[] = [];
  for (const line of text.split("\n").slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 8) continue;
    const destination = littleEndianHex(fields[1]);
    const netmask = littleEndianHex(fields[7]);
    if (destination === undefined || netmask === undefined || netmask === 0) continue;
    routes.push({ base: (destination & netmask) >>> 0, prefix: 32 - countTrailingZeros(netmask) });
  }
  return routes;
}

function littleEndianHex(hex: string): number | undefined {
  if (!/^[0-9A-Fa-f]{8}$/.test(hex)) return undefined;
  const n = Number.parseInt(hex, 16);
  return (((n & 255) << 24) | (((n >>> 8) & 255) << 16) | (((n >>> 16) & 255) << 8) | (n >>> 24)) >>> 0;
}

function countTrailingZeros(n: number): number {
  return 31 - Math.clz32((n & -n) >>> 0);
}
