// Checks on what callers write, done where writes enter the store (trees and cache branches) so that a bad
// write fails in the transaction that made it, not at commit.
import { StoreError } from "./errors.js";

export function assertValidKey(key: Uint8Array): void {
  if (key.length === 0) throw new StoreError("invalid-argument", "store keys must not be empty");
}

/** ICS-23 cannot prove an empty value (reference: cometbft-cosmos.md §4.2), so the store refuses them. */
export function assertValidValue(value: Uint8Array): void {
  if (value.length === 0) {
    throw new StoreError(
      "invalid-argument",
      "store values must not be empty (ICS-23 proofs refuse empty values): delete the key instead",
    );
  }
}
