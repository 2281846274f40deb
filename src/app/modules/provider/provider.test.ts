import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  MsgCreateProvider,
  MsgDeleteProvider,
  MsgUpdateProvider,
  type Provider,
  type QueryProviderResponse,
  type QueryProvidersResponse,
} from "@akashnetwork/chain-sdk/private-types/akash.v1beta4";
import { type TestContext, testContext } from "../../testing/context.js";
import { PROVIDER_STORE, ProviderKeeper, providerModule } from "./index.js";
import { attributesOf, deliver, query, reject, testAddress } from "./testing.js";

const CREATE = "/akash.provider.v1beta4.MsgCreateProvider";
const UPDATE = "/akash.provider.v1beta4.MsgUpdateProvider";
const DELETE = "/akash.provider.v1beta4.MsgDeleteProvider";
const Q = "/akash.provider.v1beta4.Query";

const alice = testAddress(1);
const bob = testAddress(2);
const carol = testAddress(3);

const createMsg = (owner: string, extra: Partial<MsgCreateProvider> = {}) =>
  MsgCreateProvider.fromPartial({
    owner,
    hostUri: "https://provider.example.com:8443",
    attributes: [
      { key: "region", value: "eu-west" },
      { key: "capabilities/storage/1/class", value: "beta2" },
    ],
    info: { email: "ops@example.com", website: "https://example.com" },
    ...extra,
  });

