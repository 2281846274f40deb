// What every module built on chain-sdk's (ts-proto) types does the same way: typed events, genesis in
// proto-JSON, address checks and the governance authority of MsgUpdateParams.

import { PageRequest, PageResponse } from "@akashnetwork/chain-sdk/private-types/cosmos.v1beta1";
import {
  PageRequest as CosmjsPageRequest,
  PageResponse as CosmjsPageResponse,
} from "cosmjs-types/cosmos/base/query/v1beta1/pagination";
import { type JsonObject, toJson, typedEvent } from "../../codec/json.js";
import { fromJson } from "../../codec/json-parse.js";
import {
  fromBech32Address,
  InvalidAddressError,
  moduleAddressBytes,
  toBech32Address,
} from "../../crypto/address.js";
import type { KVStore } from "../../store/types.js";
import type { Context } from "../context.js";
import { AppError, Errors } from "../errors.js";
import { defineMsg, type MsgDefinition, type MsgResponse, type ProtoCodec } from "../module.js";
import { paginate } from "../pagination.js";

/** A chain-sdk codec: `$type` is the full proto name. */
export interface SdkCodec<T> {
  readonly $type: string;
  encode(message: T): { finish(): Uint8Array };
  decode(bytes: Uint8Array): T;
  fromPartial(object: never): T;
}

/**
 * Emits a Cosmos typed event (type = full proto name, one JSON attribute per field; reference:
 * akash-chain.md §1.4), indexed so that `tx_search` and websocket subscriptions find it.
 */
export function emitTypedEvent<T>(ctx: Context, codec: SdkCodec<T>, message: T): void {
  const { type, attributes } = typedEvent(codec.$type, codec.encode(message).finish());
  ctx.events.emitEvent({ type, attributes: attributes.map((a) => ({ ...a, index: true })) });
}

/** A module's genesis from its proto-JSON entry in app_state (what `exportGenesis` writes). */
export function genesisFromJson<T>(codec: SdkCodec<T>, json: unknown): T {
  try {
    return codec.decode(fromJson(codec.$type, json ?? {}));
  } catch (e) {
    throw new Error(`invalid ${codec.$type} in genesis: ${(e as Error).message}`);
  }
}

export function genesisToJson<T>(codec: SdkCodec<T>, message: T): JsonObject {
  return toJson(codec.$type, codec.encode(message).finish());
}

/** Decodes a bech32 account address from a message, turning a malformed one into the module's own error. */
export function requireAddress(
  address: string,
  role: string,
  fail: (message: string) => AppError,
): Uint8Array {
  try {
    return fromBech32Address(address);
  } catch (e) {
    if (e instanceof InvalidAddressError) throw fail(`invalid ${role} address: ${e.message}`);
    throw e;
  }
}

/** A bech32 account address, or ErrInvalidAddress naming what it was for. */
export function checkAddress(address: string, role: string): Uint8Array {
  return requireAddress(address, role, Errors.invalidAddress);
}

/** The address MsgUpdateParams must come from: the gov module account, as in every Cosmos module. */
export const GOV_AUTHORITY = toBech32Address(moduleAddressBytes("gov"));

/** x/gov's ErrInvalidSigner (code 13), which modules return for a MsgUpdateParams from anyone else. */
export function checkAuthority(expected: string, got: string): void {
  if (expected !== got) {
    throw new AppError(
      "gov",
      13,
      `invalid authority; expected ${expected}, got ${got}: expected gov account as only signer for proposal message`,
    );
  }
}

/**
 * `paginate` for chain-sdk requests and responses: their 64-bit fields are `Long`, cosmjs-types' bigint. Both
 * are the same protobuf message, so converting through the wire bytes is exact.
 */
export function paginateSdk<T>(
  store: KVStore,
  prefix: Uint8Array,
  page: PageRequest | undefined,
  decode: (key: Uint8Array, value: Uint8Array) => T | undefined,
): { items: T[]; pagination: PageResponse } {
  const request = page ? CosmjsPageRequest.decode(PageRequest.encode(page).finish()) : undefined;
  const { items, pagination } = paginate(store, prefix, request, decode);
  return { items, pagination: PageResponse.decode(CosmjsPageResponse.encode(pagination).finish()) };
}

/** A message's response as the baseapp records it in TxMsgData; empty unless given. */
export function msgResponse<T>(
  codec: SdkCodec<T> & { fromPartial(object: object): T },
  message: T = codec.fromPartial({}),
): MsgResponse {
  return { typeUrl: `/${codec.$type}`, value: codec.encode(message).finish() };
}

/**
 * A module's MsgUpdateParams: signed by its authority (the gov module account), params checked statelessly
 * in validateBasic and stored as validated.
 */
export function updateParamsMsg<P, M extends { authority: string; params?: P }, R>(o: {
  typeUrl: string;
  codec: ProtoCodec<M>;
  response: SdkCodec<R> & { fromPartial(object: object): R };
  keeper: { readonly authority: string; setParams(ctx: Context, params: P): void };
  validate(params: P | undefined): P;
}): MsgDefinition<never> {
  return defineMsg<M>({
    typeUrl: o.typeUrl,
    codec: o.codec,
    signers: (msg) => [msg.authority],
    validateBasic(msg) {
      checkAddress(msg.authority, "authority");
      o.validate(msg.params);
    },
    handle(ctx, msg) {
      checkAuthority(o.keeper.authority, msg.authority);
      o.keeper.setParams(ctx, o.validate(msg.params));
      return msgResponse(o.response);
    },
  });
}
