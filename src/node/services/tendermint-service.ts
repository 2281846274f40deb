// The node's `cosmos.base.tendermint.v1beta1.Service` (cosmos-sdk client/grpc/cmtservice, SDK 0.50): node
// info, sync status, blocks and validator sets from the block store, and ABCI queries passed to the app.
// Blocks come twice, as Cosmos gives them: `block` (CometBFT's, deprecated) and `sdk_block`, whose header
// names the proposer by its bech32 consensus address (`akashvalcons…`) instead of raw bytes.
// reference: cometbft-cosmos.md §2.4 (what status/block/validators carry), §3.5 (addresses), §3.9 (queries)
import { toBech32 } from "@cosmjs/encoding";
import type { PageRequest } from "cosmjs-types/cosmos/base/query/v1beta1/pagination";
import {
  ABCIQueryRequest,
  ABCIQueryResponse,
  GetBlockByHeightRequest,
  GetBlockByHeightResponse,
  GetLatestBlockResponse,
  GetLatestValidatorSetRequest,
  GetLatestValidatorSetResponse,
  GetNodeInfoResponse,
  GetSyncingResponse,
  GetValidatorSetByHeightRequest,
  GetValidatorSetByHeightResponse,
  type Validator,
} from "cosmjs-types/cosmos/base/tendermint/v1beta1/query";
import type { Block as SdkBlock } from "cosmjs-types/cosmos/base/tendermint/v1beta1/types";
import { PubKey as Ed25519PubKey } from "cosmjs-types/cosmos/crypto/ed25519/keys";
import type { DefaultNodeInfo } from "cosmjs-types/tendermint/p2p/types";
import type { Block } from "cosmjs-types/tendermint/types/block";
import { BECH32_PREFIX } from "../../params/chain.js";
import type { NodeContext } from "../node.js";
import { GrpcCode, QueryError, type QueryHandler } from "../query-routes.js";
import { BLOCK_PROTOCOL, COMETBFT_VERSION, P2P_PROTOCOL } from "../solo/driver.js";

const SERVICE = "/cosmos.base.tendermint.v1beta1.Service";

/** The Cosmos convention for consensus addresses: the account prefix + "valcons". */
export const VALCONS_PREFIX = `${BECH32_PREFIX}valcons`;
const ED25519_PUBKEY_URL = "/cosmos.crypto.ed25519.PubKey";
/** cosmos-sdk types/query.DefaultLimit; CometBFT's `validators` caps per_page at 100. */
const DEFAULT_LIMIT = 100;

export interface TendermintServiceOptions {
  /** application_version.name and app_name of GetNodeInfo. Default "decloud". */
  readonly appName?: string;
  /** application_version.cosmos_sdk_version. */
  readonly cosmosSdkVersion?: string;
}

