// Accounts: number, sequence and public key of every address that has ever held funds or signed
// (reference: cometbft-cosmos.md §3.6). Stored as `Any` so base and module accounts share one keyspace.
import { Params } from "cosmjs-types/cosmos/auth/v1beta1/auth";
import { Any } from "cosmjs-types/google/protobuf/any";
import { fromBech32Address, moduleAddressBytes, toBech32Address } from "../../../crypto/address.js";
import { BoundedMemo } from "../../../crypto/memo.js";
import { keyString } from "../../../store/index.js";
import type { Context } from "../../context.js";
import { AccountCodec, decodeAccount } from "./codec.js";
import { defaultAuthParams } from "./params.js";

export const AUTH_STORE = "acc";

const PARAMS_KEY = Uint8Array.of(0x00);
const ACCOUNT_PREFIX = 0x01;
const ACCOUNT_NUMBER_KEY = Uint8Array.of(0x02);

export interface Account {
  address: string;
  pubKey?: Any;
  accountNumber: bigint;
  sequence: bigint;
  /** Set for module accounts. */
  module?: { name: string; permissions: string[] };
}

function accountKey(address: Uint8Array): Uint8Array {
  const key = new Uint8Array(1 + address.length);
  key[0] = ACCOUNT_PREFIX;
  key.set(address, 1);
  return key;
}

export class AccountKeeper {
  private readonly codec = new AccountCodec();
  private readonly decodedParams = new BoundedMemo<string, Params>(4);

  getParams(ctx: Context): Params {
    const bytes = ctx.kv(AUTH_STORE).get(PARAMS_KEY);
    if (!bytes) return defaultAuthParams();
    // Every ante run reads the params; they change only by governance, so their decoded form is kept.
    const key = keyString(bytes);
    let params = this.decodedParams.get(key);
    if (params === undefined) {
      params = Params.decode(bytes);
      this.decodedParams.set(key, params);
    }
    return { ...params };
  }

  setParams(ctx: Context, params: Params): void {
    ctx.kv(AUTH_STORE).set(PARAMS_KEY, Params.encode(params).finish());
  }

  getAccount(ctx: Context, address: Uint8Array): Account | undefined {
    const bytes = ctx.kv(AUTH_STORE).get(accountKey(address));
    if (!bytes) return undefined;
    return this.codec.decode(bytes);
  }

  hasAccount(ctx: Context, address: Uint8Array): boolean {
    return ctx.kv(AUTH_STORE).has(accountKey(address));
  }

  setAccount(ctx: Context, account: Account): void {
    const address = fromBech32Address(account.address);
    ctx.kv(AUTH_STORE).set(accountKey(address), this.codec.encode(account));
  }

  /** Creates an account with the next global account number (not yet stored: call setAccount). */
  newAccount(ctx: Context, address: Uint8Array): Account {
    return { address: toBech32Address(address), accountNumber: this.nextAccountNumber(ctx), sequence: 0n };
  }

  /** The module account of `name`, created on first use. */
  getOrCreateModuleAccount(ctx: Context, name: string, permissions: string[] = []): Account {
    const address = moduleAddressBytes(name);
    const existing = this.getAccount(ctx, address);
    if (existing) return existing;
    const account = { ...this.newAccount(ctx, address), module: { name, permissions } };
    this.setAccount(ctx, account);
    return account;
  }

  *allAccounts(ctx: Context): Generator<Account> {
    const store = ctx.kv(AUTH_STORE);
    for (const [, value] of store.iterator(
      Uint8Array.of(ACCOUNT_PREFIX),
      Uint8Array.of(ACCOUNT_PREFIX + 1),
    )) {
      yield decodeAccount(Any.decode(value));
    }
  }

  /** Makes sure the next new account gets a number above `used` (genesis accounts keep their numbers). */
  reserveAccountNumber(ctx: Context, used: bigint): void {
    const bytes = ctx.kv(AUTH_STORE).get(ACCOUNT_NUMBER_KEY);
    const next = bytes ? Buffer.from(bytes).readBigUInt64BE() : 0n;
    if (used < next) return;
    const buf = Buffer.alloc(8);
    buf.writeBigUInt64BE(used + 1n);
    ctx.kv(AUTH_STORE).set(ACCOUNT_NUMBER_KEY, buf);
  }

  private nextAccountNumber(ctx: Context): bigint {
    const store = ctx.kv(AUTH_STORE);
    const bytes = store.get(ACCOUNT_NUMBER_KEY);
    const next = bytes ? Buffer.from(bytes).readBigUInt64BE() : 0n;
    const buf = Buffer.alloc(8);
    buf.writeBigUInt64BE(next + 1n);
    store.set(ACCOUNT_NUMBER_KEY, buf);
    return next;
  }
}
