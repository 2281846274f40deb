import { Params } from "cosmjs-types/cosmos/auth/v1beta1/auth";

/** The Cosmos SDK's default auth params (x/auth/types/params.go). */
export const defaultAuthParams = (): Params => ({
  maxMemoCharacters: 256n,
  txSigLimit: 7n,
  txSizeCostPerByte: 10n,
  sigVerifyCostEd25519: 590n,
  sigVerifyCostSecp256k1: 1000n,
});

export { Params as AuthParams };
