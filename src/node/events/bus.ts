// The node's event bus (CometBFT types/event_bus.go): after each committed block it publishes NewBlock,
// NewBlockHeader, NewBlockEvents and one Tx event per tx, each with the flattened events map that
// subscription queries (`tm.event='Tx' AND transfer.recipient='…'`) are matched against.
import type { Event, ExecTxResult, ResponseFinalizeBlock } from "cosmjs-types/tendermint/abci/types";
import type { Block } from "cosmjs-types/tendermint/types/block";
import type { BlockID, Header } from "cosmjs-types/tendermint/types/types";
import { TX_HASH_KEY, TX_HEIGHT_KEY } from "../blockstore/event-index.js";
import { txHash } from "../types/hashing.js";
import { type Condition, type EventMap, matchesEventMap, parseQuery } from "./query.js";

export type BusEvent =
  | { type: "NewBlock"; block: Block; blockId: BlockID; result: ResponseFinalizeBlock }
  | { type: "NewBlockHeader"; header: Header }
  | { type: "NewBlockEvents"; height: bigint; events: Event[]; numTxs: number }
  | { type: "Tx"; height: bigint; index: number; tx: Uint8Array; result: ExecTxResult };

export interface BusMessage {
  event: BusEvent;
  /** Composite key → values, including the reserved `tm.event` (and `tx.hash`, `tx.height` for txs). */
  events: EventMap;
}

export type Listener = (message: BusMessage, query: string) => void;

interface Subscriber {
  query: string;
  conditions: Condition[];
  listener: Listener;
}

export const EVENT_TYPE_KEY = "tm.event";

export function flattenEvents(
  events: readonly Event[],
  extra: Record<string, string>,
): Map<string, string[]> {
  const map = new Map<string, string[]>();
  const add = (k: string, v: string) => {
    const list = map.get(k);
    if (list) list.push(v);
    else map.set(k, [v]);
  };
  for (const [k, v] of Object.entries(extra)) add(k, v);
  for (const e of events) {
    if (!e.type) continue;
    for (const a of e.attributes) if (a.key) add(`${e.type}.${a.key}`, a.value);
  }
  return map;
}

export class EventBus {
  private readonly subscribers = new Set<Subscriber>();

  /** Subscribes with a query (throws QuerySyntaxError); returns the unsubscribe function. */
  subscribe(query: string, listener: Listener): () => void {
    const sub: Subscriber = { query, conditions: parseQuery(query), listener };
    this.subscribers.add(sub);
    return () => {
      this.subscribers.delete(sub);
    };
  }

  get size(): number {
    return this.subscribers.size;
  }

  publish(message: BusMessage): void {
    for (const sub of this.subscribers) {
      if (!matchesEventMap(sub.conditions, message.events)) continue;
      try {
        sub.listener(message, sub.query);
      } catch {
        // A failing subscriber (e.g. a closed socket) must not stop block production.
      }
    }
  }

  /** Publishes everything a committed block produces, in CometBFT's order. */
  publishBlock(block: Block, blockId: BlockID, result: ResponseFinalizeBlock): void {
    if (this.subscribers.size === 0) return;
    const height = block.header.height;
    const blockEvents = result.events;
    this.publish({
      event: { type: "NewBlock", block, blockId, result },
      events: flattenEvents(blockEvents, { [EVENT_TYPE_KEY]: "NewBlock" }),
    });
    this.publish({
      event: { type: "NewBlockHeader", header: block.header },
      events: flattenEvents([], { [EVENT_TYPE_KEY]: "NewBlockHeader" }),
    });
    this.publish({
      event: { type: "NewBlockEvents", height, events: blockEvents, numTxs: block.data.txs.length },
      events: flattenEvents(blockEvents, { [EVENT_TYPE_KEY]: "NewBlockEvents" }),
    });
    block.data.txs.forEach((tx, index) => {
      const txResult = result.txResults[index]!;
      this.publish({
        event: { type: "Tx", height, index, tx, result: txResult },
        events: flattenEvents(txResult.events, {
          [EVENT_TYPE_KEY]: "Tx",
          [TX_HASH_KEY]: Buffer.from(txHash(tx)).toString("hex").toUpperCase(),
          [TX_HEIGHT_KEY]: String(height),
        }),
      });
    });
  }
}
