// Cosmos txs as the SDK's tx service hands them out: a stored tx as a `TxResponse` (types/result.go
// `NewResponseResultTx`), and the tx itself as a decoded `cosmos.tx.v1beta1.Tx`.
// reference: cometbft-cosmos.md §3.1 (TxRaw and Tx are wire-compatible), §3.2 (hash), §3.10 (results).
//
// A tx is embedded in responses as the bytes that were broadcast: TxRaw's body_bytes(1), auth_info_bytes(2) and
// signatures(3) have the same field numbers and wire type as Tx's body(1), auth_info(2) and signatures(3), so
// the TxRaw bytes *are* an encoded Tx, and no re-encoding can alter what the signer signed.
import type { BinaryWriter } from "cosmjs-types/binary";
import { TxResponse } from "cosmjs-types/cosmos/base/abci/v1beta1/abci";
import { AuthInfo, TxBody, TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import type { StoredTx } from "../blockstore/store.js";
import { GrpcCode, QueryError } from "../query-routes.js";
import { hex } from "../rpc/encode.js";
import { formatRfc3339Nano, type Timestamp } from "../types/time.js";

export const TX_TYPE_URL = "/cosmos.tx.v1beta1.Tx";

/**
 * Checks that `bytes` decode as a Cosmos tx (TxRaw, then its TxBody and AuthInfo), as the SDK's tx decoder
 * does before the tx service shows a tx. Anything else — e.g. a test app's opaque txs — fails the way the SDK
 * fails: an ErrTxDecode ("…: tx parse error", sdk code 2), which reaches gRPC clients as status Unknown.
 */
export function assertCosmosTx(bytes: Uint8Array): void {
  if (bytes.length === 0) throw parseError("tx bytes are empty");
  const raw = decodeStep("TxRaw", () => TxRaw.decode(bytes));
  decodeStep("TxBody", () => TxBody.decode(raw.bodyBytes));
  decodeStep("AuthInfo", () => AuthInfo.decode(raw.authInfoBytes));
}

const parseError = (what: string) => new QueryError(GrpcCode.Unknown, `${what}: tx parse error`);

function decodeStep<T>(what: string, decode: () => T): T {
  try {
    return decode();
  } catch (e) {
    throw parseError(`failed to decode ${what}: ${(e as Error).message}`);
  }
}

/** Writes a broadcast tx as the embedded `Tx` message in field `field` of the message being written. */
export function writeTx(writer: BinaryWriter, field: number, txBytes: Uint8Array): void {
  writer.uint32((field << 3) | 2).bytes(txBytes);
}

/** Writes `TxResponse` as the embedded message in field `field`. */
export function writeTxResponse(writer: BinaryWriter, field: number, response: TxResponse): void {
  TxResponse.encode(response, writer.uint32((field << 3) | 2).fork()).ldelim();
}

/**
 * A committed tx as the SDK's `GetTx` / `GetTxsEvent` show it: hash and data in uppercase hex, `logs` empty
 * (SDK ≥ 0.50 leaves the log unstructured), the tx as an Any, the block time in RFC 3339 with whole seconds
 * (Go's `time.RFC3339`, which the SDK uses here rather than CometBFT's RFC3339Nano).
 */
export function txResponseOf(stored: StoredTx, blockTime: Timestamp): TxResponse {
  const r = stored.result;
  return TxResponse.fromPartial({
    height: BigInt(stored.height),
    txhash: hex(stored.hash),
    codespace: r.codespace,
    code: r.code,
    data: hex(r.data),
    rawLog: r.log,
    logs: [],
    info: r.info,
    gasWanted: r.gasWanted,
    gasUsed: r.gasUsed,
    tx: { typeUrl: TX_TYPE_URL, value: stored.tx },
    timestamp: formatRfc3339Nano({ seconds: blockTime.seconds, nanos: 0 }),
    events: r.events,
  });
}
