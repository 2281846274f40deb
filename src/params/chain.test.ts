import assert from "node:assert/strict";
import { test } from "node:test";
import { BECH32_PREFIX, USDC_DENOM } from "./chain.js";

test("chain constants match what Akash clients expect", () => {
  assert.equal(BECH32_PREFIX, "akash");
  assert.match(USDC_DENOM, /^ibc\/[0-9A-F]{64}$/);
});
