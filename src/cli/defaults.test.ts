import assert from "node:assert/strict";
import { test } from "node:test";
import { KEYRING_BACKENDS } from "../client/keyring.js";
import { DEFAULT_GAS_ADJUSTMENT as TX_DEFAULT_GAS_ADJUSTMENT } from "../client/tx.js";
import { DEFAULT_GAS_ADJUSTMENT, KEYRING_BACKEND_CHOICES } from "./defaults.js";

test("the CLI's restated defaults equal the client's", () => {
  assert.deepEqual([...KEYRING_BACKEND_CHOICES], [...KEYRING_BACKENDS]);
  assert.equal(DEFAULT_GAS_ADJUSTMENT, TX_DEFAULT_GAS_ADJUSTMENT);
});
