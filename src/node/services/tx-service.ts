// The node's `cosmos.tx.v1beta1.Service` (cosmos-sdk x/auth/tx/service.go, SDK 0.50): txs by hash and by
// event query from the block store and its index, blocks with their txs, broadcasting, and tx encoding.
// `Simulate` is the app's (it runs the tx), so it is not here: it reaches the app's ABCI query like any
// query the app serves. Statuses and messages follow the SDK's; where the SDK answers a client's mistake with
// Internal/Unknown (a bad hash, a bad query), we answer InvalidArgument.
// reference: cometbft-cosmos.md §2.6 (query language), §3.1–3.2 (tx format and hash), §3.10 (results)
import { BinaryWriter } from "cosmjs-types/binary";
import {
  BroadcastTxRequest,
  BroadcastTxResponse,
  GetBlockWithTxsRequest,
  GetTxRequest,
  GetTxsEventRequest,
  OrderBy,
  TxDecodeRequest,
  TxEncodeRequest,
  TxEncodeResponse,
} from "cosmjs-types/cosmos/tx/v1beta1/service";
import { AuthInfo, TxBody, TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { Block } from "cosmjs-types/tendermint/types/block";
import { BlockID } from "cosmjs-types/tendermint/types/types";
import type { NodeContext } from "../node.js";
import { GrpcCode, QueryError, type QueryHandler } from "../query-routes.js";
import { broadcastTx, DEFAULT_BROADCAST_TIMEOUT_MS } from "./broadcast.js";
import type { StoredTx } from "./chain.js";
import { assertCosmosTx, txResponseOf, writeTx, writeTxResponse } from "./tx-format.js";

const SERVICE = "/cosmos.tx.v1beta1.Service";

/** cosmos-sdk types/query.DefaultLimit. */
const DEFAULT_LIMIT = 100;
/** CometBFT caps tx_search's per_page at 100 (rpc/core/env.go). */
const MAX_PER_PAGE = 100;

export interface TxServiceOptions {
  /** How long BROADCAST_MODE_BLOCK waits for the tx to be committed. Default 10 s. */
  readonly broadcastTimeoutMs?: number;
}

export function txServiceHandlers(
  ctx: NodeContext,
  opts: TxServiceOptions = {},
): Record<string, QueryHandler> {
  const { chain } = ctx;

  /** A committed tx with its TxResponse; throws if its bytes are not a Cosmos tx. */
  const withResponse = async (stored: StoredTx) => {
    assertCosmosTx(stored.tx);
    const time = await chain.blockTime(stored.height);
    if (!time) throw new QueryError(GrpcCode.Internal, `block ${stored.height} of tx is missing`);
    return { tx: stored.tx, response: txResponseOf(stored, time) };
  };

  return {
    [`${SERVICE}/GetTx`]: async (bytes) => {
      const { hash } = GetTxRequest.decode(bytes);
      if (hash.length === 0) throw new QueryError(GrpcCode.InvalidArgument, "tx hash cannot be empty");
      if (!/^([0-9a-fA-F]{2})+$/.test(hash)) {
        throw new QueryError(GrpcCode.InvalidArgument, `invalid tx hash ${JSON.stringify(hash)}: not hex`);
      }
      const stored = await chain.txByHash(Buffer.from(hash, "hex"));
      if (!stored) throw new QueryError(GrpcCode.NotFound, `tx not found: ${hash}`);
      const { tx, response } = await withResponse(stored);
      const w = BinaryWriter.create();
      writeTx(w, 1, tx);
      writeTxResponse(w, 2, response);
      return w.finish();
    },

    [`${SERVICE}/GetTxsEvent`]: async (bytes) => {
      const req = GetTxsEventRequest.decode(bytes);
      // SDK 0.50 takes `query`; the `events` of earlier versions are conditions joined with AND.
      const query = req.query.trim() !== "" ? req.query : req.events.join(" AND ");
      if (query.trim() === "") throw new QueryError(GrpcCode.InvalidArgument, "query cannot be empty");
      // page/limit, or the deprecated pagination's offset/limit when they are absent.
      let limit = Number(req.limit || req.pagination?.limit || 0n);
      if (limit <= 0) limit = DEFAULT_LIMIT;
      limit = Math.min(limit, MAX_PER_PAGE);
      let page = Number(req.page);
      if (page <= 0) page = req.pagination ? Math.floor(Number(req.pagination.offset) / limit) + 1 : 1;

      const result = await chain.searchTxs(query, page, limit, req.orderBy === OrderBy.ORDER_BY_DESC);
      const found = await Promise.all(result.txs.map(withResponse));
      const w = BinaryWriter.create();
      for (const f of found) writeTx(w, 1, f.tx);
      for (const f of found) writeTxResponse(w, 2, f.response);
      if (result.total > 0) w.uint32(32).uint64(BigInt(result.total));
      return w.finish();
    },

    [`${SERVICE}/BroadcastTx`]: async (bytes) => {
      const req = BroadcastTxRequest.decode(bytes);
      const txResponse = await broadcastTx(
        ctx,
        req.txBytes,
        req.mode,
        opts.broadcastTimeoutMs ?? DEFAULT_BROADCAST_TIMEOUT_MS,
      );
      return BroadcastTxResponse.encode({ txResponse }).finish();
    },

    [`${SERVICE}/GetBlockWithTxs`]: async (bytes) => {
      const req = GetBlockWithTxsRequest.decode(bytes);
      const current = BigInt(await chain.latestHeight());
      if (req.height < 1n || req.height > current) {
        throw new QueryError(
          GrpcCode.InvalidArgument,
          `requested height ${req.height} but height must not be less than 1 or greater than the current height ${current}: invalid height`,
        );
      }
      const saved = await chain.block(Number(req.height));
      if (!saved) throw new QueryError(GrpcCode.NotFound, `could not find block at height ${req.height}`);
      const txs = saved.block.data.txs;
      // Without pagination: the first 100; with it, `limit` 0 means all. `reverse` walks from the last tx (the
      // SDK walks down from `offset`, which skips tx 0: a bug not worth copying).
      const offset = Number(req.pagination?.offset ?? 0n);
      const limit = req.pagination ? Number(req.pagination.limit) || txs.length : DEFAULT_LIMIT;
      if (offset >= txs.length && txs.length !== 0) {
        throw new QueryError(
          GrpcCode.InvalidArgument,
          `out of range: cannot paginate ${txs.length} txs with offset ${offset} and limit ${limit}: invalid request`,
        );
      }
      const ordered = req.pagination?.reverse ? [...txs].reverse() : txs;
      const page = ordered.slice(offset, offset + limit);
      for (const tx of page) assertCosmosTx(tx);
      const w = BinaryWriter.create();
      for (const tx of page) writeTx(w, 1, tx);
      BlockID.encode(saved.blockId, w.uint32(18).fork()).ldelim();
      Block.encode(saved.block, w.uint32(26).fork()).ldelim();
      // pagination(4) = PageResponse{total(2)}
      const pagination = BinaryWriter.create();
      if (txs.length > 0) pagination.uint32(16).uint64(BigInt(txs.length));
      w.uint32(34).bytes(pagination.finish());
      return w.finish();
    },

    [`${SERVICE}/TxDecode`]: async (bytes) => {
      const { txBytes } = TxDecodeRequest.decode(bytes);
      if (txBytes.length === 0) throw new QueryError(GrpcCode.InvalidArgument, "invalid empty tx bytes");
      try {
        assertCosmosTx(txBytes);
      } catch (e) {
        // A client's bytes: their fault, not the server's.
        throw new QueryError(GrpcCode.InvalidArgument, (e as Error).message);
      }
      const w = BinaryWriter.create();
      writeTx(w, 1, txBytes);
      return w.finish();
    },

    [`${SERVICE}/TxEncode`]: async (bytes) => {
      const { tx } = TxEncodeRequest.decode(bytes);
      if (!tx) throw new QueryError(GrpcCode.InvalidArgument, "invalid empty tx");
      // The SDK's encoder marshals body and auth info into a TxRaw.
      const txBytes = TxRaw.encode({
        bodyBytes: tx.body ? TxBody.encode(tx.body).finish() : new Uint8Array(),
        authInfoBytes: tx.authInfo ? AuthInfo.encode(tx.authInfo).finish() : new Uint8Array(),
        signatures: tx.signatures,
      }).finish();
      return TxEncodeResponse.encode({ txBytes }).finish();
    },
  };
}
