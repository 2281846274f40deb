// akash.escrow.v1.Query: accounts and payments, filtered by state and by a key prefix that starts with the
// scope (`deployment/akash1…/123`), paginated (reference: akash-chain.md §4.9).
import {
  QueryAccountsRequest,
  QueryAccountsResponse,
  QueryPaymentsRequest,
  QueryPaymentsResponse,
  Types_Account,
  Types_Payment,
} from "@akashnetwork/chain-sdk/private-types/akash.v1";
import { invalidArgument } from "../../errors.js";
import { defineQuery } from "../../module.js";
import { paginateSdk } from "../chain-sdk.js";
import { ACCOUNT_PREFIX, ESCROW_STORE, PAYMENT_PREFIX, State } from "./keeper.js";

/** A `state` filter by its enum name; empty means any state. */
export function escrowStateFilter(name: string): State | undefined {
  if (name === "") return undefined;
  const state = (State as unknown as Record<string, number>)[name];
  if (state === State.open || state === State.closed || state === State.overdrawn) return state;
  throw invalidArgument(`invalid state value "${name}": expected open, closed or overdrawn`);
}

function prefixOf(prefix: number, xid: string): Uint8Array {
  const bytes = new TextEncoder().encode(xid);
  const out = new Uint8Array(1 + bytes.length);
  out[0] = prefix;
  out.set(bytes, 1);
  return out;
}

export function escrowQueries() {
  return [
    defineQuery({
      path: "/akash.escrow.v1.Query/Accounts",
      request: QueryAccountsRequest,
      response: QueryAccountsResponse,
      handle(ctx, req) {
        const state = escrowStateFilter(req.state);
        const { items, pagination } = paginateSdk(
          ctx.kv(ESCROW_STORE),
          prefixOf(ACCOUNT_PREFIX, req.xid),
          req.pagination,
          (_k, v) => {
            const account = Types_Account.decode(v);
            return state === undefined || account.state?.state === state ? account : undefined;
          },
        );
        return { accounts: items, pagination };
      },
    }),
    defineQuery({
      path: "/akash.escrow.v1.Query/Payments",
      request: QueryPaymentsRequest,
      response: QueryPaymentsResponse,
      handle(ctx, req) {
        const state = escrowStateFilter(req.state);
        const { items, pagination } = paginateSdk(
          ctx.kv(ESCROW_STORE),
          prefixOf(PAYMENT_PREFIX, req.xid),
          req.pagination,
          (_k, v) => {
            const payment = Types_Payment.decode(v);
            return state === undefined || payment.state?.state === state ? payment : undefined;
          },
        );
        return { payments: items, pagination };
      },
    }),
  ];
}
