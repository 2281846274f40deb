// Escrow: one account per deployment (the tenant's deposits) and per bid (the provider's deposit), one payment
// per lease, settled lazily when something touches the account (reference: akash-chain.md §4). All coins sit
// in the `escrow` module account; deposits, balances and debts are tracked here in 18-decimal fixed point.
//
// Where DeCloud differs from Akash on purpose (DESIGN.md, reference §12):
// - every settlement saves every payment it credited, so a lease is paid for all the time it was charged
//   (§4.4 QUIRK / §12.14: Akash's PaymentCreate dropped the credits);
// - the fraction of a micro-unit a payment accrues is carried to the next settlement instead of dropped, so
//   what a provider earns does not depend on how often it withdraws (§12.4): a payment's balance is its whole
//   units (charged to the account, ready to withdraw) plus a fraction below one unit not charged yet;
// - overdraft is the account's state, not the sign of its first funds entry (§12.10);
// - a withdrawal pays the take fee to the take pool; the provider gets the rest (§4.8, DESIGN.md "Take income").
import {
  type Depositor,
  Types_Account as ProtoAccount,
  Types_Payment as ProtoPayment,
  Types_State as State,
} from "@akashnetwork/chain-sdk/private-types/akash.v1";
import { fromBech32Address } from "../../../crypto/address.js";
import { type Amount, type DecCoin, formatCoin } from "../../coins.js";
import type { Context } from "../../context.js";
import { prefixEnd } from "../../pagination.js";
import { decCoinOf, decCoinText, decFloor, decFromInt, decOf, decText, formatDecCoin } from "./decimal.js";
import { type DepositRequest, Source } from "./deposit.js";
import { EscrowErrors } from "./errors.js";
import { type AccountId, accountKey, type PaymentId, paymentKey } from "./ids.js";

export { State };

export const ESCROW_STORE = "escrow";
/** The module account that holds every escrowed coin. */
export const ESCROW_MODULE = "escrow";

// Records are keyed by their string keys (§4.1), so an account's payments sit under its key and the xid
// prefixes of the Accounts/Payments queries are key prefixes. There is no state index: nothing in the
// marketplace looks escrow records up by state alone.
export const ACCOUNT_PREFIX = 0x11;
export const PAYMENT_PREFIX = 0x21;

/** What escrow needs from bank (expected keeper). */
export interface EscrowBank {
  getBalance(ctx: Context, address: Uint8Array, denom: string): bigint;
  sendCoinsFromAccountToModule(ctx: Context, from: string, module: string, coins: readonly Amount[]): void;
  sendCoinsFromModuleToAccount(ctx: Context, module: string, to: string, coins: readonly Amount[]): void;
}

/** What escrow needs from take (expected keeper): the take fee on a withdrawal, paid out of `fromModule`. */
export interface TakeFees {
  payFee(ctx: Context, fromModule: string, earnings: Amount): bigint;
}

/**
 * Called after an account was saved closed or overdrawn, with its payments already settled and paid out
 * (reference §3.8): the market closes the deployment and everything in it.
 */
export interface EscrowHooks {
  onAccountClosed(ctx: Context, account: EscrowAccount): void;
}

export interface EscrowDeposit {
  /** Who funded it and gets the rest back: the signer of the message that deposited. */
  owner: string;
  height: bigint;
  source: Source;
  denom: string;
  /** What is left of it, fixed point (always whole units). */
  balance: bigint;
}

export interface EscrowAccount {
  id: AccountId;
  owner: string;
  state: State;
  transferred: DecCoin[];
  settledAt: bigint;
  /** Per denom: the deposits left minus any debt (negative when overdrawn). */
  funds: DecCoin[];
  /** Oldest first: payments consume them in that order. */
  deposits: EscrowDeposit[];
}

export interface EscrowPayment {
  id: PaymentId;
  /** The payee: the provider. */
  owner: string;
  state: State;
  /** Per block. */
  rate: DecCoin;
  /** Whole units ready to withdraw, plus the fraction of a unit accrued and not charged yet. */
  balance: DecCoin;
  /** Debt left when the account ran dry (whole units). */
  unsettled: DecCoin;
  /** Whole units paid out, take fee included. */
  withdrawn: Amount;
}

