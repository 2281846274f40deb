// A validator set as CometBFT keeps it (types/validator_set.go): ordered by voting power (descending), then
// by address, with updates from InitChain/FinalizeBlock applied by pub key (power 0 removes).
// Only ed25519 consensus keys are supported (CometBFT's default `validator.pub_key_types`).
import type { ValidatorUpdate } from "cosmjs-types/tendermint/abci/types";
import { ValidatorSet as ValidatorSetProto } from "cosmjs-types/tendermint/types/validator";
import { ed25519Address, validatorSetHash } from "./hashing.js";

export interface Validator {
  address: Uint8Array;
  /** Raw 32-byte ed25519 public key. */
  pubKey: Uint8Array;
  votingPower: bigint;
}

function compare(a: Validator, b: Validator): number {
  if (a.votingPower !== b.votingPower) return a.votingPower > b.votingPower ? -1 : 1;
  return Buffer.compare(a.address, b.address);
}

export class ValidatorSet {
  readonly validators: readonly Validator[];

  constructor(validators: Validator[]) {
    this.validators = [...validators].sort(compare);
  }

  static fromUpdates(updates: readonly ValidatorUpdate[]): ValidatorSet {
    return new ValidatorSet([]).applyUpdates(updates);
  }

  get totalVotingPower(): bigint {
    return this.validators.reduce((sum, v) => sum + v.votingPower, 0n);
  }

  hash(): Uint8Array {
    return validatorSetHash(
      this.validators.map((v) => ({
        address: v.address,
        pubKey: { ed25519: v.pubKey },
        votingPower: v.votingPower,
      })),
    );
  }

  byAddress(address: Uint8Array): Validator | undefined {
    return this.validators.find((v) => Buffer.compare(v.address, address) === 0);
  }

  /** A new set with the updates applied (updateWithChangeSet): power 0 removes, otherwise insert or replace. */
  applyUpdates(updates: readonly ValidatorUpdate[]): ValidatorSet {
    const byKey = new Map(this.validators.map((v) => [Buffer.from(v.pubKey).toString("hex"), v]));
    for (const u of updates) {
      const pubKey = u.pubKey.ed25519;
      if (!pubKey || pubKey.length !== 32) {
        throw new Error("validator update: only 32-byte ed25519 public keys are supported");
      }
      if (u.power < 0n) throw new Error("validator update: negative voting power");
      const key = Buffer.from(pubKey).toString("hex");
      if (u.power === 0n) byKey.delete(key);
      else byKey.set(key, { address: ed25519Address(pubKey), pubKey, votingPower: u.power });
    }
    return new ValidatorSet([...byKey.values()]);
  }

  encode(): Uint8Array {
    return ValidatorSetProto.encode({
      validators: this.validators.map((v) => ({
        address: v.address,
        pubKey: { ed25519: v.pubKey },
        votingPower: v.votingPower,
        proposerPriority: 0n,
      })),
      totalVotingPower: this.totalVotingPower,
    }).finish();
  }

  static decode(bytes: Uint8Array): ValidatorSet {
    const proto = ValidatorSetProto.decode(bytes);
    return new ValidatorSet(
      proto.validators.map((v) => ({
        address: v.address,
        pubKey: v.pubKey.ed25519 ?? new Uint8Array(),
        votingPower: v.votingPower,
      })),
    );
  }
}
