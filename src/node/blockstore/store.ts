// Blocks, results, validator sets, consensus parameters and the consensus state of the solo node.
// Write order (the driver's): saveBlock (header + txs, before execution) → saveResults (results, indexes and
// the new state in one transaction) → app Commit → markCommitted. Reads used by the RPC never go beyond the
// committed height, so clients never see a block whose state the app has not committed yet.
import { ExecTxResult, ResponseFinalizeBlock } from "cosmjs-types/tendermint/abci/types";
import type { Block } from "cosmjs-types/tendermint/types/block";
import { ConsensusParams } from "cosmjs-types/tendermint/types/params";
import { BlockID, Commit, Header } from "cosmjs-types/tendermint/types/types";
import { txHash } from "../types/hashing.js";
import { type ChainState, decodeState, encodeState } from "../types/state.js";
import { ValidatorSet } from "../types/validators.js";
import type { Db } from "./db.js";
import { EventIndex } from "./event-index.js";

export interface BlockMeta {
  blockId: BlockID;
  blockSize: number;
  header: Header;
  numTxs: number;
}

export interface StoredTx {
  hash: Uint8Array;
  height: number;
  index: number;
  tx: Uint8Array;
  result: ExecTxResult;
}

export interface SavedBlock {
  block: Block;
  blockId: BlockID;
  /** The solo validator's commit for this block. */
  seenCommit: Commit;
  size: number;
}

/** What saveResults records for one executed block. */
export interface BlockResults {
  height: number;
  response: ResponseFinalizeBlock;
  state: ChainState;
}

interface BlockRow {
  height: number;
  hash: Buffer;
  header: Buffer;
  last_commit: Buffer;
  block_id: Buffer;
  seen_commit: Buffer;
  size: number;
  num_txs: number;
}

interface TxRow {
  height: number;
  idx: number;
  hash: Buffer;
  tx: Buffer;
  result: Buffer | null;
}

const u8 = (b: Buffer) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

export class BlockStore {
  readonly index: EventIndex;
  /** The highest height whose block the app has committed; RPC reads stop here. */
  committedHeight = 0;
  private readonly stmts;

  constructor(private readonly db: Db) {
    this.index = new EventIndex(db);
    this.stmts = {
      getMeta: db.prepare<[string], { value: Buffer }>("SELECT value FROM meta WHERE key = ?"),
      setMeta: db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)"),
      maxHeight: db.prepare<[], { h: number | null }>("SELECT MAX(height) AS h FROM blocks"),
      minHeight: db.prepare<[], { h: number | null }>("SELECT MIN(height) AS h FROM blocks"),
      maxResults: db.prepare<[], { h: number | null }>("SELECT MAX(height) AS h FROM results"),
      insertBlock: db.prepare(
        "INSERT OR REPLACE INTO blocks (height, hash, header, last_commit, block_id, seen_commit, size, num_txs)" +
          " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      ),
      insertTx: db.prepare("INSERT OR REPLACE INTO txs (height, idx, hash, tx) VALUES (?, ?, ?, ?)"),
      blockByHeight: db.prepare<[number], BlockRow>("SELECT * FROM blocks WHERE height = ?"),
      heightByHash: db.prepare<[Uint8Array], { height: number }>("SELECT height FROM blocks WHERE hash = ?"),
      txsOfBlock: db.prepare<[number], TxRow>("SELECT * FROM txs WHERE height = ? ORDER BY idx"),
      txAt: db.prepare<[number, number], TxRow>("SELECT * FROM txs WHERE height = ? AND idx = ?"),
      // A hash can recur (the same bytes in two blocks); prefer a successful execution, then the latest.
      txByHash: db.prepare<[Uint8Array, number], TxRow>(
        "SELECT * FROM txs WHERE hash = ? AND result IS NOT NULL AND height <= ?" +
          " ORDER BY (code = 0) DESC, height DESC LIMIT 1",
      ),
      setTxResult: db.prepare("UPDATE txs SET code = ?, result = ? WHERE height = ? AND idx = ?"),
      insertResults: db.prepare("INSERT OR REPLACE INTO results (height, response) VALUES (?, ?)"),
      results: db.prepare<[number], { response: Buffer }>("SELECT response FROM results WHERE height = ?"),
      insertVset: db.prepare("INSERT OR REPLACE INTO validator_sets (height, vset) VALUES (?, ?)"),
      vsetAt: db.prepare<[number], { vset: Buffer }>(
        "SELECT vset FROM validator_sets WHERE height <= ? ORDER BY height DESC LIMIT 1",
      ),
      insertParams: db.prepare("INSERT OR REPLACE INTO consensus_params (height, params) VALUES (?, ?)"),
      paramsAt: db.prepare<[number], { params: Buffer }>(
        "SELECT params FROM consensus_params WHERE height <= ? ORDER BY height DESC LIMIT 1",
      ),
    };
  }

