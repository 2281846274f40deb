// Store keys of deployments and groups, shared with the market whose orders, bids and leases extend them.
// The owner comes first, length-prefixed, so that one owner's records are one key range; sequence numbers
// are big-endian so that they sort numerically.
const text = new TextEncoder();

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function ownerPart(owner: string): Uint8Array {
  const bytes = text.encode(owner);
  return concatBytes(Uint8Array.of(bytes.length), bytes);
}

export function u64(value: bigint): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, value);
  return out;
}

export function u32(value: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, value);
  return out;
}

/** A uint64 field of a chain-sdk message (a `Long`) as bigint. */
export function toBigInt(value: { toString(): string }): bigint {
  return BigInt(value.toString());
}

export const deploymentKeyOf = (owner: string, dseq: bigint) => concatBytes(ownerPart(owner), u64(dseq));

export const groupKeyOf = (owner: string, dseq: bigint, gseq: number) =>
  concatBytes(ownerPart(owner), u64(dseq), u32(gseq));

/** The value of an index entry: the store refuses empty values, and the key says everything. */
export const INDEX_VALUE = Uint8Array.of(1);
