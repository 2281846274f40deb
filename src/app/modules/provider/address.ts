// Decodes a bech32 account address from a message, turning a malformed one into the module's own error.
import { fromBech32Address, InvalidAddressError } from "../../../crypto/address.js";
import type { AppError } from "../../errors.js";

export function requireAddress(
  address: string,
  role: string,
  fail: (message: string) => AppError,
): Uint8Array {
  try {
    return fromBech32Address(address);
  } catch (e) {
    if (e instanceof InvalidAddressError)
      throw fail(`invalid ${role} address ${JSON.stringify(address)}: ${e.message}`);
    throw e;
  }
}
