// The chain as the node's REST and gRPC services see it when CometBFT runs consensus: blocks, txs, tx_search,
// validator sets and broadcasts through CometBFT's own JSON-RPC — what the Cosmos SDK's tx and cmtservice
// services do through `clientCtx.Client` — and the app's queries straight into the ABCI server's queue.
// The JSON decoding is the inverse of src/node/rpc/encode.ts (reference: cometbft-cosmos.md §2.2, §2.4).
import type {
  Event,
  ExecTxResult,
  RequestQuery,
  ResponseCheckTx,
  ResponseInfo,
  ResponseQuery,
} from "cosmjs-types/tendermint/abci/types";
import type { Block } from "cosmjs-types/tendermint/types/block";
import type { BlockID, Commit, Header } from "cosmjs-types/tendermint/types/types";
import type { Logger } from "pino";
import { MempoolError } from "../mempool/mempool.js";
import { GrpcCode, QueryError } from "../query-routes.js";
import { type ChainSource, type ChainValidator, nodeInfoFromRpc, type StoredTx } from "../services/chain.js";
import { parseRfc3339 } from "../types/time.js";

// biome-ignore lint/suspicious/noExplicitAny: CometBFT's JSON, decoded field by field below
type J = any;

export class CometRpcError extends Error {
  constructor(
    readonly method: string,
    readonly code: number,
    readonly rpcMessage: string,
    readonly data: string,
  ) {
    super(`${method}: ${data || rpcMessage}`);
  }
}

/** A JSON-RPC 2.0 client over HTTP POST for CometBFT's RPC. */
export class CometRpc {
  private nextId = 1;
  constructor(readonly url: string) {}

  async call(method: string, params: Record<string, unknown> = {}): Promise<J> {
    const res = await fetch(this.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: this.nextId++, method, params }),
    });
    const body = (await res.json()) as {
      result?: J;
      error?: { code: number; message: string; data?: string };
    };
    if (body.error)
      throw new CometRpcError(method, body.error.code, body.error.message, body.error.data ?? "");
    return body.result;
  }
}

const fromHex = (s: string | null | undefined) => new Uint8Array(Buffer.from(s ?? "", "hex"));
const fromB64 = (s: string | null | undefined) => new Uint8Array(Buffer.from(s ?? "", "base64"));
const big = (s: string | number | null | undefined) => BigInt(s ?? 0);

function blockIdOf(j: J): BlockID {
  return {
    hash: fromHex(j?.hash),
    partSetHeader: { total: Number(j?.parts?.total ?? 0), hash: fromHex(j?.parts?.hash) },
  };
}

function headerOf(h: J): Header {
  return {
    version: { block: big(h.version?.block), app: big(h.version?.app) },
    chainId: h.chain_id,
    height: big(h.height),
    time: parseRfc3339(h.time),
    lastBlockId: blockIdOf(h.last_block_id),
    lastCommitHash: fromHex(h.last_commit_hash),
    dataHash: fromHex(h.data_hash),
    validatorsHash: fromHex(h.validators_hash),
    nextValidatorsHash: fromHex(h.next_validators_hash),
    consensusHash: fromHex(h.consensus_hash),
    appHash: fromHex(h.app_hash),
    lastResultsHash: fromHex(h.last_results_hash),
    evidenceHash: fromHex(h.evidence_hash),
    proposerAddress: fromHex(h.proposer_address),
  };
}

function commitOf(c: J): Commit {
  return {
    height: big(c?.height),
    round: Number(c?.round ?? 0),
    blockId: blockIdOf(c?.block_id),
    signatures: (c?.signatures ?? []).map((s: J) => ({
      blockIdFlag: Number(s.block_id_flag),
      validatorAddress: fromHex(s.validator_address),
      timestamp: parseRfc3339(s.timestamp),
      signature: fromB64(s.signature),
    })),
  };
}

function blockOf(b: J): Block {
  return {
    header: headerOf(b.header),
    data: { txs: (b.data?.txs ?? []).map(fromB64) },
    // Evidence of misbehaviour is not decoded (no slashing yet); blocks carry none on a healthy network.
    evidence: { evidence: [] },
    lastCommit: commitOf(b.last_commit),
  };
}

function eventsOf(events: J): Event[] {
  return (events ?? []).map((e: J) => ({
    type: e.type,
    attributes: (e.attributes ?? []).map((a: J) => ({ key: a.key, value: a.value ?? "", index: !!a.index })),
  }));
}

function execTxResultOf(r: J): ExecTxResult {
  return {
    code: Number(r?.code ?? 0),
    data: fromB64(r?.data),
    log: r?.log ?? "",
    info: r?.info ?? "",
    gasWanted: big(r?.gas_wanted),
    gasUsed: big(r?.gas_used),
    events: eventsOf(r?.events),
    codespace: r?.codespace ?? "",
  };
}

