// take params: a take rate in percent per denom, and a default for every other denom. The defaults are the
// ones Akash had (20%, and 2% for uakt, which rewards paying in the network's own token); reference:
// akash-chain.md §4.8, DESIGN.md "Where we differ from Akash on purpose".
import { Take_Params as TakeParams } from "@akashnetwork/chain-sdk/private-types/akash.v1";
import { isValidDenom } from "../../coins.js";
import { Errors } from "../../errors.js";

export { TakeParams };

export const defaultTakeParams = (): TakeParams => ({
  denomTakeRates: [{ denom: "uakt", rate: 2 }],
  defaultTakeRate: 20,
});

/** Rates are whole percents in [0, 100]; each denom valid and listed once. */
export function validateTakeParams(params: TakeParams | undefined): TakeParams {
  if (!params) throw Errors.invalidRequest("take params are missing");
  if (params.defaultTakeRate > 100) {
    throw Errors.invalidRequest(`default take rate ${params.defaultTakeRate}% is above 100%`);
  }
  const seen = new Set<string>();
  for (const { denom, rate } of params.denomTakeRates) {
    if (!isValidDenom(denom)) throw Errors.invalidRequest(`invalid take rate denom "${denom}"`);
    if (seen.has(denom)) throw Errors.invalidRequest(`take rate for ${denom} is given twice`);
    if (rate > 100) throw Errors.invalidRequest(`take rate ${rate}% for ${denom} is above 100%`);
    seen.add(denom);
  }
  return params;
}