const text = new TextEncoder();
const untext = new TextDecoder();

function keyOf(prefix: number, key: string): Uint8Array {
  const bytes = text.encode(key);
  const out = new Uint8Array(1 + bytes.length);
  out[0] = prefix;
  out.set(bytes, 1);
  return out;
}

export const accountStoreKey = (id: AccountId) => keyOf(ACCOUNT_PREFIX, accountKey(id));
export const paymentStoreKey = (id: PaymentId) => keyOf(PAYMENT_PREFIX, paymentKey(id));
export const decodeStoreKey = (key: Uint8Array, prefixLength: number) =>
  untext.decode(key.subarray(prefixLength));

/** Read through a call so that TypeScript does not keep a narrowing from before a settlement. */
function isOverdrawn(account: EscrowAccount): boolean {
  return account.state === State.overdrawn;
}

function addTo(coins: DecCoin[], denom: string, delta: bigint): void {
  const coin = coins.find((c) => c.denom === denom);
  if (coin) coin.amount += delta;
  else coins.push({ denom, amount: delta });
}

export function accountFromProto(a: ProtoAccount): EscrowAccount {
  const s = a.state!;
  return {
    id: { scope: a.id!.scope, xid: a.id!.xid },
    owner: s.owner,
    state: s.state,
    transferred: s.transferred.map((c) => decCoinOf(c)),
    settledAt: BigInt(s.settledAt.toString()),
    funds: s.funds.map((b) => ({ denom: b.denom, amount: decOf(b.amount) })),
    deposits: s.deposits.map((d) => ({
      owner: d.owner,
      height: BigInt(d.height.toString()),
      source: d.source,
      denom: d.balance?.denom ?? "",
      balance: decOf(d.balance?.amount ?? ""),
    })),
  };
}

export function accountToProto(a: EscrowAccount): ProtoAccount {
  return ProtoAccount.fromPartial({
    id: a.id,
    state: {
      owner: a.owner,
      state: a.state,
      transferred: a.transferred.map(decCoinText),
      settledAt: a.settledAt,
      funds: a.funds.map((f) => ({ denom: f.denom, amount: decText(f.amount) })),
      deposits: a.deposits.map(
        (d): Partial<Depositor> => ({
          owner: d.owner,
          height: d.height as never,
          source: d.source,
          balance: { denom: d.denom, amount: decText(d.balance) },
        }),
      ) as never,
    },
  });
}

export function paymentFromProto(p: ProtoPayment): EscrowPayment {
  const s = p.state!;
  const denom = s.rate?.denom ?? "";
  return {
    id: { aid: p.id!.aid, xid: p.id!.xid },
    owner: s.owner,
    state: s.state,
    rate: decCoinOf(s.rate, denom),
    balance: decCoinOf(s.balance, denom),
    unsettled: decCoinOf(s.unsettled, denom),
    withdrawn: { denom, amount: BigInt(s.withdrawn?.amount || "0") },
  };
}

export function paymentToProto(p: EscrowPayment): ProtoPayment {
  return ProtoPayment.fromPartial({
    id: p.id,
    state: {
      owner: p.owner,
      state: p.state,
      rate: decCoinText(p.rate),
      balance: decCoinText(p.balance),
      unsettled: decCoinText(p.unsettled),
      withdrawn: { denom: p.withdrawn.denom, amount: p.withdrawn.amount.toString() },
    },
  });
}

export class EscrowKeeper {
  private readonly hooks: EscrowHooks[] = [];

  constructor(
    private readonly bank: EscrowBank,
    private readonly take: TakeFees,
  ) {}

  /** The market registers here to close deployments whose accounts close (the app wires it). */
  addHooks(hooks: EscrowHooks): void {
    this.hooks.push(hooks);
  }

  getAccount(ctx: Context, id: AccountId): EscrowAccount | undefined {
    const bytes = ctx.kv(ESCROW_STORE).get(accountStoreKey(id));
    return bytes ? accountFromProto(ProtoAccount.decode(bytes)) : undefined;
  }

