// A block of lines redrawn in place on a terminal — a table that grows under a turning spinner — on stderr.
// Only for a terminal: elsewhere the caller prints its final lines once. Nothing else may write to the
// stream while the block is shown, since a redraw moves the cursor up by the lines it drew last time.
import type { OutputStream } from "./io.js";

export const SPINNER_FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

const ANSI = /\x1b\[[0-9;]*m/g;

export interface LiveBlock {
  /** Draws again now (when what the block shows has changed). */
  refresh(): void;
  /** Stops the spinner and erases the block, leaving the cursor where the block began. */
  clear(): void;
}

/**
 * Shows `draw`'s lines in place, redrawn with the next spinner frame every `intervalMs`; a frame that
 * changes nothing costs one short write.
 */
export function liveBlock(
  stream: OutputStream,
  draw: (spinner: string) => readonly string[],
  intervalMs = 80,
): LiveBlock {
  const size = stream as { columns?: number; rows?: number };
  let frame = 0;
  let drawn = 0;
  const paint = () => {
    const lines = fitToTerminal(draw(SPINNER_FRAMES[frame++ % SPINNER_FRAMES.length]!), size);
    stream.write(redraw(drawn, lines));
    drawn = lines.length;
  };
  const timer = setInterval(paint, intervalMs);
  timer.unref();
  paint();
  return {
    refresh: paint,
    clear: () => {
      clearInterval(timer);
      stream.write(redraw(drawn, []));
      drawn = 0;
    },
  };
}

/**
 * The escape sequence that replaces the `previous` lines drawn last time (the cursor at the end of the
 * last one) by `lines`: back to the first line's start, the new lines, the rest of the screen cleared.
 */
export function redraw(previous: number, lines: readonly string[]): string {
  const back = previous === 0 ? "" : `\r${previous > 1 ? `\x1b[${previous - 1}A` : ""}`;
  return `${back}${lines.map((l) => `${l}\x1b[K`).join("\n")}\x1b[J`;
}

/**
 * Lines that fit the terminal: none wider than it (a wrapped line would throw off the next redraw's count)
 * and no more than its height (the cursor cannot go above the screen); what is cut is counted.
 */
export function fitToTerminal(lines: readonly string[], size: { columns?: number; rows?: number }): string[] {
  // 0 is what a terminal of unknown size reports.
  const rows = size.rows || Number.POSITIVE_INFINITY;
  const shown =
    lines.length <= rows - 1
      ? [...lines]
      : [...lines.slice(0, Math.max(1, rows - 2)), `  … ${lines.length - Math.max(1, rows - 2)} more`];
  const columns = size.columns;
  if (!columns) return shown;
  return shown.map((l) => {
    const plain = l.replace(ANSI, "");
    const chars = [...plain];
    return chars.length < columns ? l : `${chars.slice(0, columns - 2).join("")}…`;
  });
}
