// A tiny deterministic ABCI app for testing the node without the real state machine, after CometBFT's kvstore
// example: a tx is "key=value" (or "once:key=value", valid only while the key is unset), CheckTx rejects
// malformed txs, FinalizeBlock emits events with attributes, the app hash is SHA-256 over the sorted state,
// and `query` with path "/key" returns a value. As in kvstore, "val:<base64 ed25519 pubkey>!<power>" is a
// validator update. State can persist to a JSON file so restarts can be tested.
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import {
  ResponseCheckTx as CheckTxResponse,
  type Event,
  type ExecTxResult,
  ResponseQuery as QueryResponse,
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
  ExecTxResult as TxResult,
  type ValidatorUpdate,
} from "cosmjs-types/tendermint/abci/types";
import type { AbciApplication } from "../../app/abci.js";
import { sha256 } from "../types/merkle.js";

export interface KvAppOptions {
  /** Persist the committed state to this JSON file (atomically, at Commit). */
  persistPath?: string;
  /** PrepareProposal takes at most this many txs (lets tests keep txs in the mempool across blocks). */
  maxTxsPerBlock?: number;
  /** Throw from FinalizeBlock / Commit at this height, to simulate a crash in the middle of a block. */
  failAt?: { height: number; method: "finalizeBlock" | "commit" };
}

interface ParsedTx {
  key: string;
  value: string;
  once: boolean;
}

/** "val:<base64 pubkey>!<power>" (CometBFT kvstore's validator tx). */
export function parseValidatorTx(tx: Uint8Array): ValidatorUpdate | undefined {
  const m = /^val:([A-Za-z0-9+/=]+)!(\d+)$/.exec(dec.decode(tx));
  if (!m) return undefined;
  const pubKey = new Uint8Array(Buffer.from(m[1]!, "base64"));
  return pubKey.length === 32 ? { pubKey: { ed25519: pubKey }, power: BigInt(m[2]!) } : undefined;
}

const enc = new TextEncoder();
const dec = new TextDecoder();

export function parseKvTx(tx: Uint8Array): ParsedTx | undefined {
  let s = dec.decode(tx);
  const once = s.startsWith("once:");
  if (once) s = s.slice(5);
  const eq = s.indexOf("=");
  if (eq <= 0) return undefined;
  return { key: s.slice(0, eq), value: s.slice(eq + 1), once };
}

