// akash.take.v1.Query: the take rates.
import {
  Take_QueryParamsRequest as QueryParamsRequest,
  Take_QueryParamsResponse as QueryParamsResponse,
} from "@akashnetwork/chain-sdk/private-types/akash.v1";
import { defineQuery } from "../../module.js";
import type { TakeKeeper } from "./keeper.js";

export function takeQueries(take: TakeKeeper) {
  return [
    defineQuery({
      path: "/akash.take.v1.Query/Params",
      request: QueryParamsRequest,
      response: QueryParamsResponse,
      handle: (ctx) => ({ params: take.getParams(ctx) }),
    }),
  ];
}
