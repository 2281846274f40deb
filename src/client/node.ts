// What the node says about itself (`status` on CometBFT RPC).
import { toHex } from "@cosmjs/encoding";
import { toRfc3339WithNanoseconds } from "@cosmjs/tendermint-rpc";
import { nodeRequest, type PublicClient } from "./connect.js";

export interface NodeStatus {
  readonly chainId: string;
  readonly moniker: string;
  readonly nodeId: string;
  /** CometBFT version the node reports (DeCloud's solo node reports 0.38.x). */
  readonly version: string;
  readonly latestBlockHeight: number;
  /** RFC 3339 */
  readonly latestBlockTime: string;
  readonly latestBlockHash: string;
  readonly latestAppHash: string;
  readonly catchingUp: boolean;
}

export async function getStatus(client: PublicClient): Promise<NodeStatus> {
  const { nodeInfo, syncInfo } = await nodeRequest(client, () => client.comet.status());
  return {
    chainId: nodeInfo.network,
    moniker: nodeInfo.moniker,
    nodeId: toHex(nodeInfo.id),
    version: nodeInfo.version,
    latestBlockHeight: syncInfo.latestBlockHeight,
    latestBlockTime: toRfc3339WithNanoseconds(syncInfo.latestBlockTime),
    latestBlockHash: toHex(syncInfo.latestBlockHash).toUpperCase(),
    latestAppHash: toHex(syncInfo.latestAppHash).toUpperCase(),
    catchingUp: syncInfo.catchingUp,
  };
}

/**
 * Seconds per block over the last `window` blocks (at least one): to turn per-block prices and escrow into
 * time. Undefined on a chain too young to tell.
 */
export async function estimateBlockSeconds(client: PublicClient, window = 20): Promise<number | undefined> {
  const latest = await nodeRequest(client, () => client.comet.block());
  const height = latest.block.header.height;
  const from = Math.max(1, height - window);
  if (from >= height) return undefined;
  const earlier = await nodeRequest(client, () => client.comet.block(from));
  const ms = latest.block.header.time.getTime() - earlier.block.header.time.getTime();
  return ms > 0 ? ms / 1000 / (height - from) : undefined;
}
