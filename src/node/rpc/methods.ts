// The CometBFT 0.38 RPC methods (rpc/core/routes.go) served by the solo node, with CometBFT's argument
// handling, validation and error texts, plus the non-standard `dev_mine`. Subscriptions live in websocket.ts.
// reference: cometbft-cosmos.md §2.4 (every endpoint and what cosmjs requires of it)
import { ExecTxResult } from "cosmjs-types/tendermint/abci/types";
import { TX_HASH_KEY } from "../blockstore/event-index.js";
import type { BlockStore } from "../blockstore/store.js";
import { EVENT_TYPE_KEY } from "../events/bus.js";
import { type Condition, parseQuery, QuerySyntaxError } from "../events/query.js";
import { MempoolError } from "../mempool/mempool.js";
import { BLOCK_PROTOCOL, COMETBFT_VERSION, P2P_PROTOCOL, type SoloDriver } from "../solo/driver.js";
import { txHash } from "../types/hashing.js";
import { merkleProof } from "../types/merkle.js";
import { consensusParamsToJson } from "../types/params.js";
import { formatRfc3339Nano } from "../types/time.js";
import {
  b64,
  blockMetaJson,
  blockResultsJson,
  checkTxJson,
  commitJson,
  execTxResultJson,
  headerJson,
  hex,
  type Json,
  pubKeyJson,
  queryResponseJson,
  responseInfoJson,
  resultBlockJson,
  resultTxJson,
  validatorJson,
} from "./encode.js";
import { RpcError } from "./jsonrpc.js";
import type { Args, ParamSpec } from "./params.js";

export interface RpcEnv {
  driver: SoloDriver;
  store: BlockStore;
  /** Lowercase hex node id (address of node_key.json). */
  nodeId: string;
  moniker: string;
  /** tcp://host:port of this RPC server (status.node_info.other.rpc_address). */
  rpcAddress(): string;
  /** How long broadcast_tx_commit waits for inclusion (config.rpc.timeout_broadcast_tx_commit, 10 s). */
  broadcastTxCommitTimeoutMs: number;
}

export interface RpcMethod {
  params: ParamSpec[];
  handler(args: Args, env: RpcEnv): Promise<Json>;
}

// --- argument helpers (rpc/core/env.go)

const DEFAULT_PER_PAGE = 30;
const MAX_PER_PAGE = 100;
/** rpc/core/blocks.go: `blockchain` returns at most 20 headers. */
const BLOCKCHAIN_LIMIT = 20;
/** The p2p channels a CometBFT 0.38 node advertises (hex). */
const NODE_CHANNELS = "40202122233038606100";

const int = (v: Args[string]): number | undefined => (v === undefined ? undefined : Number(v as bigint));

function perPage(v: Args[string]): number {
  const n = int(v);
  if (n === undefined || n < 1) return DEFAULT_PER_PAGE;
  return Math.min(n, MAX_PER_PAGE);
}

function page(v: Args[string], per: number, total: number): number {
  const n = int(v);
  if (n === undefined) return 1;
  const pages = Math.max(1, Math.floor((total - 1) / per) + 1);
  if (n <= 0 || n > pages) {
    throw new Error(`page should be within [1, ${pages}] range, given ${n}`);
  }
  return n;
}

/** env.getHeight: absent or 0 means latest; the height must be stored. */
function height(env: RpcEnv, v: Args[string]): number {
  const latest = env.store.committedHeight;
  const h = int(v);
  if (h === undefined || h === 0) return latest;
  if (h < 0) throw new Error(`height must be greater than 0, but got ${h}`);
  if (h > latest)
    throw new Error(`height ${h} must be less than or equal to the current blockchain height ${latest}`);
  const base = env.store.base();
  if (h < base) throw new Error(`height ${h} is not available, lowest height is ${base}`);
  return h;
}

function orderBy(v: Args[string]): "asc" | "desc" {
  if (v === undefined || v === "" || v === "asc") return "asc";
  if (v === "desc") return "desc";
  throw new Error("expected order_by to be either `asc` or `desc` or empty");
}

function query(v: Args[string]): Condition[] {
  if (typeof v !== "string" || v.trim() === "") throw new Error("query cannot be empty");
  try {
    return parseQuery(v);
  } catch (err) {
    if (err instanceof QuerySyntaxError) throw new Error(`failed to parse query: ${err.message}`);
    throw err;
  }
}

function bytesArg(v: Args[string], name: string): Uint8Array {
  if (!(v instanceof Uint8Array)) throw RpcError.invalidParams(`missing ${name}`);
  return v;
}

