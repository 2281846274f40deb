// Escrow settlement against the real bank and auth keepers: deposits, lazy settlement, withdrawals with the
// take, overdraft, recovery, and conservation of money under random operations.
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import { MsgAccountDeposit } from "@akashnetwork/chain-sdk/private-types/akash.v1";
import fc from "fast-check";
import { fromBech32Address, moduleAddressBytes, toBech32Address } from "../../../crypto/address.js";
import type { Context } from "../../context.js";
import { AppError } from "../../errors.js";
import type { MsgDefinition } from "../../module.js";
import { type TestContext, testContext } from "../../testing/context.js";
import { AccountKeeper, AUTH_STORE } from "../auth/keeper.js";
import { BANK_STORE, BankKeeper } from "../bank/keeper.js";
import { COMMUNITY_POOL, TAKE_STORE, TakeKeeper } from "../take/index.js";
import { DEC_ONE, decFloor } from "./decimal.js";
import { Source } from "./deposit.js";
import { deploymentAccountId, leasePaymentId, Scope } from "./ids.js";
import { ESCROW_MODULE, ESCROW_STORE, EscrowKeeper, State } from "./keeper.js";
import { escrowMsgs } from "./msgs.js";

const addr = (name: string) => toBech32Address(moduleAddressBytes(`test-${name}`));
const TENANT = addr("tenant");
const FRIEND = addr("friend");
const PROVIDER = addr("provider");
const PROVIDER2 = addr("provider2");
const USDC = "ibc/170C677610AC31DF0904FFE09CD3B5C657492170E7E52372E48756B71E56F2F1";
const ESCROW_ADDR = toBech32Address(moduleAddressBytes(ESCROW_MODULE));
const POOL_ADDR = toBech32Address(moduleAddressBytes(COMMUNITY_POOL));

let t: TestContext;
let bank: BankKeeper;
let escrow: EscrowKeeper;
let closed: { state: State; height: bigint }[];

function setup(ctx: Context) {
  const accounts = new AccountKeeper();
  bank = new BankKeeper(accounts);
  const take = new TakeKeeper(bank, accounts);
  escrow = new EscrowKeeper(bank, take);
  closed = [];
  escrow.addHooks({
    onAccountClosed: (c, account) => closed.push({ state: account.state, height: c.block.height }),
  });
  for (const who of [TENANT, FRIEND]) {
    bank.mintCoins(ctx, fromBech32Address(who), [
      { denom: USDC, amount: 10_000_000n },
      { denom: "uakt", amount: 10_000_000n },
    ]);
  }
}

const balance = (ctx: Context, who: string, denom = "uakt") =>
  bank.getBalance(ctx, fromBech32Address(who), denom);

const dec = (units: bigint) => units * DEC_ONE;
const lease = (gseq: number, provider = PROVIDER) => ({ owner: TENANT, dseq: 7n, gseq, oseq: 1, provider });
const aid = deploymentAccountId(TENANT, 7n);

function open(ctx: Context, amount: bigint, denom = "uakt") {
  const deposits = escrow.authorizeDeposits(ctx, TENANT, {
    amount: { denom, amount },
    sources: [Source.balance],
  });
  return escrow.accountCreate(ctx, aid, TENANT, deposits);
}

function pay(ctx: Context, gseq: number, rate: bigint, denom = "uakt", provider = PROVIDER) {
  const id = leasePaymentId(lease(gseq, provider));
  escrow.paymentCreate(ctx, id.aid!, id.xid, provider, { denom, amount: rate });
  return id;
}

/** Runs `fn` on a branch written only if it succeeds, as the baseapp runs a message. */
function run<T>(ctx: Context, fn: (c: Context) => T): T {
  const { ctx: branch, cache } = ctx.branch();
  const out = fn(branch);
  cache.write();
  return out;
}

