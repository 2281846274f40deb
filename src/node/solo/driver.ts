// The `solo` consensus driver: one validator, one process. It plays CometBFT's part towards the app —
// handshake and replay on start, then per block PrepareProposal → ProcessProposal → FinalizeBlock → Commit —
// builds headers and signed commits hashed exactly as CometBFT does, and keeps the block store, the mempool
// and the event bus in step. reference: cometbft-cosmos.md §1.4 (method semantics, handshake), §5.6 (hashing)
//
// Commit order (crash safety, as CometBFT's state/execution.go): save the block (header + txs) → FinalizeBlock
// → save results, indexes and the next state in one SQLite transaction → app Commit. On start, `info` tells
// how far the app got; blocks it has not committed are replayed (their app hashes checked against what was
// recorded), and a block saved but never executed is executed.
import {
  CheckTxType,
  type RequestQuery,
  type ResponseCheckTx,
  type ResponseFinalizeBlock,
  type ResponseInfo,
  ResponseProcessProposal_ProposalStatus,
  type ResponseQuery,
} from "cosmjs-types/tendermint/abci/types";
import { Block } from "cosmjs-types/tendermint/types/block";
import type { BlockID, Commit, CommitSig, Header } from "cosmjs-types/tendermint/types/types";
import { BlockIDFlag } from "cosmjs-types/tendermint/types/validator";
import type { Logger } from "pino";
import { type BlockStore, emptyCommit, type SavedBlock } from "../blockstore/store.js";
import { EventBus } from "../events/bus.js";
import { Mempool, type MempoolOptions } from "../mempool/mempool.js";
import type { Ed25519Key } from "../privval/keys.js";
import { Lane } from "../serial.js";
import { type GenesisDoc, genesisConsensusParams, genesisTime, initChainRequest } from "../types/genesis.js";
import {
  commitHash,
  consensusParamsHash,
  dataHash,
  headerHash,
  partSetHeader,
  resultsHash,
  SignedMsgType,
  voteSignBytes,
} from "../types/hashing.js";
import { EMPTY_HASH } from "../types/merkle.js";
import { maxDataBytes, updateConsensusParams } from "../types/params.js";
import type { ChainState } from "../types/state.js";
import { type Timestamp, timestampFromNanos, timestampToNanos } from "../types/time.js";
import { ValidatorSet } from "../types/validators.js";
import type { AppLock } from "./app-lock.js";
import { commitInfo, extendedCommitInfo } from "./commit-info.js";

/** The CometBFT release whose RPC and ABCI behaviour we reproduce (cosmjs picks its client by "0.38."). */
export const COMETBFT_VERSION = "0.38.17";
export const BLOCK_PROTOCOL = 11n;
export const P2P_PROTOCOL = 8n;
export const ABCI_SEMVER = "2.0.0";

/** Go's zero time.Time, which CometBFT puts in absent commit signatures. */
const GO_ZERO_TIME: Timestamp = { seconds: -62135596800n, nanos: 0 };
const MS = 1_000_000n;

export interface SoloDriverOptions {
  genesis: GenesisDoc;
  validatorKey: Ed25519Key;
  /** Milliseconds between blocks (empty blocks included); 0 = a block as soon as txs are pending. Default 200. */
  blockTimeMs?: number;
  /** Produce blocks only through `mine()` (after the first one). */
  noMining?: boolean;
  /**
   * With blockTimeMs = 0: after a block that changed the app hash, produce one more block so that the new
   * app hash lands in a header — CometBFT's behaviour with create_empty_blocks = false. Default true.
   */
  proofBlocks?: boolean;
  mempool?: Partial<MempoolOptions>;
  logger: Logger;
  /** The wall clock in ms (tests may inject one). */
  now?: () => number;
}

export interface MineOptions {
  /** Advance block time by at least this much per block (for demos of payments over time). */
  intervalMs?: number;
}

