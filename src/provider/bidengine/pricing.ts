// Bid prices (reference: akash-provider.md §3.3): the `scale` strategy — per-resource rates in the order's
// denom per block — or an external script that reads the order's resources as JSON on stdin and prints a
// price. A bid above the order's maximum, in another denom, or of zero is not made.
import { spawn } from "node:child_process";
import type { GroupSpec } from "@akashnetwork/chain-sdk/private-types/akash.v1beta4";
import { formatDec, parseDec } from "../decimal.js";
import { serviceResources } from "../manifest/types.js";

export interface ScalePricing {
  readonly strategy: "scale";
  /** Per millicpu per block. */
  readonly cpu: number;
  /** Per MiB of memory per block. */
  readonly memory: number;
  /** Per MiB of storage per block, by class (`ephemeral` for non-persistent volumes). */
  readonly storage: Readonly<Record<string, number>>;
  /** Per global endpoint per block. */
  readonly endpoint: number;
}

export interface ScriptPricing {
  readonly strategy: "script";
  readonly path: string;
  readonly timeoutMs: number;
}

export type PricingConfig = ScalePricing | ScriptPricing;

const MIB = 1024n * 1024n;

/** The most the order pays per block: Σ unit price × count, and its denom (reference §1.9). */
export function maxPrice(spec: GroupSpec): { denom: string; amount: bigint } {
  const denom = spec.resources[0]?.price?.denom ?? "uakt";
  let amount = 0n;
  for (const u of spec.resources) amount += parseDec(u.price?.amount ?? "0") * BigInt(u.count);
  return { denom, amount };
}

export function scalePrice(spec: GroupSpec, scale: ScalePricing): bigint {
  let total = 0n;
  for (const unit of spec.resources) {
    const r = serviceResources(unit.resource);
    let one = r.cpuMillis * parseDec(scale.cpu) + (r.memoryBytes / MIB) * parseDec(scale.memory);
    for (const s of r.storage) {
      const cls = s.persistent ? s.class : "ephemeral";
      const rate = scale.storage[cls];
      if (rate === undefined) throw new Error(`no price for storage class "${cls}"`);
      one += (s.bytes / MIB) * parseDec(rate);
    }
    total +=
      one * BigInt(unit.count) + BigInt(unit.resource?.endpoints.length ?? 0) * parseDec(scale.endpoint);
  }
  return total;
}

/** The script's input: Akash's shape (reference §3.3). */
export function scriptInput(spec: GroupSpec): unknown {
  const { denom, amount } = maxPrice(spec);
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
      env: { ...process.env, AKASH_OWNER: owner, AKASH_DENOM: maxPrice(spec).denom },
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
): Promise<{ price: { denom: string; amount: string } } | { refused: string }> {
  const max = maxPrice(spec);
  const amount =
    config.strategy === "scale" ? scalePrice(spec, config) : await scriptPrice(spec, owner, config);
  if (amount <= 0n) return { refused: "the price comes to zero" };
  if (amount > max.amount) {
    return {
      refused: `price ${formatDec(amount)}${max.denom} is above the order's maximum ${formatDec(max.amount)}${max.denom}`,
    };
  }
  return { price: { denom: max.denom, amount: formatDec(amount) } };
}
