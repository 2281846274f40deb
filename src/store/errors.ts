// Errors the store throws at its callers. Messages say what happened, why, and what to do.

export type StoreErrorCode =
  | "version-pruned" // the version was deleted by pruning
  | "version-future" // the version has not been committed yet
  | "unknown-store" // a store name that the multistore was not opened with
  | "invalid-argument" // an empty key or value, a write to a read-only view
  | "corrupt"; // the database lacks a record it must have

export class StoreError extends Error {
  constructor(
    readonly code: StoreErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "StoreError";
  }
}