export function tendermintServiceHandlers(
  ctx: NodeContext,
  opts: TendermintServiceOptions = {},
): Record<string, QueryHandler> {
  const { store, driver } = ctx;
  const nodeInfo = nodeInfoSource(ctx);

  const latestHeight = (): number => {
    const h = store.committedHeight;
    if (h < 1) throw new QueryError(GrpcCode.Unavailable, "no block has been committed yet");
    return h;
  };

  /** The height of a request, checked as CometBFT's env.getHeight does (plus the SDK's own message). */
  const requestedHeight = (height: bigint): number => {
    const latest = latestHeight();
    if (height > BigInt(latest)) {
      throw new QueryError(
        GrpcCode.InvalidArgument,
        "requested block height is bigger then the chain length",
      );
    }
    if (height < 1n) {
      throw new QueryError(GrpcCode.InvalidArgument, `height must be greater than 0, but got ${height}`);
    }
    const base = store.base();
    if (height < BigInt(base)) {
      throw new QueryError(
        GrpcCode.InvalidArgument,
        `height ${height} is not available, lowest height is ${base}`,
      );
    }
    return Number(height);
  };

  const blockAt = (height: number) => {
    const saved = store.loadBlock(height);
    if (!saved) throw new QueryError(GrpcCode.NotFound, `could not find block at height ${height}`);
    return { blockId: saved.blockId, block: saved.block, sdkBlock: sdkBlockOf(saved.block) };
  };

  /** ValidatorsOutput: the set at a height, paged as qtypes.ParsePagination + CometBFT's `validators`. */
  const validatorSet = (height: number, pagination: PageRequest | undefined) => {
    const all = store.validatorsAt(height)?.validators ?? [];
    const limit = Math.min(Number(pagination?.limit ?? 0n) || DEFAULT_LIMIT, DEFAULT_LIMIT);
    const page = Math.floor(Number(pagination?.offset ?? 0n) / limit) + 1;
    const pages = Math.max(1, Math.ceil(all.length / limit));
    if (page > pages) {
      throw new QueryError(
        GrpcCode.InvalidArgument,
        `page should be within [1, ${pages}] range, given ${page}`,
      );
    }
    const validators: Validator[] = all.slice((page - 1) * limit, page * limit).map((v) => ({
      address: toBech32(VALCONS_PREFIX, v.address),
      pubKey: { typeUrl: ED25519_PUBKEY_URL, value: Ed25519PubKey.encode({ key: v.pubKey }).finish() },
      votingPower: v.votingPower,
      // The solo node does not rotate proposers; with one validator CometBFT's priority is 0 as well.
      proposerPriority: 0n,
    }));
    return {
      blockHeight: BigInt(height),
      validators,
      pagination: { nextKey: new Uint8Array(), total: BigInt(all.length) },
    };
  };

  return {
    [`${SERVICE}/GetNodeInfo`]: async () => {
      const [defaultNodeInfo, info] = await Promise.all([nodeInfo(), driver.info()]);
      const name = opts.appName ?? "decloud";
      return GetNodeInfoResponse.encode({
        defaultNodeInfo,
        applicationVersion: {
          name,
          appName: name,
          version: info.version,
          gitCommit: "",
          buildTags: "",
          goVersion: `node ${process.version}`,
          buildDeps: [],
          cosmosSdkVersion: opts.cosmosSdkVersion ?? "v0.50.x-compatible",
        },
      }).finish();
    },

    // One validator, no peers: the solo node is never behind.
    [`${SERVICE}/GetSyncing`]: async () => GetSyncingResponse.encode({ syncing: false }).finish(),

    [`${SERVICE}/GetLatestBlock`]: async () =>
      GetLatestBlockResponse.encode(blockAt(latestHeight())).finish(),

    [`${SERVICE}/GetBlockByHeight`]: async (bytes) => {
      const { height } = GetBlockByHeightRequest.decode(bytes);
      return GetBlockByHeightResponse.encode(blockAt(requestedHeight(height))).finish();
    },

    [`${SERVICE}/GetLatestValidatorSet`]: async (bytes) => {
      const { pagination } = GetLatestValidatorSetRequest.decode(bytes);
      return GetLatestValidatorSetResponse.encode(validatorSet(latestHeight(), pagination)).finish();
    },

    [`${SERVICE}/GetValidatorSetByHeight`]: async (bytes) => {
      const { height, pagination } = GetValidatorSetByHeightRequest.decode(bytes);
      return GetValidatorSetByHeightResponse.encode(
        validatorSet(requestedHeight(height), pagination),
      ).finish();
    },

    [`${SERVICE}/ABCIQuery`]: async (bytes) => {
      const req = ABCIQueryRequest.decode(bytes);
      if (req.path.length === 0) throw new QueryError(GrpcCode.InvalidArgument, "empty query path");
      // Only the SDK's non-gRPC paths: gRPC methods have their own endpoints (and a proof-less answer there).
      const first = req.path.replace(/^\//, "").split("/")[0];
      if (!["app", "store", "p2p", "custom"].includes(first ?? "")) {
        throw new QueryError(GrpcCode.InvalidArgument, `unsupported ABCI query path: ${req.path}`);
      }
      const res = await driver.query({
        path: req.path,
        data: req.data,
        height: req.height,
        prove: req.prove,
      });
      return ABCIQueryResponse.encode({
        code: res.code,
        log: res.log,
        info: res.info,
        index: res.index,
        key: res.key,
        value: res.value,
        proofOps: res.proofOps,
        height: res.height,
        codespace: res.codespace,
      }).finish();
    },
  };
}

/** cmtservice convertBlock: the same block with the proposer as a bech32 consensus address. */
export function sdkBlockOf(block: Block): SdkBlock {
  return {
    header: { ...block.header, proposerAddress: toBech32(VALCONS_PREFIX, block.header.proposerAddress) },
    data: block.data,
    evidence: block.evidence,
    lastCommit: block.lastCommit,
  };
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
 * moniker live only there), once; without an RPC server, what the driver knows.
 */
function nodeInfoSource(ctx: NodeContext): () => Promise<DefaultNodeInfo> {
  let cached: DefaultNodeInfo | undefined;
  return async () => {
    if (cached) return cached;
    const url = ctx.rpcUrl();
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
        ctx.logger.warn({ err }, "GetNodeInfo: the RPC's status is unavailable");
      }
    }
    return {
      protocolVersion: { p2p: P2P_PROTOCOL, block: BLOCK_PROTOCOL, app: ctx.driver.state.appVersion },
      defaultNodeId: "",
      listenAddr: "",
      network: ctx.chainId,
      version: COMETBFT_VERSION,
      channels: new Uint8Array(),
      moniker: "",
      other: { txIndex: "on", rpcAddress: "" },
    };
  };
}
