// Pagination for queries whose request and response types come from chain-sdk: its PageRequest/PageResponse
// carry 64-bit integers as `Long`, the app's paginate works with cosmjs-types' bigint. Both are the same
// protobuf message, so converting through the wire bytes is exact.
import {
  PageRequest as SdkPageRequest,
  PageResponse as SdkPageResponse,
} from "@akashnetwork/chain-sdk/private-types/cosmos.v1beta1";
import { PageRequest, PageResponse } from "cosmjs-types/cosmos/base/query/v1beta1/pagination";
import type { KVStore } from "../../../store/types.js";
import { paginate } from "../../pagination.js";

export function paginateSdk<T>(
  store: KVStore,
  prefix: Uint8Array,
  page: SdkPageRequest | undefined,
  decode: (key: Uint8Array, value: Uint8Array) => T | undefined,
): { items: T[]; pagination: SdkPageResponse } {
  const request = page ? PageRequest.decode(SdkPageRequest.encode(page).finish()) : undefined;
  const { items, pagination } = paginate(store, prefix, request, decode);
  return { items, pagination: SdkPageResponse.decode(PageResponse.encode(pagination).finish()) };
}
