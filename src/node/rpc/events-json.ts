// Event payloads exactly as CometBFT 0.38 sends them to websocket subscribers (types/events.go, amino names
// "tendermint/event/…"): `{query, data: {type, value}, events: {composite key: [values]}}`.
// reference: cometbft-cosmos.md §2.4 (subscribe)
import type { BusEvent, BusMessage } from "../events/bus.js";
import {
  b64,
  blockIdJson,
  blockJson,
  eventJson,
  execTxResultJson,
  finalizeBlockJson,
  headerJson,
  type Json,
} from "./encode.js";

function valueJson(e: BusEvent): Json {
  switch (e.type) {
    case "NewBlock":
      return {
        block: blockJson(e.block),
        block_id: blockIdJson(e.blockId),
        result_finalize_block: finalizeBlockJson(e.result),
      };
    case "NewBlockHeader":
      return { header: headerJson(e.header) };
    case "NewBlockEvents":
      return { height: String(e.height), events: e.events.map(eventJson), num_txs: String(e.numTxs) };
    case "Tx": {
      // abci.TxResult: height, index and tx are `omitempty`.
      const txResult: Record<string, Json> = { height: String(e.height) };
      if (e.index !== 0) txResult.index = e.index;
      txResult.tx = b64(e.tx);
      txResult.result = execTxResultJson(e.result);
      return { TxResult: txResult };
    }
  }
}

const cache = new WeakMap<BusMessage, { data: Json; events: Json }>();

/** The `result` of an event message for one subscription query; the payload is encoded once per event. */
export function eventResultJson(message: BusMessage, query: string): Json {
  let encoded = cache.get(message);
  if (!encoded) {
    encoded = {
      data: { type: `tendermint/event/${message.event.type}`, value: valueJson(message.event) },
      events: Object.fromEntries([...message.events].map(([k, v]) => [k, [...v]])),
    };
    cache.set(message, encoded);
  }
  return { query, data: encoded.data, events: encoded.events };
}
