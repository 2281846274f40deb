// Account addresses as the client accepts them: bech32 with the chain's prefix, checked before anything
// is sent, so that a typo fails here with a hint rather than on the node.
import { InvalidAddressError as CryptoAddressError, fromBech32Address } from "../crypto/address.js";
import { BECH32_PREFIX } from "../params/chain.js";
import { InvalidAddressError } from "./errors.js";

export function isAddress(input: string, prefix = BECH32_PREFIX): boolean {
  try {
    fromBech32Address(input, prefix);
    return true;
  } catch {
    return false;
  }
}

/** Returns the address unchanged, or throws InvalidAddressError saying what is wrong with it. */
export function assertAddress(input: string, prefix = BECH32_PREFIX): string {
  try {
    fromBech32Address(input, prefix);
    return input;
  } catch (e) {
    if (e instanceof CryptoAddressError) throw new InvalidAddressError(input, e.message);
    throw e;
  }
}