  getPayment(ctx: Context, id: PaymentId): EscrowPayment | undefined {
    const bytes = ctx.kv(ESCROW_STORE).get(paymentStoreKey(id));
    return bytes ? paymentFromProto(ProtoPayment.decode(bytes)) : undefined;
  }

  /** Every payment of an account, in key order. */
  paymentsOf(ctx: Context, id: AccountId): EscrowPayment[] {
    const prefix = keyOf(PAYMENT_PREFIX, `${accountKey(id)}/`);
    return [...ctx.kv(ESCROW_STORE).iterator(prefix, prefixEnd(prefix))].map(([, v]) =>
      paymentFromProto(ProtoPayment.decode(v)),
    );
  }

  saveAccount(ctx: Context, account: EscrowAccount): void {
    ctx
      .kv(ESCROW_STORE)
      .set(accountStoreKey(account.id), ProtoAccount.encode(accountToProto(account)).finish());
  }

  savePayment(ctx: Context, payment: EscrowPayment): void {
    ctx
      .kv(ESCROW_STORE)
      .set(paymentStoreKey(payment.id), ProtoPayment.encode(paymentToProto(payment)).finish());
  }

  /**
   * AuthorizeDeposits (reference §4.3): who funds a deposit. The signer pays from its spendable balance;
   * DeCloud has no authz deposit grants yet, so a `grant` source funds nothing.
   */
  authorizeDeposits(ctx: Context, signer: string, deposit: DepositRequest): EscrowDeposit[] {
    const { denom, amount } = deposit.amount;
    let remainder = amount;
    const out: EscrowDeposit[] = [];
    for (const source of deposit.sources) {
      if (remainder === 0n || source !== Source.balance) continue;
      const spendable = this.bank.getBalance(ctx, fromBech32Address(signer), denom);
      const take = spendable < remainder ? spendable : remainder;
      if (take <= 0n) continue;
      out.push({ owner: signer, height: ctx.block.height, source, denom, balance: decFromInt(take) });
      remainder -= take;
    }
    if (remainder > 0n) {
      const has = this.bank.getBalance(ctx, fromBech32Address(signer), denom);
      const grants = deposit.sources.includes(Source.grant) ? " (DeCloud has no deposit grants yet)" : "";
      throw EscrowErrors.invalidDeposit(
        `insufficient balance: a deposit of ${formatCoin(deposit.amount)} needs that much spendable from ` +
          `${signer}, which has ${has}${denom}${grants}`,
      );
    }
    return out;
  }

  /** Opens an account funded by `deposits`, moving the coins into the escrow module account. */
  accountCreate(ctx: Context, id: AccountId, owner: string, deposits: EscrowDeposit[]): EscrowAccount {
    if (this.getAccount(ctx, id))
      throw EscrowErrors.accountExists(`escrow account ${accountKey(id)} already exists`);
    const account: EscrowAccount = {
      id,
      owner,
      state: State.open,
      transferred: [],
      settledAt: ctx.block.height,
      funds: [],
      deposits: [],
    };
    for (const d of deposits) addTo(account.transferred, d.denom, 0n);
    this.pullDeposits(ctx, account, deposits);
    this.saveAccount(ctx, account);
    return account;
  }

  /**
   * MsgAccountDeposit (reference §4.3, §4.5). A deposit is a settlement point: an account that ran dry since it
   * was last settled is found now, closes as overdrawn, and the new deposit then pays what the providers are
   * owed, the rest going back to the depositor. Into an account that is already overdrawn, the same.
   */
  accountDeposit(ctx: Context, id: AccountId, deposits: EscrowDeposit[]): void {
    const account = this.mustGetAccount(ctx, id);
    if (account.state === State.closed) {
      throw EscrowErrors.accountClosed(
        `escrow account ${accountKey(id)} is closed: it takes no more deposits`,
      );
    }
    for (const d of deposits) {
      if (!account.funds.some((f) => f.denom === d.denom)) {
        throw EscrowErrors.invalidDenomination(
          `escrow account ${accountKey(id)} is funded in ${account.funds.map((f) => f.denom).join(", ")}; ` +
            `a deposit in ${d.denom} could never be spent`,
        );
      }
    }
    if (account.state === State.open) {
      const payments = this.settle(ctx, account);
      if (isOverdrawn(account)) {
        this.finishOverdrawn(ctx, account, payments);
        this.recover(ctx, account, deposits);
        return;
      }
      this.pullDeposits(ctx, account, deposits);
      this.saveSettled(ctx, account, payments);
      return;
    }
    this.recover(ctx, account, deposits);
  }

