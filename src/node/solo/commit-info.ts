// The ABCI views of a block's last commit: CommitInfo for ProcessProposal/FinalizeBlock and
// ExtendedCommitInfo for PrepareProposal (state/execution.go buildLastCommitInfo). Every validator of the
// previous height appears, flagged COMMIT when it signed and ABSENT otherwise.
import type { CommitInfo, ExtendedCommitInfo } from "cosmjs-types/tendermint/abci/types";
import type { Commit } from "cosmjs-types/tendermint/types/types";
import { BlockIDFlag } from "cosmjs-types/tendermint/types/validator";
import type { ValidatorSet } from "../types/validators.js";

function votes(commit: Commit, validators: ValidatorSet) {
  return validators.validators.map((v) => {
    const sig = commit.signatures.find((s) => Buffer.compare(s.validatorAddress, v.address) === 0);
    return {
      validator: { address: v.address, power: v.votingPower },
      blockIdFlag: sig?.blockIdFlag ?? BlockIDFlag.BLOCK_ID_FLAG_ABSENT,
    };
  });
}

export function commitInfo(commit: Commit, validators: ValidatorSet | undefined): CommitInfo {
  if (commit.height === 0n || !validators) return { round: 0, votes: [] };
  return { round: commit.round, votes: votes(commit, validators) };
}

export function extendedCommitInfo(commit: Commit, validators: ValidatorSet | undefined): ExtendedCommitInfo {
  const info = commitInfo(commit, validators);
  return {
    round: info.round,
    votes: info.votes.map((v) => ({
      ...v,
      voteExtension: new Uint8Array(),
      extensionSignature: new Uint8Array(),
    })),
  };
}
