// The consensus state after the last executed block (CometBFT's state.State): what the next header is built
// from. The solo driver persists it together with each block's results, so that a restart continues exactly
// where the last fully recorded block left off.

import { ConsensusParams } from "cosmjs-types/tendermint/types/params";
import { BlockID } from "cosmjs-types/tendermint/types/types";
import type { Timestamp } from "./time.js";
import { ValidatorSet } from "./validators.js";

export interface ChainState {
  chainId: string;
  initialHeight: bigint;
  /** Height of the last executed block; initialHeight - 1 before the first block. */
  lastBlockHeight: bigint;
  lastBlockId: BlockID;
  lastBlockTime: Timestamp;
  /** Validators of lastBlockHeight (the signers of its commit), of the next block, and of the one after. */
  lastValidators: ValidatorSet;
  validators: ValidatorSet;
  nextValidators: ValidatorSet;
  /** Consensus parameters for the next block. */
  consensusParams: Required<ConsensusParams>;
  /** Results hash of the last block and the app hash after it: both go into the next header. */
  lastResultsHash: Uint8Array;
  appHash: Uint8Array;
  appVersion: bigint;
}

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const unhex = (s: string) => new Uint8Array(Buffer.from(s, "hex"));

export function encodeState(s: ChainState): Uint8Array {
  return new TextEncoder().encode(
    JSON.stringify({
      chainId: s.chainId,
      initialHeight: String(s.initialHeight),
      lastBlockHeight: String(s.lastBlockHeight),
      lastBlockId: hex(BlockID.encode(s.lastBlockId).finish()),
      lastBlockTime: [String(s.lastBlockTime.seconds), s.lastBlockTime.nanos],
      lastValidators: hex(s.lastValidators.encode()),
      validators: hex(s.validators.encode()),
      nextValidators: hex(s.nextValidators.encode()),
      consensusParams: hex(ConsensusParams.encode(s.consensusParams).finish()),
      lastResultsHash: hex(s.lastResultsHash),
      appHash: hex(s.appHash),
      appVersion: String(s.appVersion),
    }),
  );
}

export function decodeState(bytes: Uint8Array): ChainState {
  const j = JSON.parse(new TextDecoder().decode(bytes));
  const params = ConsensusParams.decode(unhex(j.consensusParams));
  return {
    chainId: j.chainId,
    initialHeight: BigInt(j.initialHeight),
    lastBlockHeight: BigInt(j.lastBlockHeight),
    lastBlockId: BlockID.decode(unhex(j.lastBlockId)),
    lastBlockTime: { seconds: BigInt(j.lastBlockTime[0]), nanos: j.lastBlockTime[1] },
    lastValidators: ValidatorSet.decode(unhex(j.lastValidators)),
    validators: ValidatorSet.decode(unhex(j.validators)),
    nextValidators: ValidatorSet.decode(unhex(j.nextValidators)),
    consensusParams: params as Required<ConsensusParams>,
    lastResultsHash: unhex(j.lastResultsHash),
    appHash: unhex(j.appHash),
    appVersion: BigInt(j.appVersion),
  };
}
