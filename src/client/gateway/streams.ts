// A lease's websockets on the provider gateway (reference: akash-provider.md §5.4): logs and events as JSON
// frames, and a shell with Akash's one-byte channel framing (100 stdout, 101 stderr, 102 result, 103
// failure, 104 stdin, 105 resize). Close codes: 4000 internal, 4001 lease not found, 4002 service unavailable.
// Followed logs and events reconnect by themselves when asked to (follow.ts).
import type { IncomingMessage } from "node:http";
import type { TLSSocket } from "node:tls";
import { WebSocket } from "ws";
import { DecloudError, ProviderUnreachableError } from "../errors.js";
import type { LeaseId } from "../modules/market/queries.js";
import { authOptions, type GatewayAuth } from "./auth.js";
import {
  EventCursor,
  isTransientCloseCode,
  LogCursor,
  RECONNECT_DEFAULTS,
  type ReconnectOptions,
  resumeOnDrop,
  StreamDroppedError,
  type Subscription,
} from "./follow.js";
import { leasePath } from "./lease.js";
import { type GatewayTarget, verifyGatewayCertificate } from "./provider.js";
import { gatewayError } from "./request.js";
import type { LeaseEvent, LogLine, ShellResult } from "./types.js";

/** The first byte of every shell frame: which stream the rest of the frame belongs to. */
export const SHELL_CHANNEL = {
  stdout: 100,
  stderr: 101,
  result: 102,
  failure: 103,
  stdin: 104,
  resize: 105,
} as const;

/** The close codes a provider ends a lease's websocket with, besides websocket's own (1000 a normal end). */
export const STREAM_CLOSE_CODE = { internal: 4000, leaseNotFound: 4001, serviceUnavailable: 4002 } as const;

export interface LeaseStreamParameters {
  readonly owner: string;
  readonly lease: Pick<LeaseId, "dseq" | "gseq" | "oseq">;
  readonly auth: GatewayAuth;
}

export type { ReconnectOptions, Subscription } from "./follow.js";

/**
 * Opens a gateway websocket. The gateway's certificate is checked against the chain when the upgrade
 * answers, before anything is read; with mTLS the upgrade request carries nothing secret.
 */
function openSocket(
  target: GatewayTarget,
  owner: string,
  path: string,
  auth: GatewayAuth,
): Promise<WebSocket> {
  const url = `${target.hostUri.replace(/^https/, "wss")}${path}`;
  const { tls, headers } = authOptions(auth);
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { rejectUnauthorized: false, minVersion: "TLSv1.3", ...tls, headers });
    let settled = false;
    const fail = (e: DecloudError) => {
      if (settled) return;
      settled = true;
      ws.terminate();
      reject(e);
    };
    ws.once("upgrade", (res: IncomingMessage) => {
      try {
        verifyGatewayCertificate(target, (res.socket as TLSSocket).getPeerCertificate()?.raw);
      } catch (e) {
        fail(e as DecloudError);
      }
    });
    ws.once("open", () => {
      if (settled) return;
      settled = true;
      resolve(ws);
    });
    ws.once("unexpected-response", (_req, res: IncomingMessage) => {
      let body = "";
      res.on("data", (d) => {
        body += d;
      });
      res.on("end", () =>
        fail(gatewayError(target, owner, { status: res.statusCode ?? 0, body }, path.split("?")[0]!)),
      );
    });
    ws.once("error", (e) => {
      const code = (e as NodeJS.ErrnoException).code;
      fail(
        new ProviderUnreachableError(
          target.provider,
          target.hostUri,
          `${code ? `${code}: ` : ""}${e.message}`,
        ),
      );
    });
  });
}

/** What a close code means for the tenant; undefined for a normal end. */
function closeError(target: GatewayTarget, code: number, reason: string): DecloudError | undefined {
  if (code === 1000 || code === 1005) return undefined;
  if (code === STREAM_CLOSE_CODE.leaseNotFound) {
    return new DecloudError(`Provider ${target.provider} has no such lease.`, {
      hint: "The lease may have closed: `decloud status DSEQ` shows what the chain says.",
    });
  }
  if (code === STREAM_CLOSE_CODE.serviceUnavailable) {
    return new DecloudError(
      `The service is not running on provider ${target.provider}${reason ? `: ${reason}` : ""}.`,
      {
        hint: "`decloud status DSEQ` shows its replicas; `decloud events DSEQ` shows why.",
      },
    );
  }
  if (code === STREAM_CLOSE_CODE.internal && /no running pods/.test(reason)) return undefined;
  if (isTransientCloseCode(code)) return new StreamDroppedError(target.provider, code, reason);
  return new DecloudError(`The provider closed the stream (${code}${reason ? ` ${reason}` : ""}).`);
}