function stateHash(state: ReadonlyMap<string, string>): Uint8Array {
  const lines = [...state.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}\n`);
  return sha256(enc.encode(lines.join("")));
}

const attr = (key: string, value: string) => ({ key, value, index: true });

export class KvApp implements AbciApplication {
  private committed = new Map<string, string>();
  private working = new Map<string, string>();
  private height = 0n;
  private pendingHeight = 0n;
  private pendingHash: Uint8Array = new Uint8Array();
  private appHash: Uint8Array = new Uint8Array();
  /** Every request the app received, by method, for assertions. */
  readonly calls: string[] = [];

  constructor(private readonly options: KvAppOptions = {}) {
    const path = options.persistPath;
    if (path && existsSync(path)) {
      const saved = JSON.parse(readFileSync(path, "utf8")) as { height: string; state: [string, string][] };
      this.committed = new Map(saved.state);
      this.height = BigInt(saved.height);
      this.appHash = stateHash(this.committed);
    }
    this.working = new Map(this.committed);
  }

  get committedState(): ReadonlyMap<string, string> {
    return this.committed;
  }

  async info(_req: RequestInfo): Promise<ResponseInfo> {
    this.calls.push("info");
    return {
      data: "kvstore",
      version: "1.0.0",
      appVersion: 1n,
      lastBlockHeight: this.height,
      lastBlockAppHash: this.appHash,
    };
  }

  async initChain(req: RequestInitChain): Promise<ResponseInitChain> {
    this.calls.push("initChain");
    const text = dec.decode(req.appStateBytes);
    const genesis = (text ? JSON.parse(text) : {}) as { kv?: Record<string, string> };
    this.working = new Map(Object.entries(genesis.kv ?? {}));
    return { validators: [], appHash: stateHash(this.working) };
  }

  async checkTx(req: RequestCheckTx): Promise<ResponseCheckTx> {
    this.calls.push(req.type === 1 ? "recheckTx" : "checkTx");
    if (parseValidatorTx(req.tx)) return CheckTxResponse.fromPartial({ code: 0, gasWanted: 1n });
    const tx = parseKvTx(req.tx);
    if (!tx)
      return CheckTxResponse.fromPartial({
        code: 1,
        log: "malformed tx: expected key=value",
        codespace: "kv",
      });
    if (tx.once && this.committed.has(tx.key)) {
      return CheckTxResponse.fromPartial({ code: 2, log: `key ${tx.key} already set`, codespace: "kv" });
    }
    return CheckTxResponse.fromPartial({ code: 0, gasWanted: 1n });
  }

  async prepareProposal(req: RequestPrepareProposal): Promise<ResponsePrepareProposal> {
    this.calls.push("prepareProposal");
    const txs: Uint8Array[] = [];
    let bytes = 0n;
    for (const tx of req.txs) {
      if (this.options.maxTxsPerBlock !== undefined && txs.length >= this.options.maxTxsPerBlock) break;
      bytes += BigInt(tx.length);
      if (bytes > req.maxTxBytes) break;
      txs.push(tx);
    }
    return { txs };
  }

  async processProposal(_req: RequestProcessProposal): Promise<ResponseProcessProposal> {
    this.calls.push("processProposal");
    return { status: ResponseProcessProposal_ProposalStatus.ACCEPT };
  }

  async finalizeBlock(req: RequestFinalizeBlock): Promise<ResponseFinalizeBlock> {
    this.calls.push("finalizeBlock");
    if (
      this.options.failAt?.method === "finalizeBlock" &&
      Number(req.height) === this.options.failAt.height
    ) {
      throw new Error(`kv-app: simulated crash in FinalizeBlock at ${req.height}`);
    }
    this.pendingHeight = req.height;
    const validatorUpdates: ValidatorUpdate[] = [];
    const txResults: ExecTxResult[] = req.txs.map((raw) => {
      const update = parseValidatorTx(raw);
      if (update) {
        validatorUpdates.push(update);
        return TxResult.fromPartial({ code: 0, gasWanted: 1n, gasUsed: 1n });
      }
      const tx = parseKvTx(raw);
      if (!tx) return TxResult.fromPartial({ code: 1, log: "malformed tx", codespace: "kv", gasWanted: 1n });
      if (tx.once && this.working.has(tx.key)) {
        return TxResult.fromPartial({
          code: 2,
          log: `key ${tx.key} already set`,
          codespace: "kv",
          gasWanted: 1n,
          gasUsed: 1n,
          events: [{ type: "message", attributes: [attr("action", "set"), attr("sender", tx.key)] }],
        });
      }
      this.working.set(tx.key, tx.value);
      const events: Event[] = [
        {
          type: "app",
          attributes: [attr("key", tx.key), attr("value", tx.value), attr("creator", "kvstore")],
        },
        { type: "message", attributes: [attr("action", "set"), attr("sender", tx.key)] },
      ];
      return TxResult.fromPartial({ code: 0, gasWanted: 1n, gasUsed: 1n, events });
    });
    this.pendingHash = stateHash(this.working);
    return {
      events: [
        {
          type: "block_info",
          attributes: [attr("height", String(req.height)), attr("num_txs", String(req.txs.length))],
        },
      ],
      txResults,
      validatorUpdates,
      appHash: this.pendingHash,
    };
  }

  async commit(): Promise<ResponseCommit> {
    this.calls.push("commit");
    if (
      this.options.failAt?.method === "commit" &&
      Number(this.pendingHeight) === this.options.failAt.height
    ) {
      throw new Error(`kv-app: simulated crash in Commit at ${this.pendingHeight}`);
    }
    this.committed = new Map(this.working);
    this.height = this.pendingHeight;
    this.appHash = this.pendingHash;
    const path = this.options.persistPath;
    if (path) {
      const body = JSON.stringify({ height: String(this.height), state: [...this.committed.entries()] });
      writeFileSync(`${path}.tmp`, body);
      renameSync(`${path}.tmp`, path);
    }
    return { retainHeight: 0n };
  }

  async query(req: RequestQuery): Promise<ResponseQuery> {
    this.calls.push("query");
    if (req.path !== "/key") {
      return QueryResponse.fromPartial({
        code: 6,
        log: `unknown query path ${req.path}`,
        height: this.height,
      });
    }
    if (req.height !== 0n && req.height !== this.height) {
      return QueryResponse.fromPartial({
        code: 26,
        log: "only the latest height can be queried",
        height: this.height,
      });
    }
    const key = dec.decode(req.data);
    const value = this.committed.get(key);
    return QueryResponse.fromPartial({
      code: 0,
      key: req.data,
      value: value === undefined ? new Uint8Array() : enc.encode(value),
      log: value === undefined ? "does not exist" : "exists",
      height: this.height,
    });
  }
}
