// The gateway's websocket routes (reference: akash-provider.md §5.4): logs as JSON lines, the lease's events,
// and a shell with Akash's one-byte channel framing. Frames, channels and close codes are the client's
// (src/client/gateway/), the one definition of what tenants read. DeCloud's additions, which Akash clients
// neither send nor need: `since=<RFC 3339>` on logs and `after=<seq>` on events, so that a follower whose
// connection dropped resumes where it was, with each line's `timestamp` and each event's `seq` to say where.
import type { WebSocket } from "ws";
import { parseLogTime } from "../../client/gateway/log-time.js";
import { SHELL_CHANNEL, STREAM_CLOSE_CODE } from "../../client/gateway/streams.js";
import type { LeaseEvent, LogLine, ShellResult } from "../../client/gateway/types.js";
import type { ClusterBackend, ExecSession } from "../cluster/backend.js";
import type { LeaseId } from "../lease-id.js";

function keepAlive(ws: WebSocket): void {
  let alive = true;
  ws.on("pong", () => {
    alive = true;
  });
  const timer = setInterval(() => {
    if (!alive) return ws.terminate();
    alive = false;
    ws.ping();
  }, 10_000);
  timer.unref();
  ws.on("close", () => clearInterval(timer));
}

const truthy = (v: string | null) => v === "true" || v === "1";

export async function streamLogs(
  ws: WebSocket,
  cluster: ClusterBackend,
  lease: LeaseId,
  query: URLSearchParams,
) {
  keepAlive(ws);
  const services = query.get("service");
  if (services?.split(",").some((s) => s === "")) {
    ws.close(STREAM_CLOSE_CODE.internal, "invalid service list");
    return;
  }
  const sinceText = query.get("since");
  const since = sinceText === null ? undefined : parseLogTime(sinceText);
  if (sinceText !== null && since === undefined) {
    ws.close(STREAM_CLOSE_CODE.internal, "invalid since: an RFC 3339 time is expected");
    return;
  }
  const tail = query.get("tail");
  const logs = await cluster.logs(lease, {
    follow: truthy(query.get("follow")),
    tail: tail === null ? undefined : Number(tail),
    services: services ? services.split(",") : undefined,
    since,
  });
  ws.on("close", () => logs.close());
  let any = false;
  for await (const line of logs) {
    any = true;
    if (ws.readyState !== ws.OPEN) break;
    const frame: LogLine =
      line.timestamp === undefined
        ? { name: line.name, message: line.message }
        : { name: line.name, message: line.message, timestamp: line.timestamp };
    ws.send(JSON.stringify(frame));
  }
  if (ws.readyState === ws.OPEN) {
    if (!any && truthy(query.get("follow"))) ws.close(STREAM_CLOSE_CODE.internal, "no running pods");
    else ws.close(1000);
  }
}

export async function streamEvents(
  ws: WebSocket,
  cluster: ClusterBackend,
  lease: LeaseId,
  query: URLSearchParams,
) {
  keepAlive(ws);
  const services = query.get("service")?.split(",").filter(Boolean);
  const afterText = query.get("after");
  if (afterText !== null && !/^\d+$/.test(afterText)) {
    ws.close(STREAM_CLOSE_CODE.internal, "invalid after: an event number is expected");
    return;
  }
  const after = afterText === null ? undefined : Number(afterText);
  const events = cluster.events(lease, truthy(query.get("follow")), after);
  ws.on("close", () => events.close());
  for await (const e of events) {
    if (ws.readyState !== ws.OPEN) break;
    if (services && !services.some((s) => e.object.name === s || e.object.name.startsWith(`${s}-`))) continue;
    const frame: LeaseEvent = {
      type: e.type,
      reportingController: "decloud-provider",
      reportingInstance: "",
      reason: e.reason,
      note: e.note,
      object: e.object,
      ...(e.seq === undefined ? {} : { seq: e.seq }),
    };
    ws.send(JSON.stringify(frame));
  }
  if (ws.readyState === ws.OPEN) ws.close(1000);
}

function frame(channel: number, data: Buffer | string): Buffer {
  const body = typeof data === "string" ? Buffer.from(data) : data;
  return Buffer.concat([Buffer.from([channel]), body]);
}

const resultFrame = (result: ShellResult) => frame(SHELL_CHANNEL.result, JSON.stringify(result));

export async function runShell(
  ws: WebSocket,
  cluster: ClusterBackend,
  lease: LeaseId,
  query: URLSearchParams,
) {
  keepAlive(ws);
  const command: string[] = [];
  for (let i = 0; query.has(`cmd${i}`); i++) command.push(query.get(`cmd${i}`)!);
  const service = query.get("service") ?? "";
  if (command.length === 0 || service === "") {
    ws.send(resultFrame({ exit_code: 1, message: "service and cmd0 are required" }));
    ws.close(1000);
    return;
  }
  // Frames the client sends while the command starts are kept for it, not lost.
  let session: ExecSession | undefined;
  const early: Buffer[] = [];
  const onFrame = (bytes: Buffer) => {
    if (!session) {
      early.push(bytes);
      return;
    }
    if (bytes.length === 0) return;
    if (bytes[0] === SHELL_CHANNEL.stdin) {
      // An empty stdin frame ends the input (the process sees EOF).
      if (bytes.length === 1) session.closeStdin();
      else session.write(bytes.subarray(1));
    } else if (bytes[0] === SHELL_CHANNEL.resize && bytes.length >= 5) {
      void session.resize(bytes.readUInt16BE(1), bytes.readUInt16BE(3)).catch(() => undefined);
    }
  };
  ws.on("message", (data: Buffer, isBinary: boolean) => onFrame(isBinary ? data : Buffer.from(data)));
  try {
    session = await cluster.exec(lease, {
      service,
      replica: Number(query.get("podIndex") ?? 0),
      command,
      tty: truthy(query.get("tty")),
      stdin: truthy(query.get("stdin")),
    });
  } catch (e) {
    ws.send(resultFrame({ exit_code: 1, message: (e as Error).message }));
    ws.close(STREAM_CLOSE_CODE.serviceUnavailable, "service unavailable");
    return;
  }
  for (const bytes of early.splice(0)) onFrame(bytes);
  const running = session;
  ws.on("close", () => running.kill());
  try {
    for await (const chunk of running.output) {
      if (ws.readyState !== ws.OPEN) break;
      ws.send(frame(chunk.stream === "stderr" ? SHELL_CHANNEL.stderr : SHELL_CHANNEL.stdout, chunk.data));
    }
    const code = await running.exitCode();
    if (ws.readyState === ws.OPEN) ws.send(resultFrame({ exit_code: code }));
  } catch {
    if (ws.readyState === ws.OPEN) ws.send(frame(SHELL_CHANNEL.failure, ""));
  }
  if (ws.readyState === ws.OPEN) ws.close(1000);
}
