// A minimal ABCI socket client, the way CometBFT's socket client behaves (abci/client/socket_client.go):
// requests are written as they come, responses are matched to the oldest unanswered request by position, and a
// response of another type than its request is an error. For tests and the ABCI overhead benchmark; the real
// client of the server is CometBFT.
import { connect, type Socket } from "node:net";
import { type Request, Response } from "cosmjs-types/tendermint/abci/types";
import { encodeRequest, FrameDecoder } from "./framing.js";
import { type AbciAddress, parseAbciAddress, requestMethod } from "./server.js";

interface Pending {
  method: string;
  resolve(res: Response): void;
  reject(err: Error): void;
}

export class AbciClient {
  private readonly pending: Pending[] = [];
  private readonly decoder = new FrameDecoder();
  private closedError?: Error;

  private constructor(private readonly socket: Socket) {
    socket.on("data", (chunk) => {
      for (const bytes of this.decoder.push(chunk)) {
        const p = this.pending.shift();
        if (!p) {
          this.fail(new Error("response without a request"));
          return;
        }
        const res = Response.decode(bytes);
        const got = Object.keys(res).find((k) => res[k as keyof Response] !== undefined);
        if (got !== p.method) p.reject(new Error(`expected a ${p.method} response, got ${got}`));
        else p.resolve(res);
      }
    });
    socket.on("error", (err) => this.fail(err));
    socket.on("close", () => this.fail(new Error("connection closed")));
  }

  static connect(address: string | AbciAddress): Promise<AbciClient> {
    const a = typeof address === "string" ? parseAbciAddress(address) : address;
    return new Promise((resolve, reject) => {
      const socket =
        a.kind === "unix" ? connect(a.path) : connect({ host: a.host, port: a.port, noDelay: true });
      socket.once("error", reject);
      socket.once("connect", () => {
        socket.off("error", reject);
        resolve(new AbciClient(socket));
      });
    });
  }

  /** Sends a request (pipelined: no wait for earlier answers); resolves with its response. */
  call(req: Request): Promise<Response> {
    if (this.closedError) return Promise.reject(this.closedError);
    const method = requestMethod(req);
    return new Promise((resolve, reject) => {
      this.pending.push({ method, resolve, reject });
      this.socket.write(encodeRequest(req));
    });
  }

  /** Resolves once the socket is closed by the other side (or by `close`). */
  closed(): Promise<void> {
    if (this.socket.closed) return Promise.resolve();
    return new Promise((resolve) => this.socket.once("close", () => resolve()));
  }

  close(): void {
    this.socket.destroy();
  }

  private fail(err: Error): void {
    this.closedError ??= err;
    for (const p of this.pending.splice(0)) p.reject(err);
  }
}
