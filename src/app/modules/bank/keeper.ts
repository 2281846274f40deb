// Balances, supply, denom metadata and send-enabled flags. Amounts are bigint and stored as decimal strings,
// as the SDK stores math.Int. Only this keeper moves coins; every move emits the SDK's events.
import { Metadata, Params } from "cosmjs-types/cosmos/bank/v1beta1/bank";
import { fromBech32Address, moduleAddressBytes, toBech32Address } from "../../../crypto/address.js";
import { BoundedMemo } from "../../../crypto/memo.js";
import { keyString } from "../../../store/index.js";
import { type Amount, formatCoins } from "../../coins.js";
import type { Context } from "../../context.js";
import { BankErrors, Errors } from "../../errors.js";
import { prefixEnd } from "../../pagination.js";
import type { AccountKeeper } from "../auth/keeper.js";
import { bankEvents } from "./events.js";
import { defaultBankParams } from "./params.js";

export const BANK_STORE = "bank";

export const SUPPLY_PREFIX = 0x00;
export const METADATA_PREFIX = 0x01;
export const BALANCE_PREFIX = 0x02;
export const SEND_ENABLED_PREFIX = 0x04;
const PARAMS_KEY = Uint8Array.of(0x05);

const text = new TextEncoder();
const untext = new TextDecoder();

// Every balance read or write builds a key with the denom's UTF-8 bytes; there are few denoms, so their bytes
// are kept (never handed out: only copied into keys).
const denomBytesMemo = new BoundedMemo<string, Uint8Array>(1024);

function denomBytes(denom: string): Uint8Array {
  let bytes = denomBytesMemo.get(denom);
  if (bytes === undefined) {
    bytes = text.encode(denom);
    denomBytesMemo.set(denom, bytes);
  }
  return bytes;
}

export function denomKey(prefix: number, denom: string): Uint8Array {
  const d = denomBytes(denom);
  const key = new Uint8Array(1 + d.length);
  key[0] = prefix;
  key.set(d, 1);
  return key;
}

/** 0x02 | len(address) | address: the prefix of one account's balances. */
export function balancesPrefix(address: Uint8Array): Uint8Array {
  const key = new Uint8Array(2 + address.length);
  key[0] = BALANCE_PREFIX;
  key[1] = address.length;
  key.set(address, 2);
  return key;
}

function balanceKey(address: Uint8Array, denom: string): Uint8Array {
  const d = denomBytes(denom);
  const key = new Uint8Array(2 + address.length + d.length);
  key[0] = BALANCE_PREFIX;
  key[1] = address.length;
  key.set(address, 2);
  key.set(d, 2 + address.length);
  return key;
}

/** The amount's decimal digits (ASCII, so its UTF-8 bytes are its char codes). */
export function encodeAmount(amount: bigint): Uint8Array {
  const digits = amount.toString();
  const bytes = new Uint8Array(digits.length);
  for (let i = 0; i < digits.length; i++) bytes[i] = digits.charCodeAt(i);
  return bytes;
}

/** BigInt of the UTF-8 text; up to 15 plain digits (below 2^53) are summed directly, which is the same. */
export function decodeAmount(bytes: Uint8Array): bigint {
  if (bytes.length > 15) return BigInt(untext.decode(bytes));
  let n = 0;
  for (let i = 0; i < bytes.length; i++) {
    const digit = bytes[i]! - 0x30;
    if (digit < 0 || digit > 9) return BigInt(untext.decode(bytes));
    n = n * 10 + digit;
  }
  return BigInt(n);
}

export const decodeDenom = (key: Uint8Array, prefixLength: number) =>
  untext.decode(key.subarray(prefixLength));

export class BankKeeper {
  /** Module accounts may not receive funds by MsgSend (the SDK's blocked addresses). */
  private readonly blocked = new Set<string>();
  private readonly decodedParams = new BoundedMemo<string, Params>(4);

  constructor(private readonly accounts: AccountKeeper) {}

  blockModuleAccount(name: string): void {
    this.blocked.add(toBech32Address(moduleAddressBytes(name)));
  }

  isBlocked(address: string): boolean {
    return this.blocked.has(address);
  }

  getParams(ctx: Context): Params {
    const bytes = ctx.kv(BANK_STORE).get(PARAMS_KEY);
    if (!bytes) return defaultBankParams();
    // Every send reads the params; they change only by governance, so their decoded form is kept.
    const key = keyString(bytes);
    let params = this.decodedParams.get(key);
    if (params === undefined) {
      params = Params.decode(bytes);
      this.decodedParams.set(key, params);
    }
    return {
      sendEnabled: params.sendEnabled.map((e) => ({ denom: e.denom, enabled: e.enabled })),
      defaultSendEnabled: params.defaultSendEnabled,
    };
  }

  setParams(ctx: Context, params: Params): void {
    ctx.kv(BANK_STORE).set(PARAMS_KEY, Params.encode({ ...params, sendEnabled: [] }).finish());
  }

  getBalance(ctx: Context, address: Uint8Array, denom: string): bigint {
    const bytes = ctx.kv(BANK_STORE).get(balanceKey(address, denom));
    return bytes ? decodeAmount(bytes) : 0n;
  }

  getAllBalances(ctx: Context, address: Uint8Array): Amount[] {
    const prefix = balancesPrefix(address);
    const out: Amount[] = [];
    for (const [key, value] of ctx.kv(BANK_STORE).iterator(prefix, prefixEnd(prefix))) {
      out.push({ denom: decodeDenom(key, prefix.length), amount: decodeAmount(value) });
    }
    return out;
  }

