import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  MsgDeleteProviderAttributes,
  MsgSignProviderAttributes,
  type QueryProvidersResponse,
} from "@akashnetwork/chain-sdk/private-types/akash.v1";
import { type TestContext, testContext } from "../../testing/context.js";
import { attributesOf, deliver, query, reject, testAddress } from "../provider/testing.js";
import { AUDIT_STORE, AuditKeeper, auditModule } from "./index.js";

const SIGN = "/akash.audit.v1.MsgSignProviderAttributes";
const DELETE = "/akash.audit.v1.MsgDeleteProviderAttributes";
const Q = "/akash.audit.v1.Query";

const provider1 = testAddress(1);
const provider2 = testAddress(2);
const auditorA = testAddress(0xa);
const auditorB = testAddress(0xb);

const attrs = (...pairs: [string, string][]) => pairs.map(([key, value]) => ({ key, value }));
const sign = (owner: string, auditor: string, attributes: { key: string; value: string }[]) =>
  MsgSignProviderAttributes.fromPartial({ owner, auditor, attributes });
const del = (owner: string, auditor: string, keys: string[] = []) =>
  MsgDeleteProviderAttributes.fromPartial({ owner, auditor, keys });
const codeOf = (e: { codespace: string; code: number }) => `${e.codespace}/${e.code}`;

