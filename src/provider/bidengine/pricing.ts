// Bid prices (reference: akash-provider.md §3.3): the `scale` strategy — per-resource rates in the order's
// denom per block — or an external script that reads the order's resources as JSON on stdin and prints a
// price. A bid above the order's maximum, in another denom, or of zero is not made. The scale price and that
// check are client/pricing.ts's, shared with the tenant's dry run, which predicts the bid from the rates
// `/status` publishes (`publishedPricing`).
import { spawn } from "node:child_process";
import type { GroupSpec } from "@akashnetwork/chain-sdk/private-types/akash.v1beta4";
import { formatDec, parseDec } from "../../client/decimal.js";
import type { BidPricing } from "../../client/gateway/types.js";
import {
  type BidPriceCheck,
  checkBidPrice,
  orderMaxPrice,
  publishScaleRates,
  type ScaleRates,
  scalePrice,
} from "../../client/pricing.js";
import { serviceResources } from "../../client/resources.js";

/** The `scale` strategy: its rates (numbers, as the config has them) are priced by client/pricing.ts. */
export interface ScalePricing extends ScaleRates {
  readonly strategy: "scale";
  readonly cpu: number;
  readonly memory: number;
  readonly storage: Readonly<Record<string, number>>;
  readonly endpoint: number;
}

export interface ScriptPricing {
  readonly strategy: "script";
  readonly path: string;
  readonly timeoutMs: number;
}

export type PricingConfig = ScalePricing | ScriptPricing;

export { scalePrice };

/**
 * What `/status` publishes of the pricing (`bid_pricing`): the scale rates, from which a tenant computes the
 * bid exactly as `priceOrder` does; nothing for a script, whose prices cannot be known beforehand.
 */
export function publishedPricing(config: PricingConfig): BidPricing | undefined {
  return config.strategy === "scale" ? publishScaleRates(config) : undefined;
}

/** The script's input: Akash's shape (reference §3.3). */
export function scriptInput(spec: GroupSpec): unknown {
  const { denom, amount } = orderMaxPrice(spec);
  return {
    resources: spec.resources.map((unit) => {
      const r = serviceResources(unit.resource);
      return {
        cpu: Number(r.cpuMillis),
        memory: Number(r.memoryBytes),
        gpu: { units: Number(r.gpuUnits), attributes: {} },
        storage: r.storage.map((s) => ({
          class: s.persistent ? s.class : "ephemeral",
          size: Number(s.bytes),
        })),
        count: unit.count,
        endpoint_quantity: unit.resource?.endpoints.filter((e) => e.kind !== 2).length ?? 0,
        ip_lease_quantity: unit.resource?.endpoints.filter((e) => e.kind === 2).length ?? 0,
      };
    }),
    price: { denom, amount: formatDec(amount) },
    price_precision: 6,
  };
}

export function scriptPrice(spec: GroupSpec, owner: string, config: ScriptPricing): Promise<bigint> {
  return new Promise((resolve, reject) => {
    const child = spawn(config.path, [], {
      stdio: ["pipe", "pipe", "pipe"],
      env: { ...process.env, AKASH_OWNER: owner, AKASH_DENOM: orderMaxPrice(spec).denom },
      timeout: config.timeoutMs,
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    child.stderr.on("data", (d) => {
      err += d;
    });
    child.on("error", reject);
    child.on("close", (code) => {
      const text = out.trim();
      if (code !== 0) return reject(new Error(`pricing script exited with ${code}: ${err.trim()}`));
      if (!/^\d+(\.\d+)?$/.test(text))
        return reject(new Error(`pricing script printed "${text}", not a price`));
      resolve(parseDec(text));
    });
    child.stdin.end(JSON.stringify(scriptInput(spec)));
  });
}

/** The bid price as a decimal string, or why there is none. */
export async function priceOrder(
  spec: GroupSpec,
  owner: string,
  config: PricingConfig,
): Promise<BidPriceCheck> {
  const amount =
    config.strategy === "scale" ? scalePrice(spec, config) : await scriptPrice(spec, owner, config);
  return checkBidPrice(spec, amount);
}
