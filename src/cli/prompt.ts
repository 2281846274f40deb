// Questions to the person at the terminal: hidden input for secrets, yes/no confirmations. Only used when
// stdin is a terminal; scripts pass secrets through stdin or the environment and confirm with --yes.
import { createInterface, type Interface } from "node:readline";
import { DecloudError } from "../client/errors.js";
import type { CliIO } from "./io.js";

export function isInteractive(io: CliIO): boolean {
  return io.stdin.isTTY === true && io.stderr.isTTY === true;
}

/** The person stopped the command at a question (Ctrl-C, or the input ended). */
export class CancelledError extends DecloudError {
  override name = "CancelledError";
  constructor() {
    super("Cancelled.");
  }
}

/** Reads a line without echoing it (raw mode), on stderr so that stdout stays the result. */
export function promptSecret(io: CliIO, question: string): Promise<string> {
  const stdin = io.stdin as NodeJS.ReadStream;
  io.stderr.write(question);
  return new Promise((resolve, reject) => {
    let answer = "";
    const wasRaw = stdin.isRaw;
    stdin.setRawMode(true);
    stdin.resume();
    const done = (err?: Error) => {
      stdin.off("data", onData);
      stdin.setRawMode(wasRaw);
      stdin.pause();
      io.stderr.write("\n");
      if (err) reject(err);
      else resolve(answer);
    };
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString("utf8")) {
        if (ch === "\r" || ch === "\n") return done();
        if (ch === "\u0003" || ch === "\u0004") return done(new CancelledError());
        if (ch === "\u007f" || ch === "\b") answer = answer.slice(0, -1);
        else if (ch >= " ") answer += ch;
      }
    };
    stdin.on("data", onData);
  });
}

/** Asks a yes/no question; anything but y/yes is no. */
export async function confirm(io: CliIO, question: string): Promise<boolean> {
  const rl = createInterface({
    input: io.stdin as NodeJS.ReadStream,
    output: io.stderr as NodeJS.WriteStream,
  });
  try {
    const answer = await questionOf(rl, `${question} [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

/**
 * One answer from a readline interface; Ctrl-C (on a terminal readline closes on it) or the end of the
 * input cancels, rather than leaving the question unanswered forever.
 */
function questionOf(rl: Interface, question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    rl.once("close", () => reject(new CancelledError()));
    rl.question(question, resolve);
  });
}

/** Everything piped into stdin (for `echo "$MNEMONIC" | decloud keys import NAME`). */
export async function readStdin(io: CliIO): Promise<string> {
  let text = "";
  for await (const chunk of io.stdin) text += typeof chunk === "string" ? chunk : chunk.toString("utf8");
  return text;
}

/** Requires --yes when nobody can be asked; otherwise asks. */
export async function confirmOrYes(io: CliIO, yes: boolean | undefined, question: string): Promise<void> {
  if (yes) return;
  if (!isInteractive(io)) {
    throw new DecloudError("This needs a confirmation and no terminal is attached.", {
      hint: "Pass --yes to confirm.",
    });
  }
  if (!(await confirm(io, question))) throw new CancelledError();
}

/** Asks for one line of text (on stderr); an empty answer gives `fallback`. Aborting `signal` cancels. */
export async function ask(io: CliIO, question: string, fallback = "", signal?: AbortSignal): Promise<string> {
  if (signal?.aborted) throw new CancelledError();
  const rl = createInterface({
    input: io.stdin as NodeJS.ReadStream,
    output: io.stderr as NodeJS.WriteStream,
    signal,
  });
  try {
    const answer = await questionOf(rl, question);
    return answer.trim() || fallback;
  } finally {
    rl.close();
  }
}

/**
 * Listens for Enter and Ctrl-C while something else is on the screen (a live table): raw mode, so that
 * nothing typed is echoed into it. Returns the function that stops listening and gives the terminal back.
 */
export function onKeys(io: CliIO, keys: { enter: () => void; interrupt: () => void }): () => void {
  const stdin = io.stdin as NodeJS.ReadStream;
  const wasRaw = stdin.isRaw;
  const onData = (chunk: Buffer | string) => {
    for (const ch of chunk.toString()) {
      if (ch === "\r" || ch === "\n") keys.enter();
      else if (ch === "\u0003") keys.interrupt();
    }
  };
  stdin.setRawMode(true);
  stdin.on("data", onData);
  stdin.resume();
  return () => {
    stdin.off("data", onData);
    stdin.setRawMode(wasRaw);
    stdin.pause();
  };
}
