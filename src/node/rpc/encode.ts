// JSON renderings of CometBFT 0.38 RPC results. Two encoders coexist there (reference: cometbft-cosmos.md §2.2):
//  - cmtjson for result structs: int64/uint64 → decimal strings, int32/uint32 → numbers, []byte → base64,
//    HexBytes (hashes, addresses) → uppercase hex, times → RFC3339Nano, `omitempty` fields dropped when zero;
//  - gogo jsonpb (EmitDefaults, enums as ints) for ResponseCheckTx, ExecTxResult, ResponseQuery and
//    EventAttribute: every field present, bytes base64 (null when empty), proto json names (`proofOps`).
import type {
  Event,
  ExecTxResult,
  ResponseCheckTx,
  ResponseFinalizeBlock,
  ResponseInfo,
  ResponseQuery,
  ValidatorUpdate,
} from "cosmjs-types/tendermint/abci/types";
import type { Block } from "cosmjs-types/tendermint/types/block";
import type { ConsensusParams } from "cosmjs-types/tendermint/types/params";
import type { BlockID, Commit, Header } from "cosmjs-types/tendermint/types/types";
import type { BlockMeta, StoredTx } from "../blockstore/store.js";
import { PUBKEY_TYPE } from "../privval/keys.js";
import type { MerkleProof } from "../types/merkle.js";
import { consensusParamsToJson, defaultConsensusParams } from "../types/params.js";
import { formatRfc3339Nano } from "../types/time.js";
import type { Validator } from "../types/validators.js";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex").toUpperCase();
export const b64 = (b: Uint8Array): string => Buffer.from(b).toString("base64");
/** jsonpb renders empty bytes as null (Go decodes them as nil slices). */
const pbBytes = (b: Uint8Array): string | null => (b.length === 0 ? null : b64(b));

// --- block structures (cmtjson)

export function blockIdJson(id: BlockID): Json {
  return { hash: hex(id.hash), parts: { total: id.partSetHeader.total, hash: hex(id.partSetHeader.hash) } };
}

export function headerJson(h: Header): Json {
  const version: Record<string, Json> = { block: String(h.version.block) };
  if (h.version.app !== 0n) version.app = String(h.version.app); // `app,omitempty`
  return {
    version,
    chain_id: h.chainId,
    height: String(h.height),
    time: formatRfc3339Nano(h.time),
    last_block_id: blockIdJson(h.lastBlockId),
    last_commit_hash: hex(h.lastCommitHash),
    data_hash: hex(h.dataHash),
    validators_hash: hex(h.validatorsHash),
    next_validators_hash: hex(h.nextValidatorsHash),
    consensus_hash: hex(h.consensusHash),
    app_hash: hex(h.appHash),
    last_results_hash: hex(h.lastResultsHash),
    evidence_hash: hex(h.evidenceHash),
    proposer_address: hex(h.proposerAddress),
  };
}

export function commitJson(c: Commit): Json {
  return {
    height: String(c.height),
    round: c.round,
    block_id: blockIdJson(c.blockId),
    signatures: c.signatures.map((s) => ({
      block_id_flag: s.blockIdFlag,
      validator_address: hex(s.validatorAddress),
      timestamp: formatRfc3339Nano(s.timestamp),
      signature: s.signature.length > 0 ? b64(s.signature) : null,
    })),
  };
}

export function blockJson(b: Block): Json {
  return {
    header: headerJson(b.header),
    data: { txs: b.data.txs.map(b64) },
    evidence: { evidence: [] },
    last_commit: b.lastCommit ? commitJson(b.lastCommit) : null,
  };
}

/** ResultBlock / one entry of block_search. */
export function resultBlockJson(blockId: BlockID, block: Block): Json {
  return { block_id: blockIdJson(blockId), block: blockJson(block) };
}

export function blockMetaJson(m: BlockMeta): Json {
  return {
    block_id: blockIdJson(m.blockId),
    block_size: String(m.blockSize),
    header: headerJson(m.header),
    num_txs: String(m.numTxs),
  };
}

// --- ABCI types

function attributesJson(e: Event): Json {
  return e.attributes.map((a) => ({ key: a.key, value: a.value, index: a.index }));
}

/** An Event inside a jsonpb message (every field present). */
function pbEventJson(e: Event): Json {
  return { type: e.type, attributes: attributesJson(e) };
}

/** An Event as a cmtjson struct (`type,omitempty`, `attributes,omitempty`); attributes are jsonpb. */
export function eventJson(e: Event): Json {
  const out: Record<string, Json> = {};
  if (e.type) out.type = e.type;
  if (e.attributes.length > 0) out.attributes = attributesJson(e);
  return out;
}

export function execTxResultJson(r: ExecTxResult): Json {
  return {
    code: r.code,
    data: pbBytes(r.data),
    log: r.log,
    info: r.info,
    gas_wanted: String(r.gasWanted),
    gas_used: String(r.gasUsed),
    events: r.events.map(pbEventJson),
    codespace: r.codespace,
  };
}

