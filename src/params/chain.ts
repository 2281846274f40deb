// Chain-wide constants. Values that Cosmos or Akash fix are cited where they come from.

/** Bech32 prefix of account addresses (Akash's, so that wallets and Akash's SDK accept our addresses). */
export const BECH32_PREFIX = "akash";
/** The staking and fee denom. */
export const BOND_DENOM = "uakt";
/**
 * The USDC denom that arrives over IBC; Akash's SDL tooling accepts it as a pricing denom
 * (DESIGN.md, "Stable payments, no credit token").
 */
export const USDC_DENOM = "ibc/170C677610AC31DF0904FFE09CD3B5C657492170E7E52372E48756B71E56F2F1";
/** Per-node minimum gas price, as Akash validators set it. */
export const DEFAULT_MIN_GAS_PRICES = "0.025uakt";
/** The chain id of a local devnet. */
export const DEVNET_CHAIN_ID = "decloud-dev";
