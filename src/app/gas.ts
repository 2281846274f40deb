// Gas: every transaction pays for what it makes the chain do. Costs are the Cosmos SDK's defaults
// (store/types/gas.go, x/auth ante; reference: cometbft-cosmos.md §3.7) so that clients' estimates agree.

import type { KVStore } from "../store/types.js";
import { AppError } from "./errors.js";

export const KV_GAS = {
  hasCost: 1000,
  deleteCost: 1000,
  readCostFlat: 1000,
  readCostPerByte: 3,
  writeCostFlat: 2000,
  writeCostPerByte: 30,
  iterNextCostFlat: 30,
} as const;

export const TX_SIZE_COST_PER_BYTE = 10;
export const SIG_VERIFY_COST_SECP256K1 = 1000;

/** Thrown (and caught by the tx runner) when a meter runs past its limit. */
export class OutOfGasError extends AppError {
  constructor(descriptor: string, limit: number, consumed: number) {
    // baseapp's runTx wraps ErrOutOfGas with this text, so the log ends with the error's own ": out of gas".
    super(
      "sdk",
      11,
      `out of gas in location: ${descriptor}; gasWanted: ${limit}, gasUsed: ${consumed}: out of gas`,
    );
  }
}

export class GasMeter {
  private used = 0;
  /** `limit` = Infinity for an unlimited meter (genesis, queries, simulation). */
  constructor(readonly limit: number) {}

  consumed(): number {
    return this.used;
  }

  consume(amount: number, descriptor: string): void {
    this.used += amount;
    if (this.used > this.limit) throw new OutOfGasError(descriptor, this.limit, this.used);
  }
}

export const infiniteGasMeter = () => new GasMeter(Number.POSITIVE_INFINITY);

/** A KVStore view that charges a gas meter for every access. */
export class GasKVStore implements KVStore {
  constructor(
    private readonly parent: KVStore,
    private readonly meter: GasMeter,
  ) {}

  get(key: Uint8Array): Uint8Array | undefined {
    this.meter.consume(KV_GAS.readCostFlat, "ReadFlat");
    const value = this.parent.get(key);
    this.meter.consume(KV_GAS.readCostPerByte * (key.length + (value?.length ?? 0)), "ReadPerByte");
    return value;
  }

  has(key: Uint8Array): boolean {
    this.meter.consume(KV_GAS.hasCost, "Has");
    return this.parent.has(key);
  }

  set(key: Uint8Array, value: Uint8Array): void {
    this.meter.consume(KV_GAS.writeCostFlat, "WriteFlat");
    this.meter.consume(KV_GAS.writeCostPerByte * (key.length + value.length), "WritePerByte");
    this.parent.set(key, value);
  }

  delete(key: Uint8Array): void {
    this.meter.consume(KV_GAS.deleteCost, "Delete");
    this.parent.delete(key);
  }

  *iterator(
    start?: Uint8Array,
    end?: Uint8Array,
    reverse?: boolean,
  ): IterableIterator<[Uint8Array, Uint8Array]> {
    for (const [key, value] of this.parent.iterator(start, end, reverse)) {
      this.meter.consume(KV_GAS.iterNextCostFlat, "IterNextFlat");
      this.meter.consume(KV_GAS.readCostPerByte * (key.length + value.length), "ValuePerByte");
      yield [key, value];
    }
  }
}
