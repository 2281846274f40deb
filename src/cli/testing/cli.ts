// The CLI run in-process as a person runs it, with captured streams; and an HTTP GET through a provider's
// ingress to a printed URL (Node's resolver does not map *.localhost, so the Host header carries the name).
import http from "node:http";
import type { CliIO } from "../io.js";
import { run } from "../program.js";

export interface Ran {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout as one JSON document (for --json runs). */
  // biome-ignore lint/suspicious/noExplicitAny: wire JSON that tests read field by field
  json(): any;
}

export interface CliOptions {
  readonly env?: Record<string, string>;
  /** Called with everything written to stdout so far, after each write (to watch a long-running command). */
  readonly onStdout?: (stdout: string) => void;
  /** Piped into the command's stdin (not a terminal); without it, stdin is empty. */
  readonly stdin?: string;
}

export async function runCli(args: readonly string[], options: CliOptions = {}): Promise<Ran> {
  let stdout = "";
  let stderr = "";
  const io: CliIO = {
    stdout: {
      write: (s: string) => {
        stdout += s;
        options.onStdout?.(stdout);
      },
      isTTY: false,
    },
    stderr: {
      write: (s: string) => {
        stderr += s;
      },
      isTTY: false,
    },
    stdin: {
      isTTY: false,
      async *[Symbol.asyncIterator]() {
        if (options.stdin !== undefined) yield Buffer.from(options.stdin);
      },
    },
    env: { NO_COLOR: "1", ...options.env },
  };
  const code = await run(args, io);
  return {
    code,
    stdout,
    stderr,
    json: () => {
      try {
        return JSON.parse(stdout);
      } catch {
        throw new Error(`not JSON on stdout (exit ${code}): ${stdout}\nstderr: ${stderr}`);
      }
    },
  };
}

/** GET a service URL (`http://<name>.localhost:<port>/path`) through the ingress on 127.0.0.1. */
export function getThroughIngress(url: string): Promise<{ status: number; body: string }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: "127.0.0.1", port: Number(u.port || 80), path: u.pathname, headers: { host: u.hostname } },
      (res) => {
        let body = "";
        res.on("data", (d) => {
          body += d;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on("error", reject);
    req.end();
  });
}

/** Polls until `probe` returns a value: tests wait for outcomes, never assert on time. */
export async function eventually<T>(
  probe: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${last}` : ""}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
