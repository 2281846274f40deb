// `cometbft init` for a solo node: creates the validator and node keys in a home directory and a genesis
// document whose only validator is this node's key. Existing files are kept.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadOrCreateNodeKey, loadOrCreateValidatorKey, writeValidatorKeyFromSeed } from "./privval/keys.js";
import {
  type CreateGenesisOptions,
  createGenesisDoc,
  type GenesisDoc,
  loadGenesisFile,
} from "./types/genesis.js";

export interface InitHomeOptions extends Omit<CreateGenesisOptions, "validators"> {
  /** A fixed 32-byte seed for the validator key (deterministic devnets); random when absent. */
  validatorSeed?: Uint8Array;
  /** Voting power of the solo validator (default 10). */
  power?: bigint;
}

/** Prepares `home` (config/priv_validator_key.json, node_key.json, genesis.json); returns the genesis. */
export function initNodeHome(home: string, opts: InitHomeOptions): GenesisDoc {
  const config = join(home, "config");
  mkdirSync(config, { recursive: true });
  const keyPath = join(config, "priv_validator_key.json");
  const key =
    opts.validatorSeed && !existsSync(keyPath)
      ? writeValidatorKeyFromSeed(keyPath, opts.validatorSeed)
      : loadOrCreateValidatorKey(keyPath);
  loadOrCreateNodeKey(join(config, "node_key.json"));
  const genesisPath = join(config, "genesis.json");
  if (existsSync(genesisPath)) return loadGenesisFile(genesisPath);
  const genesis = createGenesisDoc({ ...opts, validators: [{ pubKey: key.pubKey, power: opts.power }] });
  writeFileSync(genesisPath, `${JSON.stringify(genesis, null, 2)}\n`);
  return genesis;
}
