import assert from "node:assert/strict";
import { test } from "node:test";
import { Any } from "cosmjs-types/google/protobuf/any";
import fc from "fast-check";
import { AccountCodec, decodeAccount, encodeAccount } from "./codec.js";
import type { Account } from "./keeper.js";

const asciiOrNot = fc.oneof(fc.string({ maxLength: 60 }), fc.string({ unit: "grapheme", maxLength: 10 }));
const number = fc.oneof(
  fc.bigInt({ min: 0n, max: 300n }),
  fc.bigInt({ min: 0n, max: 2n ** 53n + 5n }),
  fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
);
const accountArb: fc.Arbitrary<Account> = fc.record(
  {
    address: fc.oneof(asciiOrNot, fc.constant("akash1qqqsyqcyq5rqwzqfpg9scrgwpugpzysn3wa7ul")),
    pubKey: fc.option(
      fc.record({
        typeUrl: fc.oneof(asciiOrNot, fc.constant("/cosmos.crypto.secp256k1.PubKey")),
        value: fc.uint8Array({ maxLength: 200 }),
      }),
      { nil: undefined },
    ),
    accountNumber: number,
    sequence: number,
    module: fc.option(
      fc.record({ name: fc.string(), permissions: fc.array(fc.string(), { maxLength: 3 }) }),
      {
        nil: undefined,
      },
    ),
  },
  { requiredKeys: ["address", "pubKey", "accountNumber", "sequence"] },
);

test("stored accounts are the bytes cosmjs-types encodes, and decode as cosmjs-types decodes them", () => {
  fc.assert(
    fc.property(accountArb, (account) => {
      const codec = new AccountCodec(4);
      const expected = Any.encode(encodeAccount(account)).finish();
      const bytes = codec.encode(account);
      assert.deepEqual(Buffer.from(bytes).toString("hex"), Buffer.from(expected).toString("hex"));
      const decoded = decodeAccount(Any.decode(expected));
      // from the memo the encoder filled, then from a fresh decode
      assert.deepStrictEqual(codec.decode(bytes), decoded);
      assert.deepStrictEqual(new AccountCodec(4).decode(bytes), decoded);
    }),
    { numRuns: 2000 },
  );
});

test("remembered accounts cannot be changed through what the codec returns", () => {
  const codec = new AccountCodec(2);
  const account: Account = {
    address: "akash1qqqsyqcyq5rqwzqfpg9scrgwpugpzysn3wa7ul",
    pubKey: { typeUrl: "/cosmos.crypto.secp256k1.PubKey", value: Uint8Array.of(1, 2, 3) },
    accountNumber: 7n,
    sequence: 3n,
  };
  const bytes = codec.encode(account);
  account.pubKey!.value[0] = 9;
  account.sequence = 4n;
  const first = codec.decode(bytes);
  assert.deepEqual([...first.pubKey!.value], [1, 2, 3]);
  assert.equal(first.sequence, 3n);
  first.pubKey!.value[1] = 9;
  first.sequence = 5n;
  const second = codec.decode(bytes);
  assert.deepEqual([...second.pubKey!.value], [1, 2, 3]);
  assert.equal(second.sequence, 3n);
});

test("the memo is bounded: old entries go, and are decoded again when read", () => {
  const codec = new AccountCodec(2);
  const stored = [1n, 2n, 3n].map((n) =>
    codec.encode({ address: `a${n}`, pubKey: undefined, accountNumber: n, sequence: 0n }),
  );
  for (const [i, bytes] of stored.entries()) assert.equal(codec.decode(bytes).accountNumber, BigInt(i + 1));
});
