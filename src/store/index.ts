// The store's public face for the rest of DeCloud (see types.ts for the interfaces the app programs against).
export { CacheKVStore } from "./cachekv.js";
export { branchMultiStore } from "./cachemulti.js";
export { StoreError, type StoreErrorCode } from "./errors.js";
export { EMPTY_HASH } from "./hash.js";
export { multiStoreHash, type StoreRoot } from "./merkle.js";
export {
  type OpenOptions,
  openCommitMultiStore,
  PROOF_OP_IAVL,
  PROOF_OP_SIMPLE,
  RootMultiStore,
} from "./multistore.js";
export { PrefixStore, prefixEnd } from "./prefix.js";
export type {
  CacheMultiStore,
  CommitId,
  CommitMultiStore,
  CommitMultiStoreOptions,
  KVStore,
  MultiStore,
  ProofOp,
  StoreQueryResult,
} from "./types.js";
