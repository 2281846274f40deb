// The CometBFT genesis document (types/genesis.go) in its JSON file format, so that `genesis.json` files are
// interchangeable with a real CometBFT node, plus the InitChain request built from it.
// reference: cometbft-cosmos.md §1.4 (InitChain), §2.4 (genesis)
import { readFileSync } from "node:fs";
import type { RequestInitChain, ValidatorUpdate } from "cosmjs-types/tendermint/abci/types";
import { PUBKEY_TYPE } from "../privval/keys.js";
import { ed25519Address } from "./hashing.js";
import {
  type ConsensusParams,
  type ConsensusParamsJson,
  consensusParamsFromJson,
  consensusParamsToJson,
} from "./params.js";
import { formatRfc3339Nano, parseRfc3339, type Timestamp, timestampFromMs } from "./time.js";

export interface GenesisValidatorJson {
  address: string;
  pub_key: { type: string; value: string };
  power: string;
  name: string;
}

export interface GenesisDoc {
  genesis_time: string;
  chain_id: string;
  initial_height: string;
  consensus_params: ConsensusParamsJson;
  validators: GenesisValidatorJson[];
  app_hash: string;
  app_state?: unknown;
}

/** types.MaxChainIDLen */
const MAX_CHAIN_ID_LEN = 50;

/** GenesisDoc.ValidateAndComplete: checks the document and fills the optional fields. */
export function parseGenesisDoc(json: unknown): GenesisDoc {
  if (typeof json !== "object" || json === null) throw new Error("genesis: not a JSON object");
  const g = json as Record<string, unknown>;
  const chainId = g.chain_id;
  if (typeof chainId !== "string" || chainId === "") throw new Error("genesis: chain_id is required");
  if (chainId.length > MAX_CHAIN_ID_LEN) throw new Error(`genesis: chain_id longer than ${MAX_CHAIN_ID_LEN}`);
  const initialHeight = g.initial_height === undefined ? "1" : String(g.initial_height);
  if (!/^\d+$/.test(initialHeight)) throw new Error("genesis: initial_height must be a non-negative integer");
  const genesisTime =
    typeof g.genesis_time === "string" && g.genesis_time !== ""
      ? formatRfc3339Nano(parseRfc3339(g.genesis_time))
      : formatRfc3339Nano(timestampFromMs(Date.now()));
  const validators = ((g.validators as GenesisValidatorJson[] | undefined) ?? []).map((v, i) => {
    if (v.pub_key?.type !== PUBKEY_TYPE) throw new Error(`genesis: validator ${i} must have an ed25519 key`);
    const pubKey = Buffer.from(v.pub_key.value, "base64");
    if (pubKey.length !== 32) throw new Error(`genesis: validator ${i} has a bad ed25519 key`);
    const address = Buffer.from(ed25519Address(pubKey)).toString("hex").toUpperCase();
    if (v.address && v.address.toUpperCase() !== address) {
      throw new Error(`genesis: validator ${i} address does not match its pub_key`);
    }
    const power = String(v.power);
    if (!/^\d+$/.test(power) || BigInt(power) === 0n) throw new Error(`genesis: validator ${i} has no power`);
    return { address, pub_key: v.pub_key, power, name: v.name ?? "" };
  });
  return {
    genesis_time: genesisTime,
    chain_id: chainId,
    initial_height: initialHeight === "0" ? "1" : initialHeight,
    consensus_params: consensusParamsToJson(consensusParamsFromJson(g.consensus_params)),
    validators,
    app_hash: typeof g.app_hash === "string" ? g.app_hash.toUpperCase() : "",
    app_state: g.app_state,
  };
}

export function loadGenesisFile(path: string): GenesisDoc {
  return parseGenesisDoc(JSON.parse(readFileSync(path, "utf8")));
}

export interface CreateGenesisOptions {
  chainId: string;
  /** The validators' raw ed25519 public keys with power (default 10, the CometBFT `init` default). */
  validators?: { pubKey: Uint8Array; power?: bigint; name?: string }[];
  appState?: unknown;
  genesisTime?: Date;
  initialHeight?: bigint;
  consensusParams?: ConsensusParamsJson;
}

/** Builds a genesis document like `cometbft init` does. */
export function createGenesisDoc(opts: CreateGenesisOptions): GenesisDoc {
  return parseGenesisDoc({
    genesis_time: (opts.genesisTime ?? new Date()).toISOString(),
    chain_id: opts.chainId,
    initial_height: String(opts.initialHeight ?? 1n),
    consensus_params: opts.consensusParams,
    validators: (opts.validators ?? []).map((v) => ({
      address: "",
      pub_key: { type: PUBKEY_TYPE, value: Buffer.from(v.pubKey).toString("base64") },
      power: String(v.power ?? 10n),
      name: v.name ?? "",
    })),
    app_hash: "",
    app_state: opts.appState ?? {},
  });
}

export function genesisTime(doc: GenesisDoc): Timestamp {
  return parseRfc3339(doc.genesis_time);
}

export function genesisConsensusParams(doc: GenesisDoc): Required<ConsensusParams> {
  return consensusParamsFromJson(doc.consensus_params);
}

export function genesisValidatorUpdates(doc: GenesisDoc): ValidatorUpdate[] {
  return doc.validators.map((v) => ({
    pubKey: { ed25519: new Uint8Array(Buffer.from(v.pub_key.value, "base64")) },
    power: BigInt(v.power),
  }));
}

/** The InitChain request CometBFT sends for this genesis (app_state_bytes = the raw JSON of app_state). */
export function initChainRequest(doc: GenesisDoc): RequestInitChain {
  return {
    time: genesisTime(doc),
    chainId: doc.chain_id,
    consensusParams: genesisConsensusParams(doc),
    validators: genesisValidatorUpdates(doc),
    appStateBytes: new TextEncoder().encode(doc.app_state === undefined ? "" : JSON.stringify(doc.app_state)),
    initialHeight: BigInt(doc.initial_height),
  };
}
