// Lease identities as the provider uses them: the chain's LeaseID (owner/dseq/gseq/oseq/provider; reference:
// akash-provider.md §2), its string form, and the deterministic names derived from it.
import { createHash } from "node:crypto";

export interface LeaseId {
  readonly owner: string;
  /** uint64 on chain: kept as a decimal string so that no precision is ever lost. */
  readonly dseq: string;
  readonly gseq: number;
  readonly oseq: number;
  readonly provider: string;
}

export interface DeploymentId {
  readonly owner: string;
  readonly dseq: string;
}

/** `owner/dseq/gseq/oseq/provider`, Akash's LeaseID.String(). */
export function leaseIdString(id: LeaseId): string {
  return `${id.owner}/${id.dseq}/${id.gseq}/${id.oseq}/${id.provider}`;
}

export function parseLeaseIdString(text: string): LeaseId {
  const parts = text.split("/");
  if (
    parts.length !== 5 ||
    !/^\d+$/.test(parts[1]!) ||
    !/^\d+$/.test(parts[2]!) ||
    !/^\d+$/.test(parts[3]!)
  ) {
    throw new Error(`"${text}" is not a lease id (owner/dseq/gseq/oseq/provider)`);
  }
  return {
    owner: parts[0]!,
    dseq: parts[1]!,
    gseq: Number(parts[2]),
    oseq: Number(parts[3]),
    provider: parts[4]!,
  };
}

export function sameLease(a: LeaseId, b: LeaseId): boolean {
  return leaseIdString(a) === leaseIdString(b);
}

export function sameDeployment(a: DeploymentId, b: DeploymentId): boolean {
  return a.owner === b.owner && a.dseq === b.dseq;
}

const BASE32HEX = "0123456789abcdefghijklmnopqrstuv";

/** Lowercase base32hex without padding (RFC 4648 §7), the alphabet Akash uses for DNS-safe names. */
export function base32hex(bytes: Uint8Array): string {
  let out = "";
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32HEX[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += BASE32HEX[(buffer << (5 - bits)) & 31];
  return out;
}

/**
 * Akash's lease namespace: base32hex(SHA-224(lease id)), 45 characters (reference: akash-provider.md §5.2).
 * The chain id is not part of it, so two devnets that reuse an address and a dseq get the same namespace:
 * cluster objects are therefore also told apart by their chain-id label, never by name alone.
 */
export function leaseNamespace(id: LeaseId): string {
  return base32hex(createHash("sha224").update(leaseIdString(id)).digest());
}

/**
 * Akash's generated ingress hostname label for a service: base32hex of a UUIDv5 (SHA-1, DNS namespace) over
 * `leaseId + serviceName`, 26 characters (reference: akash-provider.md §5.2).
 */
export function serviceHostLabel(id: LeaseId, service: string): string {
  const dnsNamespace = Buffer.from("6ba7b8109dad11d180b400c04fd430c8", "hex");
  const digest = createHash("sha1")
    .update(dnsNamespace)
    .update(leaseIdString(id) + service)
    .digest();
  const uuid = Uint8Array.from(digest.subarray(0, 16));
  uuid[6] = (uuid[6]! & 0x0f) | 0x50;
  uuid[8] = (uuid[8]! & 0x3f) | 0x80;
  return base32hex(uuid);
}
