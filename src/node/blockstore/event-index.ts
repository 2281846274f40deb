// The tx and block event indexes behind `tx_search` and `block_search` (CometBFT's kv indexer): every event
// attribute is indexed under its composite key `<type>.<key>`, failed txs included; `tx.hash`, `tx.height`
// and `block.height` are the reserved keys. Conditions on the same event type must hold within one event.
// reference: cometbft-cosmos.md §2.6
import type { Event } from "cosmjs-types/tendermint/abci/types";
import { type Condition, eventTypeOf, matchValue } from "../events/query.js";
import type { Db } from "./db.js";

export const TX_HASH_KEY = "tx.hash";
export const TX_HEIGHT_KEY = "tx.height";
export const BLOCK_HEIGHT_KEY = "block.height";

/** A tx position: [height, index in block]. */
export type TxPosition = readonly [number, number];

interface AttrRow {
  height: number;
  idx: number;
  seq: number;
  value: string;
}

interface HeightRange {
  min: number;
  max: number;
}

export class EventIndex {
  private readonly stmts;

  constructor(db: Db) {
    this.stmts = {
      insertTxAttr: db.prepare(
        "INSERT INTO tx_events (height, idx, seq, ckey, value) VALUES (?, ?, ?, ?, ?)",
      ),
      insertBlockAttr: db.prepare("INSERT INTO block_events (height, seq, ckey, value) VALUES (?, ?, ?, ?)"),
      deleteTx: db.prepare("DELETE FROM tx_events WHERE height = ?"),
      deleteBlock: db.prepare("DELETE FROM block_events WHERE height = ?"),
      txByHash: db.prepare<[Uint8Array, number, number], { height: number; idx: number }>(
        "SELECT height, idx FROM txs WHERE hash = ? AND result IS NOT NULL AND height BETWEEN ? AND ?",
      ),
      txsInRange: db.prepare<[number, number], { height: number; idx: number }>(
        "SELECT height, idx FROM txs WHERE result IS NOT NULL AND height BETWEEN ? AND ?",
      ),
      txAttrsEq: db.prepare<[string, string, number, number], AttrRow>(
        "SELECT height, idx, seq, value FROM tx_events WHERE ckey = ? AND value = ? AND height BETWEEN ? AND ?",
      ),
      txAttrsKey: db.prepare<[string, number, number], AttrRow>(
        "SELECT height, idx, seq, value FROM tx_events WHERE ckey = ? AND height BETWEEN ? AND ?",
      ),
      blocksInRange: db.prepare<[number, number], { height: number }>(
        "SELECT height FROM results WHERE height BETWEEN ? AND ?",
      ),
      blockAttrsEq: db.prepare<[string, string, number, number], AttrRow>(
        "SELECT height, 0 AS idx, seq, value FROM block_events WHERE ckey = ? AND value = ? AND height BETWEEN ? AND ?",
      ),
      blockAttrsKey: db.prepare<[string, number, number], AttrRow>(
        "SELECT height, 0 AS idx, seq, value FROM block_events WHERE ckey = ? AND height BETWEEN ? AND ?",
      ),
    };
  }

  indexTx(height: number, index: number, events: readonly Event[]): void {
    events.forEach((event, seq) => {
      if (!event.type) return; // CometBFT skips events with an empty type
      for (const attr of event.attributes) {
        if (attr.key)
          this.stmts.insertTxAttr.run(height, index, seq, `${event.type}.${attr.key}`, attr.value);
      }
    });
  }

  indexBlock(height: number, events: readonly Event[]): void {
    events.forEach((event, seq) => {
      if (!event.type) return;
      for (const attr of event.attributes) {
        if (attr.key) this.stmts.insertBlockAttr.run(height, seq, `${event.type}.${attr.key}`, attr.value);
      }
    });
  }

  /** Positions of the txs matching every condition, ascending by (height, index), up to `maxHeight`. */
  searchTxs(conditions: readonly Condition[], maxHeight: number): TxPosition[] {
    const range = heightRange(conditions, TX_HEIGHT_KEY, maxHeight);
    if (!range) return [];
    let result: Map<string, TxPosition> | undefined;
    const narrow = (found: Iterable<TxPosition>) => {
      const next = new Map<string, TxPosition>();
      for (const p of found) {
        const k = `${p[0]}:${p[1]}`;
        if (!result || result.has(k)) next.set(k, p);
      }
      result = next;
    };
    for (const c of conditions.filter((c) => c.key === TX_HASH_KEY)) {
      if (c.op === "EXISTS") continue;
      if (c.op !== "=" || c.operand?.kind !== "string") return [];
      const hash = parseHash(c.operand.value);
      if (!hash) return [];
      narrow(this.stmts.txByHash.all(hash, range.min, range.max).map((r) => [r.height, r.idx] as const));
    }
    const others = conditions.filter((c) => c.key !== TX_HASH_KEY && c.key !== TX_HEIGHT_KEY);
    if (others.length > 0) {
      narrow(this.matchAttributes(others, range, this.stmts.txAttrsEq, this.stmts.txAttrsKey));
    }
    if (!result)
      narrow(this.stmts.txsInRange.all(range.min, range.max).map((r) => [r.height, r.idx] as const));
    return [...result!.values()].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  }

