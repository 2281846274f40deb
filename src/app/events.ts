// Events as the Cosmos SDK emits them: plain string attributes, every one marked for indexing so that
// `tx_search` finds it (reference: cometbft-cosmos.md §3.10).
import type { Event } from "cosmjs-types/tendermint/abci/types";

export type Attributes = Record<string, string> | [string, string][];

export function makeEvent(type: string, attributes: Attributes): Event {
  const pairs = Array.isArray(attributes) ? attributes : Object.entries(attributes);
  return { type, attributes: pairs.map(([key, value]) => ({ key, value, index: true })) };
}

export class EventManager {
  private readonly list: Event[] = [];

  emit(type: string, attributes: Attributes): void {
    this.list.push(makeEvent(type, attributes));
  }

  emitEvent(event: Event): void {
    this.list.push(event);
  }

  events(): Event[] {
    return this.list;
  }
}

/** Adds `msg_index` to every event a message emitted, as SDK 0.50 does. */
export function withMsgIndex(events: Event[], index: number): Event[] {
  return events.map((e) => ({
    type: e.type,
    attributes: [...e.attributes, { key: "msg_index", value: String(index), index: true }],
  }));
}
