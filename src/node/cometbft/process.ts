// The CometBFT child process of a node: `cometbft start --home <home>`, its JSON log lines forwarded into the
// node's logger, and a stop that lets it shut down cleanly (SIGTERM; SIGKILL only if it hangs).
import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import type { Logger } from "pino";

export interface CometExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

const LEVELS = new Set(["trace", "debug", "info", "warn", "error", "fatal"]);

export class CometProcess {
  readonly exited: Promise<CometExit>;
  private stopping = false;

  private constructor(
    private readonly child: ChildProcess,
    logger: Logger | undefined,
  ) {
    this.exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
    const log = logger?.child({ module: "cometbft" });
    const forward = (stream: NodeJS.ReadableStream | null, fallbackLevel: "info" | "error") => {
      if (!stream) return;
      createInterface({ input: stream }).on("line", (line) => {
        if (!log) return;
        // CometBFT's JSON logger (log_format = "json"): {"level":…,"ts":…,"_msg":…,"module":…, key: value…}.
        let entry: Record<string, unknown> | undefined;
        try {
          entry = line.startsWith("{") ? (JSON.parse(line) as Record<string, unknown>) : undefined;
        } catch {}
        if (!entry) {
          // Panics and plain output (a stack trace is the one thing worth seeing in full).
          log[fallbackLevel](line);
          return;
        }
        const { level, _msg, ts: _ts, module, ...rest } = entry;
        const lvl = typeof level === "string" && LEVELS.has(level) ? level : "info";
        (log[lvl as "info"] as (obj: object, msg?: string) => void).call(
          log,
          { ...rest, cmtModule: module },
          String(_msg ?? ""),
        );
      });
    };
    forward(child.stdout, "info");
    forward(child.stderr, "error");
  }

  /** Starts `cometbft start --home <home>`; the config is the home's config.toml. */
  static start(binary: string, home: string, logger?: Logger): CometProcess {
    const child = spawn(binary, ["start", "--home", home], { stdio: ["ignore", "pipe", "pipe"] });
    return new CometProcess(child, logger);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get exitCode(): number | null {
    return this.child.exitCode;
  }

  /** True once stop() was asked (an exit after that is expected). */
  get stopRequested(): boolean {
    return this.stopping;
  }

  /** SIGTERM (CometBFT stops its reactors and closes its stores), SIGKILL after `timeoutMs`. */
  async stop(timeoutMs = 15_000): Promise<CometExit> {
    this.stopping = true;
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill("SIGTERM");
      const timer = setTimeout(() => this.child.kill("SIGKILL"), timeoutMs);
      const exit = await this.exited;
      clearTimeout(timer);
      return exit;
    }
    return this.exited;
  }
}
