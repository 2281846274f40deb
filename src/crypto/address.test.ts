// Address conversions, memoized: the same answers as without the memo, and callers cannot corrupt it.
import assert from "node:assert/strict";
import { test } from "node:test";
import { fromBech32, toBech32 } from "@cosmjs/encoding";
import {
  fromBech32Address,
  InvalidAddressError,
  moduleAddressBytes,
  sha256,
  toBech32Address,
} from "./address.js";

test("bech32 round trips agree with cosmjs, on first use and from the memo", () => {
  for (let i = 0; i < 3; i++) {
    for (let n = 0; n < 50; n++) {
      const bytes = sha256(Uint8Array.of(n)).subarray(0, 20);
      const address = toBech32Address(bytes);
      assert.equal(address, toBech32("akash", bytes));
      assert.deepEqual(fromBech32Address(address), fromBech32(address, 1023).data);
    }
  }
});

test("the bytes handed out are the caller's: changing them does not change the next answer", () => {
  const address = toBech32Address(new Uint8Array(20).fill(7));
  const first = fromBech32Address(address);
  first.fill(0);
  assert.deepEqual(fromBech32Address(address), new Uint8Array(20).fill(7));
  const module = moduleAddressBytes("escrow");
  module.fill(0);
  assert.deepEqual(
    moduleAddressBytes("escrow"),
    new Uint8Array(sha256(new TextEncoder().encode("escrow")).subarray(0, 20)),
  );
});

test("bad addresses fail every time; the prefix is part of the question", () => {
  const address = toBech32Address(new Uint8Array(20).fill(1));
  const corrupted = `${address.slice(0, -1)}${address.endsWith("q") ? "p" : "q"}`;
  for (let i = 0; i < 2; i++) {
    assert.throws(() => fromBech32Address(corrupted), InvalidAddressError);
    assert.throws(() => fromBech32Address(""), /empty address/);
    assert.throws(() => fromBech32Address(address, "cosmos"), /expected cosmos, got akash/);
  }
  const cosmos = toBech32Address(new Uint8Array(20).fill(1), "cosmos");
  assert.equal(cosmos, toBech32("cosmos", new Uint8Array(20).fill(1)));
  assert.deepEqual(fromBech32Address(cosmos, "cosmos"), new Uint8Array(20).fill(1));
});
