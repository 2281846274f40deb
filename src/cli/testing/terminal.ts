// A terminal for tests: stdin and stderr that are TTYs to the CLI (raw mode is recorded, readline runs in
// terminal mode), everything written kept, and keys typed once a prompt has appeared — so that questions
// and live displays run in-process as a person at a terminal meets them.
import { PassThrough, Writable } from "node:stream";
import type { CliIO } from "../io.js";

/** stdin as a TTY: a stream the test types into. */
class TtyInput extends PassThrough {
  readonly isTTY = true;
  isRaw = false;
  setRawMode(mode: boolean): this {
    this.isRaw = mode;
    return this;
  }
}

/** stdout or stderr as a TTY of a given size, keeping what is written. */
class TtyOutput extends Writable {
  readonly isTTY = true;
  text = "";
  constructor(
    readonly columns: number,
    readonly rows: number,
  ) {
    super({ decodeStrings: false });
  }
  // Synchronous, as a terminal's write is to the program: the text is there when write() returns.
  override write(chunk: unknown): boolean {
    this.text += String(chunk);
    return true;
  }
}

export class FakeTerminal {
  private readonly input = new TtyInput();
  private readonly out: TtyOutput;
  private readonly err: TtyOutput;
  readonly io: CliIO;

  constructor(options: { env?: Record<string, string>; columns?: number; rows?: number } = {}) {
    this.out = new TtyOutput(options.columns ?? 120, options.rows ?? 40);
    this.err = new TtyOutput(options.columns ?? 120, options.rows ?? 40);
    this.io = {
      stdin: this.input,
      stdout: this.out,
      stderr: this.err,
      env: { NO_COLOR: "1", ...options.env },
    };
  }

  get stdout(): string {
    return this.out.text;
  }

  get stderr(): string {
    return this.err.text;
  }

  /** Whether stdin is in raw mode now. */
  get raw(): boolean {
    return this.input.isRaw;
  }

  /** Keys as the terminal sends them: Enter is "\r", Ctrl-C "\u0003". */
  type(keys: string): void {
    this.input.write(keys);
  }

  /** Resolves once `text` has appeared on stderr `times` times (prompts are waited for, never timed). */
  async waitFor(text: string, times = 1, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.err.text.split(text).length - 1 < times) {
      if (Date.now() > deadline) {
        throw new Error(
          `timed out waiting for ${JSON.stringify(text)} (×${times}) on stderr:\n${this.err.text}`,
        );
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}