/**
 * A websocket's JSON frames as an async iterable, ending when the socket closes. With `silenceTimeoutMs`, a
 * socket that hears nothing in that time (not even a ping) is dropped: a dead peer behind a live TCP
 * connection would otherwise keep a follower waiting for ever.
 */
function jsonFrames<T>(target: GatewayTarget, ws: WebSocket, silenceTimeoutMs?: number): Subscription<T> {
  const queue: T[] = [];
  let done = false;
  let failure: DecloudError | undefined;
  let wake: (() => void) | undefined;
  let silence: NodeJS.Timeout | undefined;
  const heard = () => {
    if (silenceTimeoutMs === undefined) return;
    clearTimeout(silence);
    silence = setTimeout(() => ws.terminate(), silenceTimeoutMs);
  };
  heard();
  ws.on("ping", heard);
  ws.on("message", (data) => {
    heard();
    try {
      queue.push(JSON.parse(data.toString()) as T);
    } catch {
      return;
    }
    wake?.();
  });
  ws.on("close", (code, reason) => {
    clearTimeout(silence);
    done = true;
    failure = closeError(target, code, reason.toString());
    wake?.();
  });
  ws.on("error", () => undefined);
  return {
    close: () => ws.close(1000),
    async *[Symbol.asyncIterator]() {
      try {
        for (;;) {
          if (queue.length > 0) {
            yield queue.shift()!;
            continue;
          }
          if (done) break;
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
          wake = undefined;
        }
        if (failure) throw failure;
      } finally {
        if (ws.readyState === ws.OPEN) ws.close(1000);
      }
    },
  };
}

export interface StreamLogsParameters extends LeaseStreamParameters {
  readonly follow?: boolean;
  /** Lines from the end of each replica's log; all by default. */
  readonly tail?: number;
  readonly services?: readonly string[];
  /**
   * With follow: connect again when the connection drops, and go on after the last line yielded (each line
   * once). Without it a followed stream ends, or fails, with its connection.
   */
  readonly reconnect?: ReconnectOptions;
}

/**
 * A lease's logs. The first connection's failure is thrown; with `follow` and `reconnect`, later ones are
 * mended by connecting again (follow.ts).
 */
export async function streamLeaseLogs(
  target: GatewayTarget,
  params: StreamLogsParameters,
): Promise<Subscription<LogLine>> {
  const cursor = new LogCursor();
  const open = async (resume?: { since: string } | { tail: number }) => {
    const query = new URLSearchParams({ follow: String(params.follow === true) });
    if (resume && "since" in resume) query.set("since", resume.since);
    else if (resume) query.set("tail", String(resume.tail));
    else if (params.tail !== undefined) query.set("tail", String(params.tail));
    if (params.services?.length) query.set("service", params.services.join(","));
    const path = `${leasePath(params.lease)}/logs?${query}`;
    const ws = await openSocket(target, params.owner, path, params.auth);
    return jsonFrames<LogLine>(target, ws, silenceTimeout(params));
  };
  const first = await open();
  if (!params.follow || !params.reconnect) return first;
  return resumeOnDrop(target.provider, first, () => open(cursor.resumeQuery()), cursor, params.reconnect);
}

export interface StreamEventsParameters extends LeaseStreamParameters {
  readonly follow?: boolean;
  readonly services?: readonly string[];
  /** As for logs: with follow, connect again when the connection drops; each event once. */
  readonly reconnect?: ReconnectOptions;
}

