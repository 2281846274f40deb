// Block hashing exactly as CometBFT v0.38 does it (types/block.go, types/results.go, types/validator_set.go,
// types/params.go, types/part_set.go, types/canonical.go), so that block ids, `block_by_hash`, `blockchain`
// and `commit` agree and a light client could verify our headers and commits. reference: cometbft-cosmos.md §5.6

import { BinaryWriter } from "cosmjs-types/binary";
import { Timestamp } from "cosmjs-types/google/protobuf/timestamp";
import { ExecTxResult } from "cosmjs-types/tendermint/abci/types";
import type { PublicKey } from "cosmjs-types/tendermint/crypto/keys";
import { type ConsensusParams, HashedParams } from "cosmjs-types/tendermint/types/params";
import {
  BlockID,
  type Commit,
  CommitSig,
  type Header,
  type PartSetHeader,
  SignedMsgType,
} from "cosmjs-types/tendermint/types/types";
import { SimpleValidator } from "cosmjs-types/tendermint/types/validator";
import { Consensus } from "cosmjs-types/tendermint/version/types";
import { merkleRoot, sha256 } from "./merkle.js";

// --- gogoproto wrapper types, as `cdcEncode` marshals header fields (types/encoding_helper.go). A zero value
// encodes to empty bytes, because proto3 omits the wrapper's only field.
function stringValue(s: string): Uint8Array {
  const w = BinaryWriter.create();
  if (s !== "") w.uint32(10).string(s);
  return w.finish();
}

function int64Value(n: bigint): Uint8Array {
  const w = BinaryWriter.create();
  if (n !== 0n) w.uint32(8).int64(n);
  return w.finish();
}

function bytesValue(b: Uint8Array): Uint8Array {
  const w = BinaryWriter.create();
  if (b.length > 0) w.uint32(10).bytes(b);
  return w.finish();
}

/** Header.Hash(): the simple Merkle root over the 14 cdc-encoded fields, in struct order. */
export function headerHash(h: Header): Uint8Array {
  return merkleRoot([
    Consensus.encode(h.version).finish(),
    stringValue(h.chainId),
    int64Value(h.height),
    Timestamp.encode(h.time).finish(),
    BlockID.encode(h.lastBlockId).finish(),
    bytesValue(h.lastCommitHash),
    bytesValue(h.dataHash),
    bytesValue(h.validatorsHash),
    bytesValue(h.nextValidatorsHash),
    bytesValue(h.consensusHash),
    bytesValue(h.appHash),
    bytesValue(h.lastResultsHash),
    bytesValue(h.evidenceHash),
    bytesValue(h.proposerAddress),
  ]);
}

/** Tx.Hash(): SHA-256 of the raw bytes as broadcast. reference: cometbft-cosmos.md §3.2 */
export function txHash(tx: Uint8Array): Uint8Array {
  return sha256(tx);
}

/** Data.Hash(): Merkle root over the tx hashes. */
export function dataHash(txs: readonly Uint8Array[]): Uint8Array {
  return merkleRoot(txs.map(txHash));
}

/** Only code, data, gas_wanted and gas_used are consensus-critical (types/results.go deterministicExecTxResult). */
export function deterministicResultBytes(r: ExecTxResult): Uint8Array {
  return ExecTxResult.encode(
    ExecTxResult.fromPartial({ code: r.code, data: r.data, gasWanted: r.gasWanted, gasUsed: r.gasUsed }),
  ).finish();
}

/** ABCIResults.Hash(): becomes LastResultsHash of the next header. */
export function resultsHash(results: readonly ExecTxResult[]): Uint8Array {
  return merkleRoot(results.map(deterministicResultBytes));
}

export interface ValidatorEntry {
  address: Uint8Array;
  pubKey: PublicKey;
  votingPower: bigint;
}

/** ValidatorSet.Hash(): Merkle root over SimpleValidator{pub_key, voting_power} in set order. */
export function validatorSetHash(validators: readonly ValidatorEntry[]): Uint8Array {
  return merkleRoot(
    validators.map((v) => SimpleValidator.encode({ pubKey: v.pubKey, votingPower: v.votingPower }).finish()),
  );
}

/** ConsensusParams.Hash(): SHA-256 (not Merkle) of HashedParams{block max_bytes, max_gas}. */
export function consensusParamsHash(params: ConsensusParams): Uint8Array {
  return sha256(
    HashedParams.encode({
      blockMaxBytes: params.block?.maxBytes ?? 0n,
      blockMaxGas: params.block?.maxGas ?? 0n,
    }).finish(),
  );
}

/** Commit.Hash(): Merkle root over the proto-encoded CommitSigs. */
export function commitHash(commit: Commit): Uint8Array {
  return merkleRoot(commit.signatures.map((s) => CommitSig.encode(s).finish()));
}

/** types.BlockPartSizeBytes: blocks are gossiped (and identified) as 64 KiB parts. */
export const BLOCK_PART_SIZE = 65536;

/** PartSetHeader of a proto-encoded block: Merkle root over its 64 KiB chunks (types/part_set.go). */
export function partSetHeader(blockBytes: Uint8Array): PartSetHeader {
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < blockBytes.length; i += BLOCK_PART_SIZE) {
    chunks.push(blockBytes.subarray(i, i + BLOCK_PART_SIZE));
  }
  if (chunks.length === 0) chunks.push(new Uint8Array());
  return { total: chunks.length, hash: merkleRoot(chunks) };
}

export interface VoteToSign {
  type: SignedMsgType;
  height: bigint;
  round: bigint;
  blockId: BlockID;
  timestamp: Timestamp;
}

function isZeroBlockId(id: BlockID): boolean {
  return id.hash.length === 0 && id.partSetHeader.total === 0 && id.partSetHeader.hash.length === 0;
}

/**
 * VoteSignBytes: the length-delimited proto CanonicalVote{type, height (sfixed64), round (sfixed64),
 * block_id CanonicalBlockID (absent for a nil vote), timestamp, chain_id}. cosmjs-types has no canonical
 * types, so this is written field by field (proto/tendermint/types/canonical.proto).
 */
export function voteSignBytes(chainId: string, vote: VoteToSign): Uint8Array {
  const w = BinaryWriter.create();
  if (vote.type !== 0) w.uint32(8).int32(vote.type);
  if (vote.height !== 0n) w.uint32(17).sfixed64(vote.height);
  if (vote.round !== 0n) w.uint32(25).sfixed64(vote.round);
  if (!isZeroBlockId(vote.blockId)) {
    w.uint32(34).fork();
    if (vote.blockId.hash.length > 0) w.uint32(10).bytes(vote.blockId.hash);
    w.uint32(18).fork(); // CanonicalPartSetHeader is non-nullable
    if (vote.blockId.partSetHeader.total !== 0) w.uint32(8).uint32(vote.blockId.partSetHeader.total);
    if (vote.blockId.partSetHeader.hash.length > 0) w.uint32(18).bytes(vote.blockId.partSetHeader.hash);
    w.ldelim();
    w.ldelim();
  }
  Timestamp.encode(vote.timestamp, w.uint32(42).fork()).ldelim();
  if (chainId !== "") w.uint32(50).string(chainId);
  const body = w.finish();
  return BinaryWriter.create().bytes(body).finish(); // uvarint length prefix (protoio.MarshalDelimited)
}

/** A validator's consensus address: the first 20 bytes of SHA-256 of its ed25519 public key. §3.5 */
export function ed25519Address(pubKey: Uint8Array): Uint8Array {
  return sha256(pubKey).subarray(0, 20);
}

export { SignedMsgType };
