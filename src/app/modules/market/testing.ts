// A marketplace over a real multistore for keeper- and handler-level tests: the real auth and bank keepers,
// the four marketplace modules wired by createMarketplace, and small in-memory provider and audit
// registries. Messages run as the baseapp runs them: validateBasic, then the handler on a branch that is
// written only if it succeeds.

import type { Attribute } from "@akashnetwork/chain-sdk/private-types/akash.v1";
import { GroupSpec } from "@akashnetwork/chain-sdk/private-types/akash.v1beta4";
import type { Event } from "cosmjs-types/tendermint/abci/types";
import { fromBech32Address, moduleAddressBytes, sha256, toBech32Address } from "../../../crypto/address.js";
import type { Context } from "../../context.js";
import { AppError } from "../../errors.js";
import type { MsgDefinition, QueryDefinition } from "../../module.js";
import { type TestContext, testContext } from "../../testing/context.js";
import { AccountKeeper, AUTH_STORE } from "../auth/keeper.js";
import { BANK_STORE, BankKeeper } from "../bank/keeper.js";
import { DEPLOYMENT_STORE } from "../deployment/keeper.js";
import { USDC_DENOM } from "../deployment/params.js";
import { ESCROW_MODULE, ESCROW_STORE } from "../escrow/keeper.js";
import { COMMUNITY_POOL, TAKE_STORE } from "../take/keeper.js";
import type { AuditLookup, ProviderLookup } from "./expected.js";
import { MARKET_STORE } from "./keeper.js";
import { createMarketplace, type Marketplace } from "./marketplace.js";

export const USDC = USDC_DENOM;
export const STORES = [AUTH_STORE, BANK_STORE, TAKE_STORE, ESCROW_STORE, DEPLOYMENT_STORE, MARKET_STORE];

/** A deterministic account address for a name. */
export const address = (name: string) =>
  toBech32Address(sha256(new TextEncoder().encode(name)).subarray(0, 20));
export const ESCROW_ADDRESS = toBech32Address(moduleAddressBytes(ESCROW_MODULE));
export const POOL_ADDRESS = toBech32Address(moduleAddressBytes(COMMUNITY_POOL));

export class FakeProviders implements ProviderLookup {
  readonly byOwner = new Map<string, { owner: string; attributes: Attribute[] }>();
  get(_ctx: Context, owner: string) {
    return this.byOwner.get(owner);
  }
  add(owner: string, attributes: Record<string, string> = {}): void {
    this.byOwner.set(owner, {
      owner,
      attributes: Object.entries(attributes).map(([key, value]) => ({ key, value })),
    });
  }
}

export class FakeAudits implements AuditLookup {
  readonly records: { owner: string; auditor: string; attributes: Attribute[] }[] = [];
  getProviderAttributes(_ctx: Context, owner: string) {
    return this.records.filter((r) => r.owner === owner);
  }
  sign(owner: string, auditor: string, attributes: Record<string, string>): void {
    this.records.push({
      owner,
      auditor,
      attributes: Object.entries(attributes).map(([key, value]) => ({ key, value })),
    });
  }
}

export interface UnitOptions {
  id?: number;
  cpu?: string;
  memory?: string;
  storage?: { name?: string; size: string; attributes?: Record<string, string> }[];
  gpu?: string;
  gpuAttributes?: Record<string, string>;
  count?: number;
  price?: { denom: string; amount: string };
}

const value = (v: string) => ({ val: new TextEncoder().encode(v) });
const attrs = (a: Record<string, string> = {}) => Object.entries(a).map(([key, v]) => ({ key, value: v }));

/** A resource unit as chain-sdk's SDL support builds it (reference §11.1), with small defaults. */
export function unit(o: UnitOptions = {}) {
  return {
    resource: {
      id: o.id ?? 1,
      cpu: { units: value(o.cpu ?? "500"), attributes: [] },
      memory: { quantity: value(o.memory ?? String(512 * 1024 * 1024)), attributes: [] },
      storage: (o.storage ?? [{ size: String(1024 * 1024 * 1024) }]).map((s) => ({
        name: s.name ?? "default",
        quantity: value(s.size),
        attributes: attrs(s.attributes),
      })),
      gpu: { units: value(o.gpu ?? "0"), attributes: attrs(o.gpuAttributes) },
      endpoints: [],
    },
    count: o.count ?? 1,
    price: o.price ?? { denom: "uakt", amount: "100" },
  };
}

