// The process's streams and environment, passed in rather than reached for, so that tests run the CLI
// in-process with their own streams (STYLE.md: collaborators are passed in).

export interface OutputStream {
  write(chunk: string): unknown;
  readonly isTTY?: boolean;
}

export interface InputStream extends AsyncIterable<Buffer | string> {
  readonly isTTY?: boolean;
}

export interface CliIO {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  readonly stdin: InputStream;
  readonly env: Readonly<Record<string, string | undefined>>;
}

export function processIO(): CliIO {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env };
}