  // --- meta and state

  getMeta(key: string): Uint8Array | undefined {
    const row = this.stmts.getMeta.get(key);
    return row ? u8(row.value) : undefined;
  }

  setMeta(key: string, value: Uint8Array): void {
    this.stmts.setMeta.run(key, value);
  }

  loadState(): ChainState | undefined {
    const bytes = this.getMeta("state");
    return bytes ? decodeState(bytes) : undefined;
  }

  /** Saves the state after InitChain (before any block), with the validator sets and params it starts with. */
  saveInitialState(state: ChainState): void {
    this.db.transaction(() => {
      const h = Number(state.initialHeight);
      this.stmts.insertVset.run(h, state.validators.encode());
      this.stmts.insertVset.run(h + 1, state.nextValidators.encode());
      this.stmts.insertParams.run(h, ConsensusParams.encode(state.consensusParams).finish());
      this.setMeta("state", encodeState(state));
    })();
  }

  // --- heights

  /** The last saved block (executed or not); 0 when empty. */
  height(): number {
    return this.stmts.maxHeight.get()?.h ?? 0;
  }

  /** The first saved block; 0 when empty. */
  base(): number {
    return this.stmts.minHeight.get()?.h ?? 0;
  }

  /** The last block whose results are saved; 0 when none. */
  resultsHeight(): number {
    return this.stmts.maxResults.get()?.h ?? 0;
  }

  // --- writes

  saveBlock(saved: SavedBlock): void {
    const { block, blockId, seenCommit, size } = saved;
    const height = Number(block.header.height);
    this.db.transaction(() => {
      this.stmts.insertBlock.run(
        height,
        blockId.hash,
        Header.encode(block.header).finish(),
        Commit.encode(block.lastCommit ?? emptyCommit()).finish(),
        BlockID.encode(blockId).finish(),
        Commit.encode(seenCommit).finish(),
        size,
        block.data.txs.length,
      );
      block.data.txs.forEach((tx, i) => {
        this.stmts.insertTx.run(height, i, txHash(tx), tx);
      });
    })();
  }

  /**
   * Records a block's results, indexes its events and saves the state after it, atomically. Each height is
   * recorded once: a block is only re-executed (on replay) when its results were never saved.
   */
  saveResults({ height, response, state }: BlockResults): void {
    this.db.transaction(() => {
      const txs = this.stmts.txsOfBlock.all(height);
      if (txs.length !== response.txResults.length) {
        throw new Error(`block ${height}: ${txs.length} txs but ${response.txResults.length} results`);
      }
      response.txResults.forEach((r, i) => {
        this.stmts.setTxResult.run(r.code, ExecTxResult.encode(r).finish(), height, i);
        this.index.indexTx(height, i, r.events);
      });
      this.index.indexBlock(height, response.events);
      this.stmts.insertResults.run(
        height,
        ResponseFinalizeBlock.encode({ ...response, txResults: [] }).finish(),
      );
      // Validator sets take effect two blocks later, consensus parameters on the next block.
      this.stmts.insertVset.run(height + 2, state.nextValidators.encode());
      this.stmts.insertParams.run(height + 1, ConsensusParams.encode(state.consensusParams).finish());
      this.setMeta("state", encodeState(state));
    })();
  }