export function group(
  name: string,
  units = [unit()],
  requirements: { attributes?: Record<string, string>; allOf?: string[]; anyOf?: string[] } = {},
): GroupSpec {
  return GroupSpec.fromPartial({
    name,
    requirements: {
      attributes: attrs(requirements.attributes),
      signedBy: { allOf: requirements.allOf ?? [], anyOf: requirements.anyOf ?? [] },
    },
    resources: units,
  });
}

export const HASH = new Uint8Array(32).fill(7);

export class MarketFixture {
  readonly providers = new FakeProviders();
  readonly audits = new FakeAudits();
  readonly accounts = new AccountKeeper();
  readonly bank = new BankKeeper(this.accounts);
  readonly mp: Marketplace;
  private readonly msgs = new Map<string, MsgDefinition<unknown>>();
  private readonly queries = new Map<string, QueryDefinition<unknown, unknown>>();
  height = 10n;

  private constructor(readonly t: TestContext) {
    this.mp = createMarketplace({
      bank: this.bank,
      accounts: this.accounts,
      providers: this.providers,
      audits: this.audits,
    });
    for (const m of this.mp.modules) {
      for (const msg of m.msgs) this.msgs.set(msg.typeUrl, msg as MsgDefinition<unknown>);
      for (const q of m.queries) this.queries.set(q.path, q as QueryDefinition<unknown, unknown>);
    }
    const ctx = this.ctx();
    for (const m of this.mp.modules) m.initGenesis(ctx, undefined);
  }

  static async create(): Promise<MarketFixture> {
    return new MarketFixture(await testContext(STORES));
  }

  close(): Promise<void> {
    return this.t.close();
  }

  ctx(height = this.height): Context {
    return this.t.at(height);
  }

  advance(blocks: bigint): void {
    this.height += blocks;
  }

  /** Mints coins into an account, as the bank genesis does (creating the account). */
  fund(who: string, coins: Record<string, bigint>): void {
    const ctx = this.ctx();
    const bytes = fromBech32Address(who);
    this.bank.mintCoins(
      ctx,
      bytes,
      Object.entries(coins).map(([denom, amount]) => ({ denom, amount })),
    );
    if (!this.accounts.hasAccount(ctx, bytes))
      this.accounts.setAccount(ctx, this.accounts.newAccount(ctx, bytes));
  }

  balance(who: string, denom = "uakt"): bigint {
    return this.bank.getBalance(this.ctx(), fromBech32Address(who), denom);
  }

  msg<M>(typeUrl: string): MsgDefinition<M> {
    const def = this.msgs.get(typeUrl);
    if (!def) throw new Error(`no message ${typeUrl}`);
    return def as MsgDefinition<M>;
  }

  /** Runs a message as the baseapp does; returns its events. Throws its AppError, writing nothing. */
  run<M>(typeUrl: string, msg: M): Event[] {
    const def = this.msg<M>(typeUrl);
    def.validateBasic?.(msg);
    const { ctx, cache } = this.ctx().branch();
    def.handle(ctx, msg);
    cache.write();
    return ctx.events.events();
  }

  /** Asserts that a message fails with the given error and leaves the state exactly as it was. */
  rejects<M>(typeUrl: string, msg: M, codespace: string, code: number, text?: RegExp): AppError {
    const before = this.t.cms.workingHash();
    let error: unknown;
    try {
      this.run(typeUrl, msg);
    } catch (e) {
      error = e;
    }
    if (!(error instanceof AppError)) throw new Error(`expected ${codespace}/${code}, got ${String(error)}`);
    if (error.codespace !== codespace || error.code !== code || (text && !text.test(error.message))) {
      throw new Error(
        `expected ${codespace}/${code} ${text ?? ""}, got ${error.codespace}/${error.code}: ${error.message}`,
      );
    }
    const after = this.t.cms.workingHash();
    if (Buffer.compare(Buffer.from(before), Buffer.from(after)) !== 0)
      throw new Error("a failed message wrote state");
    return error;
  }

  /** Runs a query from a partial request, through the wire encoding both ways, as a client sees it. */
  query<Res>(path: string, req: object): Res {
    const def = this.queries.get(path);
    if (!def) throw new Error(`no query ${path}`);
    const codec = def.request as unknown as { fromPartial(o: unknown): unknown };
    const request = def.request.decode(def.request.encode(codec.fromPartial(req) as never).finish());
    return def.response.decode(
      def.response.encode(def.handle(this.ctx(), request as never) as never).finish(),
    ) as Res;
  }
}

/** The typed events of a type, their attributes parsed from JSON. */
export function typedEvents(events: Event[], type: string): Record<string, unknown>[] {
  return events
    .filter((e) => e.type === type)
    .map((e) => Object.fromEntries(e.attributes.map((a) => [a.key, JSON.parse(a.value)])));
}