export class SoloDriver {
  readonly mempool: Mempool;
  readonly events = new EventBus();
  private st!: ChainState;
  private lastSeenCommit: Commit = emptyCommit();
  /** App hash carried by the last header (to know when a proof block is due). */
  private lastHeaderAppHash: Uint8Array | undefined;
  private timer: NodeJS.Timeout | undefined;
  private ticking = false;
  private inFlight: Promise<void> | undefined;
  private stopped = false;
  private halted: Error | undefined;
  private readonly blockTimeMs: number;
  private readonly now: () => number;

  constructor(
    private readonly lock: AppLock,
    readonly store: BlockStore,
    private readonly opts: SoloDriverOptions,
  ) {
    this.blockTimeMs = opts.blockTimeMs ?? 200;
    this.now = opts.now ?? Date.now;
    this.mempool = new Mempool((req) => this.lock.app.checkTx(req), opts.mempool);
    if (this.blockTimeMs === 0) this.mempool.onTxAdded(() => this.wake(0));
  }

  get state(): ChainState {
    return this.st;
  }

  get chainId(): string {
    return this.opts.genesis.chain_id;
  }

  get genesis(): GenesisDoc {
    return this.opts.genesis;
  }

  get validatorKey(): Ed25519Key {
    return this.opts.validatorKey;
  }

  /** Height of the last committed block. */
  get height(): number {
    return Number(this.st.lastBlockHeight);
  }

  /** Set when block production stopped on an error (the chain is halted, as CometBFT would panic). */
  get haltError(): Error | undefined {
    return this.halted;
  }

  // --- app access for the RPC (always under the app lock)

  info(): Promise<ResponseInfo> {
    return this.lock.run(Lane.Query, (app) => app.info(infoRequest()));
  }

  query(req: RequestQuery): Promise<ResponseQuery> {
    return this.lock.run(Lane.Query, (app) => app.query(req));
  }

  /** CheckTx without touching the mempool (`check_tx`). */
  checkTx(tx: Uint8Array): Promise<ResponseCheckTx> {
    return this.lock.run(Lane.Mempool, (app) => app.checkTx({ tx, type: CheckTxType.NEW }));
  }

  /**
   * CheckTx into the mempool (`broadcast_tx_*`). The mempool's own refusals (duplicate, full, too large) throw
   * a MempoolError at once, before the app lock is taken; the app's verdict comes with the promise.
   */
  addTx(tx: Uint8Array): Promise<ResponseCheckTx> {
    const key = this.mempool.admit(tx);
    return this.lock.run(Lane.Mempool, () => this.mempool.checkAndInsert(tx, key));
  }

  // --- lifecycle

  async start(): Promise<void> {
    await this.lock.run(Lane.Block, () => this.handshake());
    // The first block is made at once in every mode, as CometBFT does (a proof block is due at genesis).
    if (this.store.height() === 0) await this.produce({});
    this.scheduleNext(this.now());
  }

  /** Stops producing blocks; waits for a block in flight so that it is recorded completely. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.inFlight?.catch(() => undefined);
  }

  /** Produces `n` blocks now (pending txs go into the first ones); resolves with the new height. */
  async mine(n: number, options: MineOptions = {}): Promise<number> {
    for (let i = 0; i < n; i++) await this.produce(options);
    return this.height;
  }

  // --- scheduling

