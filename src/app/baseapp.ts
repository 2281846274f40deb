// The ABCI application: runs transactions through the ante pipeline and the message router on cache
// branches, keeps the check and finalize states apart, and commits a block's writes atomically.
// Deterministic: block time comes from the header; the only node-local inputs (minimum gas prices, the
// signature cache) affect which txs enter the mempool, never the result of a block.
import { TxMsgData } from "cosmjs-types/cosmos/base/abci/v1beta1/abci";
import { SimulateRequest, SimulateResponse } from "cosmjs-types/cosmos/tx/v1beta1/service";
import { Tx } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import type { Timestamp } from "cosmjs-types/google/protobuf/timestamp";
import {
  CheckTxType,
  type Event,
  type ExecTxResult,
  type RequestCheckTx,
  type RequestFinalizeBlock,
  type RequestInfo,
  type RequestInitChain,
  type RequestPrepareProposal,
  type RequestProcessProposal,
  type RequestQuery,
  type ResponseCheckTx,
  type ResponseCommit,
  type ResponseFinalizeBlock,
  type ResponseInfo,
  type ResponseInitChain,
  type ResponsePrepareProposal,
  type ResponseProcessProposal,
  ResponseProcessProposal_ProposalStatus,
  type ResponseQuery,
} from "cosmjs-types/tendermint/abci/types";
import type { CacheMultiStore, CommitMultiStore } from "../store/types.js";
import type { AbciApplication } from "./abci.js";
import { type AnteHandler, CheckedTxs } from "./ante.js";
import { type BlockInfo, Context, type ExecMode } from "./context.js";
import { AppError, Errors, QueryError } from "./errors.js";
import { EventManager, withMsgIndex } from "./events.js";
import { GasMeter, infiniteGasMeter } from "./gas.js";
import type { AppModule, MsgDefinition, QueryDefinition } from "./module.js";
import "./protobuf-writer.js";
import { decodeTx, txHash } from "./tx.js";

export const APP_VERSION = 1n;
export const MAX_TX_BYTES = 1024 * 1024;

export interface BaseAppOptions {
  chainId: string;
  /** Software version reported by `info` and `/app/version`. */
  version: string;
  maxTxBytes?: number;
}

export interface TxOutcome {
  code: number;
  codespace: string;
  log: string;
  data: Uint8Array;
  gasWanted: bigint;
  gasUsed: bigint;
  events: Event[];
}

function timestampToNs(t: Timestamp | undefined): bigint {
  return t ? t.seconds * 1_000_000_000n + BigInt(t.nanos) : 0n;
}

