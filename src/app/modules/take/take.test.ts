// Take rates, the fee on a withdrawal, MsgUpdateParams from governance only, and genesis round trips.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  Take_MsgUpdateParams as MsgUpdateParams,
  type Take_QueryParamsResponse as QueryParamsResponse,
} from "@akashnetwork/chain-sdk/private-types/akash.v1";
import { moduleAddressBytes, toBech32Address } from "../../../crypto/address.js";
import { AppError } from "../../errors.js";
import type { MsgDefinition, QueryDefinition } from "../../module.js";
import { type TestContext, testContext } from "../../testing/context.js";
import { AccountKeeper, AUTH_STORE } from "../auth/keeper.js";
import { BANK_STORE, BankKeeper } from "../bank/keeper.js";
import { GOV_AUTHORITY } from "../chain-sdk.js";
import { COMMUNITY_POOL, TAKE_STORE, TakeKeeper, takeModule } from "./index.js";

const USDC = "ibc/170C677610AC31DF0904FFE09CD3B5C657492170E7E52372E48756B71E56F2F1";

describe("take", () => {
  let t: TestContext;
  let take: TakeKeeper;
  let bank: BankKeeper;
  let accounts: AccountKeeper;
  before(async () => {
    t = await testContext([AUTH_STORE, BANK_STORE, TAKE_STORE]);
    accounts = new AccountKeeper();
    bank = new BankKeeper(accounts);
    take = new TakeKeeper(bank, accounts);
  });
  after(() => t.close());

  it("takes 2% of uakt and 20% of anything else by default, rounding down", () => {
    const ctx = t.at(1n);
    assert.equal(take.fee(ctx, { denom: "uakt", amount: 1000n }), 20n);
    assert.equal(take.fee(ctx, { denom: "uakt", amount: 49n }), 0n);
    assert.equal(take.fee(ctx, { denom: USDC, amount: 1000n }), 200n);
    assert.equal(take.fee(ctx, { denom: USDC, amount: 9n }), 1n);
  });

  it("pays the fee from a module account into the community pool module account", () => {
    const ctx = t.at(1n);
    bank.mintCoins(ctx, moduleAddressBytes("escrow"), [{ denom: USDC, amount: 100n }]);
    assert.equal(take.payFee(ctx, "escrow", { denom: USDC, amount: 100n }), 20n);
    assert.equal(bank.getBalance(ctx, moduleAddressBytes(COMMUNITY_POOL), USDC), 20n);
    assert.equal(bank.getBalance(ctx, moduleAddressBytes("escrow"), USDC), 80n);
    assert.equal(accounts.getAccount(ctx, moduleAddressBytes(COMMUNITY_POOL))?.module?.name, COMMUNITY_POOL);
  });

  it("changes rates only by governance, with valid params", () => {
    const module = takeModule(take);
    const update = module.msgs[0] as unknown as MsgDefinition<MsgUpdateParams>;
    const params = { defaultTakeRate: 10, denomTakeRates: [{ denom: "uakt", rate: 1 }] };
    const msg = (authority: string, p = params) => MsgUpdateParams.fromPartial({ authority, params: p });
    assert.deepEqual(update.signers(msg(GOV_AUTHORITY)), [GOV_AUTHORITY]);
    const stranger = toBech32Address(moduleAddressBytes("stranger"));
    assert.throws(
      () => update.handle(t.at(2n).branch().ctx, msg(stranger)),
      (e: unknown) =>
        e instanceof AppError && e.codespace === "gov" && e.code === 13 && /expected akash1/.test(e.message),
    );
    for (const bad of [
      { defaultTakeRate: 101, denomTakeRates: [] },
      { defaultTakeRate: 20, denomTakeRates: [{ denom: "uakt", rate: 101 }] },
      {
        defaultTakeRate: 20,
        denomTakeRates: [
          { denom: "uakt", rate: 1 },
          { denom: "uakt", rate: 2 },
        ],
      },
      { defaultTakeRate: 20, denomTakeRates: [{ denom: "!", rate: 1 }] },
    ]) {
      assert.throws(
        () => update.validateBasic!(msg(GOV_AUTHORITY, bad)),
        (e: unknown) => e instanceof AppError && e.code === 18,
        JSON.stringify(bad),
      );
    }
    const ctx = t.at(2n);
    update.handle(ctx, msg(GOV_AUTHORITY));
    assert.equal(take.rate(ctx, "uakt"), 1);
    assert.equal(take.rate(ctx, USDC), 10);
    const query = module.queries[0] as unknown as QueryDefinition<object, QueryParamsResponse>;
    assert.deepEqual(query.handle(ctx, {}).params, params);
  });

  it("exports and imports its genesis", async () => {
    const exported = takeModule(take).exportGenesis(t.at(3n));
    assert.deepEqual(exported, {
      params: { denom_take_rates: [{ denom: "uakt", rate: 1 }], default_take_rate: 10 },
    });
    const fresh = await testContext([TAKE_STORE]);
    const other = new TakeKeeper(bank, accounts);
    takeModule(other).initGenesis(fresh.at(1n), exported);
    assert.equal(other.rate(fresh.at(1n), "uakt"), 1);
    takeModule(other).initGenesis(fresh.at(1n), undefined);
    assert.equal(other.rate(fresh.at(1n), "uakt"), 2, "defaults when the genesis has no take entry");
    await fresh.close();
  });
});
