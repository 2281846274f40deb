// The gateway's websocket routes (reference: akash-provider.md §5.4): logs as JSON lines, the lease's events,
// and a shell with Akash's one-byte channel framing. Close codes: 4000 internal, 4001 lease not found,
// 4002 service unavailable.
import type { WebSocket } from "ws";
import type { ClusterBackend, ExecSession } from "../cluster/backend.js";
import type { LeaseId } from "../lease-id.js";

export const CLOSE = { internal: 4000, leaseNotFound: 4001, serviceUnavailable: 4002 } as const;

/** Akash's shell channels. */
export const SHELL = {
  stdout: 100,
  stderr: 101,
  result: 102,
  failure: 103,
  stdin: 104,
  resize: 105,
} as const;

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
    ws.close(CLOSE.internal, "invalid service list");
    return;
  }
  const tail = query.get("tail");
  const logs = await cluster.logs(lease, {
    follow: truthy(query.get("follow")),
    tail: tail === null ? undefined : Number(tail),
    services: services ? services.split(",") : undefined,
  });
  ws.on("close", () => logs.close());
  let any = false;
  for await (const line of logs) {
    any = true;
    if (ws.readyState !== ws.OPEN) break;
    ws.send(JSON.stringify({ name: line.name, message: line.message }));
  }
  if (ws.readyState === ws.OPEN) {
    if (!any && truthy(query.get("follow"))) ws.close(CLOSE.internal, "no running pods");
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
  const events = cluster.events(lease, truthy(query.get("follow")));
  ws.on("close", () => events.close());
  for await (const e of events) {
    if (ws.readyState !== ws.OPEN) break;
    if (services && !services.some((s) => e.object.name === s || e.object.name.startsWith(`${s}-`))) continue;
    ws.send(
      JSON.stringify({
        type: e.type,
        reportingController: "decloud-provider",
        reportingInstance: "",
        reason: e.reason,
        note: e.note,
        object: e.object,
      }),
    );
  }
  if (ws.readyState === ws.OPEN) ws.close(1000);
}

function frame(channel: number, data: Buffer | string): Buffer {
  const body = typeof data === "string" ? Buffer.from(data) : data;
  return Buffer.concat([Buffer.from([channel]), body]);
}

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
    ws.send(frame(SHELL.result, JSON.stringify({ exit_code: 1, message: "service and cmd0 are required" })));
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
    if (bytes[0] === SHELL.stdin) {
      // An empty stdin frame ends the input (the process sees EOF).
      if (bytes.length === 1) session.closeStdin();
      else session.write(bytes.subarray(1));
    } else if (bytes[0] === SHELL.resize && bytes.length >= 5) {
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
    ws.send(frame(SHELL.result, JSON.stringify({ exit_code: 1, message: (e as Error).message })));
    ws.close(CLOSE.serviceUnavailable, "service unavailable");
    return;
  }
  for (const bytes of early.splice(0)) onFrame(bytes);
  const running = session;
  ws.on("close", () => running.kill());
  try {
    for await (const chunk of running.output) {
      if (ws.readyState !== ws.OPEN) break;
      ws.send(frame(chunk.stream === "stderr" ? SHELL.stderr : SHELL.stdout, chunk.data));
    }
    const code = await running.exitCode();
    if (ws.readyState === ws.OPEN) ws.send(frame(SHELL.result, JSON.stringify({ exit_code: code })));
  } catch {
    if (ws.readyState === ws.OPEN) ws.send(frame(SHELL.failure, ""));
  }
  if (ws.readyState === ws.OPEN) ws.close(1000);
}
