// The bid screening matcher and the no-bids explanation over it, on groups built from real SDLs and a market
// of providers, audits and `/status` documents written here (no chain, no network).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { GroupSpec } from "@akashnetwork/chain-sdk/private-types/akash.v1beta4";
import type { ProviderStatus } from "./gateway/types.js";
import type { ProviderInfo } from "./modules/provider/queries.js";
import { explainScreening } from "./no-bids.js";
import { globMatch, type Market, screenGroup } from "./screening.js";
import { webGroup } from "./testing/sdl.js";

const AUDITOR = "akash1sd6dsvhm6eqcv33fcm8pxvr26p73knf28pk5ak";
const OTHER_AUDITOR = "akash1f84c23zhjlddsfg6n4y94v260v5yd8ktvfsj25";

function provider(owner: string, attributes: Record<string, string>): ProviderInfo {
  return {
    owner,
    hostUri: `https://${owner.slice(-4)}.example:8443`,
    attributes: Object.entries(attributes).map(([key, value]) => ({ key, value })),
    email: "",
    website: "",
  };
}

const GIB = 1024 ** 3;

function status(cpuMillis: number, memoryBytes: number, storageBytes = 100 * GIB): ProviderStatus {
  const amounts = { cpu: cpuMillis, gpu: 0, memory: memoryBytes, storage_ephemeral: storageBytes };
  return {
    cluster: {
      inventory: { available: { nodes: [{ name: "docker", allocatable: amounts, available: amounts }] } },
    },
  };
}

const LOCAL = "akash1local0000000000000000000000000000aaaa";
const EU = "akash1europe000000000000000000000000000bbbb";
const DOWN = "akash1down00000000000000000000000000000cccc";

/** Three providers: one local and audited with persistent storage, one in the EU, one that does not answer. */
function market(over: Partial<Market> = {}): Market {
  return {
    providers: [
      provider(LOCAL, {
        region: "local",
        "capabilities/storage/1/class": "beta2",
        "capabilities/storage/1/persistent": "true",
      }),
      provider(EU, { region: "eu-west", "tier/datacenter": "true" }),
      provider(DOWN, { region: "local" }),
    ],
    audits: [{ owner: LOCAL, auditor: AUDITOR, attributes: [{ key: "region", value: "local" }] }],
    statuses: new Map([
      [LOCAL, status(2000, 4 * GIB)],
      [EU, status(8000, 32 * GIB)],
      [DOWN, undefined],
    ]),
    ...over,
  };
}

/** A DeCloud provider's `/status` with its `scale` rates (the default config's, × `factor`). */
function priced(cpuMillis: number, memoryBytes: number, factor = 1): ProviderStatus {
  const rate = (r: number) => String(r * factor);
  return {
    ...status(cpuMillis, memoryBytes),
    bid_pricing: {
      strategy: "scale",
      cpu: rate(0.1),
      memory: rate(0.01),
      storage: { ephemeral: rate(0.001), beta2: rate(0.002) },
      endpoint: "0",
    },
  };
}

const verdicts = (m: Market, g: GroupSpec) =>
  Object.fromEntries(
    screenGroup(m, g).providers.map((p) => [p.provider.owner, p.unmet?.requirement ?? "bids"]),
  );

