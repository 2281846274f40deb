// What the CLI prints. Results go to stdout: readable text by default, one JSON document with --json.
// Progress (spinners) and errors go to stderr, so that `decloud … --json | jq` sees only the result.
import pc from "picocolors";
import { DecloudError } from "../client/errors.js";
import type { CliIO, OutputStream } from "./io.js";
import { toJsonText } from "./json.js";

export type Colors = ReturnType<typeof pc.createColors>;

function colorsFor(stream: OutputStream, env: CliIO["env"]): Colors {
  // NO_COLOR (no-color.org) and FORCE_COLOR, as most terminal tools honour them.
  const enabled = env.FORCE_COLOR ? env.FORCE_COLOR !== "0" : !env.NO_COLOR && stream.isTTY === true;
  return pc.createColors(enabled);
}

export interface Progress {
  update(text: string): void;
  succeed(text: string): void;
  fail(text?: string): void;
}

const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

export class Output {
  /** Colours for stdout. */
  readonly c: Colors;
  /** Colours for stderr. */
  readonly ce: Colors;

  constructor(
    private readonly io: CliIO,
    readonly json: boolean,
  ) {
    this.c = colorsFor(io.stdout, io.env);
    this.ce = colorsFor(io.stderr, io.env);
  }

  /** Prints a command's result: `data` with --json, otherwise the lines `human` returns. */
  result(data: unknown, human: (c: Colors) => string | string[]): void {
    if (this.json) {
      this.io.stdout.write(toJsonText(data));
      return;
    }
    const text = human(this.c);
    const lines = Array.isArray(text) ? text : [text];
    this.io.stdout.write(lines.map((l) => `${l}\n`).join(""));
  }

  /** A line for a person, on stderr (warnings, notes): never part of the result. */
  note(text: string): void {
    if (!this.json) this.io.stderr.write(`${text}\n`);
  }

  /**
   * A spinner on stderr while something waits. It animates only on a terminal; elsewhere it stays silent
   * and only the final line of a human run is printed.
   */
  progress(text: string): Progress {
    const stream = this.io.stderr;
    const ce = this.ce;
    const live = stream.isTTY === true;
    let current = text;
    let frame = 0;
    const draw = () => stream.write(`\r\x1b[K${ce.cyan(FRAMES[frame++ % FRAMES.length]!)} ${current}`);
    const timer = live ? setInterval(draw, 80) : undefined;
    timer?.unref();
    if (live) draw();
    const end = (line: string | undefined) => {
      if (timer) clearInterval(timer);
      if (live) stream.write("\r\x1b[K");
      if (line !== undefined && (live || !this.json)) stream.write(`${line}\n`);
    };
    return {
      update: (t) => {
        current = t;
        if (live) draw();
      },
      succeed: (t) => end(`${ce.green("✔")} ${t}`),
      fail: (t) => end(t === undefined ? undefined : `${ce.red("✖")} ${t}`),
    };
  }

  /** Prints an error on stderr: the message and what to do next; the stack only with DECLOUD_DEBUG=1. */
  error(error: unknown): void {
    const debug = this.io.env.DECLOUD_DEBUG === "1";
    const e = error instanceof Error ? error : new Error(String(error));
    const hint = e instanceof DecloudError ? e.hint : undefined;
    const details = e instanceof DecloudError ? e.details : undefined;
    if (this.json) {
      const doc: Record<string, unknown> = { name: e.name, message: e.message };
      if (hint) doc.hint = hint;
      if (details) doc.details = details;
      if (debug) doc.stack = e.stack;
      this.io.stderr.write(toJsonText({ error: doc }));
      return;
    }
    const ce = this.ce;
    const lines = [`${ce.red("✖")} ${e.message}`];
    if (details && !e.message.includes(details)) lines.push(ce.dim(`  ${details}`));
    if (hint) lines.push(`  ${hint}`);
    if (debug && e.stack) lines.push(ce.dim(e.stack));
    this.io.stderr.write(lines.map((l) => `${l}\n`).join(""));
  }
}
