// What the node's REST and gRPC services need from the chain, whatever runs consensus: the app's ABCI query,
// the mempool, and the blocks, txs and validator sets. The solo node answers from its own block store and
// driver (`soloChainSource`); a node run by CometBFT answers from CometBFT's RPC, as the Cosmos SDK's own
// services do through `clientCtx.Client` (src/node/cometbft/chain-source.ts). DESIGN.md, "node": REST and gRPC
// are served the same way in both modes.

import type {
  ExecTxResult,
  RequestQuery,
  ResponseCheckTx,
  ResponseInfo,
  ResponseQuery,
} from "cosmjs-types/tendermint/abci/types";
import type { DefaultNodeInfo } from "cosmjs-types/tendermint/p2p/types";
import type { Block } from "cosmjs-types/tendermint/types/block";
import type { BlockID } from "cosmjs-types/tendermint/types/types";
import { TX_HASH_KEY } from "../blockstore/event-index.js";
import type { BlockStore, StoredTx } from "../blockstore/store.js";
import { EVENT_TYPE_KEY } from "../events/bus.js";
import { parseQuery, QuerySyntaxError } from "../events/query.js";
import { GrpcCode, QueryError } from "../query-routes.js";
import { hex } from "../rpc/encode.js";
import { BLOCK_PROTOCOL, COMETBFT_VERSION, P2P_PROTOCOL, type SoloDriver } from "../solo/driver.js";
import { txHash } from "../types/hashing.js";
import type { Timestamp } from "../types/time.js";

export type { StoredTx } from "../blockstore/store.js";

export interface ChainValidator {
  address: Uint8Array;
  pubKey: Uint8Array;
  votingPower: bigint;
  proposerPriority: bigint;
}

export interface TxSearchPage {
  /** Every match, not only this page's. */
  total: number;
  txs: StoredTx[];
}

/** A tx that was committed (or failed CheckTx) after a BROADCAST_MODE_BLOCK broadcast. */
export interface CommitOutcome {
  check: ResponseCheckTx;
  committed?: { height: bigint; result: ExecTxResult };
}

export interface ChainSource {
  /** The app's ABCI query, serialized with block execution. */
  query(req: RequestQuery): Promise<ResponseQuery>;
  /** The app's Info (its version for GetNodeInfo). */
  info(): Promise<ResponseInfo>;
  /** The last committed height (0 before the first block). */
  latestHeight(): Promise<number>;
  /** The lowest height whose block is kept. */
  base(): Promise<number>;
  block(height: number): Promise<{ blockId: BlockID; block: Block } | undefined>;
  blockTime(height: number): Promise<Timestamp | undefined>;
  txByHash(hash: Uint8Array): Promise<StoredTx | undefined>;
  /**
   * tx_search: throws QueryError InvalidArgument for a bad query or a page out of range (1-based pages).
   */
  searchTxs(query: string, page: number, perPage: number, desc: boolean): Promise<TxSearchPage>;
  validatorsAt(height: number): Promise<ChainValidator[]>;
  /**
   * CheckTx into the mempool (broadcast_tx_sync). The mempool's own refusals (duplicate, full, too large)
   * throw a MempoolError carrying the SDK's code.
   */
  addTx(tx: Uint8Array): Promise<ResponseCheckTx>;
  /** broadcast_tx_async: only the mempool's own checks are awaited; refusals throw a MempoolError. */
  addTxAsync(tx: Uint8Array): Promise<void>;
  /** broadcast_tx_commit: CheckTx, then (if it passed) the block result; QueryError DeadlineExceeded on timeout. */
  addTxCommit(tx: Uint8Array, timeoutMs: number): Promise<CommitOutcome>;
  nodeInfo(): Promise<DefaultNodeInfo>;
  syncing(): Promise<boolean>;
}

