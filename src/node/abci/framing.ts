// ABCI's socket framing: every message is `uvarint(length) || protobuf bytes`, the length an *unsigned*
// LEB128 varint as Go's binary.PutUvarint writes it (CometBFT v0.38 libs/protoio; Tendermint < 0.35 used a
// zigzag varint, v0.38 does not). The Go reader accepts messages up to 2^31−1 bytes.
// reference: cometbft-cosmos.md §1.2
import { Request, Response } from "cosmjs-types/tendermint/abci/types";

/** The largest message the Go reader accepts (protoio's maxMsgSize is an int32). */
export const MAX_MESSAGE_BYTES = 2 ** 31 - 1;

export class FramingError extends Error {}

/** `uvarint(n)` as binary.PutUvarint writes it. */
export function encodeUvarint(n: number): Uint8Array {
  if (!Number.isSafeInteger(n) || n < 0) throw new FramingError(`cannot encode ${n} as a uvarint`);
  const out: number[] = [];
  let v = n;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
  return Uint8Array.from(out);
}

/**
 * Reads a uvarint at `offset`: `{value, size}`, or undefined when the buffer ends first. A varint longer than
 * the largest frame we accept is an error, not a wait for more bytes.
 */
export function decodeUvarint(buf: Uint8Array, offset = 0): { value: number; size: number } | undefined {
  let value = 0;
  let scale = 1;
  for (let i = 0; offset + i < buf.length; i++) {
    const b = buf[offset + i]!;
    value += (b & 0x7f) * scale;
    if (value > MAX_MESSAGE_BYTES) throw new FramingError("message length exceeds 2^31-1 bytes");
    if ((b & 0x80) === 0) return { value, size: i + 1 };
    scale *= 0x80;
  }
  return undefined;
}

/** One length-prefixed frame around `payload`. */
export function frame(payload: Uint8Array): Uint8Array {
  const prefix = encodeUvarint(payload.length);
  const out = new Uint8Array(prefix.length + payload.length);
  out.set(prefix, 0);
  out.set(payload, prefix.length);
  return out;
}

/**
 * Reassembles frames from a byte stream cut anywhere: TCP delivers a frame in pieces, or several frames in one
 * chunk. `push` a chunk, then take every complete payload it finished.
 */
export class FrameDecoder {
  private chunks: Uint8Array[] = [];
  private buffered = 0;

  /** Bytes received that do not yet make a whole frame. */
  get pending(): number {
    return this.buffered;
  }

  push(chunk: Uint8Array): Uint8Array[] {
    if (chunk.length === 0) return [];
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const buf = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.buffered);
    const frames: Uint8Array[] = [];
    let offset = 0;
    for (;;) {
      const len = decodeUvarint(buf, offset);
      if (!len || offset + len.size + len.value > buf.length) break;
      const start = offset + len.size;
      frames.push(buf.subarray(start, start + len.value));
      offset = start + len.value;
    }
    const rest = buf.subarray(offset);
    this.chunks = rest.length > 0 ? [rest] : [];
    this.buffered = rest.length;
    return frames;
  }
}

export function encodeRequest(req: Request): Uint8Array {
  return frame(Request.encode(req).finish());
}

export function encodeResponse(res: Response): Uint8Array {
  return frame(Response.encode(res).finish());
}
