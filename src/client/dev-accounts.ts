// Puts the devnet's well-known accounts into a keyring, so that `--from alice` works on a devnet.
import { DEV_MNEMONIC, type DevAccount, getDevAccounts, getFaucetAccount } from "../params/devnet.js";
import { DecloudError } from "./errors.js";
import type { KeyInfo, Keyring } from "./keyring.js";

/**
 * Imports `alice` … `judy` (and the faucet, unless `faucet: false`) into the keyring. Idempotent: a key
 * already there with the same address is kept; a key of the same name with another address is an error,
 * since silently signing with the wrong key would be worse.
 */
export async function importDevAccounts(
  keyring: Keyring,
  options: { faucet?: boolean } = {},
): Promise<KeyInfo[]> {
  const accounts: DevAccount[] = await getDevAccounts();
  if (options.faucet !== false) accounts.push(await getFaucetAccount());
  const keys: KeyInfo[] = [];
  for (const account of accounts) {
    if (await keyring.has(account.name)) {
      const existing = await keyring.show(account.name);
      if (existing.address !== account.address) {
        throw new DecloudError(
          `The keyring in ${keyring.dir} has a key "${account.name}" that is not the dev account of that name.`,
          { hint: "Use another --home for the devnet, or delete or rename that key." },
        );
      }
      keys.push(existing);
    } else {
      keys.push(await keyring.import(account.name, DEV_MNEMONIC, { index: account.index }));
    }
  }
  return keys;
}
