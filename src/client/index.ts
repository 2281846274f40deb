// The DeCloud client SDK: one function per action, the client as first argument (STYLE.md, viem).
export { assertAddress, isAddress } from "./address.js";
export { type Coin, formatCoin, formatCoins, parseAmount, parseAmounts, sortForDisplay } from "./amount.js";
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
export { getStatus, type NodeStatus } from "./node.js";
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
