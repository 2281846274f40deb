// Emits a Cosmos typed event (`EmitTypedEvent`): type = the full proto name, one attribute per field whose
// value is the field's proto-JSON (reference: akash-chain.md §1.4). The baseapp adds `msg_index`.
// Shared by the Akash modules; it belongs beside the EventManager once every module uses it.
import { typedEvent } from "../../../codec/json.js";
import type { Context } from "../../context.js";

export interface TypedEventCodec<T> {
  readonly $type: string;
  encode(message: T): { finish(): Uint8Array };
}

export function emitTyped<T>(ctx: Context, codec: TypedEventCodec<T>, message: T): void {
  const event = typedEvent(codec.$type, codec.encode(message).finish());
  // The SDK marks every attribute for indexing when no index filter is configured, as here.
  ctx.events.emit(
    event.type,
    event.attributes.map((a) => [a.key, a.value]),
  );
}