describe("audit module", () => {
  let t: TestContext;
  const keeper = new AuditKeeper();
  const module = auditModule(keeper);

  before(async () => {
    t = await testContext([AUDIT_STORE]);
  });
  after(() => t.close());

  test("signing creates a record sorted by key and emits EventTrustedAuditorCreated", () => {
    const { response, events } = deliver(
      t.ctx,
      module,
      SIGN,
      sign(provider1, auditorA, attrs(["tier", "premium"], ["region", "eu-west"])),
    );
    assert.equal(response.typeUrl, "/akash.audit.v1.MsgSignProviderAttributesResponse");
    assert.deepEqual(events, [
      {
        type: "akash.audit.v1.EventTrustedAuditorCreated",
        attributes: [
          { key: "auditor", value: JSON.stringify(auditorA), index: true },
          { key: "owner", value: JSON.stringify(provider1), index: true },
        ],
      },
    ]);
    assert.deepEqual(keeper.getProviderAuditorAttributes(t.ctx, provider1, auditorA), {
      owner: provider1,
      auditor: auditorA,
      attributes: attrs(["region", "eu-west"], ["tier", "premium"]),
    });
  });

  test("signing again merges: new keys added, signed keys take the new value; the event repeats", () => {
    const { events } = deliver(
      t.ctx,
      module,
      SIGN,
      sign(provider1, auditorA, attrs(["tier", "community"], ["host", "akash"])),
    );
    assert.equal(events[0]!.type, "akash.audit.v1.EventTrustedAuditorCreated");
    assert.deepEqual(
      keeper.getProviderAuditorAttributes(t.ctx, provider1, auditorA)?.attributes,
      attrs(["host", "akash"], ["region", "eu-west"], ["tier", "community"]),
    );
  });

  test("the provider does not have to be registered; several auditors per provider", () => {
    deliver(t.ctx, module, SIGN, sign(provider1, auditorB, attrs(["region", "eu-west"])));
    deliver(t.ctx, module, SIGN, sign(provider2, auditorB, attrs(["region", "us-east"])));
    const records = keeper.getProviderAttributes(t.ctx, provider1);
    assert.deepEqual(
      records.map((r) => r.auditor),
      [auditorA, auditorB],
    );
    assert.deepEqual(keeper.getProviderAttributes(t.ctx, testAddress(9)), []);
    assert.equal(keeper.getProviderAuditorAttributes(t.ctx, provider2, auditorA), undefined);
  });

  test("signing rejects malformed addresses, keys, duplicates and empty lists", () => {
    const cases: [MsgSignProviderAttributes, string][] = [
      [sign("akash1bad", auditorA, attrs(["a1", "x"])), "audit/2"],
      [sign(provider1, "", attrs(["a1", "x"])), "audit/2"],
      [sign(provider1, auditorA, attrs(["bad key", "x"])), "akash/2"],
      [sign(provider1, auditorA, attrs(["region", "x"], ["region", "y"])), "akash/1"],
      [sign(provider1, auditorA, []), "sdk/18"],
    ];
    for (const [msg, expected] of cases) {
      const { error, stage } = reject(t.ctx, module, SIGN, msg);
      assert.equal(stage, "validateBasic");
      assert.equal(codeOf(error), expected, error.message);
    }
  });

  test("the signer is the auditor", () => {
    for (const url of [SIGN, DELETE]) {
      const def = module.msgs.find((m) => m.typeUrl === url)!;
      assert.deepEqual(def.signers(sign(provider1, auditorB, []) as never), [auditorB]);
    }
  });

  test("deleting keys: each must be signed, nothing changes when one is not", () => {
    const missing = reject(t.ctx, module, DELETE, del(provider1, auditorA, ["tier", "gpu"]));
    assert.equal(codeOf(missing.error), "audit/3");
    assert.match(missing.error.message, /"gpu"/);
    assert.equal(
      keeper.getProviderAuditorAttributes(missing.branch, provider1, auditorA)?.attributes.length,
      3,
    );
    const twice = reject(t.ctx, module, DELETE, del(provider1, auditorA, ["tier", "tier"]));
    assert.equal(codeOf(twice.error), "audit/3");

    const { response, events } = deliver(t.ctx, module, DELETE, del(provider1, auditorA, ["tier", "host"]));
    assert.equal(response.typeUrl, "/akash.audit.v1.MsgDeleteProviderAttributesResponse");
    assert.equal(events[0]!.type, "akash.audit.v1.EventTrustedAuditorDeleted");
    assert.deepEqual(attributesOf(events[0]!), {
      owner: JSON.stringify(provider1),
      auditor: JSON.stringify(auditorA),
    });
    assert.deepEqual(
      keeper.getProviderAuditorAttributes(t.ctx, provider1, auditorA)?.attributes,
      attrs(["region", "eu-west"]),
    );
  });

  test("deleting the last key, or with no keys, removes the record; an absent record is an error", () => {
    deliver(t.ctx, module, DELETE, del(provider1, auditorA, ["region"]));
    assert.equal(keeper.getProviderAuditorAttributes(t.ctx, provider1, auditorA), undefined);
    const gone = reject(t.ctx, module, DELETE, del(provider1, auditorA));
    assert.equal(codeOf(gone.error), "audit/1");
    const malformed = reject(t.ctx, module, DELETE, del(provider1, "akash1x"));
    assert.equal(codeOf(malformed.error), "audit/2");

    deliver(t.ctx, module, SIGN, sign(provider1, auditorA, attrs(["a1", "1"], ["a2", "2"])));
    deliver(t.ctx, module, DELETE, del(provider1, auditorA));
    assert.equal(keeper.getProviderAuditorAttributes(t.ctx, provider1, auditorA), undefined);
    // The auditor index forgot it too.
    const byAuditor = query<QueryProvidersResponse>(t.ctx, module, `${Q}/AuditorAttributes`, {
      auditor: auditorA,
    });
    assert.deepEqual(byAuditor.providers, []);
  });

  test("queries: all, by provider, by provider and auditor, by auditor", () => {
    deliver(t.ctx, module, SIGN, sign(provider2, auditorA, attrs(["region", "us-east"])));
    const all = query<QueryProvidersResponse>(t.ctx, module, `${Q}/AllProvidersAttributes`, {});
    assert.deepEqual(
      all.providers.map((p) => `${p.owner === provider1 ? 1 : 2}/${p.auditor === auditorA ? "A" : "B"}`),
      ["1/B", "2/A", "2/B"],
    );
    assert.equal(all.pagination?.total.toString(), "3");

    const first = query<QueryProvidersResponse>(t.ctx, module, `${Q}/AllProvidersAttributes`, {
      pagination: { limit: 1 },
    });
    assert.equal(first.providers.length, 1);
    assert.ok(first.pagination!.nextKey.length > 0);

    const ofProvider2 = query<QueryProvidersResponse>(t.ctx, module, `${Q}/ProviderAttributes`, {
      owner: provider2,
    });
    assert.deepEqual(
      ofProvider2.providers.map((p) => p.auditor),
      [auditorA, auditorB],
    );
    assert.throws(
      () => query(t.ctx, module, `${Q}/ProviderAttributes`, { owner: testAddress(9) }),
      (e: { codespace: string; code: number }) => codeOf(e) === "sdk/22",
    );

    const one = query<QueryProvidersResponse>(t.ctx, module, `${Q}/ProviderAuditorAttributes`, {
      owner: provider2,
      auditor: auditorB,
    });
    assert.deepEqual(one.providers, [keeper.getProviderAuditorAttributes(t.ctx, provider2, auditorB)]);
    assert.throws(
      () => query(t.ctx, module, `${Q}/ProviderAuditorAttributes`, { owner: provider1, auditor: auditorA }),
      (e: { codespace: string; code: number }) => codeOf(e) === "sdk/22",
    );
    assert.throws(
      () => query(t.ctx, module, `${Q}/ProviderAuditorAttributes`, { owner: provider1, auditor: "x" }),
      (e: { codespace: string; code: number }) => codeOf(e) === "sdk/18",
    );

    const byB = query<QueryProvidersResponse>(t.ctx, module, `${Q}/AuditorAttributes`, { auditor: auditorB });
    assert.deepEqual(
      byB.providers.map((p) => [p.owner, p.auditor]),
      [
        [provider1, auditorB],
        [provider2, auditorB],
      ],
    );
    const byBPage = query<QueryProvidersResponse>(t.ctx, module, `${Q}/AuditorAttributes`, {
      auditor: auditorB,
      pagination: { offset: 1, limit: 1, countTotal: true },
    });
    assert.deepEqual(
      byBPage.providers.map((p) => p.owner),
      [provider2],
    );
    assert.equal(byBPage.pagination?.total.toString(), "2");
  });

  test("genesis round trip and validation", async () => {
    const exported = module.exportGenesis(t.ctx) as { providers: unknown[] };
    assert.equal(exported.providers.length, 3);
    assert.deepEqual(exported.providers[0], {
      owner: provider1,
      auditor: auditorB,
      attributes: [{ key: "region", value: "eu-west" }],
    });
    const fresh = await testContext([AUDIT_STORE]);
    try {
      const record = { owner: provider1, auditor: auditorA, attributes: attrs(["bb", "2"], ["aa", "1"]) };
      assert.throws(() => module.initGenesis(fresh.ctx, { providers: [record, record] }), /twice/);
      assert.throws(
        () => module.initGenesis(fresh.ctx, { providers: [{ ...record, auditor: "x" }] }),
        /invalid auditor address/,
      );
      assert.deepEqual(module.exportGenesis(fresh.ctx), { providers: [] });

      module.initGenesis(fresh.ctx, JSON.parse(JSON.stringify(exported)));
      assert.deepEqual(module.exportGenesis(fresh.ctx), exported);
      const byB = query<QueryProvidersResponse>(fresh.ctx, module, `${Q}/AuditorAttributes`, {
        auditor: auditorB,
      });
      assert.equal(byB.providers.length, 2);
    } finally {
      await fresh.close();
    }
    const sorted = await testContext([AUDIT_STORE]);
    try {
      module.initGenesis(sorted.ctx, {
        providers: [{ owner: provider1, auditor: auditorA, attributes: attrs(["bb", "2"], ["aa", "1"]) }],
      });
      assert.deepEqual(
        keeper.getProviderAuditorAttributes(sorted.ctx, provider1, auditorA)?.attributes,
        attrs(["aa", "1"], ["bb", "2"]),
      );
    } finally {
      await sorted.close();
    }
  });
});