/** `message.module` is the module segment of the type URL, as the SDK derives it (`/cosmos.bank.v1beta1.MsgSend` → bank). */
function moduleOf(typeUrl: string): string {
  const parts = typeUrl.replace(/^\//, "").split(".");
  return parts.length >= 2 ? parts[1]! : typeUrl;
}

function errorOutcome(e: unknown, gasWanted: bigint, gasUsed: bigint, events: Event[]): TxOutcome {
  const err =
    e instanceof AppError
      ? e
      : new AppError("undefined", 1, `internal error: ${(e as Error)?.stack ?? String(e)}`);
  return {
    code: err.code,
    codespace: err.codespace,
    log: err.message,
    data: new Uint8Array(),
    gasWanted,
    gasUsed,
    events,
  };
}

export type AnteFactory = (checked: CheckedTxs) => AnteHandler;

export class BaseApp implements AbciApplication {
  private readonly msgRoutes = new Map<string, MsgDefinition<unknown>>();
  private readonly queryRoutes = new Map<string, QueryDefinition<unknown, unknown>>();
  private readonly checked = new CheckedTxs();
  private readonly ante: AnteHandler;
  private readonly maxTxBytes: number;
  private checkState: CacheMultiStore;
  private checkBlock: BlockInfo;

  constructor(
    private readonly opts: BaseAppOptions,
    private readonly cms: CommitMultiStore,
    private readonly modules: AppModule[],
    anteFactory: AnteFactory,
  ) {
    this.maxTxBytes = opts.maxTxBytes ?? MAX_TX_BYTES;
    this.ante = anteFactory(this.checked);
    for (const m of modules) {
      for (const msg of m.msgs) this.msgRoutes.set(msg.typeUrl, msg as MsgDefinition<unknown>);
      for (const q of m.queries) this.queryRoutes.set(q.path, q as QueryDefinition<unknown, unknown>);
    }
    this.checkState = cms.branch();
    this.checkBlock = { chainId: opts.chainId, height: BigInt(cms.lastCommitId().version), timeNs: 0n };
  }

  /** gRPC method paths the app answers over `abci_query` (REST and gRPC servers are generated from these). */
  queryPaths(): string[] {
    return [...this.queryRoutes.keys(), SIMULATE_PATH];
  }

  async info(_req: RequestInfo): Promise<ResponseInfo> {
    const last = this.cms.lastCommitId();
    return {
      data: "decloud",
      version: this.opts.version,
      appVersion: APP_VERSION,
      lastBlockHeight: BigInt(last.version),
      lastBlockAppHash: last.version === 0 ? new Uint8Array() : last.hash,
    };
  }

  async initChain(req: RequestInitChain): Promise<ResponseInitChain> {
    if (req.chainId !== this.opts.chainId) {
      throw new Error(
        `genesis chain id ${req.chainId} differs from the node's chain id ${this.opts.chainId}`,
      );
    }
    if (this.cms.lastCommitId().version !== 0) throw new Error("initChain called on a chain that has blocks");
    const appState =
      req.appStateBytes.length > 0 ? JSON.parse(new TextDecoder().decode(req.appStateBytes)) : {};
    const block = { chainId: req.chainId, height: req.initialHeight, timeNs: timestampToNs(req.time) };
    const state = this.cms.branch();
    const ctx = new Context(block, "genesis", state, infiniteGasMeter());
    for (const m of this.modules) m.initGenesis(ctx, appState[m.name]);
    state.write();
    return {
      consensusParams: req.consensusParams,
      validators: req.validators,
      appHash: this.cms.workingHash(),
    };
  }

  async checkTx(req: RequestCheckTx): Promise<ResponseCheckTx> {
    const mode: ExecMode = req.type === CheckTxType.RECHECK ? "recheck" : "check";
    const out = this.runTx(mode, req.tx, this.checkState, this.checkBlock);
    return {
      code: out.code,
      data: out.data,
      log: out.log,
      info: "",
      gasWanted: out.gasWanted,
      gasUsed: out.gasUsed,
      // CometBFT keeps only the code of a RECHECK (mempool/clist_mempool.go resCbRecheck): its events would
      // be encoded for nothing, for every pending tx after every block.
      events: mode === "recheck" ? [] : out.events,
      codespace: out.codespace,
    };
  }

  async prepareProposal(req: RequestPrepareProposal): Promise<ResponsePrepareProposal> {
    const txs: Uint8Array[] = [];
    let total = 0n;
    for (const tx of req.txs) {
      if (total + BigInt(tx.length) > req.maxTxBytes) break;
      total += BigInt(tx.length);
      txs.push(tx);
    }
    return { txs };
  }

  async processProposal(_req: RequestProcessProposal): Promise<ResponseProcessProposal> {
    // Every tx is re-validated when the block executes; invalid ones fail there with their fee rules.
    return { status: ResponseProcessProposal_ProposalStatus.ACCEPT };
  }

  async finalizeBlock(req: RequestFinalizeBlock): Promise<ResponseFinalizeBlock> {
    const expected = BigInt(this.cms.lastCommitId().version) + 1n;
    if (this.cms.lastCommitId().version !== 0 && req.height !== expected) {
      throw new Error(`finalizeBlock for height ${req.height}, expected ${expected}`);
    }
    const block = { chainId: this.opts.chainId, height: req.height, timeNs: timestampToNs(req.time) };
    const state = this.cms.branch();
    const txResults: ExecTxResult[] = req.txs.map((tx) => {
      const out = this.runTx("finalize", tx, state, block);
      return { ...out, info: "" };
    });
    state.write();
    this.checkBlock = block;
    return { events: [], txResults, validatorUpdates: [], appHash: this.cms.workingHash() };
  }

  async commit(): Promise<ResponseCommit> {
    await this.cms.commit();
    this.checkState = this.cms.branch();
    return { retainHeight: 0n };
  }

  async query(req: RequestQuery): Promise<ResponseQuery> {
    const latest = BigInt(this.cms.lastCommitId().version);
    const height = req.height === 0n ? latest : req.height;
    const base = { index: 0n, key: req.data, value: new Uint8Array(), height, info: "" };
    const fail = (e: AppError): ResponseQuery => ({
      ...base,
      code: e.code,
      codespace: e.codespace,
      log: e.message,
    });
    try {
      if (height > latest) {
        throw Errors.invalidHeight(
          `cannot query with height in the future; please provide a valid height: ${height} > ${latest}`,
        );
      }
      if (latest === 0n) throw Errors.invalidRequest("no block has been committed yet");
      if (req.path === SIMULATE_PATH) {
        return { ...base, code: 0, codespace: "", log: "", value: this.simulate(req.data) };
      }
      const route = this.queryRoutes.get(req.path);
      if (route) {
        const ctx = new Context(
          this.checkBlockAt(height),
          "query",
          this.cms.readAt(Number(height)),
          infiniteGasMeter(),
        );
        const res = route.handle(ctx, route.request.decode(req.data));
        return { ...base, code: 0, codespace: "", log: "", value: route.response.encode(res).finish() };
      }
      const storeMatch = /^\/store\/([^/]+)\/key$/.exec(req.path);
      if (storeMatch) return { ...base, ...this.queryStore(storeMatch[1]!, req.data, height, req.prove) };
      if (req.path === "/app/version") {
        return {
          ...base,
          code: 0,
          codespace: "",
          log: "",
          value: new TextEncoder().encode(this.opts.version),
        };
      }
      throw Errors.unknownRequest(`unknown query path ${req.path}`);
    } catch (e) {
      if (e instanceof QueryError) return fail(e.toAppError());
      if (e instanceof AppError) return fail(e);
      return fail(new AppError("sdk", 1, `internal error: ${(e as Error).message}`));
    }
  }

  private queryStore(storeName: string, key: Uint8Array, height: bigint, prove: boolean) {
    if (!this.cms.storeNames().includes(storeName))
      throw Errors.unknownRequest(`no such store: ${storeName}`);
    if (prove && height <= 1n) {
      throw Errors.invalidRequest("cannot query with proof when height <= 1; please provide a valid height");
    }
    const result = this.cms.query(storeName, key, Number(height), prove);
    return {
      code: 0,
      codespace: "",
      log: "",
      value: result.value ?? new Uint8Array(),
      proofOps: result.proofOps ? { ops: result.proofOps } : undefined,
    };
  }

  /** cosmos.tx.v1beta1.Service/Simulate over ABCI query (reference: cometbft-cosmos.md §3.8). */
  private simulate(data: Uint8Array): Uint8Array {
    const req = SimulateRequest.decode(data);
    const txBytes =
      req.txBytes.length > 0 ? req.txBytes : req.tx ? Tx.encode(req.tx).finish() : new Uint8Array();
    // Simulate against the committed state, so the sequence a client read from the chain is the one expected.
    const out = this.runTx("simulate", txBytes, this.cms.branch(), this.checkBlock);
    if (out.code !== 0) throw new AppError(out.codespace, out.code, out.log);
    const msgData = TxMsgData.decode(out.data);
    return SimulateResponse.encode({
      gasInfo: { gasWanted: out.gasWanted, gasUsed: out.gasUsed },
      result: { data: new Uint8Array(), log: "", events: out.events, msgResponses: msgData.msgResponses },
    }).finish();
  }

  private checkBlockAt(height: bigint): BlockInfo {
    return { chainId: this.opts.chainId, height, timeNs: this.checkBlock.timeNs };
  }

  /**
   * Runs one transaction: decode, ante on a branch (kept if it passes), then — except in checkTx — every
   * message on a second branch that is written only if all of them succeed.
   */
  runTx(mode: ExecMode, bytes: Uint8Array, parent: CacheMultiStore, block: BlockInfo): TxOutcome {
    if (bytes.length > this.maxTxBytes) {
      return errorOutcome(
        Errors.txTooLarge(`tx too large; max ${this.maxTxBytes} bytes, got ${bytes.length}`),
        0n,
        0n,
        [],
      );
    }
    const hash = txHash(bytes);
    let tx = mode === "recheck" || mode === "finalize" ? this.checked.get(hash) : undefined;
    if (!tx) {
      try {
        tx = decodeTx(bytes, (url) => this.msgRoutes.get(url), hash);
      } catch (e) {
        return errorOutcome(e, 0n, 0n, []);
      }
    }
    const gasWanted = tx.authInfo.fee?.gasLimit ?? 0n;
    const meter = mode === "simulate" ? infiniteGasMeter() : new GasMeter(Number(gasWanted));
    const used = () => BigInt(meter.consumed());

    const anteState = parent.branch();
    // CometBFT keeps only the code of a RECHECK, so its ante does not build events (checkTx returns none).
    const anteCtx = new Context(block, mode, anteState, meter, new EventManager(mode !== "recheck"));
    try {
      this.ante.run(anteCtx, tx);
    } catch (e) {
      return errorOutcome(e, gasWanted, used(), []);
    }
    anteState.write();
    const anteEvents = anteCtx.events.events();
    if (mode === "check" || mode === "recheck") {
      return {
        code: 0,
        codespace: "",
        log: "",
        data: new Uint8Array(),
        gasWanted,
        gasUsed: used(),
        events: anteEvents,
      };
    }

    const msgState = parent.branch();
    const events = [...anteEvents];
    const msgResponses = [];
    try {
      for (let i = 0; i < tx.msgs.length; i++) {
        const { typeUrl, msg, def } = tx.msgs[i]!;
        const msgCtx = new Context(block, mode, msgState, meter);
        msgCtx.events.emit("message", {
          action: typeUrl,
          sender: def.signers(msg)[0] ?? "",
          module: moduleOf(typeUrl),
        });
        msgResponses.push(def.handle(msgCtx, msg));
        events.push(...withMsgIndex(msgCtx.events.events(), i));
      }
    } catch (e) {
      return errorOutcome(e, gasWanted, used(), anteEvents);
    }
    msgState.write();
    const data = TxMsgData.encode({ data: [], msgResponses }).finish();
    return { code: 0, codespace: "", log: "", data, gasWanted, gasUsed: used(), events };
  }
}

export const SIMULATE_PATH = "/cosmos.tx.v1beta1.Service/Simulate";
