// The solo node's on-disk database: one SQLite file (better-sqlite3, WAL) holding blocks, results, the
// consensus state and the event indexes. WAL keeps readers (RPC) off the writer's back, and a block's
// results, indexes and state land in one transaction, so a crash never leaves them half-written.
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";

export type Db = Database.Database;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value BLOB NOT NULL);
-- A block is saved before it is executed; its txs get their results when the block's results are saved.
CREATE TABLE IF NOT EXISTS blocks (
  height INTEGER PRIMARY KEY,
  hash BLOB NOT NULL,
  header BLOB NOT NULL,        -- tendermint.types.Header
  last_commit BLOB NOT NULL,   -- tendermint.types.Commit (for height - 1)
  block_id BLOB NOT NULL,      -- tendermint.types.BlockID
  seen_commit BLOB NOT NULL,   -- tendermint.types.Commit (for this height, signed by the solo validator)
  size INTEGER NOT NULL,
  num_txs INTEGER NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS blocks_by_hash ON blocks(hash);
CREATE TABLE IF NOT EXISTS txs (
  height INTEGER NOT NULL,
  idx INTEGER NOT NULL,
  hash BLOB NOT NULL,
  tx BLOB NOT NULL,
  code INTEGER,                -- NULL until the block's results are saved
  result BLOB,                 -- tendermint.abci.ExecTxResult
  PRIMARY KEY (height, idx)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS txs_by_hash ON txs(hash);
-- ResponseFinalizeBlock without tx_results (events, validator and param updates, app hash).
CREATE TABLE IF NOT EXISTS results (height INTEGER PRIMARY KEY, response BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS validator_sets (height INTEGER PRIMARY KEY, vset BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS consensus_params (height INTEGER PRIMARY KEY, params BLOB NOT NULL);
-- Event indexes: one row per attribute, clustered by (composite key, value, height) so that a condition is one
-- range scan. seq numbers the events of a tx (or block): conditions on the same event type must hold within
-- one event, as CometBFT's kv indexer requires since v0.37. A height's rows are written once, with its results.
CREATE TABLE IF NOT EXISTS tx_events (
  ckey TEXT NOT NULL, value TEXT NOT NULL, height INTEGER NOT NULL, idx INTEGER NOT NULL, seq INTEGER NOT NULL,
  PRIMARY KEY (ckey, value, height, idx, seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS block_events (
  ckey TEXT NOT NULL, value TEXT NOT NULL, height INTEGER NOT NULL, seq INTEGER NOT NULL,
  PRIMARY KEY (ckey, value, height, seq)
) WITHOUT ROWID;
`;

/** Bumped when the layout changes; an older store must be reset (a devnet) rather than misread. */
const SCHEMA_VERSION = 1;

/** Opens (creating if needed) the database; `:memory:` gives a throw-away store. */
export function openDb(path: string): Db {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  const version = db.pragma("user_version", { simple: true }) as number;
  const hasTables = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'blocks'").get() !== undefined;
  if (hasTables && version !== SCHEMA_VERSION) {
    db.close();
    throw new Error(`${path}: block store format ${version} is not ${SCHEMA_VERSION}; reset the node's data`);
  }
  db.pragma("journal_mode = WAL");
  // NORMAL is durable against a process crash (SIGKILL) in WAL mode; only power loss can lose the last block.
  db.pragma("synchronous = NORMAL");
  db.exec(SCHEMA);
  db.pragma(`user_version = ${SCHEMA_VERSION}`);
  return db;
}
