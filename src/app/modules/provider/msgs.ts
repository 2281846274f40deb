// akash.provider.v1beta4.Msg: create, update and delete a provider (reference: akash-chain.md §5.1, §9).
import {
  MsgCreateProvider,
  MsgCreateProviderResponse,
  MsgDeleteProvider,
  MsgDeleteProviderResponse,
  MsgUpdateProvider,
  MsgUpdateProviderResponse,
  Provider,
} from "@akashnetwork/chain-sdk/private-types/akash.v1beta4";
import type { Context } from "../../context.js";
import { Errors } from "../../errors.js";
import { defineMsg } from "../../module.js";
import { msgResponse, requireAddress } from "../chain-sdk.js";
import { ProviderErrors } from "./errors.js";
import type { ProviderKeeper } from "./keeper.js";
import { validateProvider } from "./validation.js";

/** What the provider module needs from the market (an expected keeper; the app wires the market's in). */
export interface ProviderMarketKeeper {
  /** Whether any lease of `provider` (bech32) is active. */
  providerHasActiveLeases(ctx: Context, provider: string): boolean;
}

export function providerMsgs(keeper: ProviderKeeper, market: ProviderMarketKeeper) {
  return [
    defineMsg({
      typeUrl: `/${MsgCreateProvider.$type}`,
      codec: MsgCreateProvider,
      signers: (msg) => [msg.owner],
      validateBasic: validateProvider,
      handle(ctx, msg) {
        keeper.create(ctx, Provider.fromPartial(msg));
        return msgResponse(MsgCreateProviderResponse, {});
      },
    }),
    defineMsg({
      typeUrl: `/${MsgUpdateProvider.$type}`,
      codec: MsgUpdateProvider,
      signers: (msg) => [msg.owner],
      validateBasic: validateProvider,
      handle(ctx, msg) {
        keeper.update(ctx, Provider.fromPartial(msg));
        return msgResponse(MsgUpdateProviderResponse, {});
      },
    }),
    // Akash never implemented delete (reference §12.8). DeCloud deletes a provider that has no active
    // lease, as Akash's next release will (ErrProviderHasActiveLeases, code 24). Its open bids stay in the
    // market, which must not lease a bid whose provider is gone.
    defineMsg({
      typeUrl: `/${MsgDeleteProvider.$type}`,
      codec: MsgDeleteProvider,
      signers: (msg) => [msg.owner],
      validateBasic(msg) {
        requireAddress(msg.owner, "provider owner", Errors.invalidAddress);
      },
      handle(ctx, msg) {
        if (!keeper.has(ctx, msg.owner)) {
          throw ProviderErrors.providerNotFound(`provider ${msg.owner} not found`);
        }
        if (market.providerHasActiveLeases(ctx, msg.owner)) {
          throw ProviderErrors.providerHasActiveLeases(
            `provider ${msg.owner} has active leases: close them before deleting the provider`,
          );
        }
        keeper.delete(ctx, msg.owner);
        return msgResponse(MsgDeleteProviderResponse, {});
      },
    }),
  ];
}
