// Take income: a share of every lease payment, taken when the provider withdraws (`fee = floor(earnings ×
// rate / 100)`, reference: akash-chain.md §4.8) and paid to the community pool module account until staking
// and distribution route it to stakers (DESIGN.md, "Take income").
import { Take_Params as TakeParamsCodec } from "@akashnetwork/chain-sdk/private-types/akash.v1";
import type { Amount } from "../../coins.js";
import type { Context } from "../../context.js";
import { GOV_AUTHORITY } from "../chain-sdk.js";
import { defaultTakeParams, type TakeParams } from "./params.js";

export const TAKE_STORE = "take";
/** The module account take income is paid to. */
export const COMMUNITY_POOL = "community_pool";

const PARAMS_KEY = Uint8Array.of(0x01);

/** What take needs from bank (expected keeper). */
export interface TakeBank {
  sendCoinsFromModuleToAccount(ctx: Context, module: string, to: string, coins: readonly Amount[]): void;
}

/** What take needs from auth (expected keeper): the pool's module account, created on first use. */
export interface ModuleAccounts {
  getOrCreateModuleAccount(ctx: Context, name: string): { address: string };
}

export interface TakeOptions {
  /** Who may change the params (default: the gov module account). */
  authority?: string;
  /** The module account that receives take income (default: `community_pool`). */
  pool?: string;
}

export class TakeKeeper {
  readonly authority: string;
  readonly pool: string;

  constructor(
    private readonly bank: TakeBank,
    private readonly accounts: ModuleAccounts,
    opts: TakeOptions = {},
  ) {
    this.authority = opts.authority ?? GOV_AUTHORITY;
    this.pool = opts.pool ?? COMMUNITY_POOL;
  }

  getParams(ctx: Context): TakeParams {
    const bytes = ctx.kv(TAKE_STORE).get(PARAMS_KEY);
    return bytes ? TakeParamsCodec.decode(bytes) : defaultTakeParams();
  }

  setParams(ctx: Context, params: TakeParams): void {
    ctx.kv(TAKE_STORE).set(PARAMS_KEY, TakeParamsCodec.encode(params).finish());
  }

  /** The take rate of a denom, in percent. */
  rate(ctx: Context, denom: string): number {
    const params = this.getParams(ctx);
    return params.denomTakeRates.find((r) => r.denom === denom)?.rate ?? params.defaultTakeRate;
  }

  fee(ctx: Context, earnings: Amount): bigint {
    return (earnings.amount * BigInt(this.rate(ctx, earnings.denom))) / 100n;
  }

  /** Pays the take fee on `earnings` from a module account into the pool; returns the fee. */
  payFee(ctx: Context, fromModule: string, earnings: Amount): bigint {
    const fee = this.fee(ctx, earnings);
    if (fee > 0n) {
      const pool = this.accounts.getOrCreateModuleAccount(ctx, this.pool);
      this.bank.sendCoinsFromModuleToAccount(ctx, fromModule, pool.address, [
        { denom: earnings.denom, amount: fee },
      ]);
    }
    return fee;
  }
}
