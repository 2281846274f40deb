// The CometBFT query language (libs/pubsub/query/syntax), used by `tx_search`, `block_search` and
// websocket `subscribe`: conditions `<composite key> <op> <operand>` joined by AND; operators =, <, <=, >, >=,
// CONTAINS, EXISTS; operands 'strings', numbers, TIME <rfc3339> and DATE <yyyy-mm-dd>.
// reference: cometbft-cosmos.md §2.6
import { parseRfc3339, timestampToNanos } from "../types/time.js";

export type Op = "=" | "<" | "<=" | ">" | ">=" | "CONTAINS" | "EXISTS";

export type Operand =
  | { kind: "string"; value: string }
  | { kind: "number"; value: string }
  | { kind: "time"; nanos: bigint }
  | { kind: "date"; nanos: bigint };

export interface Condition {
  /** Composite key `<event type>.<attribute key>`, e.g. `message.sender`, `tx.height`, `tm.event`. */
  key: string;
  op: Op;
  operand?: Operand;
}

export class QuerySyntaxError extends Error {}

const TAG = /^[^\s\\()"'=<>]+/;
const NUMBER = /^-?\d+(\.\d+)?/;
const TIME_VALUE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})/;
const DATE_VALUE = /^\d{4}-\d{2}-\d{2}/;

/** Parses a query into its conditions; throws QuerySyntaxError. */
export function parseQuery(query: string): Condition[] {
  let rest = query.trim();
  const fail = (what: string): never => {
    throw new QuerySyntaxError(`invalid query ${JSON.stringify(query)}: ${what}`);
  };
  const skipSpace = () => {
    rest = rest.replace(/^\s+/, "");
  };
  const conditions: Condition[] = [];
  if (rest === "") fail("empty query");
  for (;;) {
    skipSpace();
    const tag = TAG.exec(rest)?.[0] ?? fail("expected a composite key");
    rest = rest.slice(tag.length);
    skipSpace();
    let op: Op;
    const word = /^(CONTAINS|EXISTS)\b/.exec(rest);
    if (word) op = word[1] as Op;
    else
      op = (/^(<=|>=|=|<|>)/.exec(rest)?.[1] as Op | undefined) ?? fail(`expected an operator after ${tag}`);
    rest = rest.slice(op.length);
    skipSpace();
    let operand: Operand | undefined;
    if (op !== "EXISTS") {
      if (rest.startsWith("'")) {
        const end = rest.indexOf("'", 1);
        if (end < 0) fail("unterminated string");
        operand = { kind: "string", value: rest.slice(1, end) };
        rest = rest.slice(end + 1);
      } else if (/^TIME\s/.test(rest)) {
        rest = rest.slice(4).trimStart();
        const t = TIME_VALUE.exec(rest)?.[0] ?? fail("expected an RFC 3339 time after TIME");
        operand = { kind: "time", nanos: timestampToNanos(parseRfc3339(t)) };
        rest = rest.slice(t.length);
      } else if (/^DATE\s/.test(rest)) {
        rest = rest.slice(4).trimStart();
        const d = DATE_VALUE.exec(rest)?.[0] ?? fail("expected a date after DATE");
        operand = { kind: "date", nanos: timestampToNanos(parseRfc3339(`${d}T00:00:00Z`)) };
        rest = rest.slice(d.length);
      } else {
        const n = NUMBER.exec(rest)?.[0] ?? fail(`expected an operand after ${tag} ${op}`);
        operand = { kind: "number", value: n };
        rest = rest.slice(n.length);
      }
      if (op === "CONTAINS" && operand.kind !== "string") fail("CONTAINS needs a string operand");
    }
    conditions.push(operand ? { key: tag, op, operand } : { key: tag, op });
    skipSpace();
    if (rest === "") return conditions;
    const and = /^AND\s/.exec(rest) ?? fail(`expected AND, got ${JSON.stringify(rest.slice(0, 20))}`);
    rest = rest.slice(and[0].length);
  }
}

function compare<T>(a: T, b: T): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function holds(op: Op, cmp: number): boolean {
  switch (op) {
    case "=":
      return cmp === 0;
    case "<":
      return cmp < 0;
    case "<=":
      return cmp <= 0;
    case ">":
      return cmp > 0;
    case ">=":
      return cmp >= 0;
    default:
      return false;
  }
}

const INTEGER = /^-?\d+$/;
const DECIMAL = /^-?\d+(\.\d+)?$/;

function parseTimeValue(value: string, date: boolean): bigint | undefined {
  try {
    return timestampToNanos(parseRfc3339(date && DATE_VALUE.test(value) ? `${value}T00:00:00Z` : value));
  } catch {
    return undefined;
  }
}

/** Whether one attribute value satisfies a condition (EXISTS is true for any value). */
export function matchValue(cond: Condition, value: string): boolean {
  const operand = cond.operand;
  if (cond.op === "EXISTS" || !operand) return true;
  switch (operand.kind) {
    case "string":
      if (cond.op === "CONTAINS") return value.includes(operand.value);
      return holds(cond.op, compare(value, operand.value));
    case "number": {
      // Numeric comparison as CometBFT does (big ints, else floats); non-numeric values never match.
      if (INTEGER.test(value) && INTEGER.test(operand.value)) {
        return holds(cond.op, compare(BigInt(value), BigInt(operand.value)));
      }
      if (!DECIMAL.test(value)) return false;
      return holds(cond.op, compare(Number(value), Number(operand.value)));
    }
    case "time":
    case "date": {
      const t = parseTimeValue(value, operand.kind === "date");
      return t !== undefined && holds(cond.op, compare(t, operand.nanos));
    }
  }
}

/** Events flattened as CometBFT's pubsub sees them: composite key → values. */
export type EventMap = ReadonlyMap<string, readonly string[]>;

/** Pubsub semantics: every condition is met by at least one value of its key. */
export function matchesEventMap(conditions: readonly Condition[], events: EventMap): boolean {
  return conditions.every((c) => {
    const values = events.get(c.key);
    return values?.some((v) => matchValue(c, v)) ?? false;
  });
}

/** The event type of a composite key (everything before the last dot). */
export function eventTypeOf(key: string): string {
  const dot = key.lastIndexOf(".");
  return dot < 0 ? key : key.slice(0, dot);
}