export async function streamLeaseEvents(
  target: GatewayTarget,
  params: StreamEventsParameters,
): Promise<Subscription<LeaseEvent>> {
  const cursor = new EventCursor();
  const open = async (after?: number) => {
    const query = new URLSearchParams({ follow: String(params.follow === true) });
    if (params.services?.length) query.set("service", params.services.join(","));
    if (after !== undefined) query.set("after", String(after));
    const path = `${leasePath(params.lease)}/kubeevents?${query}`;
    const ws = await openSocket(target, params.owner, path, params.auth);
    return jsonFrames<LeaseEvent>(target, ws, silenceTimeout(params));
  };
  const first = await open();
  if (!params.follow || !params.reconnect) return first;
  return resumeOnDrop(target.provider, first, () => open(cursor.after()), cursor, params.reconnect);
}

/** Only a follower that reconnects watches for a silent connection (it has something to do about it). */
function silenceTimeout(params: { follow?: boolean; reconnect?: ReconnectOptions }): number | undefined {
  if (!params.follow || !params.reconnect) return undefined;
  return params.reconnect.silenceTimeoutMs ?? RECONNECT_DEFAULTS.silenceTimeoutMs;
}

export interface ShellParameters extends LeaseStreamParameters {
  readonly service: string;
  readonly command: readonly string[];
  /** Which replica (default 0). */
  readonly replica?: number;
  /** A terminal on the remote side (interactive use). */
  readonly tty?: boolean;
  /** Sent to the command's standard input; its end closes the input. */
  readonly stdin?: AsyncIterable<Buffer | string>;
  readonly onStdout: (data: Buffer) => void;
  readonly onStderr: (data: Buffer) => void;
  /** Receives a function that tells the remote terminal its size. */
  readonly onResizer?: (resize: (columns: number, rows: number) => void) => void;
}

/** Runs a command in a service's container; resolves with its exit code. */
export async function runLeaseShell(target: GatewayTarget, params: ShellParameters): Promise<number> {
  const query = new URLSearchParams({
    service: params.service,
    podIndex: String(params.replica ?? 0),
    tty: params.tty ? "1" : "0",
    stdin: params.stdin ? "1" : "0",
  });
  params.command.forEach((arg, i) => {
    query.set(`cmd${i}`, arg);
  });
  const ws = await openSocket(target, params.owner, `${leasePath(params.lease)}/shell?${query}`, params.auth);
  const frame = (channel: number, data: Buffer) => Buffer.concat([Buffer.from([channel]), data]);
  params.onResizer?.((columns, rows) => {
    if (ws.readyState !== ws.OPEN) return;
    const b = Buffer.alloc(5);
    b[0] = SHELL_CHANNEL.resize;
    b.writeUInt16BE(columns, 1);
    b.writeUInt16BE(rows, 3);
    ws.send(b);
  });
  if (params.stdin) {
    const input = params.stdin;
    void (async () => {
      for await (const chunk of input) {
        if (ws.readyState !== ws.OPEN) return;
        ws.send(frame(SHELL_CHANNEL.stdin, Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk)));
      }
      // An empty stdin frame ends the input (the command sees EOF).
      if (ws.readyState === ws.OPEN) ws.send(Buffer.from([SHELL_CHANNEL.stdin]));
    })().catch(() => {
      // The input failed or was torn down (the command may have exited already): the remote sees the socket
      // close instead of EOF.
    });
  }
  return new Promise((resolve, reject) => {
    let exitCode: number | undefined;
    let failure: DecloudError | undefined;
    ws.on("message", (data: Buffer) => {
      const bytes = Buffer.isBuffer(data) ? data : Buffer.from(data as ArrayBuffer);
      if (bytes.length === 0) return;
      const body = bytes.subarray(1);
      switch (bytes[0]) {
        case SHELL_CHANNEL.stdout:
          params.onStdout(body);
          break;
        case SHELL_CHANNEL.stderr:
          params.onStderr(body);
          break;
        case SHELL_CHANNEL.result: {
          const result = JSON.parse(body.toString() || "{}") as Partial<ShellResult>;
          exitCode = result.exit_code ?? 0;
          if (result.message) failure = new DecloudError(`The shell did not start: ${result.message}`);
          break;
        }
        case SHELL_CHANNEL.failure:
          failure = new DecloudError("The provider could not run the command (internal error).");
          break;
      }
    });
    ws.on("close", (code, reason) => {
      const closing = closeError(target, code, reason.toString());
      if (failure ?? closing) reject(failure ?? closing);
      else resolve(exitCode ?? 0);
    });
    ws.on("error", () => undefined);
  });
}
