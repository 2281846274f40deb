// Byte helpers shared by the store: ordering, equality, concatenation and the varints of the hashing formats.
// Keys are compared bytewise everywhere (IAVL, cache branches, the multistore's store-name order).

/** Bytewise comparison: negative if a < b, zero if equal, positive if a > b (a shorter prefix sorts first). */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = a.length < b.length ? a.length : b.length;
  for (let i = 0; i < n; i++) {
    const d = a[i]! - b[i]!;
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

// Buffer's own latin1 decoder, callable on any Uint8Array: half the cost of wrapping the key in a Buffer view
// first (~75 ns against ~140 ns for a 30-byte key). It is not in Node's typings, so it is looked up, with the
// documented path as the fallback.
const latin1Slice = (Buffer.prototype as unknown as { latin1Slice?: (start: number, end: number) => string })
  .latin1Slice;

/**
 * A string whose JS ordering (UTF-16 code units) equals the bytewise ordering of `key`: one char per byte.
 * Used as a Map key by the cache branches, so that lookups are hash lookups and sorting is native.
 */
export function keyString(key: Uint8Array): string {
  if (latin1Slice !== undefined) return latin1Slice.call(key, 0, key.length);
  return Buffer.from(key.buffer, key.byteOffset, key.length).toString("latin1");
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString("hex");
}

export function utf8(s: string): Uint8Array {
  return new Uint8Array(Buffer.from(s, "utf8"));
}

// Varints as Go's encoding/binary writes them. Values are non-negative integers below 2^53 (versions, sizes,
// lengths, node ids), so the arithmetic is done with division rather than 32-bit bitwise operators.

/** Length in bytes of the unsigned varint of n. */
export function uvarintLength(n: number): number {
  let len = 1;
  while (n >= 128) {
    n = Math.floor(n / 128);
    len++;
  }
  return len;
}

/** Writes the unsigned varint of n at offset; returns the offset after it. */
export function putUvarint(buf: Uint8Array, offset: number, n: number): number {
  while (n >= 128) {
    buf[offset++] = (n % 128) | 0x80;
    n = Math.floor(n / 128);
  }
  buf[offset++] = n;
  return offset;
}

/** Go `binary.PutVarint` of a non-negative n: the zigzag form is 2n. */
export function zigzagLength(n: number): number {
  return uvarintLength(n * 2);
}

export function putZigzag(buf: Uint8Array, offset: number, n: number): number {
  return putUvarint(buf, offset, n * 2);
}

/** Reads varints and byte runs from a buffer, front to back. */
export class ByteReader {
  pos: number;

  constructor(
    readonly buf: Uint8Array,
    pos = 0,
  ) {
    this.pos = pos;
  }

  uvarint(): number {
    const buf = this.buf;
    let n = 0;
    let mul = 1;
    for (;;) {
      if (this.pos >= buf.length) throw new Error("truncated varint");
      const b = buf[this.pos++]!;
      n += (b & 0x7f) * mul;
      if (b < 0x80) return n;
      mul *= 128;
      if (mul > 2 ** 49) throw new Error("varint out of range");
    }
  }

  /** A Go signed (zigzag) varint. */
  zigzag(): number {
    const u = this.uvarint();
    return u % 2 === 0 ? u / 2 : -(u + 1) / 2;
  }

  /** A view of the next n bytes (no copy). */
  bytes(n: number): Uint8Array {
    if (this.pos + n > this.buf.length) throw new Error("truncated bytes");
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  remaining(): number {
    return this.buf.length - this.pos;
  }
}