  /** Heights of the blocks matching every condition, ascending, up to `maxHeight`. */
  searchBlocks(conditions: readonly Condition[], maxHeight: number): number[] {
    const range = heightRange(conditions, BLOCK_HEIGHT_KEY, maxHeight);
    if (!range) return [];
    const others = conditions.filter((c) => c.key !== BLOCK_HEIGHT_KEY);
    const positions =
      others.length > 0
        ? this.matchAttributes(others, range, this.stmts.blockAttrsEq, this.stmts.blockAttrsKey)
        : this.stmts.blocksInRange.all(range.min, range.max).map((r) => [r.height, 0] as const);
    return [...new Set(positions.map((p) => p[0]))].sort((a, b) => a - b);
  }

  /**
   * Positions where all attribute conditions hold; conditions on the same event type must be met by the same
   * event (same seq), conditions on different types by any events of the same tx or block.
   */
  private matchAttributes(
    conditions: readonly Condition[],
    range: HeightRange,
    byValue: { all(key: string, value: string, min: number, max: number): AttrRow[] },
    byKey: { all(key: string, min: number, max: number): AttrRow[] },
  ): TxPosition[] {
    const byType = new Map<string, Condition[]>();
    for (const c of conditions) {
      const type = eventTypeOf(c.key);
      byType.set(type, [...(byType.get(type) ?? []), c]);
    }
    let positions: Map<string, TxPosition> | undefined;
    for (const group of byType.values()) {
      // Events (height:idx:seq) meeting every condition of this type.
      let events: Set<string> | undefined;
      const eventPos = new Map<string, TxPosition>();
      for (const c of group) {
        const rows =
          c.op === "=" && c.operand?.kind === "string"
            ? byValue.all(c.key, c.operand.value, range.min, range.max)
            : byKey.all(c.key, range.min, range.max).filter((r) => matchValue(c, r.value));
        const next = new Set<string>();
        for (const r of rows) {
          const k = `${r.height}:${r.idx}:${r.seq}`;
          if (!events || events.has(k)) {
            next.add(k);
            eventPos.set(k, [r.height, r.idx]);
          }
        }
        events = next;
      }
      const found = new Map<string, TxPosition>();
      for (const k of events ?? []) {
        const p = eventPos.get(k)!;
        const pk = `${p[0]}:${p[1]}`;
        if (!positions || positions.has(pk)) found.set(pk, p);
      }
      positions = found;
    }
    return [...(positions?.values() ?? [])];
  }
}

/** The height window implied by the reserved height conditions, or undefined when it is empty. */
function heightRange(
  conditions: readonly Condition[],
  key: string,
  maxHeight: number,
): HeightRange | undefined {
  let min = 1;
  let max = maxHeight;
  for (const c of conditions) {
    if (c.key !== key || c.op === "EXISTS") continue;
    const n = Number(
      c.operand?.kind === "number" || c.operand?.kind === "string" ? c.operand.value : Number.NaN,
    );
    if (!Number.isFinite(n)) return undefined;
    switch (c.op) {
      case "=":
        min = Math.max(min, Math.ceil(n));
        max = Math.min(max, Math.floor(n));
        break;
      case ">":
        min = Math.max(min, Math.floor(n) + 1);
        break;
      case ">=":
        min = Math.max(min, Math.ceil(n));
        break;
      case "<":
        max = Math.min(max, Math.ceil(n) - 1);
        break;
      case "<=":
        max = Math.min(max, Math.floor(n));
        break;
      default:
        return undefined;
    }
  }
  return min <= max ? { min, max } : undefined;
}

/** `tx.hash` operands are hex, case-insensitive, with or without 0x. */
function parseHash(s: string): Uint8Array | undefined {
  const h = s.startsWith("0x") || s.startsWith("0X") ? s.slice(2) : s;
  if (!/^[0-9a-fA-F]*$/.test(h) || h.length % 2 !== 0) return undefined;
  return new Uint8Array(Buffer.from(h, "hex"));
}
