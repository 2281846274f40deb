// SHA-256, the only hash of IAVL, the multistore and ICS-23 (reference: cometbft-cosmos.md §4).
//
// Tree nodes keep their hash as a 32-char "latin1" string (one char per byte) rather than as bytes: crypto.hash
// returns a string ("binary" = latin1) on the JS heap in ~0.3 µs, against ~1 µs for a Buffer (a separately allocated backing store
// per hash, and the GC work to free it), measured over a million hashes. Bytes are made only at the edges
// (app hash, proofs).
import { hash } from "node:crypto";

/** A SHA-256 digest as 32 chars, char code = byte. */
export type Digest = string;

export function sha256(data: Uint8Array): Uint8Array {
  return hash("sha256", data, "buffer");
}

export function sha256Digest(data: Uint8Array): Digest {
  return hash("sha256", data, "binary");
}

export function digestBytes(digest: Digest): Uint8Array {
  return Buffer.from(digest, "latin1");
}

/** SHA-256 of nothing: the hash of an empty IAVL tree and of an empty simple Merkle tree. */
export const EMPTY_HASH: Uint8Array = sha256(new Uint8Array(0));
export const EMPTY_DIGEST: Digest = sha256Digest(new Uint8Array(0));

// Node hashing builds its preimage in one reused buffer (a fresh buffer per hash costs a third of the hash
// itself). Hashing is synchronous, so one buffer serves.
let scratch = Buffer.allocUnsafeSlow(1024);
/** Views of the first n bytes of scratch, by n: preimage lengths repeat, so views are made once. */
let views: (Uint8Array | undefined)[] = [];

/** The shared preimage buffer, at least n bytes long. Valid until the next call to scratchBuffer. */
export function scratchBuffer(n: number): Buffer {
  if (scratch.length < n) {
    scratch = Buffer.allocUnsafeSlow(Math.max(n, scratch.length * 2));
    views = [];
  }
  return scratch;
}

/** SHA-256 of the first n bytes of the scratch buffer. */
export function sha256Scratch(n: number): Digest {
  let view = views[n];
  if (view === undefined) {
    view = new Uint8Array(scratch.buffer, scratch.byteOffset, n);
    views[n] = view;
  }
  return hash("sha256", view, "binary");
}
