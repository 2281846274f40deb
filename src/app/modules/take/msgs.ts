// akash.take.v1.Msg: MsgUpdateParams, from the governance authority only.
import {
  Take_MsgUpdateParams as MsgUpdateParams,
  Take_MsgUpdateParamsResponse as MsgUpdateParamsResponse,
} from "@akashnetwork/chain-sdk/private-types/akash.v1";
import { defineMsg } from "../../module.js";
import { checkAddress, checkAuthority, msgResponse } from "../chain-sdk.js";
import type { TakeKeeper } from "./keeper.js";
import { validateTakeParams } from "./params.js";

export function takeMsgs(take: TakeKeeper) {
  return [
    defineMsg({
      typeUrl: "/akash.take.v1.MsgUpdateParams",
      codec: MsgUpdateParams,
      signers: (msg) => [msg.authority],
      validateBasic(msg) {
        checkAddress(msg.authority, "authority");
        validateTakeParams(msg.params);
      },
      handle(ctx, msg) {
        checkAuthority(take.authority, msg.authority);
        take.setParams(ctx, validateTakeParams(msg.params));
        return msgResponse(MsgUpdateParamsResponse);
      },
    }),
  ];
}