  /**
   * Settles an open account now and saves it with its payments (AccountSettle, which Akash defines and never
   * calls). Returns whether it is still open: an account that ran dry is closed as overdrawn here, with the
   * hooks. Owner and provider actions that close leases settle first, so that the leases they close are
   * closed for the right reason.
   */
  accountSettle(ctx: Context, id: AccountId): boolean {
    const account = this.mustGetAccount(ctx, id);
    if (account.state !== State.open) return false;
    const payments = this.settle(ctx, account);
    if (isOverdrawn(account)) {
      this.finishOverdrawn(ctx, account, payments);
      return false;
    }
    this.saveSettled(ctx, account, payments);
    return true;
  }

  /** Closes an account: settles, pays every payment out, refunds what is left (reference §4.6). */
  accountClose(ctx: Context, id: AccountId): void {
    const account = this.mustGetAccount(ctx, id);
    const payments = this.settle(ctx, account);
    if (isOverdrawn(account)) {
      this.finishOverdrawn(ctx, account, payments);
      return;
    }
    account.state = State.closed;
    for (const p of payments) {
      p.state = State.closed;
      this.withdraw(ctx, p);
      p.balance.amount = 0n;
      this.savePayment(ctx, p);
    }
    this.refundDeposits(ctx, account);
    this.saveAccount(ctx, account);
    this.runHooks(ctx, account);
  }

  /**
   * Opens the payment of a lease at `rate` per block (reference §4.4). Settles the account first and keeps
   * what it credited to the other payments; fails if the account has run dry.
   */
  paymentCreate(ctx: Context, aid: AccountId, xid: string, owner: string, rate: DecCoin): EscrowPayment {
    const account = this.mustGetAccount(ctx, aid);
    if (account.state === State.closed)
      throw EscrowErrors.accountClosed(`escrow account ${accountKey(aid)} is closed`);
    if (account.state === State.overdrawn) {
      throw EscrowErrors.accountOverdrawn(`escrow account ${accountKey(aid)} is overdrawn`);
    }
    if (rate.amount <= 0n)
      throw EscrowErrors.paymentRateZero(`a payment rate must be positive, got ${formatDecCoin(rate)}`);
    if (!account.funds.some((f) => f.denom === rate.denom)) {
      throw EscrowErrors.invalidDenomination(
        `escrow account ${accountKey(aid)} holds no ${rate.denom} to pay ${formatDecCoin(rate)} per block`,
      );
    }
    const id = { aid, xid };
    if (this.getPayment(ctx, id))
      throw EscrowErrors.paymentExists(`escrow payment ${paymentKey(id)} already exists`);
    const payments = this.settle(ctx, account);
    if (isOverdrawn(account)) {
      throw EscrowErrors.accountOverdrawn(
        `escrow account ${accountKey(aid)} ran out of funds: its leases owe more than its deposits hold`,
      );
    }
    this.saveSettled(ctx, account, payments);
    const zero = (): DecCoin => ({ denom: rate.denom, amount: 0n });
    const payment: EscrowPayment = {
      id,
      owner,
      state: State.open,
      rate: { ...rate },
      balance: zero(),
      unsettled: zero(),
      withdrawn: { denom: rate.denom, amount: 0n },
    };
    this.savePayment(ctx, payment);
    return payment;
  }