  private setBalance(ctx: Context, address: Uint8Array, denom: string, amount: bigint): void {
    const key = balanceKey(address, denom);
    if (amount === 0n) ctx.kv(BANK_STORE).delete(key);
    else ctx.kv(BANK_STORE).set(key, encodeAmount(amount));
  }

  getSupply(ctx: Context, denom: string): bigint {
    const bytes = ctx.kv(BANK_STORE).get(denomKey(SUPPLY_PREFIX, denom));
    return bytes ? decodeAmount(bytes) : 0n;
  }

  private setSupply(ctx: Context, denom: string, amount: bigint): void {
    const key = denomKey(SUPPLY_PREFIX, denom);
    if (amount === 0n) ctx.kv(BANK_STORE).delete(key);
    else ctx.kv(BANK_STORE).set(key, encodeAmount(amount));
  }

  getDenomMetadata(ctx: Context, denom: string): Metadata | undefined {
    const bytes = ctx.kv(BANK_STORE).get(denomKey(METADATA_PREFIX, denom));
    return bytes ? Metadata.decode(bytes) : undefined;
  }

  setDenomMetadata(ctx: Context, metadata: Metadata): void {
    ctx.kv(BANK_STORE).set(denomKey(METADATA_PREFIX, metadata.base), Metadata.encode(metadata).finish());
  }

  /** The per-denom flag, or undefined when the denom follows the default. */
  getSendEnabledEntry(ctx: Context, denom: string): boolean | undefined {
    const bytes = ctx.kv(BANK_STORE).get(denomKey(SEND_ENABLED_PREFIX, denom));
    return bytes ? bytes[0] === 1 : undefined;
  }

  setSendEnabled(ctx: Context, denom: string, enabled: boolean): void {
    ctx.kv(BANK_STORE).set(denomKey(SEND_ENABLED_PREFIX, denom), Uint8Array.of(enabled ? 1 : 0));
  }

  isSendEnabled(ctx: Context, denom: string): boolean {
    return this.getSendEnabledEntry(ctx, denom) ?? this.getParams(ctx).defaultSendEnabled;
  }

  /** Throws ErrSendDisabled for the first coin whose transfers are disabled. */
  assertSendEnabled(ctx: Context, coins: readonly Amount[]): void {
    for (const c of coins) {
      if (!this.isSendEnabled(ctx, c.denom))
        throw BankErrors.sendDisabled(`${c.denom} transfers are currently disabled`);
    }
  }

  /** Takes coins from an account; fails without writing anything if any balance is short. */
  subtractCoins(
    ctx: Context,
    address: Uint8Array,
    bech32: string,
    coins: readonly Amount[],
    formatted = formatCoins(coins),
  ): void {
    const balances = coins.map((c) => this.getBalance(ctx, address, c.denom));
    coins.forEach((c, i) => {
      if (balances[i]! < c.amount) {
        throw Errors.insufficientFunds(
          `spendable balance ${balances[i]}${c.denom} is smaller than ${c.amount}${c.denom}: insufficient funds`,
        );
      }
    });
    coins.forEach((c, i) => {
      this.setBalance(ctx, address, c.denom, balances[i]! - c.amount);
    });
    bankEvents.coinSpent(ctx, bech32, formatted);
  }

  addCoins(
    ctx: Context,
    address: Uint8Array,
    bech32: string,
    coins: readonly Amount[],
    formatted = formatCoins(coins),
  ): void {
    for (const c of coins)
      this.setBalance(ctx, address, c.denom, this.getBalance(ctx, address, c.denom) + c.amount);
    bankEvents.coinReceived(ctx, bech32, formatted);
  }

  /** Moves coins between accounts, creating the recipient's account on first receipt (x/bank SendCoins). */
  sendCoins(ctx: Context, from: string, to: string, coins: readonly Amount[]): void {
    const fromBytes = fromBech32Address(from);
    const toBytes = fromBech32Address(to);
    const formatted = formatCoins(coins);
    this.subtractCoins(ctx, fromBytes, from, coins, formatted);
    this.addCoins(ctx, toBytes, to, coins, formatted);
    if (!this.accounts.hasAccount(ctx, toBytes)) {
      this.accounts.setAccount(ctx, this.accounts.newAccount(ctx, toBytes));
    }
    bankEvents.transfer(ctx, to, from, formatted);
    bankEvents.messageSender(ctx, from);
  }

  sendCoinsFromAccountToModule(ctx: Context, from: string, module: string, coins: readonly Amount[]): void {
    const account = this.accounts.getOrCreateModuleAccount(ctx, module);
    this.sendCoins(ctx, from, account.address, coins);
  }

  sendCoinsFromModuleToAccount(ctx: Context, module: string, to: string, coins: readonly Amount[]): void {
    const account = this.accounts.getOrCreateModuleAccount(ctx, module);
    this.sendCoins(ctx, account.address, to, coins);
  }

  /** Creates coins in an account and the supply. Only genesis uses it: DeCloud has no inflation yet. */
  mintCoins(ctx: Context, address: Uint8Array, coins: readonly Amount[]): void {
    for (const c of coins) {
      this.setBalance(ctx, address, c.denom, this.getBalance(ctx, address, c.denom) + c.amount);
      this.setSupply(ctx, c.denom, this.getSupply(ctx, c.denom) + c.amount);
    }
  }
}
