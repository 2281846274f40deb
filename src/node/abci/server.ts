// The app's ABCI 2.0 socket server, what a real CometBFT v0.38 node (`proxy_app`, `abci = "socket"`) talks to.
// reference: cometbft-cosmos.md §1 (the protocol), §6 item 3 (responses that crash CometBFT), item 4
// (interleaving).
//
// - CometBFT opens four connections (query, snapshot, mempool, consensus) to one listener, TCP or a Unix socket.
// - Each connection carries uvarint-framed `tendermint.abci.Request`s; CometBFT matches every response to the
//   oldest unanswered request of that connection by its oneof case, with no request id, so every request —
//   Flush and Echo included — gets exactly one response, in order, on its own connection.
// - Every request of every connection goes through ONE scheduler that runs one app call at a time, so two
//   calls never interleave at an `await` (a Query could otherwise read a half-applied FinalizeBlock). Go's
//   socket server does the same with one mutex (abci/server/socket_server.go `appMtx`).
// - Each connection's requests run in arrival order (a FIFO per connection). Across connections CometBFT
//   asks for no order (reference §1.3), so the scheduler serves the consensus connection first, then queries,
//   then the mempool: a flood of CheckTx from a burst of broadcasts cannot delay PrepareProposal,
//   ProcessProposal or FinalizeBlock behind it and stall the consensus rounds of the whole network.
// - Info, InitChain, FinalizeBlock and Commit have no error channel. A handler that throws, or bytes that do not
//   decode, are fatal: the server drops every connection (CometBFT then stops itself, multi_app_conn.go
//   `killTMOnClientError`) and reports the error through `onFatal`. It never answers with `exception`, which
//   CometBFT treats the same way, and never with a response of another type.
import { unlinkSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import {
  Request,
  type Response,
  ResponseApplySnapshotChunk_Result,
  ResponseOfferSnapshot_Result,
  ResponseProcessProposal_ProposalStatus,
  ResponseVerifyVoteExtension_VerifyStatus,
} from "cosmjs-types/tendermint/abci/types";
import type { Logger } from "pino";
import type { AbciApplication } from "../../app/abci.js";
import { Lane, type Line, Serial } from "../serial.js";
import { encodeResponse, FrameDecoder } from "./framing.js";

/** `tcp://host:port` or `unix:///path`, as CometBFT's `proxy_app` names the app. */
export type AbciAddress = { kind: "tcp"; host: string; port: number } | { kind: "unix"; path: string };

export function parseAbciAddress(address: string): AbciAddress {
  const unix = /^unix:\/\/(.+)$/.exec(address);
  if (unix) return { kind: "unix", path: unix[1]! };
  const tcp = /^(?:tcp:\/\/)?([^:/]+|\[[^\]]+\]):(\d+)$/.exec(address);
  if (tcp) return { kind: "tcp", host: tcp[1]!.replace(/^\[|\]$/g, ""), port: Number(tcp[2]) };
  throw new Error(`not an ABCI address: ${address} (expected tcp://host:port or unix:///path)`);
}

export function formatAbciAddress(a: AbciAddress): string {
  return a.kind === "unix" ? `unix://${a.path}` : `tcp://${a.host}:${a.port}`;
}

/** The request methods, by their oneof field in `Request`. */
export type AbciMethod = Exclude<keyof Request, never>;

/**
 * A crash injected at a point of the block, as CometBFT's own crash tests do with libs/fail (`FAIL_TEST_INDEX`):
 * the process SIGKILLs itself when the request arrives (`before`), or after the app handled it but before the
 * response is written (`after`). Used only by the recovery tests, through `DECLOUD_FAIL_POINT`.
 */
export interface FailPoint {
  when: "before" | "after";
  method: "finalizeBlock" | "commit";
  height: bigint;
}

/** `before-commit:12`, `after-finalize:7`, … (the format of DECLOUD_FAIL_POINT). */
export function parseFailPoint(text: string): FailPoint {
  const m = /^(before|after)-(finalize|commit):(\d+)$/.exec(text.trim());
  if (!m) throw new Error(`bad fail point "${text}": expected (before|after)-(finalize|commit):HEIGHT`);
  return {
    when: m[1] as "before" | "after",
    method: m[2] === "finalize" ? "finalizeBlock" : "commit",
    height: BigInt(m[3]!),
  };
}

export interface AbciServerOptions {
  logger?: Logger;
  /** Called once when the server cannot go on (a handler threw, undecodable bytes); connections are dropped. */
  onFatal?: (err: Error) => void;
  failPoint?: FailPoint;
}

