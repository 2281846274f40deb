// deployment params: the denoms a deployment may be priced and funded in, each with its minimum deposit.
// DeCloud accepts uakt and the USDC that arrives over IBC; it has no `uact` (DESIGN.md, "Stable payments,
// no credit token"). reference: akash-chain.md §2.7.
import { Params as DeploymentParams } from "@akashnetwork/chain-sdk/private-types/akash.v1beta4";
import { isValidDenom } from "../../coins.js";
import { DeploymentErrors } from "./errors.js";

export { DeploymentParams };

export const USDC_DENOM = "ibc/170C677610AC31DF0904FFE09CD3B5C657492170E7E52372E48756B71E56F2F1";

export const defaultDeploymentParams = (): DeploymentParams => ({
  minDeposits: [
    { denom: USDC_DENOM, amount: "500000" },
    { denom: "uakt", amount: "500000" },
  ],
});

const MAX_MIN_DEPOSIT = 2n ** 31n - 1n;

/** Params.Validate: at least one denom, each once, with a minimum below 2^31−1 (as Akash bounds it). */
export function validateDeploymentParams(params: DeploymentParams | undefined): DeploymentParams {
  if (!params || params.minDeposits.length === 0) {
    throw DeploymentErrors.invalidParam("min_deposits must list at least one denom deployments can use");
  }
  const seen = new Set<string>();
  for (const { denom, amount } of params.minDeposits) {
    if (!isValidDenom(denom)) throw DeploymentErrors.invalidParam(`invalid min_deposits denom "${denom}"`);
    if (seen.has(denom)) throw DeploymentErrors.invalidParam(`min_deposits lists ${denom} twice`);
    if (!/^[0-9]+$/.test(amount) || BigInt(amount) >= MAX_MIN_DEPOSIT) {
      throw DeploymentErrors.invalidParam(
        `min_deposits amount "${amount}" for ${denom} must be below 2^31-1`,
      );
    }
    seen.add(denom);
  }
  return params;
}

/** The minimum deposit for a denom, or undefined when deployments cannot use it. */
export function minDepositOf(params: DeploymentParams, denom: string): bigint | undefined {
  const coin = params.minDeposits.find((c) => c.denom === denom);
  return coin ? BigInt(coin.amount) : undefined;
}
