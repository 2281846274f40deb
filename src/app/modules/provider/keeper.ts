// Provider records: one per owner address, stored as the `akash.provider.v1beta4.Provider` protobuf under
// 0x01 | len(owner) | owner (reference: akash-chain.md §5.1 "Store").
import { Provider } from "@akashnetwork/chain-sdk/private-types/akash.v1beta4";
import { fromBech32Address } from "../../../crypto/address.js";
import type { Context } from "../../context.js";
import { ProviderErrors } from "./errors.js";
import { providerEvents } from "./events.js";

export const PROVIDER_STORE = "provider";
export const PROVIDER_PREFIX = 0x01;

export function providerKey(owner: Uint8Array): Uint8Array {
  const key = new Uint8Array(2 + owner.length);
  key[0] = PROVIDER_PREFIX;
  key[1] = owner.length;
  key.set(owner, 2);
  return key;
}

/** `owner` arguments are bech32 account addresses; a malformed one throws (callers validate messages first). */
export class ProviderKeeper {
  /** The provider registered by `owner`, if any: what the market checks before accepting a bid. */
  get(ctx: Context, owner: string): Provider | undefined {
    const bytes = ctx.kv(PROVIDER_STORE).get(providerKey(fromBech32Address(owner)));
    return bytes ? Provider.decode(bytes) : undefined;
  }

  has(ctx: Context, owner: string): boolean {
    return ctx.kv(PROVIDER_STORE).has(providerKey(fromBech32Address(owner)));
  }

  /** Registers a new provider; an owner registers once (ErrProviderExists). */
  create(ctx: Context, provider: Provider): void {
    if (this.has(ctx, provider.owner)) {
      throw ProviderErrors.providerExists(`provider ${provider.owner} already exists`);
    }
    this.set(ctx, provider);
    providerEvents.created(ctx, provider.owner);
  }

  /** Replaces the whole record (host URI, attributes, info), as Akash's MsgUpdateProvider does. */
  update(ctx: Context, provider: Provider): void {
    if (!this.has(ctx, provider.owner)) {
      throw ProviderErrors.providerNotFound(`provider ${provider.owner} not found`);
    }
    this.set(ctx, provider);
    providerEvents.updated(ctx, provider.owner);
  }

  delete(ctx: Context, owner: string): void {
    const key = providerKey(fromBech32Address(owner));
    if (!ctx.kv(PROVIDER_STORE).has(key))
      throw ProviderErrors.providerNotFound(`provider ${owner} not found`);
    ctx.kv(PROVIDER_STORE).delete(key);
    providerEvents.deleted(ctx, owner);
  }

  /** Writes a record without checks or events (genesis import). */
  set(ctx: Context, provider: Provider): void {
    ctx
      .kv(PROVIDER_STORE)
      .set(providerKey(fromBech32Address(provider.owner)), Provider.encode(provider).finish());
  }

  /** Every provider, in store (owner-address byte) order. */
  *all(ctx: Context): Generator<Provider> {
    const prefix = Uint8Array.of(PROVIDER_PREFIX);
    for (const [, value] of ctx.kv(PROVIDER_STORE).iterator(prefix, Uint8Array.of(PROVIDER_PREFIX + 1))) {
      yield Provider.decode(value);
    }
  }
}
