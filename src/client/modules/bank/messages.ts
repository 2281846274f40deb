// Bank messages (cosmos.bank.v1beta1.Msg).
import type { MsgSendEncodeObject } from "@cosmjs/stargate";
import { assertAddress } from "../../address.js";
import type { Coin } from "../../amount.js";
import type { WalletClient } from "../../connect.js";
import { type SignAndBroadcastParameters, signAndBroadcast, type TxResult } from "../../tx.js";

export interface SendTokensParameters extends Omit<SignAndBroadcastParameters, "messages" | "spend"> {
  readonly to: string;
  /** Coins sorted by denom (as `parseAmounts` returns them). */
  readonly amount: readonly Coin[];
}

export async function sendTokens(client: WalletClient, params: SendTokensParameters): Promise<TxResult> {
  const { to, amount, ...rest } = params;
  assertAddress(rest.from);
  assertAddress(to);
  const message: MsgSendEncodeObject = {
    typeUrl: "/cosmos.bank.v1beta1.MsgSend",
    value: { fromAddress: rest.from, toAddress: to, amount: [...amount] },
  };
  return signAndBroadcast(client, { ...rest, messages: [message], spend: amount });
}