function paginate<T>(items: T[], args: Args): T[] {
  const per = perPage(args.per_page);
  const p = page(args.page, per, items.length);
  const ordered = orderBy(args.order_by) === "desc" ? [...items].reverse() : items;
  return ordered.slice((p - 1) * per, p * per);
}

function loadBlock(env: RpcEnv, h: number) {
  const saved = env.store.loadBlock(h);
  if (!saved) throw new Error(`could not find block at height ${h}`);
  return saved;
}

function txWithProof(env: RpcEnv, tx: NonNullable<ReturnType<BlockStore["txAt"]>>, prove: boolean): Json {
  if (!prove) return resultTxJson(tx);
  const txs = loadBlock(env, tx.height).block.data.txs;
  const { root, proof } = merkleProof(txs.map(txHash), tx.index);
  return resultTxJson(tx, { rootHash: root, tx: tx.tx, proof });
}

// --- broadcasting

function broadcastResult(res: Awaited<ReturnType<SoloDriver["addTx"]>>, hash: Uint8Array): Json {
  return { code: res.code, data: hex(res.data), log: res.log, codespace: res.codespace, hash: hex(hash) };
}

async function addTx(env: RpcEnv, tx: Uint8Array) {
  try {
    return await env.driver.addTx(tx);
  } catch (err) {
    // The mempool's refusals are JSON-RPC errors in CometBFT (e.g. "tx already exists in cache").
    if (err instanceof MempoolError) throw RpcError.internal(err.message);
    throw err;
  }
}

async function broadcastTxCommit(env: RpcEnv, tx: Uint8Array): Promise<Json> {
  const hash = txHash(tx);
  const bus = env.driver.events;
  let unsubscribe: () => void = () => undefined;
  const included = new Promise<{ height: bigint; result: ExecTxResult }>((resolve) => {
    unsubscribe = bus.subscribe(`${EVENT_TYPE_KEY}='Tx' AND ${TX_HASH_KEY}='${hex(hash)}'`, (msg) => {
      if (msg.event.type === "Tx") resolve({ height: msg.event.height, result: msg.event.result });
    });
  });
  try {
    const check = await addTx(env, tx);
    if (check.code !== 0) {
      return {
        check_tx: checkTxJson(check),
        tx_result: execTxResultJson(ExecTxResult.fromPartial({})),
        hash: hex(hash),
        height: "0",
      };
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error("timed out waiting for tx to be included in a block")),
        env.broadcastTxCommitTimeoutMs,
      );
      timer.unref(); // a request left waiting must not keep a stopped node's process alive
    });
    try {
      const { height: h, result } = await Promise.race([included, timeout]);
      return {
        check_tx: checkTxJson(check),
        tx_result: execTxResultJson(result),
        hash: hex(hash),
        height: String(h),
      };
    } finally {
      clearTimeout(timer);
    }
  } finally {
    unsubscribe();
  }
}

// --- the method table

const p = (name: string, type: ParamSpec["type"]): ParamSpec => ({ name, type });