function rejects(ctx: Context, fn: (c: Context) => unknown, codespace: string, code: number, text?: RegExp) {
  const { ctx: branch } = ctx.branch();
  assert.throws(
    () => fn(branch),
    (e: unknown) =>
      e instanceof AppError &&
      e.codespace === codespace &&
      e.code === code &&
      (!text || text.test(e.message)),
  );
}

describe("escrow keeper", () => {
  before(async () => {
    t = await testContext([AUTH_STORE, BANK_STORE, ESCROW_STORE, TAKE_STORE]);
  });
  after(() => t.close());
  beforeEach(async () => {
    await t.close();
    t = await testContext([AUTH_STORE, BANK_STORE, ESCROW_STORE, TAKE_STORE]);
    setup(t.at(1n));
  });

  it("moves a deposit into the escrow module account", () => {
    const ctx = t.at(10n);
    const account = open(ctx, 1_000_000n);
    assert.equal(account.state, State.open);
    assert.equal(account.settledAt, 10n);
    assert.deepEqual(account.funds, [{ denom: "uakt", amount: dec(1_000_000n) }]);
    assert.equal(balance(ctx, TENANT), 9_000_000n);
    assert.equal(balance(ctx, ESCROW_ADDR), 1_000_000n);
    rejects(ctx, (c) => open(c, 1n), "escrow", 1, /already exists/);
  });

  it("refuses a deposit larger than the spendable balance, naming both", () => {
    rejects(
      t.at(10n),
      (c) => open(c, 10_000_001n),
      "escrow",
      16,
      /needs that much spendable.*has 10000000uakt/,
    );
    rejects(
      t.at(10n),
      (c) =>
        escrow.authorizeDeposits(c, TENANT, {
          amount: { denom: "uakt", amount: 5n },
          sources: [Source.grant],
        }),
      "escrow",
      16,
      /no deposit grants/,
    );
  });

  it("pays a withdrawal less the take: 2% for uakt", () => {
    open(t.at(10n), 1_000_000n);
    const id = pay(t.at(10n), 1, dec(10n));
    escrow.paymentWithdraw(t.at(110n), id);
    // 100 blocks × 10uakt = 1000uakt earned; take = floor(1000 × 2 / 100) = 20.
    assert.equal(balance(t.at(110n), PROVIDER), 980n);
    assert.equal(balance(t.at(110n), POOL_ADDR), 20n);
    assert.equal(balance(t.at(110n), ESCROW_ADDR), 999_000n);
    const p = escrow.getPayment(t.at(110n), id)!;
    assert.equal(p.withdrawn.amount, 1000n);
    assert.equal(p.balance.amount, 0n);
    const a = escrow.getAccount(t.at(110n), aid)!;
    assert.equal(a.settledAt, 110n);
    assert.deepEqual(a.funds, [{ denom: "uakt", amount: dec(999_000n) }]);
    assert.deepEqual(a.transferred, [{ denom: "uakt", amount: dec(1000n) }]);
  });

  it("pays a withdrawal less the take: 20% by default (USDC), floored", () => {
    open(t.at(10n), 1_000_000n, USDC);
    const id = pay(t.at(10n), 1, dec(7n), USDC);
    escrow.paymentWithdraw(t.at(13n), id);
    // 21 earned; take = floor(21 × 20 / 100) = 4; the provider gets 17.
    assert.equal(balance(t.at(13n), PROVIDER, USDC), 17n);
    assert.equal(balance(t.at(13n), POOL_ADDR, USDC), 4n);
  });

  it("carries fractions of a micro-unit, so earnings do not depend on how often a provider withdraws", () => {
    open(t.at(10n), 1_000_000n);
    const rate = (DEC_ONE * 3n) / 10n; // 0.3uakt per block
    const often = pay(t.at(10n), 1, rate);
    const once = pay(t.at(10n), 2, rate, "uakt", PROVIDER2);
    for (let h = 11n; h <= 40n; h++) escrow.paymentWithdraw(t.at(h), often);
    escrow.paymentWithdraw(t.at(40n), once);
    // 30 blocks × 0.3 = 9 whole units each.
    const a = escrow.getPayment(t.at(40n), often)!;
    const b = escrow.getPayment(t.at(40n), once)!;
    assert.equal(a.withdrawn.amount, 9n);
    assert.equal(b.withdrawn.amount, 9n);
    assert.equal(escrow.getAccount(t.at(40n), aid)!.funds[0]!.amount, dec(1_000_000n - 18n));
  });

  it("credits every lease for the blocks it was charged when another lease is created (reference §12.14)", () => {
    open(t.at(10n), 1_000_000n);
    const first = pay(t.at(10n), 1, dec(5n));
    pay(t.at(30n), 2, dec(5n), "uakt", PROVIDER2);
    const account = escrow.getAccount(t.at(30n), aid)!;
    assert.equal(account.funds[0]!.amount, dec(1_000_000n - 100n), "the account was charged for 20 blocks");
    assert.equal(
      escrow.getPayment(t.at(30n), first)!.balance.amount,
      dec(100n),
      "and the first lease credited",
    );
  });

  it("refuses payments it cannot make", () => {
    const ctx = t.at(10n);
    rejects(ctx, (c) => pay(c, 1, dec(1n)), "escrow", 3, /not found/);
    open(ctx, 1_000_000n);
    rejects(ctx, (c) => pay(c, 1, 0n), "escrow", 9, /must be positive/);
    rejects(ctx, (c) => pay(c, 1, dec(1n), USDC), "escrow", 5, /holds no ibc/);
    pay(ctx, 1, dec(1n));
    rejects(ctx, (c) => pay(c, 1, dec(1n)), "escrow", 6, /already exists/);
  });

  it("finds an account that ran dry at the next withdrawal: the provider keeps what was paid", () => {
    open(t.at(10n), 1000n);
    const id = pay(t.at(10n), 1, dec(10n));
    // Dry after 100 blocks; found at height 160, 150 blocks in.
    run(t.at(160n), (c) => escrow.paymentWithdraw(c, id));
    const ctx = t.at(160n);
    assert.equal(balance(ctx, PROVIDER), 980n);
    assert.equal(balance(ctx, POOL_ADDR), 20n);
    assert.equal(balance(ctx, ESCROW_ADDR), 0n);
    const p = escrow.getPayment(ctx, id)!;
    assert.equal(p.state, State.overdrawn);
    assert.equal(p.unsettled.amount, dec(500n), "50 blocks unpaid");
    const a = escrow.getAccount(ctx, aid)!;
    assert.equal(a.state, State.overdrawn);
    assert.deepEqual(a.funds, [{ denom: "uakt", amount: -dec(500n) }]);
    assert.equal(closed.length, 1);
    assert.equal(closed[0]!.state, State.overdrawn);
    rejects(ctx, (c) => escrow.paymentWithdraw(c, id), "escrow", 7, /overdrawn/);
    rejects(ctx, (c) => pay(c, 2, dec(1n)), "escrow", 4, /overdrawn/);
  });

  it("lets anyone deposit; each depositor gets back its own unspent part, oldest spent first", () => {
    open(t.at(10n), 1000n);
    const more = escrow.authorizeDeposits(t.at(10n), FRIEND, {
      amount: { denom: "uakt", amount: 500n },
      sources: [Source.balance],
    });
    escrow.accountDeposit(t.at(10n), aid, more);
    const id = pay(t.at(10n), 1, dec(12n));
    escrow.accountClose(t.at(110n), aid);
    // 1200 spent: all of the tenant's 1000, then 200 of the friend's 500.
    const ctx = t.at(110n);
    assert.equal(balance(ctx, TENANT), 10_000_000n - 1000n);
    assert.equal(balance(ctx, FRIEND), 10_000_000n - 200n);
    assert.equal(balance(ctx, PROVIDER), 1200n - 24n);
    assert.equal(escrow.getPayment(ctx, id)!.state, State.closed);
    assert.equal(escrow.getAccount(ctx, aid)!.state, State.closed);
    assert.deepEqual(escrow.getAccount(ctx, aid)!.deposits, []);
    assert.equal(closed[0]!.state, State.closed);
  });

  it("a deposit into an account that ran dry closes it, pays the debt and refunds the rest", () => {
    open(t.at(10n), 1000n);
    const id = pay(t.at(10n), 1, dec(10n));
    const deposits = escrow.authorizeDeposits(t.at(160n), FRIEND, {
      amount: { denom: "uakt", amount: 2000n },
      sources: [Source.balance],
    });
    run(t.at(160n), (c) => escrow.accountDeposit(c, aid, deposits));
    const ctx = t.at(160n);
    assert.equal(closed[0]!.state, State.overdrawn, "the deployment closes: it ran dry");
    assert.equal(balance(ctx, PROVIDER), 1500n - 30n, "paid for all 150 blocks");
    assert.equal(balance(ctx, FRIEND), 10_000_000n - 500n, "the friend paid the 500 debt and got 1500 back");
    assert.equal(balance(ctx, ESCROW_ADDR), 0n);
    assert.equal(escrow.getPayment(ctx, id)!.state, State.closed);
    const a = escrow.getAccount(ctx, aid)!;
    assert.equal(a.state, State.closed);
    assert.deepEqual(a.funds, [{ denom: "uakt", amount: 0n }]);
  });

  it("a deposit too small for the debt leaves account and payment overdrawn with less debt", () => {
    open(t.at(10n), 1000n);
    const id = pay(t.at(10n), 1, dec(10n));
    escrow.paymentWithdraw(t.at(160n), id);
    const deposits = escrow.authorizeDeposits(t.at(170n), FRIEND, {
      amount: { denom: "uakt", amount: 200n },
      sources: [Source.balance],
    });
    escrow.accountDeposit(t.at(170n), aid, deposits);
    const ctx = t.at(170n);
    assert.equal(escrow.getPayment(ctx, id)!.unsettled.amount, dec(300n));
    assert.equal(escrow.getPayment(ctx, id)!.withdrawn.amount, 1200n);
    assert.equal(escrow.getAccount(ctx, aid)!.state, State.overdrawn);
    assert.deepEqual(escrow.getAccount(ctx, aid)!.funds, [{ denom: "uakt", amount: -dec(300n) }]);
  });

  it("refuses deposits into closed accounts and in denoms the account cannot spend", () => {
    open(t.at(10n), 1000n);
    const usdc = escrow.authorizeDeposits(t.at(10n), FRIEND, {
      amount: { denom: USDC, amount: 5n },
      sources: [Source.balance],
    });
    rejects(t.at(10n), (c) => escrow.accountDeposit(c, aid, usdc), "escrow", 5, /could never be spent/);
    escrow.accountClose(t.at(20n), aid);
    const uakt = escrow.authorizeDeposits(t.at(20n), FRIEND, {
      amount: { denom: "uakt", amount: 5n },
      sources: [Source.balance],
    });
    rejects(t.at(20n), (c) => escrow.accountDeposit(c, aid, uakt), "escrow", 2, /is closed/);
    rejects(t.at(20n), (c) => escrow.accountClose(c, aid), "escrow", 2, /is closed/);
  });

  it("closing a payment pays it out and stops it; the account keeps paying the others", () => {
    open(t.at(10n), 100_000n);
    const a = pay(t.at(10n), 1, dec(10n));
    const b = pay(t.at(10n), 2, dec(10n), "uakt", PROVIDER2);
    escrow.paymentClose(t.at(20n), a);
    escrow.paymentWithdraw(t.at(40n), b);
    const ctx = t.at(40n);
    assert.equal(escrow.getPayment(ctx, a)!.withdrawn.amount, 100n);
    assert.equal(escrow.getPayment(ctx, a)!.state, State.closed);
    assert.equal(escrow.getPayment(ctx, b)!.withdrawn.amount, 300n);
    rejects(ctx, (c) => escrow.paymentClose(c, a), "escrow", 7, /closed/);
  });
});