  /** MsgWithdrawLease: settles the account and pays the payment's whole units to its owner, less the take. */
  paymentWithdraw(ctx: Context, id: PaymentId): void {
    const payment = this.mustGetPayment(ctx, id);
    if (payment.state !== State.open) {
      throw EscrowErrors.paymentClosed(`escrow payment ${paymentKey(id)} is ${State[payment.state]}`);
    }
    const account = this.mustGetAccount(ctx, id.aid!);
    const payments = this.settle(ctx, account);
    if (isOverdrawn(account)) {
      this.finishOverdrawn(ctx, account, payments);
      return;
    }
    const target = payments.find((p) => paymentKey(p.id) === paymentKey(id))!;
    this.withdraw(ctx, target);
    this.saveSettled(ctx, account, payments);
  }

  /** Closes a lease's payment: settles the account, pays the payment out and closes it. */
  paymentClose(ctx: Context, id: PaymentId): void {
    const payment = this.mustGetPayment(ctx, id);
    if (payment.state === State.closed)
      throw EscrowErrors.paymentClosed(`escrow payment ${paymentKey(id)} is closed`);
    const account = this.mustGetAccount(ctx, id.aid!);
    const payments = this.settle(ctx, account);
    if (isOverdrawn(account)) {
      this.finishOverdrawn(ctx, account, payments);
      return;
    }
    const target = payments.find((p) => paymentKey(p.id) === paymentKey(id))!;
    this.withdraw(ctx, target);
    target.state = State.closed;
    target.balance.amount = 0n;
    this.saveSettled(ctx, account, payments);
  }

  private mustGetAccount(ctx: Context, id: AccountId): EscrowAccount {
    const account = this.getAccount(ctx, id);
    if (!account) throw EscrowErrors.accountNotFound(`escrow account ${accountKey(id)} not found`);
    return account;
  }

  private mustGetPayment(ctx: Context, id: PaymentId): EscrowPayment {
    const payment = this.getPayment(ctx, id);
    if (!payment) throw EscrowErrors.paymentNotFound(`escrow payment ${paymentKey(id)} not found`);
    return payment;
  }

  /**
   * accountSettle (reference §4.4): charges every open payment for the blocks since the last settlement and
   * pays down the debts of overdrawn ones, oldest deposits first. Leaves the account `overdrawn` if the
   * deposits could not cover it all. Changes only the objects in memory; returns the payments it loaded.
   */
  private settle(ctx: Context, account: EscrowAccount): EscrowPayment[] {
    if (account.state === State.closed) {
      throw EscrowErrors.accountClosed(`escrow account ${accountKey(account.id)} is closed`);
    }
    let blocks = 0n;
    if (account.state === State.open) {
      blocks = ctx.block.height - account.settledAt;
      account.settledAt = ctx.block.height;
    }
    const payments = this.paymentsOf(ctx, account.id).filter(
      (p) => p.state === State.open || p.state === State.overdrawn,
    );
    let short = false;
    for (const p of payments) {
      let due: bigint;
      if (p.state === State.overdrawn) {
        due = decFloor(p.unsettled.amount);
        p.unsettled.amount = 0n;
      } else {
        const accrued = p.rate.amount * blocks;
        const carried = p.balance.amount - decFromInt(decFloor(p.balance.amount));
        due = decFloor(carried + accrued);
        // The fraction accrues now; only the whole units in `due` are charged to the account below.
        p.balance.amount += accrued - decFromInt(due);
      }
      const paid = this.deduct(account, p.rate.denom, due);
      p.balance.amount += decFromInt(paid);
      p.unsettled.amount += decFromInt(due - paid);
      p.state = p.unsettled.amount > 0n ? State.overdrawn : State.open;
      if (p.unsettled.amount > 0n) short = true;
    }
    if (short) account.state = State.overdrawn;
    return payments;
  }

  /** deductFromBalance: whole units from the oldest deposits of `denom`; returns what they covered. */
  private deduct(account: EscrowAccount, denom: string, units: bigint): bigint {
    if (units === 0n) return 0n;
    let remaining = decFromInt(units);
    for (const d of account.deposits) {
      if (remaining === 0n) break;
      if (d.denom !== denom || d.balance === 0n) continue;
      const take = d.balance < remaining ? d.balance : remaining;
      d.balance -= take;
      remaining -= take;
    }
    account.deposits = account.deposits.filter((d) => d.balance > 0n);
    const paid = decFromInt(units) - remaining;
    addTo(account.funds, denom, -decFromInt(units));
    addTo(account.transferred, denom, paid);
    return decFloor(paid);
  }

