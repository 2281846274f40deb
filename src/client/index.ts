// The DeCloud client SDK: one function per action, the client as first argument (STYLE.md, viem).
export { assertAddress, isAddress } from "./address.js";
export { type Coin, formatCoin, formatCoins, parseAmount, parseAmounts, sortForDisplay } from "./amount.js";
export {
  type ClientCertificate,
  certificatePath,
  ensureCertificate,
  generateCertificate,
  loadCertificate,
} from "./certificate.js";
export {
  type ConnectParameters,
  type ConnectWithSignerParameters,
  connect,
  connectWithSigner,
  type PublicClient,
  type WalletClient,
} from "./connect.js";
export { importDevAccounts } from "./dev-accounts.js";
export * from "./errors.js";
export {
  DEFAULT_REST_PORT,
  type FaucetRequest,
  type FaucetResponse,
  type RequestFaucetParameters,
  requestFaucet,
  restUrlFromNode,
} from "./faucet.js";
export * from "./gateway/auth.js";
export * from "./gateway/hostnames.js";
export * from "./gateway/jwt.js";
export * from "./gateway/lease.js";
export * from "./gateway/provider.js";
export * from "./gateway/ready.js";
export * from "./gateway/request.js";
export * from "./gateway/streams.js";
export type * from "./gateway/types.js";
export {
  type AddKeyOptions,
  envPassphrase,
  hdPathForIndex,
  KEYRING_BACKENDS,
  type KeyInfo,
  Keyring,
  type KeyringBackend,
  type KeyringOptions,
  PASSPHRASE_ENV,
  type PassphraseSource,
} from "./keyring.js";
export { type SendTokensParameters, sendTokens } from "./modules/bank/messages.js";
export {
  type GetBalanceParameters,
  type GetBalancesParameters,
  getBalance,
  getBalances,
} from "./modules/bank/queries.js";
export * from "./modules/cert/messages.js";
export * from "./modules/cert/queries.js";
export * from "./modules/deployment/messages.js";
export * from "./modules/deployment/queries.js";
export * from "./modules/escrow/types.js";
export * from "./modules/market/messages.js";
export * from "./modules/market/queries.js";
export * from "./modules/market/wait.js";
export * from "./modules/provider/queries.js";
export {
  type ExplainNoBidsParameters,
  explainNoBids,
  explainScreening,
  type NoBidsExplanation,
} from "./no-bids.js";
export { estimateBlockSeconds, getStatus, type NodeStatus } from "./node.js";
export { QueryError, queryAbci, queryAbciOptional, queryAllPages } from "./query.js";
export { akashRegistry } from "./registry.js";
export { formatBytes, formatCpu, type GroupTotals, groupTotals, persistentStorage } from "./resources.js";
export {
  type FreeCapacity,
  type GroupScreening,
  type Market,
  type ProviderScreening,
  type ReadMarketParameters,
  type Requirement,
  readMarket,
  screenGroup,
  type Unmet,
} from "./screening.js";
export { buildSdl, readSdl, type Sdl, SdlError, type SdlIssue } from "./sdl.js";
export { probeUrl, waitForServing } from "./serving.js";
export {
  DEFAULT_GAS_ADJUSTMENT,
  type GasSetting,
  type GetTxParameters,
  getTx,
  type IncludedTx,
  type SignAndBroadcastParameters,
  signAndBroadcast,
  type TxDetails,
  type TxEvent,
  type TxProgress,
  type TxResult,
  type WaitForTxParameters,
  waitForTx,
} from "./tx.js";