  private wake(delayMs: number): void {
    if (this.stopped || this.halted || this.opts.noMining || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.tick();
    }, delayMs);
  }

  private async tick(): Promise<void> {
    if (this.ticking) return; // the running tick re-arms when it ends
    this.ticking = true;
    const started = this.now();
    try {
      await this.produce({});
    } catch {
      // produce() logged it and halted the chain.
    } finally {
      this.ticking = false;
    }
    this.scheduleNext(started);
  }

  private scheduleNext(lastStart: number): void {
    if (this.blockTimeMs > 0) this.wake(Math.max(0, lastStart + this.blockTimeMs - this.now()));
    else if (this.needsBlock()) this.wake(0);
  }

  private needsBlock(): boolean {
    if (this.mempool.size > 0) return true;
    const proofDue =
      this.lastHeaderAppHash !== undefined && Buffer.compare(this.lastHeaderAppHash, this.st.appHash) !== 0;
    return (this.opts.proofBlocks ?? true) && proofDue;
  }

  private async produce(options: MineOptions): Promise<void> {
    if (this.halted) throw this.halted;
    if (this.stopped) throw new Error("node is stopping");
    const run = this.lock.run(Lane.Block, () => this.produceLocked(options));
    this.inFlight = run;
    try {
      await run;
    } catch (err) {
      this.halted = err instanceof Error ? err : new Error(String(err));
      this.opts.logger.error({ err: this.halted }, "block production halted");
      throw this.halted;
    } finally {
      if (this.inFlight === run) this.inFlight = undefined;
    }
  }

  // --- one block

  private async produceLocked(options: MineOptions): Promise<void> {
    const app = this.lock.app;
    const st = this.st;
    const key = this.opts.validatorKey;
    if (!st.validators.byAddress(key.address)) {
      throw new Error("the solo validator's key is not in the validator set; it cannot sign blocks");
    }
    const height = st.lastBlockHeight + 1n;
    const time = this.nextBlockTime(height, options.intervalMs ?? 0);
    const lastCommit = this.lastSeenCommit;
    const nextValidatorsHash = st.nextValidators.hash();
    const maxBytes = maxDataBytes(st.consensusParams, st.validators.validators.length);

    const proposal = await app.prepareProposal({
      maxTxBytes: maxBytes,
      txs: this.mempool.reap(maxBytes, st.consensusParams.block.maxGas),
      localLastCommit: extendedCommitInfo(lastCommit, st.lastValidators),
      misbehavior: [],
      height,
      time,
      nextValidatorsHash,
      proposerAddress: key.address,
    });
    const txs = proposal.txs;
    const header: Header = {
      version: { block: BLOCK_PROTOCOL, app: st.appVersion },
      chainId: st.chainId,
      height,
      time,
      lastBlockId: st.lastBlockId,
      lastCommitHash: commitHash(lastCommit),
      dataHash: dataHash(txs),
      validatorsHash: st.validators.hash(),
      nextValidatorsHash,
      consensusHash: consensusParamsHash(st.consensusParams),
      appHash: st.appHash,
      lastResultsHash: st.lastResultsHash,
      evidenceHash: EMPTY_HASH,
      proposerAddress: key.address,
    };
    const block: Block = { header, data: { txs }, evidence: { evidence: [] }, lastCommit };
    const blockBytes = Block.encode(block).finish();
    const blockId: BlockID = { hash: headerHash(header), partSetHeader: partSetHeader(blockBytes) };

    const verdict = await app.processProposal({
      txs,
      proposedLastCommit: commitInfo(lastCommit, st.lastValidators),
      misbehavior: [],
      hash: blockId.hash,
      height,
      time,
      nextValidatorsHash,
      proposerAddress: key.address,
    });
    if (verdict.status !== ResponseProcessProposal_ProposalStatus.ACCEPT) {
      throw new Error(`the app rejected the solo validator's proposal at height ${height}`);
    }

    const saved: SavedBlock = {
      block,
      blockId,
      seenCommit: this.signCommit(header, blockId),
      size: blockBytes.length,
    };
    this.store.saveBlock(saved);
    const { state, response } = await this.execute(saved, st);
    this.st = state;
    this.lastSeenCommit = saved.seenCommit;
    this.lastHeaderAppHash = header.appHash;
    this.opts.logger.debug({ height: Number(height), txs: txs.length }, "committed block");
    // Subscribers hear of the block before the recheck (CometBFT rechecks asynchronously and does not wait).
    this.events.publishBlock(block, blockId, response);
    await this.mempool.update(txs, response.txResults);
  }

  /** Strictly increasing wall-clock time; the first block carries the genesis time, as in CometBFT. */
  private nextBlockTime(height: bigint, intervalMs: number): Timestamp {
    if (height === this.st.initialHeight) return genesisTime(this.opts.genesis);
    const last = timestampToNanos(this.st.lastBlockTime);
    const now = BigInt(this.now()) * MS;
    const min = last + (intervalMs > 0 ? BigInt(intervalMs) * MS : MS);
    return timestampFromNanos(now >= min ? now : min);
  }

  /** The solo validator's precommit for the block, in validator-set order (others are absent). */
  private signCommit(header: Header, blockId: BlockID): Commit {
    const key = this.opts.validatorKey;
    const now = BigInt(this.now()) * MS;
    const timestamp = timestampFromNanos(
      now > timestampToNanos(header.time) ? now : timestampToNanos(header.time),
    );
    const signature = key.sign(
      voteSignBytes(header.chainId, {
        type: SignedMsgType.SIGNED_MSG_TYPE_PRECOMMIT,
        height: header.height,
        round: 0n,
        blockId,
        timestamp,
      }),
    );
    const signatures: CommitSig[] = this.st.validators.validators.map((v) =>
      Buffer.compare(v.address, key.address) === 0
        ? {
            blockIdFlag: BlockIDFlag.BLOCK_ID_FLAG_COMMIT,
            validatorAddress: key.address,
            timestamp,
            signature,
          }
        : {
            blockIdFlag: BlockIDFlag.BLOCK_ID_FLAG_ABSENT,
            validatorAddress: new Uint8Array(),
            timestamp: GO_ZERO_TIME,
            signature: new Uint8Array(),
          },
    );
    return { height: header.height, round: 0, blockId, signatures };
  }

  private async finalize(
    saved: SavedBlock,
    lastValidators: ValidatorSet | undefined,
  ): Promise<ResponseFinalizeBlock> {
    const { header, data, lastCommit } = saved.block;
    const res = await this.lock.app.finalizeBlock({
      txs: data.txs,
      decidedLastCommit: commitInfo(lastCommit ?? emptyCommit(), lastValidators),
      misbehavior: [],
      hash: saved.blockId.hash,
      height: header.height,
      time: header.time,
      nextValidatorsHash: header.nextValidatorsHash,
      proposerAddress: header.proposerAddress,
    });
    if (res.txResults.length !== data.txs.length) {
      throw new Error(
        `FinalizeBlock at height ${header.height} returned ${res.txResults.length} results for ${data.txs.length} txs`,
      );
    }
    return res;
  }

  /** FinalizeBlock → save results and next state → Commit. */
  private async execute(
    saved: SavedBlock,
    st: ChainState,
  ): Promise<{ state: ChainState; response: ResponseFinalizeBlock }> {
    const response = await this.finalize(saved, st.lastValidators);
    const state = nextState(st, saved, response);
    const height = Number(saved.block.header.height);
    this.store.saveResults({ height, response, state });
    await this.lock.app.commit();
    this.store.markCommitted(height);
    return { state, response };
  }

  // --- start-up

  /** CometBFT's handshake (consensus/replay.go): InitChain on a fresh chain, else replay what the app lacks. */
  private async handshake(): Promise<void> {
    const app = this.lock.app;
    const info = await app.info(infoRequest());
    const appHeight = Number(info.lastBlockHeight);
    const storeHeight = this.store.height();
    const resultsHeight = this.store.resultsHeight();
    if (appHeight < 0) throw new Error(`app reported a negative height ${appHeight}`);
    if (appHeight > storeHeight) {
      throw new Error(`app block height ${appHeight} is higher than the block store's ${storeHeight}`);
    }
    if (resultsHeight < storeHeight - 1) throw new Error("block store is corrupt: results missing");
    if (appHeight === storeHeight && resultsHeight < storeHeight) {
      throw new Error(`app committed block ${appHeight} but its results were never saved`);
    }
    let state = this.store.loadState();
    if (!state) {
      if (storeHeight > 0) throw new Error("block store has blocks but no consensus state");
      state = await this.initChain(info);
    } else if (appHeight === 0) {
      // The app kept nothing (e.g. an in-memory app): InitChain again, then replay every block.
      const res = await app.initChain(initChainRequest(this.opts.genesis));
      const first = storeHeight > 0 ? this.store.loadBlock(Number(state.initialHeight), true) : undefined;
      const expected = first ? first.block.header.appHash : state.appHash;
      if (res.appHash.length > 0 && Buffer.compare(res.appHash, expected) !== 0) {
        throw new Error("InitChain returned a different app hash than the one recorded at genesis");
      }
    }
    const initial = Number(state.initialHeight);
    for (let h = Math.max(appHeight + 1, initial); h <= storeHeight; h++) {
      const saved = this.store.loadBlock(h, true);
      if (!saved) throw new Error(`block ${h} missing from the block store`);
      if (h <= resultsHeight) {
        const res = await this.finalize(saved, this.store.validatorsAt(h - 1));
        const recorded = this.store.loadResults(h, true)!;
        if (Buffer.compare(res.appHash, recorded.appHash) !== 0) {
          throw new Error(`app hash mismatch replaying block ${h}: the app is not deterministic`);
        }
        await app.commit();
      } else {
        ({ state } = await this.execute(saved, state));
      }
      this.opts.logger.debug({ height: h }, "replayed block");
    }
    if (
      appHeight === storeHeight &&
      storeHeight > 0 &&
      Buffer.compare(info.lastBlockAppHash, state.appHash) !== 0
    ) {
      throw new Error(`app hash after block ${appHeight} differs from the one recorded`);
    }
    this.store.markCommitted(storeHeight);
    this.st = state;
    const last = storeHeight > 0 ? this.store.loadBlock(storeHeight, true) : undefined;
    this.lastSeenCommit = last?.seenCommit ?? emptyCommit();
    this.lastHeaderAppHash = last?.block.header.appHash;
  }

  private async initChain(info: ResponseInfo): Promise<ChainState> {
    const genesis = this.opts.genesis;
    const req = initChainRequest(genesis);
    const res = await this.lock.app.initChain(req);
    const validators = ValidatorSet.fromUpdates(res.validators.length > 0 ? res.validators : req.validators);
    if (validators.validators.length === 0) throw new Error("the validator set is empty after InitChain");
    const params = updateConsensusParams(genesisConsensusParams(genesis), res.consensusParams);
    const state: ChainState = {
      chainId: genesis.chain_id,
      initialHeight: req.initialHeight,
      lastBlockHeight: req.initialHeight - 1n,
      lastBlockId: { hash: new Uint8Array(), partSetHeader: { total: 0, hash: new Uint8Array() } },
      lastBlockTime: req.time,
      lastValidators: new ValidatorSet([]),
      validators,
      nextValidators: validators,
      consensusParams: params,
      lastResultsHash: new Uint8Array(), // nil in CometBFT's genesis state (state.MakeGenesisState)
      appHash: res.appHash.length > 0 ? res.appHash : new Uint8Array(Buffer.from(genesis.app_hash, "hex")),
      appVersion: info.appVersion,
    };
    this.store.saveInitialState(state);
    this.opts.logger.info(
      { chainId: state.chainId, validators: validators.validators.length },
      "initialized chain",
    );
    return state;
  }
}

function infoRequest() {
  return {
    version: COMETBFT_VERSION,
    blockVersion: BLOCK_PROTOCOL,
    p2pVersion: P2P_PROTOCOL,
    abciVersion: ABCI_SEMVER,
  };
}

/** state.updateState: the state after a block, from the block and the app's FinalizeBlock response. */
function nextState(st: ChainState, saved: SavedBlock, res: ResponseFinalizeBlock): ChainState {
  const params = updateConsensusParams(st.consensusParams, res.consensusParamUpdates);
  return {
    ...st,
    lastBlockHeight: saved.block.header.height,
    lastBlockId: saved.blockId,
    lastBlockTime: saved.block.header.time,
    lastValidators: st.validators,
    validators: st.nextValidators,
    nextValidators: st.nextValidators.applyUpdates(res.validatorUpdates),
    consensusParams: params,
    lastResultsHash: resultsHash(res.txResults),
    appHash: res.appHash,
    appVersion: res.consensusParamUpdates?.version ? params.version.app : st.appVersion,
  };
}