describe("bid screening", () => {
  test("glob keys match any run of characters, and nothing else", () => {
    for (const [pattern, key, expected] of [
      ["region", "region", true],
      ["region", "regions", false],
      ["tier/*", "tier/datacenter", true],
      ["tier/*", "tier", false],
      ["capabilities/gpu/vendor/*/model/*", "capabilities/gpu/vendor/nvidia/model/a100", true],
      ["a.b", "axb", false],
    ] as const) {
      assert.equal(globMatch(pattern, key), expected, `${pattern} vs ${key}`);
    }
  });

  test("attributes: each provider is judged on the placement's, glob keys included", async () => {
    assert.deepEqual(verdicts(market(), await webGroup({})), {
      [LOCAL]: "bids",
      [EU]: "attributes",
      [DOWN]: "online",
    });
    const dc = await webGroup({ attributes: '{"tier/*": "true"}' });
    assert.deepEqual(verdicts(market(), dc), { [LOCAL]: "attributes", [EU]: "bids", [DOWN]: "attributes" });
    const eu = screenGroup(market(), await webGroup({ attributes: "{region: eu-west}" }));
    assert.deepEqual(eu.providers.find((p) => p.provider.owner === LOCAL)?.unmet, {
      requirement: "attributes",
      text: "no region=eu-west",
    });
    assert.deepEqual(
      eu.matching.map((p) => p.provider.owner),
      [EU],
    );
  });

  test("auditors: allOf needs every one, anyOf one; the audit must cover the placement's attributes", async () => {
    const any = await webGroup({ signedBy: `{anyOf: [${OTHER_AUDITOR}, ${AUDITOR}]}` });
    const s = screenGroup(market(), any);
    const local = s.providers.find((p) => p.provider.owner === LOCAL)!;
    assert.equal(local.audited, true);
    assert.deepEqual(local.auditedBy, [AUDITOR]);
    assert.equal(s.providers.find((p) => p.provider.owner === DOWN)?.unmet?.requirement, "auditors");

    const all = await webGroup({ signedBy: `{allOf: [${OTHER_AUDITOR}, ${AUDITOR}]}` });
    assert.equal(verdicts(market(), all)[LOCAL], "auditors");
    // The auditor signed region=local, not tier: a placement asking for both is not covered.
    const both = await webGroup({
      attributes: "{region: local, tier: community}",
      signedBy: `{anyOf: [${AUDITOR}]}`,
    });
    const m = market({
      providers: [provider(LOCAL, { region: "local", tier: "community" })],
    });
    assert.equal(verdicts(m, both)[LOCAL], "auditors");
    assert.equal(
      screenGroup(market(), await webGroup({})).providers[0]!.audited,
      undefined,
      "no signedBy: not asked",
    );
  });

  test("persistent storage: the class must be one the provider offers", async () => {
    const params = "{storage: {data: {mount: /data}}}";
    const beta2 = await webGroup({
      params,
      storage: "[{size: 128Mi}, {name: data, size: 1Gi, attributes: {persistent: true, class: beta2}}]",
    });
    const beta3 = await webGroup({
      params,
      storage: "[{size: 128Mi}, {name: data, size: 1Gi, attributes: {persistent: true, class: beta3}}]",
    });
    assert.equal(verdicts(market(), beta2)[LOCAL], "bids");
    const s = screenGroup(market(), beta3);
    assert.deepEqual(s.providers[0]!.missingStorageClasses, ["beta3"]);
    assert.equal(s.providers[0]!.unmet?.requirement, "storage-class");
    assert.match(explainScreening(s).reason, /none offers persistent storage class beta3 \(offered: beta2\)/);
  });

  test("capacity: CPU, memory and storage (× count) against the free capacity of /status", async () => {
    const big = screenGroup(market(), await webGroup({ cpu: 1, count: 3 }));
    const local = big.providers.find((p) => p.provider.owner === LOCAL)!;
    assert.equal(local.fits, false);
    assert.deepEqual(local.unmet, { requirement: "capacity", text: "too small: needs 3 CPU, 192 MiB" });
    assert.equal(local.free?.cpuMillis, 2000);
    assert.equal(verdicts(market(), await webGroup({ memory: "8Gi" }))[LOCAL], "capacity");
    assert.equal(verdicts(market(), await webGroup({ storage: "[{size: 200Gi}]" }))[LOCAL], "capacity");
    assert.equal(verdicts(market(), await webGroup({ cpu: 2 }))[LOCAL], "bids", "exactly what is free fits");
    // A provider that reports no nodes: its capacity cannot be known, so it is not held against it.
    const silent = market({ statuses: new Map([[LOCAL, {}]]) });
    const unknown = screenGroup(silent, await webGroup({ cpu: 64 })).providers[0]!;
    assert.equal(unknown.fits, undefined);
    assert.equal(unknown.unmet, undefined);
  });

  test("an unreachable provider is offline, after the on-chain requirements", async () => {
    const s = screenGroup(market(), await webGroup({}));
    const down = s.providers.find((p) => p.provider.owner === DOWN)!;
    assert.equal(down.online, false);
    assert.equal(down.fits, undefined);
    assert.deepEqual(down.unmet, { requirement: "online", text: "offline" });
    const onlyDown = market({ providers: [market().providers[2]!] });
    const why = explainScreening(screenGroup(onlyDown, await webGroup({})));
    assert.match(why.reason, /but none answers at its host_uri \(https:\/\/cccc\.example:8443\)/);
    assert.deepEqual(why.matching, [DOWN]);
  });

  test("the explanation names the first requirement no provider meets and the SDL field to relax", async () => {
    const none = explainScreening(screenGroup(market({ providers: [] }), await webGroup({})));
    assert.match(none.reason, /No provider is registered/);

    const eu = explainScreening(screenGroup(market(), await webGroup({ attributes: "{region: us-east}" })));
    assert.equal(eu.reason, "No provider offers region=us-east (3 providers: region=local, region=eu-west).");
    assert.match(eu.hint, /Relax profiles\.placement\.dc\.attributes\.region/);

    const together = explainScreening(
      screenGroup(market(), await webGroup({ attributes: '{region: local, "tier/*": "true"}' })),
    );
    assert.match(together.reason, /No provider offers all of region=local, tier\/\*=true together/);

    const audited = explainScreening(
      screenGroup(market(), await webGroup({ signedBy: `{anyOf: [${OTHER_AUDITOR}]}` })),
    );
    assert.match(
      audited.reason,
      new RegExp(`2 providers offer region=local, but none is audited for it by ${OTHER_AUDITOR}`),
    );
    assert.match(audited.hint, /Relax profiles\.placement\.dc\.signedBy/);

    const big = explainScreening(screenGroup(market(), await webGroup({ cpu: 64 })));
    assert.match(
      big.reason,
      new RegExp(`the group needs 64 CPU and 64 MiB \\(${LOCAL}: 2 CPU, 4 GiB free\\)`),
    );
    assert.match(big.hint, /Ask for less in profiles\.compute/);

    const priced = explainScreening(screenGroup(market(), await webGroup({})));
    assert.match(priced.reason, /1 provider matches and has room, but did not bid/);
    assert.deepEqual(priced.matching, [LOCAL]);
  });

  test("price: a provider publishing its rates gets the bid it would make, checked before capacity", async () => {
    // LOCAL asks the default rates, EU ten times them (both place region=local for this test).
    const m = market({
      providers: [
        provider(LOCAL, { region: "local" }),
        provider(EU, { region: "local" }),
        market().providers[2]!,
      ],
      statuses: new Map([
        [LOCAL, priced(2000, 4 * GIB)],
        [EU, priced(8000, 32 * GIB, 10)],
        [DOWN, undefined],
      ]),
    });
    // 100 millicpu × 0.1 + 64 MiB × 0.01 + 128 MiB × 0.001 = 10.768 per block.
    const s = screenGroup(m, await webGroup({ price: 50 }));
    const local = s.providers.find((p) => p.provider.owner === LOCAL)!;
    assert.deepEqual(local.price, { denom: "uakt", amount: "10.768" });
    assert.equal(local.priceFits, true);
    assert.equal(local.unmet, undefined);
    const eu = s.providers.find((p) => p.provider.owner === EU)!;
    assert.deepEqual(eu.price, { denom: "uakt", amount: "107.68" });
    assert.equal(eu.priceFits, false);
    assert.deepEqual(eu.unmet, {
      requirement: "price",
      text: "price 107.68uakt is above the order's maximum 50uakt",
    });
    assert.deepEqual(
      s.matching.map((p) => p.provider.owner),
      [LOCAL],
    );
    const down = s.providers.find((p) => p.provider.owner === DOWN)!;
    assert.equal(down.price, undefined, "offline: no price known");
    assert.equal(down.unmet?.requirement, "online");

    // Too expensive and too small: the price is what the bid engine checks first.
    assert.equal(verdicts(m, await webGroup({ price: 50, cpu: 64 }))[EU], "price");
    // A provider that publishes no rates (Akash's, or a pricing script): its price is unknown, not held against it.
    const akash = screenGroup(market(), await webGroup({ price: 1 })).providers.find(
      (p) => p.provider.owner === LOCAL,
    )!;
    assert.equal(akash.price, undefined);
    assert.equal(akash.priceFits, undefined);
    assert.equal(akash.unmet, undefined);

    const tooLow = explainScreening(screenGroup(m, await webGroup({ price: 5 })));
    assert.equal(
      tooLow.reason,
      `2 providers match the placement, but their price is above the SDL's maximum 5 uakt/block (${LOCAL}: 10.768 uakt/block; ${EU}: 107.68 uakt/block).`,
    );
    assert.equal(
      tooLow.hint,
      "Raise profiles.placement.dc.pricing so the group offers at least 10.768 uakt/block, then deploy again.",
    );
    // Rates that add up to zero: the engine refuses to bid, and raising the SDL's price would not help.
    const free = market({
      providers: [m.providers[0]!],
      statuses: new Map([[LOCAL, priced(2000, 4 * GIB, 0)]]),
    });
    const zero = explainScreening(screenGroup(free, await webGroup({})));
    assert.match(zero.reason, /its pricing cannot price this group \(.*: the price comes to zero\)/);
    assert.match(zero.hint, /provider's configuration \(bidding\.pricing\), not the SDL/);
    // Its price fits and it has room, yet no bid came (after a deploy): not blamed on the price.
    const quiet = explainScreening(screenGroup(m, await webGroup({ price: 50 })));
    assert.match(quiet.reason, /1 provider matches, has room and asks no more than the SDL offers/);
  });
});
