import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { isLowS } from "./secp256k1.js";

const HALF_ORDER = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0n;

function sWith(s: bigint): Uint8Array {
  const sig = new Uint8Array(64).fill(0xab);
  sig.set(Buffer.from(s.toString(16).padStart(64, "0"), "hex"), 32);
  return sig;
}

test("low S is s <= n/2, at the boundary and anywhere else", () => {
  assert.equal(isLowS(sWith(HALF_ORDER)), true);
  assert.equal(isLowS(sWith(HALF_ORDER - 1n)), true);
  assert.equal(isLowS(sWith(HALF_ORDER + 1n)), false);
  assert.equal(isLowS(sWith(0n)), true);
  assert.equal(isLowS(sWith(2n ** 256n - 1n)), false);
  fc.assert(
    fc.property(
      fc.bigInt({ min: 0n, max: 2n ** 256n - 1n }),
      fc.bigInt({ min: -300n, max: 300n }),
      (s, d) => {
        const near = HALF_ORDER + d;
        assert.equal(isLowS(sWith(s)), s <= HALF_ORDER);
        assert.equal(isLowS(sWith(near)), near <= HALF_ORDER);
      },
    ),
  );
});