/** The solo node's chain: its driver (app lock, mempool, event bus) and its block store. */
export function soloChainSource(
  driver: SoloDriver,
  store: BlockStore,
  rpcUrl: () => string | undefined,
  logger?: { warn(obj: object, msg: string): void },
): ChainSource {
  const nodeInfo = nodeInfoFromRpc(rpcUrl, logger, () => ({
    protocolVersion: { p2p: P2P_PROTOCOL, block: BLOCK_PROTOCOL, app: driver.state.appVersion },
    defaultNodeId: "",
    listenAddr: "",
    network: driver.chainId,
    version: COMETBFT_VERSION,
    channels: new Uint8Array(),
    moniker: "",
    other: { txIndex: "on", rpcAddress: "" },
  }));
  return {
    query: (req) => driver.query(req),
    info: () => driver.info(),
    latestHeight: async () => store.committedHeight,
    base: async () => store.base(),
    block: async (height) => {
      const saved = store.loadBlock(height);
      return saved && { blockId: saved.blockId, block: saved.block };
    },
    blockTime: async (height) => store.loadBlockMeta(height)?.header.time,
    txByHash: async (hash) => store.txByHash(hash),
    searchTxs: async (query, page, perPage, desc) => {
      let conditions: ReturnType<typeof parseQuery>;
      try {
        conditions = parseQuery(query);
      } catch (e) {
        if (e instanceof QuerySyntaxError)
          throw new QueryError(GrpcCode.InvalidArgument, `failed to parse query: ${e.message}`);
        throw e;
      }
      const positions = store.index.searchTxs(conditions, store.committedHeight);
      checkPage(page, perPage, positions.length);
      const ordered = desc ? [...positions].reverse() : positions;
      const txs = ordered.slice((page - 1) * perPage, page * perPage).map(([h, i]) => {
        const stored = store.txAt(h, i);
        if (!stored) throw new QueryError(GrpcCode.Internal, `indexed tx ${h}/${i} is missing`);
        return stored;
      });
      return { total: positions.length, txs };
    },
    validatorsAt: async (height) =>
      (store.validatorsAt(height)?.validators ?? []).map((v) => ({
        address: v.address,
        pubKey: v.pubKey,
        votingPower: v.votingPower,
        // The solo node does not rotate proposers; with one validator CometBFT's priority is 0 as well.
        proposerPriority: 0n,
      })),
    addTx: (tx) => driver.addTx(tx),
    addTxAsync: async (tx) => {
      // driver.addTx runs the mempool's own checks before it returns the promise; the app's verdict is not
      // awaited, as in CometBFT's broadcast_tx_async.
      const pending = driver.addTx(tx);
      pending.catch(() => undefined);
    },
    addTxCommit: async (tx, timeoutMs) => {
      // Subscribed before the tx enters the mempool, so that a block produced at once cannot be missed.
      const hash = hex(txHash(tx));
      let unsubscribe: () => void = () => undefined;
      const included = new Promise<{ height: bigint; result: ExecTxResult }>((resolve) => {
        unsubscribe = driver.events.subscribe(
          `${EVENT_TYPE_KEY}='Tx' AND ${TX_HASH_KEY}='${hash}'`,
          (msg) => {
            if (msg.event.type === "Tx") resolve({ height: msg.event.height, result: msg.event.result });
          },
        );
      });
      let timer: NodeJS.Timeout | undefined;
      try {
        const check = await driver.addTx(tx);
        if (check.code !== 0) return { check };
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(
            () =>
              reject(
                new QueryError(
                  GrpcCode.DeadlineExceeded,
                  "timed out waiting for tx to be included in a block",
                ),
              ),
            timeoutMs,
          );
        });
        return { check, committed: await Promise.race([included, timeout]) };
      } finally {
        clearTimeout(timer);
        unsubscribe();
      }
    },
    nodeInfo,
    // One validator, no peers: the solo node is never behind.
    syncing: async () => false,
  };
}

/** CometBFT's tx_search page check (rpc/core/env.go validatePage). */
export function checkPage(page: number, perPage: number, total: number): void {
  const pages = Math.max(1, Math.ceil(total / perPage));
  if (page < 1 || page > pages) {
    throw new QueryError(
      GrpcCode.InvalidArgument,
      `page should be within [1, ${pages}] range, given ${page}`,
    );
  }
}

interface StatusNodeInfo {
  protocol_version: { p2p: string; block: string; app: string };
  id: string;
  listen_addr: string;
  network: string;
  version: string;
  channels: string;
  moniker: string;
  other: { tx_index: string; rpc_address: string };
}

/**
 * The node's p2p identity, read — as the SDK's cmtservice does — from the RPC's `status` (the node id and
 * moniker live only there), once; without an RPC, `fallback`.
 */
export function nodeInfoFromRpc(
  rpcUrl: () => string | undefined,
  logger: { warn(obj: object, msg: string): void } | undefined,
  fallback: () => DefaultNodeInfo,
): () => Promise<DefaultNodeInfo> {
  let cached: DefaultNodeInfo | undefined;
  return async () => {
    if (cached) return cached;
    const url = rpcUrl();
    if (url) {
      try {
        const res = await fetch(`${url}/status`);
        const body = (await res.json()) as { result?: { node_info?: StatusNodeInfo } };
        const n = body.result?.node_info;
        if (n) {
          cached = {
            protocolVersion: {
              p2p: BigInt(n.protocol_version.p2p),
              block: BigInt(n.protocol_version.block),
              app: BigInt(n.protocol_version.app),
            },
            defaultNodeId: n.id,
            listenAddr: n.listen_addr,
            network: n.network,
            version: n.version,
            channels: Buffer.from(n.channels, "hex"),
            moniker: n.moniker,
            other: { txIndex: n.other.tx_index, rpcAddress: n.other.rpc_address },
          };
          return cached;
        }
      } catch (err) {
        logger?.warn({ err }, "GetNodeInfo: the RPC's status is unavailable");
      }
    }
    return fallback();
  };
}