export const METHODS: Record<string, RpcMethod> = {
  health: { params: [], handler: async () => ({}) },

  status: {
    params: [],
    handler: async (_args, env) => {
      const { store, driver } = env;
      const latest = store.committedHeight;
      const base = store.base();
      const latestMeta = latest > 0 ? store.loadBlockMeta(latest) : undefined;
      const earliestMeta = base > 0 ? store.loadBlockMeta(base) : undefined;
      const key = driver.validatorKey;
      const self = driver.state.validators.byAddress(key.address);
      return {
        node_info: {
          protocol_version: {
            p2p: String(P2P_PROTOCOL),
            block: String(BLOCK_PROTOCOL),
            app: String(driver.state.appVersion),
          },
          id: env.nodeId,
          listen_addr: "tcp://127.0.0.1:26656",
          network: driver.chainId,
          version: COMETBFT_VERSION,
          channels: NODE_CHANNELS,
          moniker: env.moniker,
          other: { tx_index: "on", rpc_address: env.rpcAddress() },
        },
        sync_info: {
          latest_block_hash: latestMeta ? hex(latestMeta.blockId.hash) : "",
          latest_app_hash: latestMeta ? hex(latestMeta.header.appHash) : "",
          latest_block_height: String(latest),
          latest_block_time: formatRfc3339Nano(latestMeta?.header.time ?? driver.state.lastBlockTime),
          earliest_block_hash: earliestMeta ? hex(earliestMeta.blockId.hash) : "",
          earliest_app_hash: earliestMeta ? hex(earliestMeta.header.appHash) : "",
          earliest_block_height: String(base),
          earliest_block_time: formatRfc3339Nano(earliestMeta?.header.time ?? driver.state.lastBlockTime),
          catching_up: false,
        },
        validator_info: {
          address: hex(key.address),
          pub_key: pubKeyJson(key.pubKey),
          voting_power: String(self?.votingPower ?? 0n),
        },
      };
    },
  },

  net_info: {
    params: [],
    handler: async () => ({ listening: true, listeners: ["Listener(@)"], n_peers: "0", peers: [] }),
  },

  genesis: {
    params: [],
    handler: async (_args, env) => ({ genesis: env.driver.genesis as unknown as Json }),
  },

  genesis_chunked: {
    params: [p("chunk", "int")],
    handler: async (args, env) => {
      const chunk = int(args.chunk) ?? 0;
      if (chunk !== 0) throw new Error(`there are 1 chunks, ${chunk} is invalid`);
      return {
        chunk: "0",
        total: "1",
        data: b64(new TextEncoder().encode(JSON.stringify(env.driver.genesis))),
      };
    },
  },

  abci_info: {
    params: [],
    handler: async (_args, env) => ({ response: responseInfoJson(await env.driver.info()) }),
  },

  abci_query: {
    params: [p("path", "string"), p("data", "hexbytes"), p("height", "int"), p("prove", "bool")],
    handler: async (args, env) => {
      const res = await env.driver.query({
        path: (args.path as string | undefined) ?? "",
        data: (args.data as Uint8Array | undefined) ?? new Uint8Array(),
        height: (args.height as bigint | undefined) ?? 0n,
        prove: (args.prove as boolean | undefined) ?? false,
      });
      return { response: queryResponseJson(res) };
    },
  },

  broadcast_tx_async: {
    params: [p("tx", "bytes")],
    handler: async (args, env) => {
      const tx = bytesArg(args.tx, "tx");
      const hash = txHash(tx);
      // Only the mempool's own checks are awaited; the app's CheckTx verdict is not reported (as in CometBFT).
      let pending: Promise<unknown>;
      try {
        pending = env.driver.addTx(tx);
      } catch (err) {
        throw err instanceof MempoolError ? RpcError.internal(err.message) : err;
      }
      pending.catch(() => undefined);
      return { code: 0, data: "", log: "", codespace: "", hash: hex(hash) };
    },
  },

  broadcast_tx_sync: {
    params: [p("tx", "bytes")],
    handler: async (args, env) => {
      const tx = bytesArg(args.tx, "tx");
      return broadcastResult(await addTx(env, tx), txHash(tx));
    },
  },

  broadcast_tx_commit: {
    params: [p("tx", "bytes")],
    handler: async (args, env) => broadcastTxCommit(env, bytesArg(args.tx, "tx")),
  },

  check_tx: {
    params: [p("tx", "bytes")],
    handler: async (args, env) => checkTxJson(await env.driver.checkTx(bytesArg(args.tx, "tx"))),
  },

  num_unconfirmed_txs: {
    params: [],
    handler: async (_args, env) => {
      const m = env.driver.mempool;
      return { n_txs: String(m.size), total: String(m.size), total_bytes: String(m.sizeBytes), txs: null };
    },
  },

  unconfirmed_txs: {
    params: [p("limit", "int")],
    handler: async (args, env) => {
      const m = env.driver.mempool;
      const txs = m.list(perPage(args.limit));
      return {
        n_txs: String(txs.length),
        total: String(m.size),
        total_bytes: String(m.sizeBytes),
        txs: txs.map(b64),
      };
    },
  },

  tx: {
    params: [p("hash", "bytes"), p("prove", "bool")],
    handler: async (args, env) => {
      const hash = bytesArg(args.hash, "hash");
      const found = env.store.txByHash(hash);
      if (!found) throw new Error(`tx (${hex(hash)}) not found`);
      return txWithProof(env, found, args.prove === true);
    },
  },

  tx_search: {
    params: [
      p("query", "string"),
      p("prove", "bool"),
      p("page", "int"),
      p("per_page", "int"),
      p("order_by", "string"),
    ],
    handler: async (args, env) => {
      const positions = env.store.index.searchTxs(query(args.query), env.store.committedHeight);
      const txs = paginate(positions, args).map(([h, i]) =>
        txWithProof(env, env.store.txAt(h, i)!, args.prove === true),
      );
      return { txs, total_count: String(positions.length) };
    },
  },

  block: {
    params: [p("height", "int")],
    handler: async (args, env) => {
      const saved = loadBlock(env, height(env, args.height));
      return resultBlockJson(saved.blockId, saved.block);
    },
  },

  block_by_hash: {
    params: [p("hash", "bytes")],
    handler: async (args, env) => {
      const h = env.store.heightByHash(bytesArg(args.hash, "hash"));
      if (h === undefined) {
        return { block_id: { hash: "", parts: { total: 0, hash: "" } }, block: null };
      }
      const saved = loadBlock(env, h);
      return resultBlockJson(saved.blockId, saved.block);
    },
  },

  header: {
    params: [p("height", "int")],
    handler: async (args, env) => ({
      header: headerJson(loadBlock(env, height(env, args.height)).block.header),
    }),
  },

  header_by_hash: {
    params: [p("hash", "bytes")],
    handler: async (args, env) => {
      const h = env.store.heightByHash(bytesArg(args.hash, "hash"));
      return { header: h === undefined ? null : headerJson(loadBlock(env, h).block.header) };
    },
  },

  block_results: {
    params: [p("height", "int")],
    handler: async (args, env) => {
      const h = height(env, args.height);
      const results = env.store.loadResults(h);
      if (!results) throw new Error(`could not find results for height #${h}`);
      return blockResultsJson(h, results);
    },
  },

  block_search: {
    params: [p("query", "string"), p("page", "int"), p("per_page", "int"), p("order_by", "string")],
    handler: async (args, env) => {
      const heights = env.store.index.searchBlocks(query(args.query), env.store.committedHeight);
      const blocks = paginate(heights, args).map((h) => {
        const saved = loadBlock(env, h);
        return resultBlockJson(saved.blockId, saved.block);
      });
      return { blocks, total_count: String(heights.length) };
    },
  },

  blockchain: {
    params: [p("minHeight", "int"), p("maxHeight", "int")],
    handler: async (args, env) => {
      const latest = env.store.committedHeight;
      let min = int(args.minHeight) ?? 0;
      let max = int(args.maxHeight) ?? 0;
      if (min < 0 || max < 0) throw new Error("heights must be non-negative");
      if (min === 0) min = 1;
      if (max === 0) max = latest;
      max = Math.min(latest, max);
      min = Math.max(env.store.base(), min, max - BLOCKCHAIN_LIMIT + 1);
      if (min > max) throw new Error(`min height ${min} can't be greater than max height ${max}`);
      const metas: Json[] = [];
      for (let h = max; h >= min; h--) metas.push(blockMetaJson(env.store.loadBlockMeta(h)!));
      return { last_height: String(latest), block_metas: metas };
    },
  },

  commit: {
    params: [p("height", "int")],
    handler: async (args, env) => {
      const h = height(env, args.height);
      const header = loadBlock(env, h).block.header;
      const found = env.store.loadCommit(h)!;
      return {
        signed_header: { header: headerJson(header), commit: commitJson(found.commit) },
        canonical: found.canonical,
      };
    },
  },

  validators: {
    params: [p("height", "int"), p("page", "int"), p("per_page", "int")],
    handler: async (args, env) => {
      const h = height(env, args.height);
      const all = env.store.validatorsAt(h)?.validators ?? [];
      const per = perPage(args.per_page);
      const pg = page(args.page, per, all.length);
      const list = all.slice((pg - 1) * per, pg * per);
      return {
        block_height: String(h),
        validators: list.map(validatorJson),
        count: String(list.length),
        total: String(all.length),
      };
    },
  },

  consensus_params: {
    params: [p("height", "int")],
    handler: async (args, env) => {
      const h = height(env, args.height);
      const params = env.store.consensusParamsAt(h);
      if (!params) throw new Error(`could not find consensus params for height #${h}`);
      return { block_height: String(h), consensus_params: consensusParamsToJson(params) as unknown as Json };
    },
  },

  /** Non-standard (like Anvil's `anvil_mine`): produce `blocks` blocks at once, optionally `interval_ms` apart. */
  dev_mine: {
    params: [p("blocks", "int"), p("interval_ms", "int")],
    handler: async (args, env) => {
      const n = int(args.blocks) ?? 1;
      if (n < 1 || n > 100000) throw RpcError.invalidParams("blocks must be between 1 and 100000");
      const h = await env.driver.mine(n, { intervalMs: int(args.interval_ms) ?? 0 });
      return { height: String(h) };
    },
  },
};
