// akash.take.v1.Msg: MsgUpdateParams, from the governance authority only.
import {
  Take_MsgUpdateParams as MsgUpdateParams,
  Take_MsgUpdateParamsResponse as MsgUpdateParamsResponse,
} from "@akashnetwork/chain-sdk/private-types/akash.v1";
import { updateParamsMsg } from "../chain-sdk.js";
import type { TakeKeeper } from "./keeper.js";
import { validateTakeParams } from "./params.js";

export function takeMsgs(take: TakeKeeper) {
  return [
    updateParamsMsg({
      typeUrl: "/akash.take.v1.MsgUpdateParams",
      codec: MsgUpdateParams,
      response: MsgUpdateParamsResponse,
      keeper: take,
      validate: validateTakeParams,
    }),
  ];
}
