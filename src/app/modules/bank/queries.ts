// cosmos.bank.v1beta1.Query: balances, supply, metadata, params, send-enabled (reference:
// cometbft-cosmos.md §3.9 — cosmjs asserts `balance` is present, so an empty balance is `0<denom>`).
import { Metadata } from "cosmjs-types/cosmos/bank/v1beta1/bank";
import {
  QueryAllBalancesRequest,
  QueryAllBalancesResponse,
  QueryBalanceRequest,
  QueryBalanceResponse,
  QueryDenomMetadataRequest,
  QueryDenomMetadataResponse,
  QueryDenomsMetadataRequest,
  QueryDenomsMetadataResponse,
  QueryParamsRequest,
  QueryParamsResponse,
  QuerySendEnabledRequest,
  QuerySendEnabledResponse,
  QuerySpendableBalanceByDenomRequest,
  QuerySpendableBalanceByDenomResponse,
  QuerySpendableBalancesRequest,
  QuerySpendableBalancesResponse,
  QuerySupplyOfRequest,
  QuerySupplyOfResponse,
  QueryTotalSupplyRequest,
  QueryTotalSupplyResponse,
} from "cosmjs-types/cosmos/bank/v1beta1/query";
import { isValidDenom } from "../../coins.js";
import type { Context } from "../../context.js";
import { invalidArgument, notFound } from "../../errors.js";
import { defineQuery } from "../../module.js";
import { paginate } from "../../pagination.js";
import { parseAddressArg } from "../auth/queries.js";
import {
  BANK_STORE,
  type BankKeeper,
  balancesPrefix,
  decodeAmount,
  decodeDenom,
  METADATA_PREFIX,
  SEND_ENABLED_PREFIX,
  SUPPLY_PREFIX,
} from "./keeper.js";

function checkDenom(denom: string): void {
  if (denom === "") throw invalidArgument("invalid denom");
  if (!isValidDenom(denom)) throw invalidArgument(`invalid denom: ${denom}`);
}

export function bankQueries(bank: BankKeeper) {
  const balancesPage = (ctx: Context, address: string, pagination: QueryAllBalancesRequest["pagination"]) => {
    const prefix = balancesPrefix(parseAddressArg(address));
    const { items, pagination: page } = paginate(ctx.kv(BANK_STORE), prefix, pagination, (key, value) => ({
      denom: decodeDenom(key, prefix.length),
      amount: decodeAmount(value).toString(),
    }));
    return { balances: items, pagination: page };
  };
  const balanceOf = (ctx: Context, address: string, denom: string) => {
    const bytes = parseAddressArg(address);
    checkDenom(denom);
    return { balance: { denom, amount: bank.getBalance(ctx, bytes, denom).toString() } };
  };

  return [
    defineQuery({
      path: "/cosmos.bank.v1beta1.Query/Balance",
      request: QueryBalanceRequest,
      response: QueryBalanceResponse,
      handle: (ctx, req) => balanceOf(ctx, req.address, req.denom),
    }),
    defineQuery({
      path: "/cosmos.bank.v1beta1.Query/AllBalances",
      request: QueryAllBalancesRequest,
      response: QueryAllBalancesResponse,
      handle: (ctx, req) => balancesPage(ctx, req.address, req.pagination),
    }),
    // DeCloud has no vesting or locked coins yet: everything held is spendable.
    defineQuery({
      path: "/cosmos.bank.v1beta1.Query/SpendableBalances",
      request: QuerySpendableBalancesRequest,
      response: QuerySpendableBalancesResponse,
      handle: (ctx, req) => balancesPage(ctx, req.address, req.pagination),
    }),
    defineQuery({
      path: "/cosmos.bank.v1beta1.Query/SpendableBalanceByDenom",
      request: QuerySpendableBalanceByDenomRequest,
      response: QuerySpendableBalanceByDenomResponse,
      handle: (ctx, req) => balanceOf(ctx, req.address, req.denom),
    }),
    defineQuery({
      path: "/cosmos.bank.v1beta1.Query/TotalSupply",
      request: QueryTotalSupplyRequest,
      response: QueryTotalSupplyResponse,
      handle(ctx, req) {
        const { items, pagination } = paginate(
          ctx.kv(BANK_STORE),
          Uint8Array.of(SUPPLY_PREFIX),
          req.pagination,
          (k, v) => ({
            denom: decodeDenom(k, 1),
            amount: decodeAmount(v).toString(),
          }),
        );
        return { supply: items, pagination };
      },
    }),
    defineQuery({
      path: "/cosmos.bank.v1beta1.Query/SupplyOf",
      request: QuerySupplyOfRequest,
      response: QuerySupplyOfResponse,
      handle(ctx, req) {
        checkDenom(req.denom);
        return { amount: { denom: req.denom, amount: bank.getSupply(ctx, req.denom).toString() } };
      },
    }),
    defineQuery({
      path: "/cosmos.bank.v1beta1.Query/Params",
      request: QueryParamsRequest,
      response: QueryParamsResponse,
      handle: (ctx) => ({ params: bank.getParams(ctx) }),
    }),
    defineQuery({
      path: "/cosmos.bank.v1beta1.Query/DenomMetadata",
      request: QueryDenomMetadataRequest,
      response: QueryDenomMetadataResponse,
      handle(ctx, req) {
        checkDenom(req.denom);
        const metadata = bank.getDenomMetadata(ctx, req.denom);
        if (!metadata) throw notFound(`client metadata for denom ${req.denom}`);
        return { metadata };
      },
    }),
    defineQuery({
      path: "/cosmos.bank.v1beta1.Query/DenomsMetadata",
      request: QueryDenomsMetadataRequest,
      response: QueryDenomsMetadataResponse,
      handle(ctx, req) {
        const { items, pagination } = paginate(
          ctx.kv(BANK_STORE),
          Uint8Array.of(METADATA_PREFIX),
          req.pagination,
          (_k, v) => Metadata.decode(v),
        );
        return { metadatas: items, pagination };
      },
    }),
    defineQuery({
      path: "/cosmos.bank.v1beta1.Query/SendEnabled",
      request: QuerySendEnabledRequest,
      response: QuerySendEnabledResponse,
      handle(ctx, req) {
        if (req.denoms.length > 0) {
          const sendEnabled = req.denoms.flatMap((denom) => {
            const enabled = bank.getSendEnabledEntry(ctx, denom);
            return enabled === undefined ? [] : [{ denom, enabled }];
          });
          return { sendEnabled };
        }
        const { items, pagination } = paginate(
          ctx.kv(BANK_STORE),
          Uint8Array.of(SEND_ENABLED_PREFIX),
          req.pagination,
          (k, v) => ({
            denom: decodeDenom(k, 1),
            enabled: v[0] === 1,
          }),
        );
        return { sendEnabled: items, pagination };
      },
    }),
  ];
}
