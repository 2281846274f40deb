// `cosmos.tx.v1beta1.Service/BroadcastTx`: the SDK's `client.TxServiceBroadcast` over the solo driver.
// SYNC waits for CheckTx, ASYNC only for the mempool's own checks, BLOCK (dropped by the SDK in 0.47, kept
// here because older clients still send it) waits for the tx to be committed, like `broadcast_tx_commit`.
// The mempool's refusals come back as TxResponses with the SDK's codes, as `client.CheckCometError` makes
// them (19 tx already in the mempool cache, 20 mempool full, 21 tx too large), not as errors.
// reference: cometbft-cosmos.md §3.2 (hash), §3.7 (codes); cosmos-sdk client/broadcast.go.
import { TxResponse } from "cosmjs-types/cosmos/base/abci/v1beta1/abci";
import { BroadcastMode } from "cosmjs-types/cosmos/tx/v1beta1/service";
import type { ExecTxResult, ResponseCheckTx } from "cosmjs-types/tendermint/abci/types";
import { TX_HASH_KEY } from "../blockstore/event-index.js";
import { EVENT_TYPE_KEY } from "../events/bus.js";
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
  switch (mode) {
    case BroadcastMode.BROADCAST_MODE_SYNC:
      try {
        return checkTxResponse(hash, await ctx.driver.addTx(txBytes));
      } catch (err) {
        return refusal(hash, err);
      }
    case BroadcastMode.BROADCAST_MODE_ASYNC: {
      // Only the mempool's own checks are awaited (driver.addTx runs them before it returns the promise); the
      // app's verdict is not, as in CometBFT's broadcast_tx_async.
      let pending: Promise<ResponseCheckTx>;
      try {
        pending = ctx.driver.addTx(txBytes);
      } catch (err) {
        return refusal(hash, err);
      }
      pending.catch((err: unknown) => ctx.logger.debug({ err, hash }, "async broadcast: CheckTx failed"));
      return TxResponse.fromPartial({ txhash: hash });
    }
    case BroadcastMode.BROADCAST_MODE_BLOCK:
      return broadcastAndWait(ctx, txBytes, hash, timeoutMs);
    default:
      throw new QueryError(
        GrpcCode.InvalidArgument,
        `unsupported return type ${mode === BroadcastMode.BROADCAST_MODE_UNSPECIFIED ? "unspecified" : mode}; ` +
          "supported types: sync, async, block",
      );
  }
}

/** A mempool refusal as the TxResponse the SDK makes of it; any other failure is an Internal status. */
function refusal(hash: string, err: unknown): TxResponse {
  if (err instanceof MempoolError) {
    return TxResponse.fromPartial({
      txhash: hash,
      code: err.abciCode,
      codespace: "sdk",
      rawLog: err.message,
    });
  }
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

/**
 * sdk.NewResponseFormatBroadcastTxCommit: the CheckTx result if it failed, else the execution result with the
 * height it was committed at. The subscription is made before the tx enters the mempool so that a block
 * produced at once (block time 0) cannot be missed.
 */
async function broadcastAndWait(
  ctx: NodeContext,
  txBytes: Uint8Array,
  hash: string,
  timeoutMs: number,
): Promise<TxResponse> {
  let unsubscribe: () => void = () => undefined;
  const included = new Promise<{ height: bigint; result: ExecTxResult }>((resolve) => {
    unsubscribe = ctx.driver.events.subscribe(
      `${EVENT_TYPE_KEY}='Tx' AND ${TX_HASH_KEY}='${hash}'`,
      (msg) => {
        if (msg.event.type === "Tx") resolve({ height: msg.event.height, result: msg.event.result });
      },
    );
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    let check: ResponseCheckTx;
    try {
      check = await ctx.driver.addTx(txBytes);
    } catch (err) {
      return refusal(hash, err);
    }
    if (check.code !== 0) return checkTxResponse(hash, check);
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new QueryError(GrpcCode.DeadlineExceeded, "timed out waiting for tx to be included in a block"),
          ),
        timeoutMs,
      );
    });
    const { height, result } = await Promise.race([included, timeout]);
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
  } finally {
    clearTimeout(timer);
    unsubscribe();
  }
}
