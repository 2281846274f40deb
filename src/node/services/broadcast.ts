// `cosmos.tx.v1beta1.Service/BroadcastTx`: the SDK's `client.TxServiceBroadcast` over the node's chain source.
// SYNC waits for CheckTx, ASYNC only for the mempool's own checks, BLOCK (dropped by the SDK in 0.47, kept
// here because older clients still send it) waits for the tx to be committed, like `broadcast_tx_commit`.
// The mempool's refusals come back as TxResponses with the SDK's codes, as `client.CheckCometError` makes
// them (19 tx already in the mempool cache, 20 mempool full, 21 tx too large), not as errors.
// reference: cometbft-cosmos.md §3.2 (hash), §3.7 (codes); cosmos-sdk client/broadcast.go.
import { TxResponse } from "cosmjs-types/cosmos/base/abci/v1beta1/abci";
import { BroadcastMode } from "cosmjs-types/cosmos/tx/v1beta1/service";
import type { ResponseCheckTx } from "cosmjs-types/tendermint/abci/types";
import { MempoolError } from "../mempool/mempool.js";
import type { NodeContext } from "../node.js";
import { GrpcCode, QueryError } from "../query-routes.js";
import { hex } from "../rpc/encode.js";
import { txHash } from "../types/hashing.js";

/** CometBFT's config.rpc.timeout_broadcast_tx_commit. */
export const DEFAULT_BROADCAST_TIMEOUT_MS = 10_000;

export async function broadcastTx(
  ctx: NodeContext,
  txBytes: Uint8Array,
  mode: BroadcastMode,
  timeoutMs = DEFAULT_BROADCAST_TIMEOUT_MS,
): Promise<TxResponse> {
  if (txBytes.length === 0) throw new QueryError(GrpcCode.InvalidArgument, "invalid empty tx");
  const hash = hex(txHash(txBytes));
  try {
    switch (mode) {
      case BroadcastMode.BROADCAST_MODE_SYNC:
        return checkTxResponse(hash, await ctx.chain.addTx(txBytes));
      case BroadcastMode.BROADCAST_MODE_ASYNC:
        await ctx.chain.addTxAsync(txBytes);
        return TxResponse.fromPartial({ txhash: hash });
      case BroadcastMode.BROADCAST_MODE_BLOCK: {
        const { check, committed } = await ctx.chain.addTxCommit(txBytes, timeoutMs);
        if (!committed) return checkTxResponse(hash, check);
        const { height, result } = committed;
        return TxResponse.fromPartial({
          height,
          txhash: hash,
          codespace: result.codespace,
          code: result.code,
          data: hex(result.data),
          rawLog: result.log,
          logs: [],
          info: result.info,
          gasWanted: result.gasWanted,
          gasUsed: result.gasUsed,
          events: result.events,
        });
      }
      default:
        throw new QueryError(
          GrpcCode.InvalidArgument,
          `unsupported return type ${mode === BroadcastMode.BROADCAST_MODE_UNSPECIFIED ? "unspecified" : mode}; ` +
            "supported types: sync, async, block",
        );
    }
  } catch (err) {
    return refusal(hash, err);
  }
}

/** A mempool refusal as the TxResponse the SDK makes of it; other QueryErrors pass; anything else is Internal. */
function refusal(hash: string, err: unknown): TxResponse {
  if (err instanceof MempoolError) {
    return TxResponse.fromPartial({
      txhash: hash,
      code: err.abciCode,
      codespace: "sdk",
      rawLog: err.message,
    });
  }
  if (err instanceof QueryError) throw err;
  throw new QueryError(GrpcCode.Internal, (err as Error).message);
}

/** sdk.NewResponseFormatBroadcastTx, plus CheckTx's gas (CometBFT's sync result has none; clients like it). */
function checkTxResponse(hash: string, r: ResponseCheckTx): TxResponse {
  return TxResponse.fromPartial({
    txhash: hash,
    code: r.code,
    codespace: r.codespace,
    data: hex(r.data),
    rawLog: r.log,
    logs: [],
    info: r.info,
    gasWanted: r.gasWanted,
    gasUsed: r.gasUsed,
  });
}