describe("MsgAccountDeposit", () => {
  let deposit: MsgDefinition<MsgAccountDeposit>;
  before(async () => {
    t = await testContext([AUTH_STORE, BANK_STORE, ESCROW_STORE, TAKE_STORE]);
    setup(t.at(1n));
    deposit = escrowMsgs(escrow)[0] as unknown as MsgDefinition<MsgAccountDeposit>;
    open(t.at(10n), 1000n);
  });
  after(() => t.close());

  const msg = (over: Partial<MsgAccountDeposit> = {}) =>
    MsgAccountDeposit.fromPartial({
      signer: FRIEND,
      id: { scope: Scope.deployment, xid: `${TENANT}/7` },
      deposit: { amount: { denom: "uakt", amount: "250" }, sources: [Source.balance] },
      ...over,
    });

  it("is signed by the depositor, whoever that is", () => {
    assert.deepEqual(deposit.signers(msg()), [FRIEND]);
    run(t.at(11n), (c) => deposit.handle(c, msg()));
    assert.equal(balance(t.at(11n), FRIEND), 10_000_000n - 250n);
    assert.equal(escrow.getAccount(t.at(11n), aid)!.deposits[1]!.owner, FRIEND);
  });

  it("rejects malformed ids, signers and deposits before they reach a block", () => {
    const bad: [Partial<MsgAccountDeposit>, string, number][] = [
      [{ signer: "akash1nope" }, "sdk", 7],
      [{ id: { scope: Scope.deployment, xid: `${TENANT}` } }, "escrow", 12],
      [{ id: { scope: Scope.deployment, xid: `${TENANT}/0` } }, "escrow", 12],
      [{ id: { scope: Scope.deployment, xid: `nope/7` } }, "escrow", 12],
      [{ id: { scope: Scope.bid, xid: `${TENANT}/7/1/1` } }, "escrow", 12],
      [{ id: { scope: Scope.invalid, xid: `${TENANT}/7` } }, "escrow", 12],
      [{ deposit: { amount: { denom: "uakt", amount: "0" }, sources: [Source.balance] } }, "sdk", 10],
      [{ deposit: { amount: { denom: "uakt", amount: "5" }, sources: [] } }, "akash", 4],
      [
        { deposit: { amount: { denom: "uakt", amount: "5" }, sources: [Source.balance, Source.balance] } },
        "akash",
        4,
      ],
      [{ deposit: { amount: { denom: "uakt", amount: "5" }, sources: [Source.invalid] } }, "akash", 4],
    ];
    for (const [over, codespace, code] of bad) {
      assert.throws(
        () => deposit.validateBasic!(msg(over)),
        (e: unknown) => e instanceof AppError && e.codespace === codespace && e.code === code,
        `case ${JSON.stringify(over)}`,
      );
    }
  });

  it("fails without writing anything when the account is unknown", () => {
    rejects(
      t.at(12n),
      (c) => deposit.handle(c, msg({ id: { scope: Scope.deployment, xid: `${TENANT}/8` } })),
      "escrow",
      3,
    );
  });
});

