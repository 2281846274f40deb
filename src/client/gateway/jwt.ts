// A provider JWT signed with the tenant's account key by chain-sdk's JwtTokenManager (ES256KADR36, the form
// Keplr-style wallets and Akash's SDK produce; reference: akash-provider.md §4.2). Unlike mTLS it needs no
// certificate, but the provider verifies it with the account's public key on chain: the account must have
// sent a transaction before.
import { JwtTokenManager } from "@akashnetwork/chain-sdk";
import type { OfflineAminoSigner } from "@cosmjs/amino";
import type { GatewayAuth } from "./auth.js";

export interface JwtAuthParameters {
  readonly signer: OfflineAminoSigner;
  readonly address: string;
  /** Lifetime (default 15 minutes, as Akash's Go client makes them). */
  readonly seconds?: number;
}

export async function jwtAuth(params: JwtAuthParameters): Promise<GatewayAuth> {
  const now = Math.floor(Date.now() / 1000);
  // chain-sdk is typed against its own @cosmjs/amino; the signer is the same interface.
  const token = await new JwtTokenManager(params.signer as never).generateToken({
    version: "v1",
    iss: params.address,
    iat: now,
    nbf: now,
    exp: now + (params.seconds ?? 15 * 60),
    leases: { access: "full" },
  } as never);
  return { type: "jwt", token };
}
