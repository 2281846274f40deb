// Docker's multiplexed stdout/stderr framing (non-TTY attach, logs and exec): an 8-byte header (stream type,
// three zero bytes, big-endian uint32 length) before each chunk.

export type StreamName = "stdin" | "stdout" | "stderr";

export class FrameDecoder {
  private pending: Buffer = Buffer.alloc(0);

  /** Feeds bytes; returns the complete frames they finish. */
  push(chunk: Buffer): { stream: StreamName; data: Buffer }[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const out: { stream: StreamName; data: Buffer }[] = [];
    while (this.pending.length >= 8) {
      const size = this.pending.readUInt32BE(4);
      if (this.pending.length < 8 + size) break;
      const type = this.pending[0];
      out.push({
        stream: type === 2 ? "stderr" : type === 0 ? "stdin" : "stdout",
        data: this.pending.subarray(8, 8 + size),
      });
      this.pending = this.pending.subarray(8 + size);
    }
    return out;
  }
}

/** Splits a byte stream into lines (without the newline); keeps an unfinished last line for later. */
export class LineSplitter {
  private rest = "";

  push(data: Buffer | string): string[] {
    const text = this.rest + data.toString();
    const lines = text.split("\n");
    this.rest = lines.pop() ?? "";
    return lines.map((l) => (l.endsWith("\r") ? l.slice(0, -1) : l));
  }

  flush(): string[] {
    const last = this.rest;
    this.rest = "";
    return last === "" ? [] : [last];
  }
}
