import type { Params } from "cosmjs-types/cosmos/bank/v1beta1/bank";

/** The Cosmos SDK's default bank params: every denom can be sent unless a per-denom entry says otherwise. */
export const defaultBankParams = (): Params => ({ sendEnabled: [], defaultSendEnabled: true });