export function checkTxJson(r: ResponseCheckTx): { [key: string]: Json } {
  return {
    code: r.code,
    data: pbBytes(r.data),
    log: r.log,
    info: r.info,
    gas_wanted: String(r.gasWanted),
    gas_used: String(r.gasUsed),
    events: r.events.map(pbEventJson),
    codespace: r.codespace,
  };
}

export function queryResponseJson(r: ResponseQuery): Json {
  return {
    code: r.code,
    log: r.log,
    info: r.info,
    index: String(r.index),
    key: pbBytes(r.key),
    value: pbBytes(r.value),
    proofOps: r.proofOps
      ? { ops: r.proofOps.ops.map((op) => ({ type: op.type, key: pbBytes(op.key), data: pbBytes(op.data) })) }
      : null,
    height: String(r.height),
    codespace: r.codespace,
  };
}

/** abci_info's ResponseInfo: plain cmtjson with omitempty on every field. */
export function responseInfoJson(r: ResponseInfo): Json {
  const out: Record<string, Json> = {};
  if (r.data) out.data = r.data;
  if (r.version) out.version = r.version;
  if (r.appVersion !== 0n) out.app_version = String(r.appVersion);
  if (r.lastBlockHeight !== 0n) out.last_block_height = String(r.lastBlockHeight);
  if (r.lastBlockAppHash.length > 0) out.last_block_app_hash = b64(r.lastBlockAppHash);
  return out;
}

/** A ValidatorUpdate serialized from the proto oneof, as CometBFT's block_results shows it. */
export function validatorUpdateJson(u: ValidatorUpdate): Json {
  const sum: Json = u.pubKey.ed25519
    ? { type: "tendermint.crypto.PublicKey_Ed25519", value: { ed25519: b64(u.pubKey.ed25519) } }
    : {
        type: "tendermint.crypto.PublicKey_Secp256k1",
        value: { secp256k1: b64(u.pubKey.secp256k1 ?? new Uint8Array()) },
      };
  const out: Record<string, Json> = { pub_key: { Sum: sum } };
  if (u.power !== 0n) out.power = String(u.power);
  return out;
}

/** Consensus param updates (proto sections, each omitted when absent). */
export function consensusParamUpdatesJson(p: ConsensusParams | undefined): Json {
  if (!p) return null;
  const full = consensusParamsToJson({ ...defaultConsensusParams(), ...stripUndefined(p) });
  const out: Record<string, Json> = {};
  for (const k of ["block", "evidence", "validator", "version", "abci"] as const) {
    if (p[k]) out[k] = full[k] as unknown as Json;
  }
  return out;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The cmtjson of abci.ResponseFinalizeBlock (NewBlock events' `result_finalize_block`). */
export function finalizeBlockJson(r: ResponseFinalizeBlock): Json {
  const out: Record<string, Json> = {};
  if (r.events.length > 0) out.events = r.events.map(eventJson);
  if (r.txResults.length > 0) out.tx_results = r.txResults.map(execTxResultJson);
  if (r.validatorUpdates.length > 0) out.validator_updates = r.validatorUpdates.map(validatorUpdateJson);
  if (r.consensusParamUpdates)
    out.consensus_param_updates = consensusParamUpdatesJson(r.consensusParamUpdates);
  if (r.appHash.length > 0) out.app_hash = b64(r.appHash);
  return out;
}

export function blockResultsJson(height: number, r: ResponseFinalizeBlock): Json {
  return {
    height: String(height),
    txs_results: r.txResults.length > 0 ? r.txResults.map(execTxResultJson) : null,
    finalize_block_events: r.events.map(eventJson),
    validator_updates: r.validatorUpdates.length > 0 ? r.validatorUpdates.map(validatorUpdateJson) : null,
    consensus_param_updates: consensusParamUpdatesJson(r.consensusParamUpdates),
    app_hash: b64(r.appHash),
  };
}

// --- txs

export interface TxProofJson {
  rootHash: Uint8Array;
  tx: Uint8Array;
  proof: MerkleProof;
}

export function resultTxJson(t: StoredTx, proof?: TxProofJson): Json {
  const out: Record<string, Json> = {
    hash: hex(t.hash),
    height: String(t.height),
    index: t.index,
    tx_result: execTxResultJson(t.result),
    tx: b64(t.tx),
  };
  if (proof) {
    out.proof = {
      root_hash: hex(proof.rootHash),
      data: b64(proof.tx),
      proof: {
        total: String(proof.proof.total),
        index: String(proof.proof.index),
        leaf_hash: b64(proof.proof.leafHash),
        aunts: proof.proof.aunts.map(b64),
      },
    };
  }
  return out;
}

// --- validators and keys

export function pubKeyJson(pubKey: Uint8Array): Json {
  return { type: PUBKEY_TYPE, value: b64(pubKey) };
}

export function validatorJson(v: Validator): Json {
  return {
    address: hex(v.address),
    pub_key: pubKeyJson(v.pubKey),
    voting_power: String(v.votingPower),
    proposer_priority: "0",
  };
}
