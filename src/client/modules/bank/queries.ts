// Bank queries (cosmos.bank.v1beta1.Query).

import { assertAddress } from "../../address.js";
import type { Coin } from "../../amount.js";
import { nodeRequest, type PublicClient } from "../../connect.js";

export interface GetBalancesParameters {
  readonly address: string;
}

/** Every balance of an account, sorted by denom (`AllBalances`). */
export async function getBalances(client: PublicClient, params: GetBalancesParameters): Promise<Coin[]> {
  assertAddress(params.address);
  const coins = await nodeRequest(client, () => client.stargate.getAllBalances(params.address));
  return coins.map((c) => ({ denom: c.denom, amount: c.amount }));
}

export interface GetBalanceParameters {
  readonly address: string;
  readonly denom: string;
}

/** One balance of an account; zero when it holds none of the denom. */
export async function getBalance(client: PublicClient, params: GetBalanceParameters): Promise<Coin> {
  assertAddress(params.address);
  const coin = await nodeRequest(client, () => client.stargate.getBalance(params.address, params.denom));
  return { denom: coin.denom, amount: coin.amount };
}
