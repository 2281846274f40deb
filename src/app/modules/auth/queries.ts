// cosmos.auth.v1beta1.Query: what cosmjs' getAccount/getSequence and wallets call (reference:
// cometbft-cosmos.md §3.6, §3.9).
import {
  QueryAccountRequest,
  QueryAccountResponse,
  QueryAccountsRequest,
  QueryAccountsResponse,
  QueryModuleAccountByNameRequest,
  QueryModuleAccountByNameResponse,
  QueryParamsRequest,
  QueryParamsResponse,
} from "cosmjs-types/cosmos/auth/v1beta1/query";
import { Any } from "cosmjs-types/google/protobuf/any";
import { fromBech32Address, InvalidAddressError, moduleAddressBytes } from "../../../crypto/address.js";
import { invalidArgument, notFound } from "../../errors.js";
import { defineQuery } from "../../module.js";
import { paginate } from "../../pagination.js";
import { encodeAccount } from "./codec.js";
import { type AccountKeeper, AUTH_STORE } from "./keeper.js";

export function parseAddressArg(address: string) {
  try {
    return fromBech32Address(address);
  } catch (e) {
    if (e instanceof InvalidAddressError) throw invalidArgument(e.message);
    throw e;
  }
}

export function authQueries(keeper: AccountKeeper) {
  return [
    defineQuery({
      path: "/cosmos.auth.v1beta1.Query/Account",
      request: QueryAccountRequest,
      response: QueryAccountResponse,
      handle(ctx, req) {
        const account = keeper.getAccount(ctx, parseAddressArg(req.address));
        if (!account) throw notFound(`account ${req.address} not found: key not found`);
        return { account: encodeAccount(account) };
      },
    }),
    defineQuery({
      path: "/cosmos.auth.v1beta1.Query/Accounts",
      request: QueryAccountsRequest,
      response: QueryAccountsResponse,
      handle(ctx, req) {
        const { items, pagination } = paginate(
          ctx.kv(AUTH_STORE),
          Uint8Array.of(0x01),
          req.pagination,
          (_k, v) => Any.decode(v),
        );
        return { accounts: items, pagination };
      },
    }),
    defineQuery({
      path: "/cosmos.auth.v1beta1.Query/ModuleAccountByName",
      request: QueryModuleAccountByNameRequest,
      response: QueryModuleAccountByNameResponse,
      handle(ctx, req) {
        if (req.name === "") throw invalidArgument("module name is empty");
        const account = keeper.getAccount(ctx, moduleAddressBytes(req.name));
        if (!account?.module) throw notFound(`account ${req.name} not found`);
        return { account: encodeAccount(account) };
      },
    }),
    defineQuery({
      path: "/cosmos.auth.v1beta1.Query/Params",
      request: QueryParamsRequest,
      response: QueryParamsResponse,
      handle: (ctx) => ({ params: keeper.getParams(ctx) }),
    }),
  ];
}
