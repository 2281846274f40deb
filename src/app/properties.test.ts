// Properties of the state machine under arbitrary sequences of transactions, valid and invalid.
import assert from "node:assert/strict";
import { before, test } from "node:test";
import { BaseAccount, ModuleAccount } from "cosmjs-types/cosmos/auth/v1beta1/auth";
import { QueryAccountsRequest, QueryAccountsResponse } from "cosmjs-types/cosmos/auth/v1beta1/query";
import {
  QueryAllBalancesRequest,
  QueryAllBalancesResponse,
  QuerySupplyOfRequest,
  QuerySupplyOfResponse,
} from "cosmjs-types/cosmos/bank/v1beta1/query";
import fc from "fast-check";
import { genesisFor, sendMsg, signTx, type TestAccount, TestChain, testAccounts } from "./testing/harness.js";

let accounts: TestAccount[];
before(async () => {
  accounts = await testAccounts(4);
});

const genesis = () =>
  genesisFor(
    accounts.slice(0, 3).map((a) => ({ address: a.address, coins: [{ denom: "uakt", amount: "1000000" }] })),
  );

/** One step: who sends how much to whom, with which (possibly wrong) sequence offset and fee. */
const stepArb = fc.record({
  from: fc.integer({ min: 0, max: 3 }),
  to: fc.integer({ min: 0, max: 3 }),
  amount: fc.bigInt({ min: 1n, max: 2_000_000n }),
  seqOffset: fc.constantFrom(0n, 0n, 0n, 1n, -1n),
  fee: fc.constantFrom(0n, 5000n, 5000n, 10_000n),
  gas: fc.constantFrom(200_000n, 200_000n, 30_000n),
  blockBreak: fc.boolean(),
});

type Step = {
  from: number;
  to: number;
  amount: bigint;
  seqOffset: bigint;
  fee: bigint;
  gas: bigint;
  blockBreak: boolean;
};

/** Account number and sequence of every address that has an account. */
async function accountStates(chain: TestChain): Promise<Map<string, { number: bigint; sequence: bigint }>> {
  const res = await chain.query(
    "/cosmos.auth.v1beta1.Query/Accounts",
    QueryAccountsRequest.encode({}).finish(),
  );
  const out = new Map<string, { number: bigint; sequence: bigint }>();
  for (const any of QueryAccountsResponse.decode(res.value).accounts) {
    const acc = any.typeUrl.endsWith("ModuleAccount")
      ? ModuleAccount.decode(any.value).baseAccount!
      : BaseAccount.decode(any.value);
    out.set(acc.address, { number: acc.accountNumber, sequence: acc.sequence });
  }
  return out;
}

/** Feeds the steps to the chain as signed txs, cutting blocks where a step says so; returns the app hashes. */
async function run(chain: TestChain, steps: Step[]): Promise<string[]> {
  const hashes: string[] = [];
  let known = await accountStates(chain);
  let pending: Uint8Array[] = [];
  const planned = new Map<string, bigint>();
  for (const s of steps) {
    const from = accounts[s.from]!;
    const state = known.get(from.address) ?? { number: 0n, sequence: 0n };
    const next = planned.get(from.address) ?? state.sequence;
    const seq = next + s.seqOffset;
    const tx = await signTx(from, [sendMsg(from.address, accounts[s.to]!.address, s.amount.toString())], {
      accountNumber: state.number,
      sequence: seq < 0n ? 0n : seq,
      gas: s.gas,
      fee: s.fee === 0n ? [] : [{ denom: "uakt", amount: s.fee.toString() }],
    });
    planned.set(from.address, next + 1n);
    pending.push(tx);
    if (s.blockBreak) {
      hashes.push(Buffer.from((await chain.block(pending)).appHash).toString("hex"));
      pending = [];
      planned.clear();
      known = await accountStates(chain);
    }
  }
  hashes.push(Buffer.from((await chain.block(pending)).appHash).toString("hex"));
  return hashes;
}

async function totalHeld(chain: TestChain): Promise<bigint> {
  let total = 0n;
  for (const address of (await accountStates(chain)).keys()) {
    const bal = await chain.query(
      "/cosmos.bank.v1beta1.Query/AllBalances",
      QueryAllBalancesRequest.encode({ address, resolveDenom: false }).finish(),
    );
    for (const c of QueryAllBalancesResponse.decode(bal.value).balances)
      if (c.denom === "uakt") total += BigInt(c.amount);
  }
  return total;
}

test("total supply is conserved under any sequence of sends and failed transactions", async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(stepArb, { minLength: 1, maxLength: 12 }), async (steps) => {
      const chain = await TestChain.start(genesis());
      try {
        await chain.block();
        await run(chain, steps);
        const supply = QuerySupplyOfResponse.decode(
          (
            await chain.query(
              "/cosmos.bank.v1beta1.Query/SupplyOf",
              QuerySupplyOfRequest.encode({ denom: "uakt" }).finish(),
            )
          ).value,
        );
        assert.equal(supply.amount.amount, "3000000");
        assert.equal(await totalHeld(chain), 3_000_000n);
      } finally {
        await chain.close();
      }
    }),
    { numRuns: 40 },
  );
});

test("two fresh apps fed the same blocks reach the same app hash at every height", async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(stepArb, { minLength: 1, maxLength: 10 }), async (steps) => {
      const a = await TestChain.start(genesis());
      const b = await TestChain.start(genesis());
      try {
        assert.deepEqual(await run(a, steps), await run(b, steps));
      } finally {
        await a.close();
        await b.close();
      }
    }),
    { numRuns: 25 },
  );
});
