// HD keys from a BIP-39 mnemonic: SLIP-10 secp256k1 keys at a path, as cosmjs's HD wallets derive them.
//
// cosmjs derives the BIP-39 seed with a JavaScript PBKDF2 (2,048 rounds of SHA-512, ~12 ms) on every wallet it
// makes; node:crypto's takes well under a millisecond. A devnet derives a dozen keys of one mnemonic at start.
import { pbkdf2Sync } from "node:crypto";
import { EnglishMnemonic, Slip10, Slip10Curve, stringToPath } from "@cosmjs/crypto";

/** BIP-39 seeds by mnemonic. Bounded: a handful of mnemonics at most live in one process. */
const seeds = new Map<string, Uint8Array>();

/** The BIP-39 seed of a mnemonic (no passphrase). Throws if the words or the checksum are wrong. */
export function bip39Seed(mnemonic: string): Uint8Array {
  let seed = seeds.get(mnemonic);
  if (!seed) {
    // Checks the words and the checksum, as cosmjs does before deriving.
    new EnglishMnemonic(mnemonic);
    seed = pbkdf2Sync(mnemonic.normalize("NFKD"), "mnemonic".normalize("NFKD"), 2048, 64, "sha512");
    if (seeds.size >= 16) seeds.clear();
    seeds.set(mnemonic, seed);
  }
  return seed;
}

/** The secp256k1 private key at `hdPath` (e.g. `m/44'/118'/0'/0/0`) of a mnemonic. */
export function hdPrivateKey(mnemonic: string, hdPath: string): Uint8Array {
  return Slip10.derivePath(Slip10Curve.Secp256k1, bip39Seed(mnemonic), stringToPath(hdPath)).privkey;
}
