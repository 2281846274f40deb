// The devnet faucet: `POST /faucet` on the REST port, served by the devnet node, which sends (never mints)
// from the genesis faucet account. This file fixes the wire contract both sides follow.

import { assertAddress } from "./address.js";
import type { Coin } from "./amount.js";
import { toNodeError } from "./connect.js";
import { FaucetError } from "./errors.js";

/** The REST port of a node (Cosmos gRPC-gateway default). */
export const DEFAULT_REST_PORT = 1317;

/** Body of `POST /faucet`. */
export interface FaucetRequest {
  readonly address: string;
  /** An amount as `parseAmounts` reads it (`5akt`, `100usdc`, `5akt,100usdc`); the faucet's default if absent. */
  readonly amount?: string;
}

/** Answer of `POST /faucet` (200). Errors answer 4xx/5xx with `{"error": "…"}` (or gRPC-gateway's `{"message"}`). */
export interface FaucetResponse {
  readonly address: string;
  readonly amount: readonly Coin[];
  /** Hash of the faucet's send transaction. */
  readonly hash: string;
  readonly height?: number;
}

/**
 * The REST URL beside an RPC URL: same scheme and host, port 1317. `rest` overrides it with a port
 * (`1417`) or a whole URL.
 */
export function restUrlFromNode(nodeUrl: string, rest?: string): string {
  if (rest !== undefined && !/^\d+$/.test(rest)) return rest.replace(/\/+$/, "");
  const url = new URL(nodeUrl);
  url.port = rest ?? String(DEFAULT_REST_PORT);
  url.pathname = "";
  return url.toString().replace(/\/+$/, "");
}

export interface RequestFaucetParameters extends FaucetRequest {
  /** Base URL of the REST server, e.g. `http://127.0.0.1:1317`. */
  readonly restUrl: string;
  readonly timeoutMs?: number;
}

export async function requestFaucet(params: RequestFaucetParameters): Promise<FaucetResponse> {
  assertAddress(params.address);
  const url = `${params.restUrl}/faucet`;
  const body: FaucetRequest =
    params.amount === undefined
      ? { address: params.address }
      : { address: params.address, amount: params.amount };
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(params.timeoutMs ?? 30_000),
    });
  } catch (e) {
    throw toNodeError(params.restUrl, e);
  }
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (!response.ok) {
    const message =
      (json as { error?: string; message?: string } | undefined)?.error ??
      (json as { message?: string } | undefined)?.message ??
      (text.trim() || `HTTP ${response.status}`);
    throw new FaucetError(url, message);
  }
  if (typeof json !== "object" || json === null)
    throw new FaucetError(url, `unexpected answer: ${text.slice(0, 200)}`);
  return json as FaucetResponse;
}
