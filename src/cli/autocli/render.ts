// The readable rendering of any gateway JSON document (what `--json` prints), for the generated commands:
// an indented outline like the Cosmos SDK CLI's YAML, with amounts shown as a person reads them and the
// noise of defaults left out (null messages, empty lists, an exhausted page).
import { formatCoin } from "../../client/amount.js";
import type { JsonObject, JsonValue } from "../../codec/json.js";
import type { Colors } from "../output.js";

function isObject(v: JsonValue | undefined): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** `{denom, amount}` as the chain writes it (a DecCoin's 18 decimals trimmed), or undefined if `v` is no coin. */
function rawCoin(v: JsonObject): { amount: string; denom: string; integer: boolean } | undefined {
  const keys = Object.keys(v);
  if (keys.length !== 2 || typeof v.denom !== "string" || typeof v.amount !== "string") return undefined;
  if (/^\d+$/.test(v.amount)) return { amount: v.amount, denom: v.denom, integer: true };
  if (/^\d+\.\d+$/.test(v.amount)) {
    return { amount: v.amount.replace(/\.?0+$/, ""), denom: v.denom, integer: false };
  }
  return undefined;
}

/**
 * A coin for a person: whole coins in display units with the base units beside them (`0.0064 AKT (6400
 * uakt)`); a DecCoin (prices per block, escrow funds) in its own denom, as prices are quoted.
 */
function coinText(v: JsonObject, c: Colors): string | undefined {
  const coin = rawCoin(v);
  if (!coin) return undefined;
  const raw = `${coin.amount} ${coin.denom}`;
  if (!coin.integer) return raw;
  const shown = formatCoin(coin);
  return shown.endsWith(` ${coin.denom}`) ? shown : `${shown} ${c.dim(`(${raw})`)}`;
}

/** Absent messages, empty lists and empty strings: defaults that say nothing to a reader. */
function isEmpty(v: JsonValue | undefined): boolean {
  return v === null || v === undefined || v === "" || (Array.isArray(v) && v.length === 0);
}

/** The last page of a list: nothing to follow (a total, when asked for, is in --json). */
function isLastPage(key: string, v: JsonValue): boolean {
  return key === "pagination" && isObject(v) && v.next_key === null;
}

/**
 * Akash's resource quantities (`cpu.units.val`) are decimal text carried as bytes, so base64 on the wire
 * and in JSON: shown as the number they are.
 */
function quantityText(key: string, v: JsonValue): string | undefined {
  if (key !== "val" || typeof v !== "string") return undefined;
  const text = Buffer.from(v, "base64").toString("latin1");
  return /^\d+(\.\d+)?$/.test(text) ? text : undefined;
}

function scalarText(v: JsonValue): string {
  return typeof v === "string" ? v : String(v);
}

/** The lines of `value` at `indent`. */
export function renderJson(value: JsonValue, c: Colors, indent = ""): string[] {
  if (!isObject(value)) return [`${indent}${scalarText(value)}`];
  const lines: string[] = [];
  for (const [key, v] of Object.entries(value)) {
    if (isEmpty(v) || isLastPage(key, v)) continue;
    const label = `${indent}${c.dim(`${key}:`)}`;
    if (key === "pagination" && isObject(v) && typeof v.next_key === "string") {
      lines.push(`${indent}${c.dim(`more: --page-key ${v.next_key}`)}`);
      continue;
    }
    if (isObject(v)) {
      const coin = coinText(v, c);
      const inner = coin === undefined ? renderJson(v, c, `${indent}  `) : [];
      if (coin !== undefined) lines.push(`${label} ${coin}`);
      else if (inner.length > 0) lines.push(label, ...inner);
    } else if (Array.isArray(v)) {
      if (v.every((e) => !isObject(e) && !Array.isArray(e))) {
        lines.push(`${label} ${v.map(scalarText).join(", ")}`);
      } else if (v.every((e) => isObject(e) && rawCoin(e) !== undefined)) {
        lines.push(`${label} ${v.map((e) => coinText(e as JsonObject, c)).join(", ")}`);
      } else {
        lines.push(label);
        for (const item of v) {
          const [first = "", ...rest] = renderJson(item, c, `${indent}    `);
          lines.push(`${indent}  - ${first.slice(indent.length + 4)}`, ...rest);
        }
      }
    } else {
      lines.push(`${label} ${quantityText(key, v) ?? scalarText(v)}`);
    }
  }
  return lines;
}

/** A response with nothing in it: a list query that matched nothing. */
export function emptyListMessage(value: JsonObject): string | undefined {
  const lists = Object.entries(value).filter(([, v]) => Array.isArray(v));
  if (lists.length !== 1 || (lists[0]![1] as JsonValue[]).length > 0) return undefined;
  return `no ${lists[0]![0].replace(/_/g, " ")}`;
}

export interface EventLike {
  readonly type: string;
  readonly attributes: readonly { readonly key: string; readonly value: string }[];
}

/**
 * One line per typed event (`akash.market.v1.EventBidCreated`): what the transaction did, as a provider or
 * indexer sees it. The SDK's own events (fees, transfers, `message`) are summed up in the JSON output only.
 */
export function eventLines(events: readonly EventLike[], c: Colors): string[] {
  return events
    .filter((e) => e.type.includes("."))
    .map((e) => {
      const attrs = e.attributes
        .filter((a) => a.key !== "msg_index")
        .flatMap((a) => flattenAttribute(a.key, a.value));
      return `${e.type.slice(e.type.lastIndexOf(".") + 1)}  ${c.dim(attrs.join(" "))}`;
    });
}

function flattenAttribute(key: string, text: string): string[] {
  let value: JsonValue;
  try {
    value = JSON.parse(text) as JsonValue;
  } catch {
    return [`${key}=${text}`];
  }
  if (isObject(value)) {
    const coin = rawCoin(value);
    if (coin !== undefined) return [`${key}=${coin.amount}${coin.denom}`];
    return Object.entries(value).flatMap(([k, v]) => flattenAttribute(`${key}.${k}`, JSON.stringify(v)));
  }
  return [`${key}=${typeof value === "string" ? value : JSON.stringify(value)}`];
}