  /** Pays a payment's whole units to its owner; the take pool gets its share first. */
  private withdraw(ctx: Context, p: EscrowPayment): void {
    const earnings = decFloor(p.balance.amount);
    if (earnings <= 0n) return;
    const denom = p.balance.denom;
    p.balance.amount -= decFromInt(earnings);
    p.withdrawn.amount += earnings;
    const fee = this.take.payFee(ctx, ESCROW_MODULE, { denom, amount: earnings });
    if (earnings > fee) {
      this.bank.sendCoinsFromModuleToAccount(ctx, ESCROW_MODULE, p.owner, [
        { denom, amount: earnings - fee },
      ]);
    }
  }

  private pullDeposits(ctx: Context, account: EscrowAccount, deposits: EscrowDeposit[]): void {
    for (const d of deposits) {
      const units = decFloor(d.balance);
      this.bank.sendCoinsFromAccountToModule(ctx, d.owner, ESCROW_MODULE, [
        { denom: d.denom, amount: units },
      ]);
      account.deposits.push({ ...d });
      addTo(account.funds, d.denom, d.balance);
    }
  }

  /** Gives every deposit's remainder back to whoever made it. */
  private refundDeposits(ctx: Context, account: EscrowAccount): void {
    for (const d of account.deposits) {
      const units = decFloor(d.balance);
      if (units > 0n) {
        this.bank.sendCoinsFromModuleToAccount(ctx, ESCROW_MODULE, d.owner, [
          { denom: d.denom, amount: units },
        ]);
      }
      addTo(account.funds, d.denom, -d.balance);
    }
    account.deposits = [];
  }

  /** Saves a settled account that stays open, with every payment the settlement credited. */
  private saveSettled(ctx: Context, account: EscrowAccount, payments: EscrowPayment[]): void {
    for (const p of payments) this.savePayment(ctx, p);
    this.saveAccount(ctx, account);
  }

  /**
   * The account ran dry (reference §4.5): providers get everything that was paid, payments still owed money
   * stay `overdrawn` with their debt, the others close; other denoms' deposits are refunded; then the hooks
   * close the deployment with the insufficient-funds reason.
   */
  private finishOverdrawn(ctx: Context, account: EscrowAccount, payments: EscrowPayment[]): void {
    for (const p of payments) {
      this.withdraw(ctx, p);
      p.balance.amount = 0n;
      p.state = p.unsettled.amount > 0n ? State.overdrawn : State.closed;
      this.savePayment(ctx, p);
    }
    this.refundDeposits(ctx, account);
    this.saveAccount(ctx, account);
    this.runHooks(ctx, account);
  }

  /**
   * A deposit into an overdrawn account pays down the debts of its payments. When they are all paid, the
   * payments and the account close and whatever is left of the deposit goes back to the depositor.
   */
  private recover(ctx: Context, account: EscrowAccount, deposits: EscrowDeposit[]): void {
    // The debt lives in the payments' `unsettled`; settling charges it to the deposits again (as Akash does).
    for (const f of account.funds) if (f.amount < 0n) f.amount = 0n;
    this.pullDeposits(ctx, account, deposits);
    const payments = this.settle(ctx, account);
    const settled = payments.every((p) => p.unsettled.amount === 0n);
    if (settled) account.state = State.closed;
    for (const p of payments) {
      this.withdraw(ctx, p);
      p.state = p.unsettled.amount > 0n ? State.overdrawn : State.closed;
      this.savePayment(ctx, p);
    }
    if (settled) this.refundDeposits(ctx, account);
    this.saveAccount(ctx, account);
  }

  private runHooks(ctx: Context, account: EscrowAccount): void {
    for (const h of this.hooks) h.onAccountClosed(ctx, account);
  }
}
