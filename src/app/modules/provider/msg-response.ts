// A message's response as the baseapp records it in TxMsgData: type URL and protobuf bytes.
import type { MsgResponse } from "../../module.js";

export function msgResponse<T>(
  codec: { readonly $type: string; encode(message: T): { finish(): Uint8Array } },
  message: T,
): MsgResponse {
  return { typeUrl: `/${codec.$type}`, value: codec.encode(message).finish() };
}
