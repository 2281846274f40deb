// Who is calling: the owner behind a client certificate or a bearer JWT (both at once is ambiguous; neither
// is unauthenticated). Reference: akash-provider.md §4.2.
import type { IncomingMessage } from "node:http";
import type { TLSSocket } from "node:tls";
import type { ChainCertificate } from "../chain/chain.js";
import { AuthError } from "./auth/errors.js";
import { verifyJwt } from "./auth/jwt.js";
import { verifyClientCertificate } from "./auth/mtls.js";
import type { Grant } from "./auth/scope.js";

export interface CredentialLookups {
  /** The account's public key on chain (for JWTs). */
  readonly pubkey: (address: string) => Promise<Uint8Array | undefined>;
  /** The owner's certificates on chain (for mTLS); never cached, so that a revocation counts at once. */
  readonly certificates: (owner: string) => Promise<ChainCertificate[]>;
}

export async function authenticate(req: IncomingMessage, lookups: CredentialLookups): Promise<Grant> {
  const socket = req.socket as TLSSocket;
  const peer = typeof socket.getPeerCertificate === "function" ? socket.getPeerCertificate(false) : undefined;
  const hasCert =
    peer !== undefined && peer !== null && Object.keys(peer).length > 0 && peer.raw !== undefined;
  const header = req.headers.authorization;
  const bearer = header?.match(/^Bearer\s+(\S+)$/i)?.[1];
  if (header !== undefined && bearer === undefined)
    throw new AuthError(400, "malformed Authorization header");
  if (hasCert && bearer)
    throw new AuthError(400, "ambiguous authentication: both a client certificate and a JWT");
  if (bearer) return verifyJwt(bearer, { pubkey: lookups.pubkey });
  if (hasCert) return verifyClientCertificate(peer.raw, lookups.certificates);
  throw new AuthError(401, "unauthenticated: send a JWT (Authorization: Bearer) or a client certificate");
}
