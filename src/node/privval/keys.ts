// The node's ed25519 keys in CometBFT's file formats, so a home directory can be handed to (or taken from) a
// real CometBFT node: `config/priv_validator_key.json` (the consensus key that signs commits) and
// `config/node_key.json` (whose address is the node id shown in `status`).
import { createPrivateKey, createPublicKey, randomBytes, sign } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { ed25519Address } from "../types/hashing.js";

export const PUBKEY_TYPE = "tendermint/PubKeyEd25519";
export const PRIVKEY_TYPE = "tendermint/PrivKeyEd25519";

export interface Ed25519Key {
  /** 20-byte address: SHA-256(pubKey)[0:20]. */
  address: Uint8Array;
  pubKey: Uint8Array;
  sign(message: Uint8Array): Uint8Array;
}

// DER prefixes of an ed25519 PKCS#8 private key and SPKI public key (RFC 8410), around the raw 32 bytes.
const PKCS8_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");
const SPKI_PREFIX_LEN = 12;

/** Signing goes through node:crypto (OpenSSL): about 20x faster than pure JS, and it runs once per block. */
export function ed25519KeyFromSeed(seed: Uint8Array): Ed25519Key {
  if (seed.length !== 32) throw new Error("ed25519 seed must be 32 bytes");
  const privateKey = createPrivateKey({
    key: Buffer.concat([PKCS8_PREFIX, seed]),
    format: "der",
    type: "pkcs8",
  });
  const spki = createPublicKey(privateKey).export({ format: "der", type: "spki" });
  const pubKey = new Uint8Array(spki.subarray(SPKI_PREFIX_LEN));
  return {
    address: ed25519Address(pubKey),
    pubKey,
    sign: (message) => new Uint8Array(sign(null, message, privateKey)),
  };
}

interface AminoKey {
  type: string;
  value: string;
}

/** CometBFT stores the 64-byte Go private key: seed || public key. */
function seedFromAmino(key: AminoKey | undefined, file: string): Uint8Array {
  if (!key || key.type !== PRIVKEY_TYPE) throw new Error(`${file}: expected a ${PRIVKEY_TYPE} priv_key`);
  const raw = Buffer.from(key.value, "base64");
  if (raw.length !== 64 && raw.length !== 32) throw new Error(`${file}: bad ed25519 private key length`);
  return new Uint8Array(raw.subarray(0, 32));
}

function aminoPrivKey(seed: Uint8Array, pubKey: Uint8Array): AminoKey {
  return { type: PRIVKEY_TYPE, value: Buffer.concat([seed, pubKey]).toString("base64") };
}

function writePrivateJson(path: string, value: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
}

/** Loads `priv_validator_key.json`, creating it with a fresh key when absent. */
export function loadOrCreateValidatorKey(path: string): Ed25519Key {
  if (existsSync(path)) {
    const json = JSON.parse(readFileSync(path, "utf8")) as { priv_key?: AminoKey };
    return ed25519KeyFromSeed(seedFromAmino(json.priv_key, path));
  }
  return writeValidatorKeyFromSeed(path, randomBytes(32));
}

/** Writes a validator key file from a seed (e.g. a deterministic devnet key). */
export function writeValidatorKeyFromSeed(path: string, seed: Uint8Array): Ed25519Key {
  const key = ed25519KeyFromSeed(seed);
  writeValidatorKey(path, key, seed);
  return key;
}

function writeValidatorKey(path: string, key: Ed25519Key, seed: Uint8Array): void {
  writePrivateJson(path, {
    address: Buffer.from(key.address).toString("hex").toUpperCase(),
    pub_key: { type: PUBKEY_TYPE, value: Buffer.from(key.pubKey).toString("base64") },
    priv_key: aminoPrivKey(seed, key.pubKey),
  });
}

/** Loads `node_key.json`, creating it when absent; the node id is the lowercase hex of the key's address. */
export function loadOrCreateNodeKey(path: string): { id: string; key: Ed25519Key } {
  let seed: Uint8Array;
  if (existsSync(path)) {
    const json = JSON.parse(readFileSync(path, "utf8")) as { priv_key?: AminoKey };
    seed = seedFromAmino(json.priv_key, path);
  } else {
    seed = randomBytes(32);
    const key = ed25519KeyFromSeed(seed);
    writePrivateJson(path, { priv_key: aminoPrivKey(seed, key.pubKey) });
  }
  const key = ed25519KeyFromSeed(seed);
  return { id: Buffer.from(key.address).toString("hex"), key };
}
