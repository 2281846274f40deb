// The store's public face for the rest of DeCloud (types.ts holds the interfaces the app programs against).
//
//   const cms = await openCommitMultiStore({ dir, storeNames: ["acc", "bank"], keepRecent: 100 });
//   const block = cms.branch();                  // per block; per tx: const tx = block.branch()
//   new PrefixStore(block.getStore("bank"), prefix).set(key, value);
//   tx.write(); block.write();                   // a failed tx: just drop its branch
//   const appHash = cms.workingHash();           // FinalizeBlock's app hash
//   await cms.commit();                          // Commit: one atomic LMDB transaction
//   cms.query("ibc", key, height, true);         // abci_query /store/ibc/key with ICS-23 proof ops
//
// Keys and values passed in or returned are not copied: do not modify them afterwards. Values must not be empty
// (delete the key instead). Reads are synchronous; only commit() is asynchronous, and nothing may write to the
// multistore while it runs.
export { keyString, putUvarint, uvarintLength } from "./bytes.js";
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
