// `abci_query` on `/store/<name>/key` with prove=true: ICS-23 proof ops that @confio/ics23 verifies against
// the app hash of that height, for present and absent keys (reference: cometbft-cosmos.md §4.4).
import assert from "node:assert/strict";
import { test } from "node:test";
import { iavlSpec, ics23, tendermintSpec, verifyExistence, verifyNonExistence } from "@confio/ics23";
import { fromBech32Address } from "../crypto/address.js";
import { balancesPrefix } from "./modules/bank/keeper.js";
import { genesisFor, type TestAccount, TestChain, testAccounts } from "./testing/harness.js";

function balanceKey(address: string, denom: string): Uint8Array {
  return Buffer.concat([balancesPrefix(fromBech32Address(address)), Buffer.from(denom)]);
}

test("store queries with prove=true verify against the app hash, present and absent keys alike", async () => {
  const accounts = (await testAccounts(6)) as TestAccount[];
  const funded = accounts.slice(0, 4);
  const chain = await TestChain.start(
    genesisFor(
      funded.map((a, i) => ({ address: a.address, coins: [{ denom: "uakt", amount: String(1000 + i) }] })),
    ),
  );
  try {
    await chain.block();
    const { appHash } = await chain.block();
    const height = chain.height;
    for (const [i, account] of accounts.entries()) {
      for (const denom of ["uakt", "uzzz"]) {
        const key = balanceKey(account.address, denom);
        const res = await chain.query("/store/bank/key", key, height, true);
        assert.equal(res.code, 0, res.log);
        const [iavlOp, simpleOp] = res.proofOps!.ops;
        assert.equal(iavlOp!.type, "ics23:iavl");
        assert.equal(simpleOp!.type, "ics23:simple");
        assert.deepEqual(Buffer.from(simpleOp!.key).toString(), "bank");
        const storeProof = ics23.CommitmentProof.decode(simpleOp!.data);
        const storeRoot = storeProof.exist!.value!;
        verifyExistence(storeProof.exist!, tendermintSpec, appHash, Buffer.from("bank"), storeRoot);
        const proof = ics23.CommitmentProof.decode(iavlOp!.data);
        const present = denom === "uakt" && i < funded.length;
        if (present) {
          assert.equal(Buffer.from(res.value).toString(), String(1000 + i), `balance of account ${i}`);
          verifyExistence(proof.exist!, iavlSpec, storeRoot, key, res.value);
        } else {
          assert.equal(res.value.length, 0, `account ${i} ${denom} is absent`);
          verifyNonExistence(proof.nonexist!, iavlSpec, storeRoot, key);
        }
      }
    }
    const early = await chain.query("/store/bank/key", balanceKey(funded[0]!.address, "uakt"), 1n, true);
    assert.equal(early.code, 18);
    assert.match(early.log, /cannot query with proof when height <= 1/);
  } finally {
    await chain.close();
  }
});
