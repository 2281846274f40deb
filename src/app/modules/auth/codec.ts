// How accounts are stored: an `Any` holding a BaseAccount or a ModuleAccount. Every tx reads its signers' and
// the fee collector's accounts and writes its signers' back (several times: CheckTx, each RECHECK, the block),
// so the common case is done by hand here: base accounts are encoded without protobufjs-style writers, and the
// decoded form of recently stored bytes is remembered. Both give exactly what cosmjs-types would.
import { BaseAccount, ModuleAccount } from "cosmjs-types/cosmos/auth/v1beta1/auth";
import { Any } from "cosmjs-types/google/protobuf/any";
import { BoundedMemo } from "../../../crypto/memo.js";
import { keyString, putUvarint, uvarintLength } from "../../../store/index.js";
import type { Account } from "./keeper.js";

export const BASE_ACCOUNT_TYPE = "/cosmos.auth.v1beta1.BaseAccount";
export const MODULE_ACCOUNT_TYPE = "/cosmos.auth.v1beta1.ModuleAccount";

export function encodeAccount(account: Account): Any {
  const base = BaseAccount.fromPartial({
    address: account.address,
    pubKey: account.pubKey,
    accountNumber: account.accountNumber,
    sequence: account.sequence,
  });
  if (account.module) {
    return {
      typeUrl: MODULE_ACCOUNT_TYPE,
      value: ModuleAccount.encode({
        baseAccount: base,
        name: account.module.name,
        permissions: account.module.permissions,
      }).finish(),
    };
  }
  return { typeUrl: BASE_ACCOUNT_TYPE, value: BaseAccount.encode(base).finish() };
}

export function decodeAccount(any: Any): Account {
  if (any.typeUrl === MODULE_ACCOUNT_TYPE) {
    const m = ModuleAccount.decode(any.value);
    const b = m.baseAccount!;
    return {
      address: b.address,
      pubKey: b.pubKey,
      accountNumber: b.accountNumber,
      sequence: b.sequence,
      module: { name: m.name, permissions: m.permissions },
    };
  }
  const b = BaseAccount.decode(any.value);
  return { address: b.address, pubKey: b.pubKey, accountNumber: b.accountNumber, sequence: b.sequence };
}

/** A copy that shares nothing mutable with `a`, in the shape decodeAccount gives. */
function copyAccount(a: Account): Account {
  const pk = a.pubKey;
  const copy: Account = {
    address: a.address,
    pubKey: pk === undefined ? undefined : { typeUrl: pk.typeUrl, value: new Uint8Array(pk.value) },
    accountNumber: a.accountNumber,
    sequence: a.sequence,
  };
  if (a.module) copy.module = { name: a.module.name, permissions: [...a.module.permissions] };
  return copy;
}

const MAX_VARINT_NUMBER = BigInt(Number.MAX_SAFE_INTEGER);

/** Length in bytes of an ASCII string (= its UTF-8 length), or -1 if it is not ASCII. */
function asciiLength(s: string): number {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return -1;
  return s.length;
}

function putAscii(out: Uint8Array, pos: number, s: string): number {
  for (let i = 0; i < s.length; i++) out[pos++] = s.charCodeAt(i);
  return pos;
}

/** `Any { type_url = 1: BASE_ACCOUNT_TYPE, value = 2: … }` up to the value's length. */
const BASE_ANY_PREFIX = Uint8Array.of(
  0x0a,
  BASE_ACCOUNT_TYPE.length,
  ...Buffer.from(BASE_ACCOUNT_TYPE),
  0x12,
);

/**
 * Any(BaseAccount) as cosmjs-types encodes it (fields in number order, defaults left out), for the accounts a tx
 * writes: ASCII strings, numbers below 2^53. Undefined for anything else (module accounts among them).
 */
function encodeBaseAccountAny(a: Account): Uint8Array | undefined {
  const { address, pubKey, accountNumber, sequence } = a;
  if (a.module !== undefined || typeof address !== "string" || address === "") return undefined;
  if (typeof accountNumber !== "bigint" || accountNumber < 0n || accountNumber > MAX_VARINT_NUMBER)
    return undefined;
  if (typeof sequence !== "bigint" || sequence < 0n || sequence > MAX_VARINT_NUMBER) return undefined;
  const addressLength = asciiLength(address);
  if (addressLength < 0) return undefined;
  let length = 1 + uvarintLength(addressLength) + addressLength;
  // pubKey = 2: Any { type_url = 1, value = 2 }, written even when empty
  let typeUrlLength = 0;
  let keyLength = 0;
  let pubKeyLength = 0;
  if (pubKey !== undefined) {
    if (pubKey === null || typeof pubKey.typeUrl !== "string" || !(pubKey.value instanceof Uint8Array))
      return undefined;
    typeUrlLength = asciiLength(pubKey.typeUrl);
    if (typeUrlLength < 0) return undefined;
    keyLength = pubKey.value.length;
    if (typeUrlLength > 0) pubKeyLength += 1 + uvarintLength(typeUrlLength) + typeUrlLength;
    if (keyLength > 0) pubKeyLength += 1 + uvarintLength(keyLength) + keyLength;
    length += 1 + uvarintLength(pubKeyLength) + pubKeyLength;
  }
  const number = Number(accountNumber);
  const seq = Number(sequence);
  if (number !== 0) length += 1 + uvarintLength(number);
  if (seq !== 0) length += 1 + uvarintLength(seq);

  const out = new Uint8Array(BASE_ANY_PREFIX.length + uvarintLength(length) + length);
  out.set(BASE_ANY_PREFIX);
  let p = putUvarint(out, BASE_ANY_PREFIX.length, length);
  out[p++] = 0x0a;
  p = putUvarint(out, p, addressLength);
  p = putAscii(out, p, address);
  if (pubKey !== undefined) {
    out[p++] = 0x12;
    p = putUvarint(out, p, pubKeyLength);
    if (typeUrlLength > 0) {
      out[p++] = 0x0a;
      p = putUvarint(out, p, typeUrlLength);
      p = putAscii(out, p, pubKey.typeUrl);
    }
    if (keyLength > 0) {
      out[p++] = 0x12;
      p = putUvarint(out, p, keyLength);
      out.set(pubKey.value, p);
      p += keyLength;
    }
  }
  if (number !== 0) {
    out[p++] = 0x18;
    p = putUvarint(out, p, number);
  }
  if (seq !== 0) {
    out[p++] = 0x20;
    p = putUvarint(out, p, seq);
  }
  return out;
}

/**
 * Encodes and decodes stored accounts, remembering the decoded form of up to `capacity` values recently
 * stored or read (by content). The remembered accounts are never handed out: callers get copies.
 */
export class AccountCodec {
  private readonly decoded: BoundedMemo<string, Account>;

  constructor(capacity = 20_000) {
    this.decoded = new BoundedMemo(capacity);
  }

  encode(account: Account): Uint8Array {
    const bytes = encodeBaseAccountAny(account);
    if (bytes === undefined) return Any.encode(encodeAccount(account)).finish();
    // What decodeAccount would give for these bytes: the fast path only takes accounts that round-trip.
    this.decoded.set(keyString(bytes), copyAccount(account));
    return bytes;
  }

  decode(bytes: Uint8Array): Account {
    const key = keyString(bytes);
    let account = this.decoded.get(key);
    if (account === undefined) {
      account = decodeAccount(Any.decode(bytes));
      this.decoded.set(key, account);
    }
    return copyAccount(account);
  }
}
