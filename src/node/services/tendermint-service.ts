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
import type { Block } from "cosmjs-types/tendermint/types/block";
import { BECH32_PREFIX } from "../../params/chain.js";
import type { NodeContext } from "../node.js";
import { GrpcCode, QueryError, type QueryHandler } from "../query-routes.js";

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
  const { chain } = ctx;

  const latestHeight = async (): Promise<number> => {
    const h = await chain.latestHeight();
    if (h < 1) throw new QueryError(GrpcCode.Unavailable, "no block has been committed yet");
    return h;
  };

  /** The height of a request, checked as CometBFT's env.getHeight does (plus the SDK's own message). */
  const requestedHeight = async (height: bigint): Promise<number> => {
    const latest = await latestHeight();
    if (height > BigInt(latest)) {
      throw new QueryError(
        GrpcCode.InvalidArgument,
        "requested block height is bigger then the chain length",
      );
    }
    if (height < 1n) {
      throw new QueryError(GrpcCode.InvalidArgument, `height must be greater than 0, but got ${height}`);
    }
    const base = await chain.base();
    if (height < BigInt(base)) {
      throw new QueryError(
        GrpcCode.InvalidArgument,
        `height ${height} is not available, lowest height is ${base}`,
      );
    }
    return Number(height);
  };

  const blockAt = async (height: number) => {
    const saved = await chain.block(height);
    if (!saved) throw new QueryError(GrpcCode.NotFound, `could not find block at height ${height}`);
    return { blockId: saved.blockId, block: saved.block, sdkBlock: sdkBlockOf(saved.block) };
  };

  /** ValidatorsOutput: the set at a height, paged as qtypes.ParsePagination + CometBFT's `validators`. */
  const validatorSet = async (height: number, pagination: PageRequest | undefined) => {
    const all = await chain.validatorsAt(height);
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
      proposerPriority: v.proposerPriority,
    }));
    return {
      blockHeight: BigInt(height),
      validators,
      pagination: { nextKey: new Uint8Array(), total: BigInt(all.length) },
    };
  };

  return {
    [`${SERVICE}/GetNodeInfo`]: async () => {
      const [defaultNodeInfo, info] = await Promise.all([chain.nodeInfo(), chain.info()]);
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

    [`${SERVICE}/GetSyncing`]: async () =>
      GetSyncingResponse.encode({ syncing: await chain.syncing() }).finish(),

    [`${SERVICE}/GetLatestBlock`]: async () =>
      GetLatestBlockResponse.encode(await blockAt(await latestHeight())).finish(),

    [`${SERVICE}/GetBlockByHeight`]: async (bytes) => {
      const { height } = GetBlockByHeightRequest.decode(bytes);
      return GetBlockByHeightResponse.encode(await blockAt(await requestedHeight(height))).finish();
    },

    [`${SERVICE}/GetLatestValidatorSet`]: async (bytes) => {
      const { pagination } = GetLatestValidatorSetRequest.decode(bytes);
      return GetLatestValidatorSetResponse.encode(
        await validatorSet(await latestHeight(), pagination),
      ).finish();
    },

    [`${SERVICE}/GetValidatorSetByHeight`]: async (bytes) => {
      const { height, pagination } = GetValidatorSetByHeightRequest.decode(bytes);
      return GetValidatorSetByHeightResponse.encode(
        await validatorSet(await requestedHeight(height), pagination),
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
      const res = await chain.query({
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
