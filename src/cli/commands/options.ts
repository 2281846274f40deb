// Parsers for option values shared by several commands; a bad value fails before anything runs.
import { InvalidArgumentError } from "commander";
import type { GasSetting } from "../../client/tx.js";

export function parseIndex(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) >= 2 ** 31) {
    throw new InvalidArgumentError("an integer from 0 to 2147483647 is expected.");
  }
  return Number(value);
}

export function parseGas(value: string): GasSetting {
  if (value === "auto") return "auto";
  if (!/^\d+$/.test(value) || Number(value) === 0 || !Number.isSafeInteger(Number(value))) {
    throw new InvalidArgumentError('"auto" or a positive integer is expected.');
  }
  return Number(value);
}

export function parseGasAdjustment(value: string): number {
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || n < 1) {
    throw new InvalidArgumentError("a number of at least 1 is expected (e.g. 1.4).");
  }
  return n;
}

export function parseSeconds(value: string): number {
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || n <= 0)
    throw new InvalidArgumentError("a positive number of seconds is expected.");
  return n;
}