describe("escrow conservation (property)", () => {
  const op = fc.oneof(
    fc.record({ kind: fc.constant("advance" as const), blocks: fc.integer({ min: 1, max: 60 }) }),
    fc.record({
      kind: fc.constant("lease" as const),
      gseq: fc.integer({ min: 1, max: 3 }),
      rate: fc.bigInt(1n, 30n * DEC_ONE),
    }),
    fc.record({ kind: fc.constant("withdraw" as const), gseq: fc.integer({ min: 1, max: 3 }) }),
    fc.record({ kind: fc.constant("closePayment" as const), gseq: fc.integer({ min: 1, max: 3 }) }),
    fc.record({
      kind: fc.constant("deposit" as const),
      who: fc.constantFrom(TENANT, FRIEND),
      amount: fc.bigInt(1n, 3000n),
    }),
    fc.record({ kind: fc.constant("close" as const) }),
  );

  it("every coin that leaves a deployment account lands with a provider, the take pool or a depositor", async () => {
    await fc.assert(
      fc.asyncProperty(fc.bigInt(1n, 5000n), fc.array(op, { maxLength: 25 }), async (initial, ops) => {
        const tc = await testContext([AUTH_STORE, BANK_STORE, ESCROW_STORE, TAKE_STORE]);
        try {
          setup(tc.at(1n));
          let height = 10n;
          const created = new Map<number, bigint>();
          run(tc.at(height), (c) => open(c, initial));
          const holders = [TENANT, FRIEND, PROVIDER, ESCROW_ADDR, POOL_ADDR];
          const total = (c: Context) => holders.reduce((s, h) => s + balance(c, h), 0n);
          const start = total(tc.at(height));
          for (const o of ops) {
            const ctx = tc.at(height);
            const attempt = (fn: (c: Context) => void) => {
              try {
                run(ctx, fn);
              } catch (e) {
                if (!(e instanceof AppError)) throw e;
              }
            };
            switch (o.kind) {
              case "advance":
                height += BigInt(o.blocks);
                break;
              case "lease":
                attempt((c) => {
                  pay(c, o.gseq, o.rate);
                  created.set(o.gseq, height);
                });
                break;
              case "withdraw":
                attempt((c) => escrow.paymentWithdraw(c, leasePaymentId(lease(o.gseq))));
                break;
              case "closePayment":
                attempt((c) => escrow.paymentClose(c, leasePaymentId(lease(o.gseq))));
                break;
              case "deposit":
                attempt((c) =>
                  escrow.accountDeposit(
                    c,
                    aid,
                    escrow.authorizeDeposits(c, o.who, {
                      amount: { denom: "uakt", amount: o.amount },
                      sources: [Source.balance],
                    }),
                  ),
                );
                break;
              case "close":
                attempt((c) => escrow.accountClose(c, aid));
                break;
            }
            const now = tc.at(height);
            assert.equal(total(now), start, "no coin is created or lost");
            const account = escrow.getAccount(now, aid)!;
            const payments = escrow.paymentsOf(now, aid);
            // What the escrow module holds is exactly the deposits left plus the whole units payments hold.
            const held =
              account.deposits.reduce((s, d) => s + decFloor(d.balance), 0n) +
              payments.reduce((s, p) => s + decFloor(p.balance.amount), 0n);
            assert.equal(balance(now, ESCROW_ADDR), held, "the escrow module holds what its accounts hold");
            for (const d of account.deposits) assert.ok(d.balance > 0n, "no empty or negative deposit");
            const fee = balance(now, POOL_ADDR);
            const paidOut = payments.reduce((s, p) => s + p.withdrawn.amount, 0n);
            assert.equal(
              balance(now, PROVIDER) + fee,
              paidOut,
              "providers and the pool got what was withdrawn",
            );
            for (const p of payments) {
              assert.ok(p.balance.amount >= 0n && p.unsettled.amount >= 0n, "no negative payment balance");
              if (p.state === State.open && account.state === State.open) {
                // An open payment has accrued exactly rate × blocks since it was created.
                const blocks = account.settledAt - created.get(Number(p.id.xid.split("/")[0]))!;
                assert.equal(
                  dec(p.withdrawn.amount) + p.balance.amount + p.unsettled.amount,
                  p.rate.amount * blocks,
                  "a lease is credited for every block it was charged",
                );
              }
            }
          }
        } finally {
          await tc.close();
        }
      }),
      { numRuns: 60 },
    );
  });
});
