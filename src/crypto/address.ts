// Account addresses (reference: cometbft-cosmos.md §3.5).
import { createHash, hash } from "node:crypto";
import { fromBech32, toBech32 } from "@cosmjs/encoding";
import { BECH32_PREFIX } from "../params/chain.js";
import { BoundedMemo } from "./memo.js";

export function sha256(data: Uint8Array): Uint8Array {
  return hash("sha256", data, "buffer");
}

/** RIPEMD160(SHA256(compressed pubkey)): the 20-byte account address of a secp256k1 key. */
export function pubkeyToAddressBytes(pubkey: Uint8Array): Uint8Array {
  return createHash("ripemd160").update(sha256(pubkey)).digest();
}

const moduleAddresses = new Map<string, Uint8Array>();

/** A module account's address: the first 20 bytes of SHA256(module name), as the Cosmos SDK derives it. */
export function moduleAddressBytes(moduleName: string): Uint8Array {
  let address = moduleAddresses.get(moduleName);
  if (!address) {
    address = sha256(new TextEncoder().encode(moduleName)).subarray(0, 20);
    moduleAddresses.set(moduleName, address);
  }
  // A copy (a plain Uint8Array: Buffer's slice would share the memory): callers own the bytes they get.
  return new Uint8Array(address);
}

// A bounded memo of bech32 conversions. Every tx converts the same few addresses several times (signers, fee
// payer, bank keys), and bech32's checksum is a large share of a bank send's CPU.
// One memo per prefix, keyed by the address (or the bytes' hex): the strings a tx carries are hashed once.
const encodedMemos = new Map<string, BoundedMemo<string, string>>();
const decodedMemos = new Map<string, BoundedMemo<string, Uint8Array>>();

function memoFor<V>(memos: Map<string, BoundedMemo<string, V>>, prefix: string): BoundedMemo<string, V> {
  let memo = memos.get(prefix);
  if (memo === undefined) {
    memo = new BoundedMemo(20_000);
    memos.set(prefix, memo);
  }
  return memo;
}

export function toBech32Address(bytes: Uint8Array, prefix = BECH32_PREFIX): string {
  const memo = memoFor(encodedMemos, prefix);
  const key = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString("hex");
  let address = memo.get(key);
  if (address === undefined) {
    address = toBech32(prefix, bytes);
    memo.set(key, address);
  }
  return address;
}

export class InvalidAddressError extends Error {}

/** Decodes a bech32 account address, checking the prefix and the length (20 or 32 bytes, as the SDK allows). */
export function fromBech32Address(address: string, prefix = BECH32_PREFIX): Uint8Array {
  const memo = memoFor(decodedMemos, prefix);
  const known = memo.get(address);
  // A copy (a plain Uint8Array: Buffer's slice would share the memory): callers own the bytes they get.
  if (known) return new Uint8Array(known);
  const bytes = decodeBech32Address(address, prefix);
  memo.set(address, new Uint8Array(bytes));
  return bytes;
}

function decodeBech32Address(address: string, prefix: string): Uint8Array {
  if (address === "") throw new InvalidAddressError("empty address string is not allowed");
  let decoded: { prefix: string; data: Uint8Array };
  try {
    decoded = fromBech32(address, 1023);
  } catch (e) {
    throw new InvalidAddressError(`invalid address ${address}: ${(e as Error).message}`);
  }
  if (decoded.prefix !== prefix) {
    throw new InvalidAddressError(`invalid Bech32 prefix; expected ${prefix}, got ${decoded.prefix}`);
  }
  if (decoded.data.length !== 20 && decoded.data.length !== 32) {
    throw new InvalidAddressError(`address ${address} has ${decoded.data.length} bytes; expected 20 or 32`);
  }
  return decoded.data;
}

export function isValidAddress(address: string): boolean {
  try {
    fromBech32Address(address);
    return true;
  } catch {
    return false;
  }
}
