// Redrawing a block of lines in place: the escape sequences, and lines cut to the terminal's size.
import assert from "node:assert/strict";
import { test } from "node:test";
import { fitToTerminal, liveBlock, redraw } from "./live.js";

test("a redraw goes back to the block's first line, writes the new lines and clears what is left", () => {
  assert.equal(redraw(0, ["a", "b"]), "a\x1b[K\nb\x1b[K\x1b[J");
  assert.equal(redraw(1, ["a"]), "\ra\x1b[K\x1b[J");
  assert.equal(redraw(3, ["a", "b"]), "\r\x1b[2Aa\x1b[K\nb\x1b[K\x1b[J");
  assert.equal(redraw(2, []), "\r\x1b[1A\x1b[J");
});

test("lines are cut to the terminal's width and height", () => {
  assert.deepEqual(fitToTerminal(["abcdef", "abc"], { columns: 5 }), ["abc…", "abc"]);
  // Colour codes take no room.
  assert.deepEqual(fitToTerminal(["\x1b[32mabcd\x1b[39m"], { columns: 5 }), ["\x1b[32mabcd\x1b[39m"]);
  assert.deepEqual(fitToTerminal(["1", "2", "3", "4", "5"], { rows: 4 }), ["1", "2", "  … 3 more"]);
  assert.deepEqual(fitToTerminal(["1", "2", "3"], { rows: 4 }), ["1", "2", "3"]);
  assert.deepEqual(fitToTerminal(["1", "2"], {}), ["1", "2"]);
});

test("a live block redraws over what it drew, with the spinner turning, and leaves nothing when cleared", () => {
  let written = "";
  let lines = ["one"];
  const stream = {
    isTTY: true,
    write: (s: string) => {
      written += s;
    },
  };
  const block = liveBlock(stream, (spinner) => [`${spinner} waiting`, ...lines]);
  assert.equal(written, "⠋ waiting\x1b[K\none\x1b[K\x1b[J");
  written = "";
  lines = ["one", "two"];
  block.refresh();
  assert.equal(written, "\r\x1b[1A⠙ waiting\x1b[K\none\x1b[K\ntwo\x1b[K\x1b[J");
  written = "";
  block.clear();
  assert.equal(written, "\r\x1b[2A\x1b[J");
});
