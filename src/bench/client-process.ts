// Runs the benchmark's clients (node-client.ts) in their own process, so that what they cost is not
// counted in the process under test: `prepare` (sign, subscribe), then `go`, then the report.
import { type ChildProcess, fork } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { ClientReport, PrepareMessage } from "./node-client.js";

function message<T>(child: ChildProcess, type: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: { type: string; message?: string }) => {
      if (m.type === "error") reject(new Error(`bench client: ${m.message}`));
      else if (m.type === type) {
        child.off("message", onMessage);
        resolve(m as T);
      }
    };
    child.on("message", onMessage);
    child.once("exit", (code) => reject(new Error(`bench client exited (${code})`)));
  });
}

/** Forks the clients, prepares them, calls `onGo` as the load starts and resolves with their report. */
export async function runBenchClient(prepare: PrepareMessage, onGo?: () => void): Promise<ClientReport> {
  const client = fork(fileURLToPath(new URL("./node-client.js", import.meta.url)), [], { stdio: "inherit" });
  try {
    const ready = message(client, "ready");
    client.send(prepare);
    await ready;
    const done = message<ClientReport>(client, "done");
    onGo?.();
    client.send({ type: "go" });
    return await done;
  } finally {
    if (client.exitCode === null) client.kill();
  }
}

/** Linux reports process times in clock ticks of 1/100 s (USER_HZ) on every architecture it runs on. */
const CLOCK_TICKS = 100;

/** CPU time (user + system, all threads) a process has used so far, from Linux's /proc; 0 elsewhere. */
export function processCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}
