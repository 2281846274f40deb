import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { decodeAmount, denomKey, encodeAmount } from "./keeper.js";

const text = new TextEncoder();
const untext = new TextDecoder();

/** BigInt's own answer, or the error it throws. */
function bigIntOf(s: string): bigint | string {
  try {
    return BigInt(s);
  } catch (e) {
    return (e as Error).constructor.name;
  }
}

function decodeOrError(bytes: Uint8Array): bigint | string {
  try {
    return decodeAmount(bytes);
  } catch (e) {
    return (e as Error).constructor.name;
  }
}

test("amounts are stored as the UTF-8 of their decimal digits, and read back as BigInt reads that text", () => {
  fc.assert(
    fc.property(fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }), (amount) => {
      assert.deepEqual(encodeAmount(amount), text.encode(amount.toString()));
      assert.equal(decodeAmount(encodeAmount(amount)), amount);
    }),
    { numRuns: 2000 },
  );
  const digitsOrNot = fc.oneof(
    fc.uint8Array({ maxLength: 20 }),
    fc.array(fc.integer({ min: 0x2b, max: 0x3a }), { maxLength: 20 }).map((a) => Uint8Array.from(a)),
    fc.stringMatching(/^[0-9]{0,20}$/).map((s) => text.encode(s)),
  );
  fc.assert(
    fc.property(digitsOrNot, (bytes) => {
      assert.deepEqual(decodeOrError(bytes), bigIntOf(untext.decode(bytes)));
    }),
    { numRuns: 5000 },
  );
});

test("denom keys are the prefix and the denom's UTF-8, the same on every call", () => {
  for (const denom of [
    "uakt",
    "ibc/27394FB092D2ECCD56123C74F36E4C1F926001CEADA9CA97EA622B25F41E5EB2",
    "uakt",
  ]) {
    const key = denomKey(0x01, denom);
    assert.deepEqual(key, Uint8Array.from([0x01, ...text.encode(denom)]));
    key.fill(0);
    assert.deepEqual(denomKey(0x01, denom), Uint8Array.from([0x01, ...text.encode(denom)]));
  }
});
