// Connections to a node over CometBFT RPC: a read-only client for queries, and a wallet client that also
// signs. Both share one Comet 0.38 client (DeCloud's node speaks CometBFT 0.38; reference:
// cometbft-cosmos.md §2), so an action never opens a second connection.
import type { OfflineSigner } from "@cosmjs/proto-signing";
import { GasPrice, SigningStargateClient, StargateClient } from "@cosmjs/stargate";
import { Comet38Client, HttpClient } from "@cosmjs/tendermint-rpc";
import { DEFAULT_MIN_GAS_PRICES } from "../params/chain.js";
import { ChainIdMismatchError, DecloudError, NodeUnreachableError } from "./errors.js";
import { akashRegistry } from "./registry.js";

export interface PublicClient {
  readonly nodeUrl: string;
  /** The node's chain id, read once on connect. */
  readonly chainId: string;
  readonly comet: Comet38Client;
  readonly stargate: StargateClient;
  disconnect(): void;
}

export interface WalletClient extends PublicClient {
  readonly signing: SigningStargateClient;
  readonly gasPrice: GasPrice;
}

export interface ConnectParameters {
  /** Refuse to go on if the node runs another chain (nothing is signed for the wrong chain). */
  readonly chainId?: string;
  /** Per-request timeout (default 15 s). */
  readonly timeoutMs?: number;
}

export interface ConnectWithSignerParameters extends ConnectParameters {
  /** Gas price for fees computed from gas (default `0.025uakt`, what Akash validators require). */
  readonly gasPrice?: string;
}

/** Turns a transport failure into NodeUnreachableError; anything else passes through unchanged. */
export function toNodeError(nodeUrl: string, error: unknown): unknown {
  if (error instanceof DecloudError) return error;
  const e = error as { name?: string; message?: string; cause?: { code?: string } };
  const transport =
    e?.name === "AbortError" ||
    e?.name === "TimeoutError" ||
    (e?.name === "TypeError" && /fetch failed/.test(e.message ?? "")) ||
    ["ECONNREFUSED", "ECONNRESET", "ENOTFOUND", "EHOSTUNREACH", "UND_ERR_CONNECT_TIMEOUT"].includes(
      e?.cause?.code ?? "",
    );
  return transport ? new NodeUnreachableError(nodeUrl, error) : error;
}

/** Runs a request against the node, reporting an unreachable node as such. */
export async function nodeRequest<T>(client: { nodeUrl: string }, request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (e) {
    throw toNodeError(client.nodeUrl, e);
  }
}

/** Connects to the node's RPC (e.g. `http://127.0.0.1:26657`) and checks that it answers. */
export async function connect(nodeUrl: string, params: ConnectParameters = {}): Promise<PublicClient> {
  if (!/^https?:\/\//.test(nodeUrl)) {
    throw new DecloudError(`"${nodeUrl}" is not an RPC URL.`, {
      hint: "Pass --node http://HOST:26657 (or https://…).",
    });
  }
  const comet = Comet38Client.create(new HttpClient(nodeUrl, params.timeoutMs ?? 15_000));
  const status = await nodeRequest({ nodeUrl }, () => comet.status());
  const chainId = status.nodeInfo.network;
  if (params.chainId !== undefined && params.chainId !== chainId) {
    throw new ChainIdMismatchError(params.chainId, chainId, nodeUrl);
  }
  return {
    nodeUrl,
    chainId,
    comet,
    stargate: StargateClient.create(comet),
    disconnect: () => comet.disconnect(),
  };
}

/** Connects with a signer (from `Keyring.getSigner`), for actions that send transactions. */
export async function connectWithSigner(
  nodeUrl: string,
  signer: OfflineSigner,
  params: ConnectWithSignerParameters = {},
): Promise<WalletClient> {
  const client = await connect(nodeUrl, params);
  const gasPrice = GasPrice.fromString(params.gasPrice ?? DEFAULT_MIN_GAS_PRICES);
  // Inclusion is awaited by our own poller (tx.ts), which knows about fast devnet blocks.
  const signing = SigningStargateClient.createWithSigner(client.comet, signer, {
    gasPrice,
    registry: akashRegistry(),
  });
  return { ...client, signing, gasPrice };
}