export interface AbciServerStats {
  /** Requests answered, by method. */
  requests: Partial<Record<AbciMethod, number>>;
  connections: number;
}

/** The lane of an ABCI connection, told by its first request other than Flush or Echo. */
function laneOf(method: AbciMethod): Lane | undefined {
  switch (method) {
    case "echo":
    case "flush":
      return undefined;
    case "checkTx":
      return Lane.Mempool;
    case "info":
    case "query":
    case "listSnapshots":
    case "offerSnapshot":
    case "loadSnapshotChunk":
    case "applySnapshotChunk":
      return Lane.Query;
    default:
      return Lane.Block;
  }
}

export class AbciServer {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private readonly serial = new Serial();
  /** The node's own queries (REST, gRPC), served with CometBFT's query connection. */
  private readonly ownLine = this.serial.line(Lane.Query);
  private fatal?: Error;
  private lastFinalizedHeight = 0n;
  readonly stats: AbciServerStats = { requests: {}, connections: 0 };
  private readonly logger?: Logger;

  constructor(
    private readonly app: AbciApplication,
    private readonly opts: AbciServerOptions = {},
  ) {
    this.logger = opts.logger;
  }

  /** Listens on `address` (tcp://host:port — port 0 picks one — or unix:///path); resolves once listening. */
  async listen(address: string | AbciAddress): Promise<AbciAddress> {
    const a = typeof address === "string" ? parseAbciAddress(address) : address;
    const server = createServer({ noDelay: true }, (socket) => this.accept(socket));
    this.server = server;
    if (a.kind === "unix") {
      // A socket file left by a killed process would make listen fail with EADDRINUSE.
      try {
        unlinkSync(a.path);
      } catch {}
    }
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      const done = () => {
        server.off("error", reject);
        resolve();
      };
      if (a.kind === "unix") server.listen(a.path, done);
      else server.listen(a.port, a.host, done);
    });
    server.on("error", (err) => this.die(err));
    return this.address()!;
  }

  /** Where the server listens (with the real port when 0 was asked). */
  address(): AbciAddress | undefined {
    const addr = this.server?.address();
    if (!addr) return undefined;
    if (typeof addr === "string") return { kind: "unix", path: addr };
    return { kind: "tcp", host: addr.address, port: addr.port };
  }

  /**
   * Runs `fn` in the app's queue, between two ABCI requests: what the node's own REST and gRPC servers use
   * to query the app without interleaving with a block.
   */
  run<T>(fn: () => Promise<T> | T): Promise<T> {
    return this.serial.run(this.ownLine, fn);
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    // Whatever is queued finishes (an in-flight Commit completes) before the app may be closed.
    await this.serial.drained();
  }

  private accept(socket: Socket): void {
    if (this.fatal) {
      socket.destroy();
      return;
    }
    this.sockets.add(socket);
    this.stats.connections++;
    const decoder = new FrameDecoder();
    const line = this.serial.line(Lane.Unknown);
    socket.on("data", (chunk) => {
      let frames: Uint8Array[];
      try {
        frames = decoder.push(chunk);
      } catch (err) {
        this.die(err as Error);
        return;
      }
      for (const bytes of frames) {
        let req: Request;
        let method: AbciMethod;
        try {
          req = Request.decode(bytes);
          method = requestMethod(req);
        } catch (err) {
          this.die(new Error(`undecodable ABCI request: ${(err as Error).message}`));
          return;
        }
        if (line.lane === Lane.Unknown) line.lane = laneOf(method) ?? Lane.Unknown;
        this.enqueue(socket, line, method, req);
      }
    });
    socket.on("error", (err) => this.logger?.debug({ err }, "ABCI connection error"));
    socket.on("close", () => {
      this.serial.drop(line);
      this.sockets.delete(socket);
      this.stats.connections--;
    });
  }

  private enqueue(socket: Socket, line: Line, method: AbciMethod, req: Request): void {
    this.serial
      .run(line, () => this.handle(method, req))
      .then(
        (res) => {
          if (this.fatal || socket.destroyed) return;
          this.stats.requests[method] = (this.stats.requests[method] ?? 0) + 1;
          // Responses finished in the same tick (a pipelined run of CheckTx) leave in one write.
          if (!socket.writableCorked) {
            socket.cork();
            process.nextTick(() => socket.uncork());
          }
          socket.write(encodeResponse(res));
        },
        (err: Error) => this.die(new Error(`ABCI ${method} failed: ${err.message}`, { cause: err })),
      );
  }

  private die(err: Error): void {
    if (this.fatal) return;
    this.fatal = err;
    this.logger?.fatal({ err }, "the ABCI server cannot go on; dropping CometBFT's connections");
    for (const s of this.sockets) s.destroy();
    this.opts.onFatal?.(err);
  }

  private crashIf(when: "before" | "after", method: "finalizeBlock" | "commit", height: bigint): void {
    const fp = this.opts.failPoint;
    if (fp && fp.when === when && fp.method === method && fp.height === height) {
      this.logger?.warn({ failPoint: fp }, "fail point reached: SIGKILL");
      process.kill(process.pid, "SIGKILL");
    }
  }

  /** One request's response. Defaults are the ones that keep CometBFT running (reference §1.4, §6 item 3). */
  private async handle(method: AbciMethod, req: Request): Promise<Response> {
    const app = this.app;
    switch (method) {
      case "echo":
        return { echo: { message: req.echo!.message } };
      case "flush":
        return { flush: {} };
      case "info":
        return { info: await app.info(req.info!) };
      case "initChain":
        return { initChain: await app.initChain(req.initChain!) };
      case "query":
        return { query: await app.query(req.query!) };
      case "checkTx":
        return { checkTx: await app.checkTx(req.checkTx!) };
      case "prepareProposal":
        return { prepareProposal: await app.prepareProposal(req.prepareProposal!) };
      case "processProposal": {
        const res = await app.processProposal(req.processProposal!);
        // status 0 (UNKNOWN) makes CometBFT panic (state/execution.go): never let a default slip through.
        if (res.status === ResponseProcessProposal_ProposalStatus.UNKNOWN) {
          throw new Error("processProposal returned status UNKNOWN");
        }
        return { processProposal: res };
      }
      case "finalizeBlock": {
        const r = req.finalizeBlock!;
        this.crashIf("before", "finalizeBlock", r.height);
        const res = await app.finalizeBlock(r);
        // CometBFT refuses a result count that differs from the block's tx count.
        if (res.txResults.length !== r.txs.length) {
          throw new Error(`finalizeBlock returned ${res.txResults.length} results for ${r.txs.length} txs`);
        }
        this.lastFinalizedHeight = r.height;
        this.crashIf("after", "finalizeBlock", r.height);
        return { finalizeBlock: res };
      }
      case "commit": {
        this.crashIf("before", "commit", this.lastFinalizedHeight);
        const res = await app.commit();
        this.crashIf("after", "commit", this.lastFinalizedHeight);
        return { commit: res };
      }
      // Vote extensions are off (abci.vote_extensions_enable_height = 0): CometBFT never asks; if it did, an
      // empty extension and ACCEPT are the correct answers (VerifyVoteExtension status 0 also panics).
      case "extendVote":
        return { extendVote: { voteExtension: new Uint8Array() } };
      case "verifyVoteExtension":
        return { verifyVoteExtension: { status: ResponseVerifyVoteExtension_VerifyStatus.ACCEPT } };
      // No state sync: no snapshots to list or serve, and any offered snapshot is refused for good.
      case "listSnapshots":
        return { listSnapshots: { snapshots: [] } };
      case "offerSnapshot":
        return { offerSnapshot: { result: ResponseOfferSnapshot_Result.ABORT } };
      case "loadSnapshotChunk":
        return { loadSnapshotChunk: { chunk: new Uint8Array() } };
      case "applySnapshotChunk":
        return {
          applySnapshotChunk: {
            result: ResponseApplySnapshotChunk_Result.ABORT,
            refetchChunks: [],
            rejectSenders: [],
          },
        };
      default:
        throw new Error(`unknown ABCI request ${String(method)}`);
    }
  }
}

const METHODS: readonly AbciMethod[] = [
  "echo",
  "flush",
  "info",
  "initChain",
  "query",
  "checkTx",
  "commit",
  "listSnapshots",
  "offerSnapshot",
  "loadSnapshotChunk",
  "applySnapshotChunk",
  "prepareProposal",
  "processProposal",
  "extendVote",
  "verifyVoteExtension",
  "finalizeBlock",
];

/** The oneof case of a request (cosmjs-types decodes a oneof as optional fields, at most one set). */
export function requestMethod(req: Request): AbciMethod {
  for (const m of METHODS) if (req[m] !== undefined) return m;
  throw new Error("ABCI request with no method set");
}
