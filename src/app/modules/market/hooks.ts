// The market's hook on escrow (reference: akash-chain.md §3.8): when a deployment's account closes — by its
// owner, or because it ran dry — the deployment closes with everything in it. Bid accounts close without it
// (Akash's hook failed on them, which left losing bids open: §12.1).

import { deploymentOfAccount } from "../escrow/ids.js";
import type { EscrowHooks } from "../escrow/keeper.js";
import { State as EscrowState } from "../escrow/keeper.js";
import type { MarketKeeper } from "./keeper.js";

export function marketEscrowHooks(market: MarketKeeper): EscrowHooks {
  return {
    onAccountClosed(ctx, account) {
      const deployment = deploymentOfAccount(account.id);
      if (!deployment) return;
      market.onAccountClosed(ctx, deployment.owner, deployment.dseq, account.state === EscrowState.overdrawn);
    },
  };
}
