// Events as the Cosmos SDK emits them: plain string attributes, every one marked for indexing so that
// `tx_search` finds it (reference: cometbft-cosmos.md §3.10).
import type { Event, EventAttribute } from "cosmjs-types/tendermint/abci/types";

export type Attributes = Record<string, string> | [string, string][];

export function makeEvent(type: string, attributes: Attributes): Event {
  const list: EventAttribute[] = [];
  if (Array.isArray(attributes)) {
    for (const [key, value] of attributes) list.push({ key, value, index: true });
  } else {
    // Object.keys has Object.entries' order
    for (const key of Object.keys(attributes)) list.push({ key, value: attributes[key]!, index: true });
  }
  return { type, attributes: list };
}

export class EventManager {
  private readonly list: Event[] = [];

  /** `keep` false: a manager that drops what it is given, for a run whose events nobody reads (RECHECK). */
  constructor(private readonly keep = true) {}

  emit(type: string, attributes: Attributes): void {
    if (this.keep) this.list.push(makeEvent(type, attributes));
  }

  emitEvent(event: Event): void {
    if (this.keep) this.list.push(event);
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
