// akash.provider.v1beta4.Query: Providers (paged) and Provider (reference: akash-chain.md §5.1, §8).
import {
  Provider,
  QueryProviderRequest,
  QueryProviderResponse,
  QueryProvidersRequest,
  QueryProvidersResponse,
} from "@akashnetwork/chain-sdk/private-types/akash.v1beta4";
import { notFound } from "../../errors.js";
import { defineQuery } from "../../module.js";
import { parseAddressArg } from "../auth/queries.js";
import { paginateSdk } from "../chain-sdk.js";
import { PROVIDER_PREFIX, PROVIDER_STORE, type ProviderKeeper } from "./keeper.js";

export function providerQueries(keeper: ProviderKeeper) {
  return [
    defineQuery({
      path: "/akash.provider.v1beta4.Query/Providers",
      request: QueryProvidersRequest,
      response: QueryProvidersResponse,
      handle(ctx, req) {
        const { items, pagination } = paginateSdk(
          ctx.kv(PROVIDER_STORE),
          Uint8Array.of(PROVIDER_PREFIX),
          req.pagination,
          (_k, v) => Provider.decode(v),
        );
        return { providers: items, pagination };
      },
    }),
    defineQuery({
      path: "/akash.provider.v1beta4.Query/Provider",
      request: QueryProviderRequest,
      response: QueryProviderResponse,
      handle(ctx, req) {
        parseAddressArg(req.owner);
        const provider = keeper.get(ctx, req.owner);
        if (!provider) throw notFound(`provider ${req.owner} not found`);
        return { provider };
      },
    }),
  ];
}
