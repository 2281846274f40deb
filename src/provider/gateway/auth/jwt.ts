// JWT authentication (reference: akash-provider.md §4.2): `Authorization: Bearer <jwt>`, signed with the
// owner's account key in one of Akash's two forms — `ES256K` (secp256k1 over SHA-256 of the signing input)
// or `ES256KADR36` (over the ADR-36 amino sign doc wrapping it, what Keplr-style wallets and chain-sdk's
// JwtTokenManager produce). The key is the account's public key on chain, so the issuer must have sent a
// transaction; the claims' times are enforced.
import { JwtValidator } from "@akashnetwork/chain-sdk";
import { serializeSignDoc } from "@cosmjs/amino";
import { sha256 } from "../../../crypto/address.js";
import { verifySecp256k1 } from "../../../crypto/secp256k1.js";
import { AuthError } from "./errors.js";
import type { Grant, LeasesClaim } from "./scope.js";

export interface JwtVerifyOptions {
  /** The account's secp256k1 public key (compressed), or undefined if the chain has none. */
  readonly pubkey: (address: string) => Promise<Uint8Array | undefined>;
  /** Seconds since the epoch (tests pin it). */
  readonly now?: () => number;
  /** Tolerated clock difference, seconds. */
  readonly leewaySeconds?: number;
}

function decodeSegment(segment: string, what: string): Record<string, unknown> {
  try {
    const json = JSON.parse(Buffer.from(segment, "base64url").toString("utf8"));
    if (typeof json !== "object" || json === null) throw new Error("not an object");
    return json;
  } catch {
    throw new AuthError(400, `invalid JWT ${what}`);
  }
}

/** The ADR-36 sign doc a wallet signs for arbitrary data (chain-sdk's createOfflineDataSigner). */
export function adr36SignBytes(signer: string, data: string): Uint8Array {
  return serializeSignDoc({
    chain_id: "",
    account_number: "0",
    sequence: "0",
    fee: { gas: "0", amount: [] },
    msgs: [
      { type: "sign/MsgSignData", value: { signer, data: Buffer.from(data, "utf8").toString("base64") } },
    ],
    memo: "",
  });
}

const validator = new JwtValidator();

export async function verifyJwt(token: string, opts: JwtVerifyOptions): Promise<Grant> {
  const parts = token.split(".");
  if (parts.length !== 3) throw new AuthError(400, "invalid JWT: expected header.payload.signature");
  const [h, p, s] = parts as [string, string, string];
  const header = decodeSegment(h, "header");
  const claims = decodeSegment(p, "payload");
  if (header.alg !== "ES256K" && header.alg !== "ES256KADR36") {
    throw new AuthError(400, `unsupported JWT algorithm ${String(header.alg)}: use ES256K or ES256KADR36`);
  }
  const schema = validator.validateToken(claims as never);
  if (!schema.isValid) throw new AuthError(400, `invalid JWT claims: ${schema.errors.join("; ")}`);
  const iss = claims.iss as string;
  const now = opts.now?.() ?? Math.floor(Date.now() / 1000);
  const leeway = opts.leewaySeconds ?? 5;
  if ((claims.exp as number) + leeway <= now) throw new AuthError(401, "token has expired");
  if ((claims.nbf as number) - leeway > now) throw new AuthError(401, "token is not valid yet");
  if ((claims.iat as number) - leeway > now) throw new AuthError(401, "token is issued in the future");
  const pubkey = await opts.pubkey(iss);
  if (!pubkey) {
    throw new AuthError(401, `no public key on chain for ${iss}: the account must have sent a transaction`);
  }
  const signature = Buffer.from(s, "base64url");
  const input = `${h}.${p}`;
  const digest =
    header.alg === "ES256K" ? sha256(Buffer.from(input, "utf8")) : sha256(adr36SignBytes(iss, input));
  if (!verifySecp256k1(signature, digest, pubkey)) throw new AuthError(401, "invalid JWT signature");
  return { owner: iss, method: "jwt", leases: claims.leases as LeasesClaim };
}
