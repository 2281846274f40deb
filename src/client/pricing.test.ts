// The scale price the bid engine bids and a dry run predicts (one function for both), on groups built from
// real SDLs: the bid engine's own expectations (provider/bidengine/engine.test.ts), storage classes, replicas,
// endpoints, denoms, and the rates as `/status` publishes and a tenant reads them.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { GroupSpec } from "@akashnetwork/chain-sdk/private-types/akash.v1beta4";
import { USDC_DENOM } from "../params/chain.js";
import { formatDec } from "./decimal.js";
import type { ProviderStatus } from "./gateway/types.js";
import { checkBidPrice, orderMaxPrice, publishedRates, publishScaleRates, scalePrice } from "./pricing.js";
import { type WebGroupOptions, webGroup } from "./testing/sdl.js";

/** The bid engine tests' rates, and the default of a provider's config. */
const SCALE = { cpu: 0.1, memory: 0.01, storage: { ephemeral: 0.001, beta2: 0.002 }, endpoint: 0 };

/** The bid engine tests' web group (provider/testing/sdl.ts `webSdl`: 100 MiB of storage), with a volume. */
function web(
  opts: Omit<WebGroupOptions, "storage" | "params"> & { volume?: string } = {},
): Promise<GroupSpec> {
  const { volume, ...rest } = opts;
  return webGroup({
    ...rest,
    storage: `[{size: 100Mi}${volume ? `, ${volume}` : ""}]`,
    params: volume ? "{storage: {data: {mount: /data}}}" : undefined,
  });
}

const price = (spec: GroupSpec, rates = SCALE) => formatDec(scalePrice(spec, rates));

describe("scale pricing", () => {
  test("the bid engine's prices: 50.74 for half a CPU, and 10.74 refused above a maximum of 1", async () => {
    const half = await web({ cpu: 0.5 });
    // 500 millicpu × 0.1 + 64 MiB × 0.01 + 100 MiB × 0.001
    assert.equal(price(half), "50.74");
    assert.deepEqual(checkBidPrice(half, scalePrice(half, SCALE)), {
      price: { denom: "uakt", amount: "50.74" },
    });
    const cheap = await web({ price: 1 });
    assert.deepEqual(checkBidPrice(cheap, scalePrice(cheap, SCALE)), {
      refused: "price 10.74uakt is above the order's maximum 1uakt",
    });
  });

  test("replicas multiply the resources, persistent volumes take their class's rate", async () => {
    assert.equal(price(await web({ count: 3 })), "32.22");
    const stored = await web({
      volume: "{name: data, size: 1Gi, attributes: {persistent: true, class: beta2}}",
    });
    assert.equal(price(stored), formatDec(scalePrice(await web(), SCALE) + 1024n * 2n * 10n ** 15n));
    assert.throws(
      () => scalePrice(stored, { ...SCALE, storage: { ephemeral: 0.001 } }),
      /no price for storage class "beta2"/,
    );
  });

  test("each global endpoint is priced once per group, not per replica", async () => {
    const rates = { ...SCALE, endpoint: 5 };
    assert.equal(price(await web(), rates), "15.74");
    assert.equal(price(await web({ count: 2 }), rates), "26.48");
  });

  test("the bid is in the order's denom; a zero price or one above the maximum is not bid", async () => {
    const usdc = await web({ denom: USDC_DENOM, price: 20 });
    assert.equal(orderMaxPrice(usdc).denom, USDC_DENOM);
    assert.deepEqual(checkBidPrice(usdc, scalePrice(usdc, SCALE)), {
      price: { denom: USDC_DENOM, amount: "10.74" },
    });
    assert.deepEqual(checkBidPrice(usdc, 0n), { refused: "the price comes to zero" });
    const exact = await web({ price: 10.74 });
    assert.ok(
      "price" in checkBidPrice(exact, scalePrice(exact, SCALE)),
      "a price equal to the maximum is bid",
    );
  });

  test("the rates as `/status` publishes them price the same, and unreadable ones are unknown", async () => {
    const published = publishScaleRates(SCALE);
    assert.deepEqual(published, {
      strategy: "scale",
      cpu: "0.1",
      memory: "0.01",
      storage: { ephemeral: "0.001", beta2: "0.002" },
      endpoint: "0",
    });
    const read = publishedRates({ bid_pricing: published });
    assert.ok(read);
    const spec = await web({ cpu: 0.5 });
    assert.equal(scalePrice(spec, read), scalePrice(spec, SCALE));
    for (const [name, status] of [
      ["no field (Akash)", {}],
      ["offline", undefined],
      ["another strategy", { bid_pricing: { ...published, strategy: "script" } }],
      ["a number", { bid_pricing: { ...published, cpu: 0.1 } }],
      ["negative", { bid_pricing: { ...published, memory: "-1" } }],
      ["no storage", { bid_pricing: { ...published, storage: null } }],
      ["bad storage rate", { bid_pricing: { ...published, storage: { ephemeral: "x" } } }],
    ] as const) {
      assert.equal(publishedRates(status as unknown as ProviderStatus), undefined, name);
    }
  });
});
