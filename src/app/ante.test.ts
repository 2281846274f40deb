// Bad input: each rejection comes back with the Cosmos SDK's code and codespace and a log a person can read,
// and changes nothing in state except what Cosmos also changes (reference: cometbft-cosmos.md §3.7).
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { BaseAccount } from "cosmjs-types/cosmos/auth/v1beta1/auth";
import { QueryAccountRequest, QueryAccountResponse } from "cosmjs-types/cosmos/auth/v1beta1/query";
import { QueryBalanceRequest, QueryBalanceResponse } from "cosmjs-types/cosmos/bank/v1beta1/query";
import { TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import {
  genesisFor,
  type SignOptions,
  sendMsg,
  signTx,
  type TestAccount,
  TestChain,
  testAccounts,
} from "./testing/harness.js";

describe("ante pipeline and bank rejections", () => {
  let chain: TestChain;
  let alice: TestAccount;
  let bob: TestAccount;
  let stranger: TestAccount;

  before(async () => {
    [alice, bob, stranger] = (await testAccounts(3)) as [TestAccount, TestAccount, TestAccount];
    chain = await TestChain.start(
      genesisFor([
        {
          address: alice.address,
          coins: [
            { denom: "uakt", amount: "10000000" },
            { denom: "udisabled", amount: "100" },
          ],
        },
        { address: bob.address, coins: [{ denom: "uakt", amount: "6000" }] },
      ]),
    );
    await chain.block();
  });
  after(() => chain.close());

  async function state(address: string) {
    const b = await chain.query(
      "/cosmos.bank.v1beta1.Query/Balance",
      QueryBalanceRequest.encode({ address, denom: "uakt" }).finish(),
    );
    const a = await chain.query(
      "/cosmos.auth.v1beta1.Query/Account",
      QueryAccountRequest.encode({ address }).finish(),
    );
    const acc =
      a.code === 0 ? BaseAccount.decode(QueryAccountResponse.decode(a.value).account!.value) : undefined;
    return {
      balance: BigInt(QueryBalanceResponse.decode(b.value).balance!.amount),
      sequence: acc?.sequence ?? -1n,
      accountNumber: acc?.accountNumber ?? -1n,
    };
  }

  async function signed(
    from: TestAccount,
    o: Partial<SignOptions> = {},
    msg = sendMsg(from.address, bob.address, "10"),
  ) {
    const s = await state(from.address);
    return signTx(from, [msg], { accountNumber: s.accountNumber, sequence: s.sequence, ...o });
  }

  /** Asserts checkTx rejects the tx with the given code, and that a block containing it changes nothing. */
  async function rejected(tx: Uint8Array, code: number, log: RegExp, codespace = "sdk") {
    const before = await state(alice.address);
    const res = await chain.checkTx(tx);
    assert.equal(res.code, code, `checkTx: expected code ${code}, got ${res.code}: ${res.log}`);
    assert.equal(res.codespace, codespace);
    assert.match(res.log, log);
    const { results } = await chain.block([tx]);
    assert.equal(results[0]!.code, code, `finalize: ${results[0]!.log}`);
    assert.deepEqual(await state(alice.address), before);
  }

  test("malformed bytes: tx parse error (2)", async () => {
    await rejected(Uint8Array.of(0xff, 0x01, 0x02), 2, /tx parse error/);
  });

  test("unknown message type URL: tx parse error (2)", async () => {
    const tx = await signed(
      alice,
      {},
      { typeUrl: "/cosmos.bank.v1beta1.MsgSend", value: sendMsg(alice.address, bob.address, "1").value },
    );
    const raw = TxRaw.decode(tx);
    const body = Buffer.from(raw.bodyBytes)
      .toString("latin1")
      .replace("/cosmos.bank.v1beta1.MsgSend", "/cosmos.bank.v1beta1.MsgSenX");
    const bad = TxRaw.encode({ ...raw, bodyBytes: Buffer.from(body, "latin1") }).finish();
    await rejected(bad, 2, /unable to resolve type URL \/cosmos\.bank\.v1beta1\.MsgSenX/);
  });

  test("bad signature: unauthorized (4)", async () => {
    const raw = TxRaw.decode(await signed(alice));
    const sig = Uint8Array.from(raw.signatures[0]!);
    sig[10]! ^= 0xff;
    await rejected(TxRaw.encode({ ...raw, signatures: [sig] }).finish(), 4, /signature verification failed/);
  });

  test("wrong chain-id: unauthorized (4), naming the chain id", async () => {
    await rejected(await signed(alice, { chainId: "other-chain" }), 4, /chain-id \(decloud-test\)/);
  });

  test("wrong account number: unauthorized (4)", async () => {
    await rejected(await signed(alice, { accountNumber: 99n }), 4, /verify account number \(\d+\)/);
  });

  test("replayed and future sequences: account sequence mismatch (32)", async () => {
    const s = await state(alice.address);
    const ok = await signed(alice);
    assert.equal((await chain.block([ok])).results[0]!.code, 0);
    await rejected(
      await signed(alice, { sequence: s.sequence }),
      32,
      /account sequence mismatch, expected \d+, got \d+/,
    );
    await rejected(ok, 32, /account sequence mismatch/);
    await rejected(await signed(alice, { sequence: s.sequence + 5n }), 32, /expected \d+, got \d+/);
  });

  test("fee below the minimum gas price (zero-fee spam): insufficient fee (13) in checkTx", async () => {
    const tx = await signed(alice, { fee: [] });
    const res = await chain.checkTx(tx);
    assert.equal(res.code, 13);
    assert.match(res.log, /^insufficient fees; got: {2}required: 5000uakt: insufficient fee$/);
    const low = await signed(alice, { fee: [{ denom: "uakt", amount: "4999" }] });
    assert.equal((await chain.checkTx(low)).code, 13);
  });

  test("gas limit too low: out of gas (11), nothing written", async () => {
    await rejected(
      await signed(alice, { gas: 1000n, fee: [{ denom: "uakt", amount: "25" }] }),
      11,
      /out of gas/,
    );
  });

  test("out of gas while running messages: fee kept, sequence bumped, effects rolled back", async () => {
    // measure a full send, then give one just short of it: enough for the ante pipeline, not for the send
    const probe = await signed(alice);
    const full = (await chain.block([probe])).results[0]!;
    assert.equal(full.code, 0, full.log);
    const before = await state(alice.address);
    const bobBefore = await state(bob.address);
    const tx = await signed(alice, { gas: full.gasUsed - 1500n, fee: [{ denom: "uakt", amount: "1000" }] });
    assert.equal((await chain.checkTx(tx)).code, 0);
    const { results } = await chain.block([tx]);
    assert.equal(results[0]!.code, 11, results[0]!.log);
    const after = await state(alice.address);
    assert.equal(after.balance, before.balance - 1000n, "the fee is kept");
    assert.equal(after.sequence, before.sequence + 1n, "the sequence is bumped");
    assert.equal((await state(bob.address)).balance, bobBefore.balance, "the send is rolled back");
  });

  test("oversized tx: tx too large (21)", async () => {
    await rejected(new Uint8Array(1024 * 1024 + 1), 21, /tx too large/);
  });

  test("memo too long: memo too large (12)", async () => {
    await rejected(
      await signed(alice, { memo: "x".repeat(257) }),
      12,
      /maximum number of characters is 256 but received 257/,
    );
  });

  test("expired timeout height: tx timeout height (30)", async () => {
    await rejected(await signed(alice, { timeoutHeight: 1n }), 30, /timeout height: 1/);
  });

  test("insufficient funds: fails in the block with code 5, fee kept and sequence bumped", async () => {
    const b = await state(bob.address);
    const tx = await signed(bob, {}, sendMsg(bob.address, alice.address, "999999"));
    assert.equal((await chain.checkTx(tx)).code, 0);
    const { results } = await chain.block([tx]);
    assert.equal(results[0]!.code, 5);
    assert.match(results[0]!.log, /spendable balance \d+uakt is smaller than 999999uakt/);
    const after = await state(bob.address);
    assert.equal(after.balance, b.balance - 5000n);
    assert.equal(after.sequence, b.sequence + 1n);
  });

  test("fee payer without enough funds: insufficient funds (5) in checkTx", async () => {
    const tx = await signed(bob, { fee: [{ denom: "uakt", amount: "100000000" }] });
    const res = await chain.checkTx(tx);
    assert.equal(res.code, 5);
    assert.match(res.log, /failed to deduct fees/);
  });

  test("send to an invalid address: invalid address (7)", async () => {
    await rejected(
      await signed(alice, {}, sendMsg(alice.address, "akash1notanaddress", "1")),
      7,
      /invalid recipient address/,
    );
    await rejected(
      await signed(alice, {}, sendMsg(alice.address, "cosmos1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5lzv7xu", "1")),
      7,
      /expected akash/,
    );
  });

  test("send of a send-disabled denom: bank code 5", async () => {
    const c = await TestChain.start(
      genesisFor(
        [
          {
            address: alice.address,
            coins: [
              { denom: "uakt", amount: "10000000" },
              { denom: "udisabled", amount: "100" },
            ],
          },
        ],
        {
          bank: {
            balances: [
              {
                address: alice.address,
                coins: [
                  { denom: "uakt", amount: "10000000" },
                  { denom: "udisabled", amount: "100" },
                ],
              },
            ],
            send_enabled: [{ denom: "udisabled", enabled: false }],
          },
        },
      ),
    );
    try {
      await c.block();
      const tx = await signTx(alice, [sendMsg(alice.address, bob.address, "5", "udisabled")], {
        accountNumber: 0n,
        sequence: 0n,
      });
      const { results } = await c.block([tx]);
      assert.equal(results[0]!.code, 5);
      assert.equal(results[0]!.codespace, "bank");
      assert.match(results[0]!.log, /udisabled transfers are currently disabled/);
    } finally {
      await c.close();
    }
  });

  test("an account that never received funds cannot sign: unknown address (9)", async () => {
    const tx = await signTx(stranger, [sendMsg(stranger.address, bob.address, "1")], {
      accountNumber: 0n,
      sequence: 0n,
    });
    await rejected(tx, 9, /does not exist/);
  });
});