describe("provider module", () => {
  let t: TestContext;
  const keeper = new ProviderKeeper();
  const leased = new Set<string>();
  const module = providerModule(keeper, { providerHasActiveLeases: (_ctx, p) => leased.has(p) });

  before(async () => {
    t = await testContext([PROVIDER_STORE]);
  });
  after(() => t.close());

  test("create stores the record and emits EventProviderCreated as a typed event", () => {
    const { response, events } = deliver(t.ctx, module, CREATE, createMsg(alice));
    assert.equal(response.typeUrl, "/akash.provider.v1beta4.MsgCreateProviderResponse");
    assert.deepEqual(events, [
      {
        type: "akash.provider.v1beta4.EventProviderCreated",
        attributes: [{ key: "owner", value: JSON.stringify(alice), index: true }],
      },
    ]);
    const stored = keeper.get(t.ctx, alice);
    assert.deepEqual(stored, {
      owner: alice,
      hostUri: "https://provider.example.com:8443",
      attributes: createMsg(alice).attributes,
      info: { email: "ops@example.com", website: "https://example.com" },
    });
    assert.equal(keeper.has(t.ctx, bob), false);
    assert.equal(keeper.get(t.ctx, bob), undefined);
  });

  test("an owner registers once", () => {
    const { error, stage } = reject(
      t.ctx,
      module,
      CREATE,
      createMsg(alice, { hostUri: "https://other.example" }),
    );
    assert.equal(stage, "handle");
    assert.equal(`${error.codespace}/${error.code}`, "provider/4");
    assert.match(error.message, new RegExp(`provider ${alice} already exists`));
    assert.equal(keeper.get(t.ctx, alice)?.hostUri, "https://provider.example.com:8443");
  });

  test("create rejects bad input before touching state", () => {
    const cases: [Partial<MsgCreateProvider>, string][] = [
      [{ hostUri: "http://provider.example.com" }, "provider/1"],
      [{ hostUri: "provider.example.com" }, "provider/2"],
      [{ hostUri: "https://provider.example.com/api" }, "provider/1"],
      [{ owner: "akash1invalid" }, "sdk/7"],
      [
        {
          attributes: [
            { key: "region", value: "a" },
            { key: "region", value: "b" },
          ],
        },
        "akash/1",
      ],
      [{ attributes: [{ key: "bad key", value: "a" }] }, "akash/2"],
      [{ info: { email: "", website: "not a url" } }, "provider/8"],
    ];
    for (const [patch, expected] of cases) {
      const { error, stage } = reject(t.ctx, module, CREATE, createMsg(bob, patch));
      assert.equal(stage, "validateBasic", JSON.stringify(patch));
      assert.equal(
        `${error.codespace}/${error.code}`,
        expected,
        `${JSON.stringify(patch)}: ${error.message}`,
      );
    }
    assert.equal(keeper.has(t.ctx, bob), false);
  });

  test("update replaces the whole record and emits EventProviderUpdated", () => {
    const msg = MsgUpdateProvider.fromPartial({
      owner: alice,
      hostUri: "https://new.example.com",
      attributes: [{ key: "tier", value: "community" }],
    });
    const { response, events } = deliver(t.ctx, module, UPDATE, msg);
    assert.equal(response.typeUrl, "/akash.provider.v1beta4.MsgUpdateProviderResponse");
    assert.equal(events.length, 1);
    assert.equal(events[0]!.type, "akash.provider.v1beta4.EventProviderUpdated");
    assert.deepEqual(attributesOf(events[0]!), { owner: JSON.stringify(alice) });
    assert.deepEqual(keeper.get(t.ctx, alice), {
      owner: alice,
      hostUri: "https://new.example.com",
      attributes: [{ key: "tier", value: "community" }],
      info: undefined,
    });
  });

  test("update of an unknown provider fails with ErrProviderNotFound", () => {
    const msg = MsgUpdateProvider.fromPartial({ owner: bob, hostUri: "https://b.example.com" });
    const { error, stage, branch } = reject(t.ctx, module, UPDATE, msg);
    assert.equal(stage, "handle");
    assert.equal(`${error.codespace}/${error.code}`, "provider/3");
    assert.equal(keeper.has(branch, bob), false);
    const invalid = reject(t.ctx, module, UPDATE, { ...msg, hostUri: "https://b.example.com/x" });
    assert.equal(`${invalid.error.codespace}/${invalid.error.code}`, "provider/1");
  });

  test("delete: unknown provider, a provider with active leases, then a real delete", () => {
    const unknown = reject(t.ctx, module, DELETE, MsgDeleteProvider.fromPartial({ owner: bob }));
    assert.equal(`${unknown.error.codespace}/${unknown.error.code}`, "provider/3");
    const malformed = reject(t.ctx, module, DELETE, MsgDeleteProvider.fromPartial({ owner: "akash1xyz" }));
    assert.equal(`${malformed.error.codespace}/${malformed.error.code}`, "sdk/7");
    assert.equal(malformed.stage, "validateBasic");

    leased.add(alice);
    const busy = reject(t.ctx, module, DELETE, MsgDeleteProvider.fromPartial({ owner: alice }));
    assert.equal(`${busy.error.codespace}/${busy.error.code}`, "provider/24");
    assert.match(busy.error.message, /has active leases/);
    assert.equal(keeper.has(busy.branch, alice), true);
    leased.delete(alice);

    const { response, events } = deliver(
      t.ctx,
      module,
      DELETE,
      MsgDeleteProvider.fromPartial({ owner: alice }),
    );
    assert.equal(response.typeUrl, "/akash.provider.v1beta4.MsgDeleteProviderResponse");
    assert.equal(events[0]!.type, "akash.provider.v1beta4.EventProviderDeleted");
    assert.deepEqual(attributesOf(events[0]!), { owner: JSON.stringify(alice) });
    assert.equal(keeper.has(t.ctx, alice), false);
    // Deleted owners may register again.
    deliver(t.ctx, module, CREATE, createMsg(alice));
    assert.equal(keeper.has(t.ctx, alice), true);
  });

  test("signers are the owner", () => {
    for (const url of [CREATE, UPDATE, DELETE]) {
      const def = module.msgs.find((m) => m.typeUrl === url)!;
      assert.deepEqual(def.signers(createMsg(carol) as never), [carol]);
    }
  });

  test("queries: Provider by owner, Providers paged", () => {
    deliver(t.ctx, module, CREATE, createMsg(bob));
    deliver(t.ctx, module, CREATE, createMsg(carol));
    const one = query<QueryProviderResponse>(t.ctx, module, `${Q}/Provider`, { owner: bob });
    assert.deepEqual(one.provider, keeper.get(t.ctx, bob));

    assert.throws(
      () => query(t.ctx, module, `${Q}/Provider`, { owner: testAddress(9) }),
      (e: { codespace: string; code: number; message: string }) =>
        e.codespace === "sdk" && e.code === 22 && /NotFound/.test(e.message),
    );
    assert.throws(
      () => query(t.ctx, module, `${Q}/Provider`, { owner: "nope" }),
      (e: { codespace: string; code: number }) => e.codespace === "sdk" && e.code === 18,
    );

    const all = query<QueryProvidersResponse>(t.ctx, module, `${Q}/Providers`, {});
    assert.deepEqual(
      all.providers.map((p: Provider) => p.owner),
      [alice, bob, carol],
    );
    assert.equal(all.pagination?.total.toString(), "3");

    const page1 = query<QueryProvidersResponse>(t.ctx, module, `${Q}/Providers`, {
      pagination: { limit: 2, countTotal: true },
    });
    assert.deepEqual(
      page1.providers.map((p) => p.owner),
      [alice, bob],
    );
    assert.equal(page1.pagination?.total.toString(), "3");
    const page2 = query<QueryProvidersResponse>(t.ctx, module, `${Q}/Providers`, {
      pagination: { key: page1.pagination!.nextKey, limit: 2 },
    });
    assert.deepEqual(
      page2.providers.map((p) => p.owner),
      [carol],
    );
    assert.equal(page2.pagination?.nextKey.length, 0);
  });

  test("genesis: export, import into a fresh chain, export again gives the same JSON", async () => {
    const exported = module.exportGenesis(t.ctx);
    assert.deepEqual(
      (exported as { providers: { owner: string }[] }).providers.map((p) => p.owner),
      [alice, bob, carol],
    );
    assert.deepEqual((exported as { providers: Record<string, unknown>[] }).providers[0], {
      owner: alice,
      host_uri: "https://provider.example.com:8443",
      attributes: [
        { key: "region", value: "eu-west" },
        { key: "capabilities/storage/1/class", value: "beta2" },
      ],
      info: { email: "ops@example.com", website: "https://example.com" },
    });
    const fresh = await testContext([PROVIDER_STORE]);
    try {
      module.initGenesis(fresh.ctx, JSON.parse(JSON.stringify(exported)));
      assert.deepEqual(module.exportGenesis(fresh.ctx), exported);
      assert.deepEqual(keeper.get(fresh.ctx, bob), keeper.get(t.ctx, bob));
      module.initGenesis(fresh.ctx, undefined);
    } finally {
      await fresh.close();
    }
  });

  test("genesis import refuses invalid and duplicate providers", async () => {
    const fresh = await testContext([PROVIDER_STORE]);
    try {
      const p = { owner: alice, host_uri: "https://a.example.com", attributes: [] };
      assert.throws(() => module.initGenesis(fresh.ctx, { providers: [p, p] }), /lists provider .* twice/);
      assert.throws(
        () => module.initGenesis(fresh.ctx, { providers: [{ ...p, host_uri: "http://a" }] }),
        /genesis provider akash1.*: invalid provider host uri/,
      );
      assert.deepEqual(module.exportGenesis(fresh.ctx), { providers: [] });
    } finally {
      await fresh.close();
    }
  });
});