function checkTxOf(r: J): ResponseCheckTx {
  return { ...execTxResultOf(r) };
}

function storedTxOf(t: J): StoredTx {
  return {
    hash: fromHex(t.hash),
    height: Number(t.height),
    index: Number(t.index),
    tx: fromB64(t.tx),
    result: execTxResultOf(t.tx_result),
  };
}

/**
 * The mempool's refusals, which CometBFT's broadcast_tx_* return as JSON-RPC errors, with the codes the SDK's
 * client.CheckCometError gives them (19 in cache, 20 mempool full, 21 tx too large).
 */
function mempoolRefusal(err: unknown): never {
  if (err instanceof CometRpcError) {
    const text = err.data.toLowerCase();
    if (text.includes("tx already exists in cache")) throw new MempoolError(err.data, 19);
    if (text.includes("mempool is full")) throw new MempoolError(err.data, 20);
    if (text.includes("tx too large")) throw new MempoolError(err.data, 21);
    if (text.includes("timed out waiting for tx to be included")) {
      throw new QueryError(GrpcCode.DeadlineExceeded, "timed out waiting for tx to be included in a block");
    }
  }
  throw err;
}

export interface CometChainSourceOptions {
  rpc: CometRpc;
  /** The app's ABCI query through the ABCI server's queue. */
  query(req: RequestQuery): Promise<ResponseQuery>;
  info(): Promise<ResponseInfo>;
  chainId: string;
  logger?: Logger;
}

export function cometChainSource(o: CometChainSourceOptions): ChainSource {
  const { rpc } = o;
  const status = () => rpc.call("status");
  const b64 = (b: Uint8Array) => Buffer.from(b).toString("base64");
  const nodeInfo = nodeInfoFromRpc(
    () => rpc.url,
    o.logger,
    () => {
      throw new QueryError(GrpcCode.Unavailable, "CometBFT's RPC is unavailable");
    },
  );
  const notFound = (e: unknown) => {
    if (e instanceof CometRpcError && /not found|must be less than or equal|is not available/.test(e.data)) {
      return undefined;
    }
    throw e;
  };
  return {
    query: o.query,
    info: o.info,
    latestHeight: async () => Number((await status()).sync_info.latest_block_height),
    base: async () => Number((await status()).sync_info.earliest_block_height),
    block: async (height) => {
      const r = await rpc.call("block", { height: String(height) }).catch(notFound);
      return r?.block ? { blockId: blockIdOf(r.block_id), block: blockOf(r.block) } : undefined;
    },
    blockTime: async (height) => {
      const r = await rpc.call("header", { height: String(height) }).catch(notFound);
      return r?.header ? parseRfc3339(r.header.time) : undefined;
    },
    txByHash: async (hash) => {
      const r = await rpc.call("tx", { hash: b64(hash) }).catch(notFound);
      return r ? storedTxOf(r) : undefined;
    },
    searchTxs: async (query, page, perPage, desc) => {
      try {
        const r = await rpc.call("tx_search", {
          query,
          page: String(page),
          per_page: String(perPage),
          order_by: desc ? "desc" : "asc",
        });
        return { total: Number(r.total_count), txs: (r.txs ?? []).map(storedTxOf) };
      } catch (e) {
        // CometBFT's own words for a bad query or page ("page should be within [1, 2] range, given 3").
        if (e instanceof CometRpcError)
          throw new QueryError(GrpcCode.InvalidArgument, e.data || e.rpcMessage);
        throw e;
      }
    },
    validatorsAt: async (height) => {
      const out: ChainValidator[] = [];
      for (let page = 1; ; page++) {
        const r = await rpc.call("validators", {
          height: String(height),
          page: String(page),
          per_page: "100",
        });
        for (const v of r.validators ?? []) {
          out.push({
            address: fromHex(v.address),
            pubKey: fromB64(v.pub_key?.value),
            votingPower: big(v.voting_power),
            proposerPriority: big(v.proposer_priority),
          });
        }
        if (out.length >= Number(r.total) || (r.validators ?? []).length === 0) return out;
      }
    },
    addTx: async (tx) => {
      const r = await rpc.call("broadcast_tx_sync", { tx: b64(tx) }).catch(mempoolRefusal);
      return checkTxOf(r);
    },
    addTxAsync: async (tx) => {
      await rpc.call("broadcast_tx_async", { tx: b64(tx) }).catch(mempoolRefusal);
    },
    addTxCommit: async (tx, _timeoutMs) => {
      // CometBFT applies its own rpc.timeout_broadcast_tx_commit.
      const r = await rpc.call("broadcast_tx_commit", { tx: b64(tx) }).catch(mempoolRefusal);
      const check = checkTxOf(r.check_tx);
      if (check.code !== 0) return { check };
      return { check, committed: { height: big(r.height), result: execTxResultOf(r.tx_result) } };
    },
    nodeInfo,
    syncing: async () => !!(await status()).sync_info.catching_up,
  };
}
