// Cosmos-style pagination over a key range (types/query/pagination.go): by `key` (resume after the last
// page's next_key) or by `offset`, `limit` (default 100), optional `count_total`, optional `reverse`.
import type { PageRequest, PageResponse } from "cosmjs-types/cosmos/base/query/v1beta1/pagination";
import type { KVStore } from "../store/types.js";
import { invalidArgument } from "./errors.js";

export const DEFAULT_PAGE_LIMIT = 100n;

/** The smallest key greater than every key that starts with `prefix` (undefined: no upper bound). */
export function prefixEnd(prefix: Uint8Array): Uint8Array | undefined {
  const end = Uint8Array.from(prefix);
  for (let i = end.length - 1; i >= 0; i--) {
    if (end[i]! < 0xff) {
      end[i]!++;
      return end.subarray(0, i + 1);
    }
  }
  return undefined;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/**
 * Pages through the entries under `prefix`; `next_key` and the request `key` are relative to the prefix, as
 * in the SDK. `decode` returns undefined to skip an entry (it then does not count toward the limit).
 */
export function paginate<T>(
  store: KVStore,
  prefix: Uint8Array,
  page: PageRequest | undefined,
  decode: (key: Uint8Array, value: Uint8Array) => T | undefined,
): { items: T[]; pagination: PageResponse } {
  const limit = page?.limit && page.limit > 0n ? page.limit : DEFAULT_PAGE_LIMIT;
  const reverse = page?.reverse ?? false;
  const hasKey = (page?.key?.length ?? 0) > 0;
  if (hasKey && (page?.offset ?? 0n) > 0n)
    throw invalidArgument("either offset or key is expected, got both");
  const end = prefixEnd(prefix);
  let start: Uint8Array | undefined = prefix;
  let stop = end;
  if (hasKey) {
    if (reverse) stop = prefixEnd(concat(prefix, page!.key)) ?? end;
    else start = concat(prefix, page!.key);
  }
  const offset = hasKey ? 0n : (page?.offset ?? 0n);
  // The SDK counts the total when asked, and also when no limit was given (query/pagination.go).
  const countTotal = !hasKey && ((page?.countTotal ?? false) || !page?.limit);
  const items: T[] = [];
  let seen = 0n;
  let nextKey: Uint8Array = new Uint8Array();
  for (const [key, value] of store.iterator(start, stop, reverse)) {
    const item = decode(key, value);
    if (item === undefined) continue;
    seen++;
    if (seen <= offset) continue;
    if (BigInt(items.length) === limit) {
      nextKey = key.subarray(prefix.length);
      if (!countTotal) break;
      continue;
    }
    items.push(item);
  }
  return { items, pagination: { nextKey, total: countTotal ? seen : 0n } };
}
