// Consensus parameters (types/params.go): CometBFT 0.38 defaults, updates from InitChain/FinalizeBlock, and
// the JSON form used in genesis.json and the `consensus_params` / `genesis` RPC results (int64 as strings,
// durations as nanosecond strings). reference: cometbft-cosmos.md §1.2, §2.4
import type { ConsensusParams } from "cosmjs-types/tendermint/types/params";

export type { ConsensusParams };

export interface ConsensusParamsJson {
  block: { max_bytes: string; max_gas: string };
  evidence: { max_age_num_blocks: string; max_age_duration: string; max_bytes: string };
  validator: { pub_key_types: string[] };
  version: { app: string };
  abci: { vote_extensions_enable_height: string };
}

export function defaultConsensusParams(): Required<ConsensusParams> {
  return {
    block: { maxBytes: 22020096n, maxGas: -1n },
    evidence: {
      maxAgeNumBlocks: 100000n,
      maxAgeDuration: { seconds: 48n * 3600n, nanos: 0 },
      maxBytes: 1048576n,
    },
    validator: { pubKeyTypes: ["ed25519"] },
    version: { app: 0n },
    abci: { voteExtensionsEnableHeight: 0n },
  };
}

/** ConsensusParams.Update: every section present in `updates` replaces the current one. */
export function updateConsensusParams(
  base: Required<ConsensusParams>,
  updates: ConsensusParams | undefined,
): Required<ConsensusParams> {
  if (!updates) return base;
  return {
    block: updates.block ?? base.block,
    evidence: updates.evidence ?? base.evidence,
    validator: updates.validator ?? base.validator,
    version: updates.version ?? base.version,
    abci: updates.abci ?? base.abci,
  };
}

const NS = 1_000_000_000n;

function int(value: unknown, what: string): bigint {
  if (typeof value === "number" && Number.isInteger(value)) return BigInt(value);
  if (typeof value === "string" && /^-?\d+$/.test(value)) return BigInt(value);
  throw new Error(`consensus_params: ${what} must be an integer, got ${JSON.stringify(value)}`);
}

/** Reads the JSON form, filling absent sections with the defaults (GenesisDoc.ValidateAndComplete). */
export function consensusParamsFromJson(json: unknown): Required<ConsensusParams> {
  const d = defaultConsensusParams();
  if (json === undefined || json === null) return d;
  const j = json as Partial<Record<keyof ConsensusParamsJson, Record<string, unknown>>>;
  const params: Required<ConsensusParams> = {
    block: j.block
      ? { maxBytes: int(j.block.max_bytes, "block.max_bytes"), maxGas: int(j.block.max_gas, "block.max_gas") }
      : d.block,
    evidence: j.evidence
      ? {
          maxAgeNumBlocks: int(j.evidence.max_age_num_blocks, "evidence.max_age_num_blocks"),
          maxAgeDuration: (() => {
            const ns = int(j.evidence.max_age_duration, "evidence.max_age_duration");
            return { seconds: ns / NS, nanos: Number(ns % NS) };
          })(),
          maxBytes: int(j.evidence.max_bytes ?? "0", "evidence.max_bytes"),
        }
      : d.evidence,
    validator: j.validator ? { pubKeyTypes: (j.validator.pub_key_types as string[]) ?? [] } : d.validator,
    version: j.version ? { app: int(j.version.app ?? "0", "version.app") } : d.version,
    abci: j.abci
      ? { voteExtensionsEnableHeight: int(j.abci.vote_extensions_enable_height ?? "0", "abci.vote_ext...") }
      : d.abci,
  };
  validateConsensusParams(params);
  return params;
}

export function consensusParamsToJson(p: Required<ConsensusParams>): ConsensusParamsJson {
  const dur = p.evidence.maxAgeDuration;
  return {
    block: { max_bytes: String(p.block.maxBytes), max_gas: String(p.block.maxGas) },
    evidence: {
      max_age_num_blocks: String(p.evidence.maxAgeNumBlocks),
      max_age_duration: String(dur.seconds * NS + BigInt(dur.nanos)),
      max_bytes: String(p.evidence.maxBytes),
    },
    validator: { pub_key_types: [...p.validator.pubKeyTypes] },
    version: { app: String(p.version.app) },
    abci: { vote_extensions_enable_height: String(p.abci.voteExtensionsEnableHeight) },
  };
}

/** types.MaxBlockSizeBytes: the hard cap on block.max_bytes (100 MiB). */
export const MAX_BLOCK_SIZE_BYTES = 104857600n;

export function validateConsensusParams(p: Required<ConsensusParams>): void {
  const mb = p.block.maxBytes;
  if (mb === 0n || mb < -1n || mb > MAX_BLOCK_SIZE_BYTES) {
    throw new Error(`block.max_bytes must be -1 or in (0, ${MAX_BLOCK_SIZE_BYTES}], got ${mb}`);
  }
  if (p.block.maxGas < -1n) throw new Error(`block.max_gas must be >= -1, got ${p.block.maxGas}`);
  if (!p.validator.pubKeyTypes.includes("ed25519")) {
    throw new Error("validator.pub_key_types must include ed25519 (the solo validator's key type)");
  }
}

// Block size overheads of types/block.go, used to compute the bytes left for txs (MaxDataBytes).
const MAX_HEADER_BYTES = 626n;
const MAX_OVERHEAD_FOR_BLOCK = 11n;
const MAX_COMMIT_OVERHEAD_BYTES = 94n;
const MAX_COMMIT_SIG_BYTES = 109n;

/** types.MaxDataBytes (no evidence): how many bytes of txs a block may carry. */
export function maxDataBytes(p: Required<ConsensusParams>, validatorCount: number): bigint {
  const maxBytes = p.block.maxBytes === -1n ? MAX_BLOCK_SIZE_BYTES : p.block.maxBytes;
  const commitBytes = MAX_COMMIT_OVERHEAD_BYTES + (MAX_COMMIT_SIG_BYTES + 2n) * BigInt(validatorCount);
  const left = maxBytes - MAX_OVERHEAD_FOR_BLOCK - MAX_HEADER_BYTES - commitBytes;
  if (left < 0n) throw new Error(`block.max_bytes ${maxBytes} is too small to hold a block`);
  return left;
}