  markCommitted(height: number): void {
    this.committedHeight = height;
  }

  // --- reads (committed heights only, unless `any` is set for the driver's own use)

  private visible(height: number, any: boolean): boolean {
    return height >= 1 && (any || height <= this.committedHeight);
  }

  loadBlock(height: number, any = false): SavedBlock | undefined {
    if (!this.visible(height, any)) return undefined;
    const row = this.stmts.blockByHeight.get(height);
    if (!row) return undefined;
    const txs = this.stmts.txsOfBlock.all(height).map((t) => u8(t.tx));
    return {
      block: {
        header: Header.decode(u8(row.header)),
        data: { txs },
        evidence: { evidence: [] },
        lastCommit: Commit.decode(u8(row.last_commit)),
      },
      blockId: BlockID.decode(u8(row.block_id)),
      seenCommit: Commit.decode(u8(row.seen_commit)),
      size: row.size,
    };
  }

  loadBlockMeta(height: number): BlockMeta | undefined {
    if (!this.visible(height, false)) return undefined;
    const row = this.stmts.blockByHeight.get(height);
    if (!row) return undefined;
    return {
      blockId: BlockID.decode(u8(row.block_id)),
      blockSize: row.size,
      header: Header.decode(u8(row.header)),
      numTxs: row.num_txs,
    };
  }

  heightByHash(hash: Uint8Array): number | undefined {
    const h = this.stmts.heightByHash.get(hash)?.height;
    return h !== undefined && this.visible(h, false) ? h : undefined;
  }

  /** The commit for `height`: the next block's last_commit when there is one, else the validator's own. */
  loadCommit(height: number): { commit: Commit; canonical: boolean } | undefined {
    if (!this.visible(height, false)) return undefined;
    const next = height < this.committedHeight ? this.stmts.blockByHeight.get(height + 1) : undefined;
    if (next) return { commit: Commit.decode(u8(next.last_commit)), canonical: true };
    const row = this.stmts.blockByHeight.get(height);
    return row ? { commit: Commit.decode(u8(row.seen_commit)), canonical: false } : undefined;
  }

  loadResults(height: number, any = false): ResponseFinalizeBlock | undefined {
    if (!this.visible(height, any)) return undefined;
    const row = this.stmts.results.get(height);
    if (!row) return undefined;
    const response = ResponseFinalizeBlock.decode(u8(row.response));
    response.txResults = this.stmts.txsOfBlock
      .all(height)
      .map((t) => (t.result ? ExecTxResult.decode(u8(t.result)) : ExecTxResult.fromPartial({})));
    return response;
  }

  txByHash(hash: Uint8Array): StoredTx | undefined {
    const row = this.stmts.txByHash.get(hash, this.committedHeight);
    return row ? toStoredTx(row) : undefined;
  }

  txAt(height: number, index: number): StoredTx | undefined {
    if (!this.visible(height, false)) return undefined;
    const row = this.stmts.txAt.get(height, index);
    return row?.result ? toStoredTx(row) : undefined;
  }

  /** The validator set that signs block `height`. */
  validatorsAt(height: number): ValidatorSet | undefined {
    const row = this.stmts.vsetAt.get(height);
    return row ? ValidatorSet.decode(u8(row.vset)) : undefined;
  }

  consensusParamsAt(height: number): Required<ConsensusParams> | undefined {
    const row = this.stmts.paramsAt.get(height);
    return row ? (ConsensusParams.decode(u8(row.params)) as Required<ConsensusParams>) : undefined;
  }

  close(): void {
    this.db.close();
  }
}

function toStoredTx(row: TxRow): StoredTx {
  return {
    hash: u8(row.hash),
    height: row.height,
    index: row.idx,
    tx: u8(row.tx),
    result: ExecTxResult.decode(u8(row.result!)),
  };
}

export function emptyCommit(): Commit {
  return {
    height: 0n,
    round: 0,
    blockId: { hash: new Uint8Array(), partSetHeader: { total: 0, hash: new Uint8Array() } },
    signatures: [],
  };
}
