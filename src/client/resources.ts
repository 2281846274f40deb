// What a group asks of a provider, read from its on-chain GroupSpec: CPU, memory and storage over all its
// resource units (quantities are decimal digits in bytes, Go's math.Int; reference: akash-chain.md §2).
import type { GroupSpec, Resources } from "@akashnetwork/chain-sdk/private-types/akash.v1beta4";

export interface GroupTotals {
  readonly cpuMillis: bigint;
  readonly memoryBytes: bigint;
  readonly storageBytes: bigint;
  readonly gpus: bigint;
}

/** Lenient: what a tenant sums up for display; a malformed quantity counts as nothing. */
function quantityOrZero(value: { val: Uint8Array } | undefined): bigint {
  const text = value ? new TextDecoder().decode(value.val) : "";
  return /^\d+$/.test(text) ? BigInt(text) : 0n;
}

/** A resource quantity (`{val}` holds the decimal digits as bytes, Go's math.Int); malformed ones throw. */
export function quantity(value: { val: Uint8Array } | undefined): bigint {
  if (!value || value.val.length === 0) return 0n;
  const text = new TextDecoder().decode(value.val);
  if (!/^\d+$/.test(text)) throw new Error(`"${text}" is not a resource quantity`);
  return BigInt(text);
}

/** What one replica of a service asks for. */
export interface ServiceResources {
  readonly cpuMillis: bigint;
  readonly memoryBytes: bigint;
  readonly gpuUnits: bigint;
  readonly storage: readonly {
    readonly name: string;
    readonly bytes: bigint;
    readonly persistent: boolean;
    readonly class: string;
  }[];
}

/**
 * One replica's resources as the provider reads them (matching, pricing, containers) and a dry run predicts
 * them: a volume is persistent when its `persistent` attribute is "true"; its class is "default" when it
 * names none, "ephemeral" when it is not persistent.
 */
export function serviceResources(resources: Resources | undefined): ServiceResources {
  return {
    cpuMillis: quantity(resources?.cpu?.units),
    memoryBytes: quantity(resources?.memory?.quantity),
    gpuUnits: quantity(resources?.gpu?.units),
    storage: (resources?.storage ?? []).map((s) => {
      const attr = (key: string) => s.attributes.find((a) => a.key === key)?.value;
      return {
        name: s.name,
        bytes: quantity(s.quantity),
        persistent: attr("persistent") === "true",
        class: attr("class") ?? (attr("persistent") === "true" ? "default" : "ephemeral"),
      };
    }),
  };
}

/** The whole group: each unit's resources × its count. */
export function groupTotals(spec: GroupSpec): GroupTotals {
  let cpuMillis = 0n;
  let memoryBytes = 0n;
  let storageBytes = 0n;
  let gpus = 0n;
  for (const unit of spec.resources) {
    const r = unit.resource;
    const count = BigInt(unit.count);
    cpuMillis += quantityOrZero(r?.cpu?.units) * count;
    memoryBytes += quantityOrZero(r?.memory?.quantity) * count;
    gpus += quantityOrZero(r?.gpu?.units) * count;
    for (const s of r?.storage ?? []) storageBytes += quantityOrZero(s.quantity) * count;
  }
  return { cpuMillis, memoryBytes, storageBytes, gpus };
}

/** `1.5 CPU`, `512 MiB`, `2 GiB`. */
export function formatCpu(millis: bigint | number): string {
  return `${Number(millis) / 1000} CPU`;
}

export function formatBytes(bytes: bigint | number): string {
  const n = Number(bytes);
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${Number.isInteger(v) ? v : v.toFixed(1)} ${units[i]}`;
}

/**
 * Persistent volumes of the whole group by storage class (× count), as the provider reads them: a volume
 * is persistent when its `persistent` attribute is "true"; one without a class is "default" (Akash's name).
 */
export function persistentStorage(spec: GroupSpec): Map<string, bigint> {
  const byClass = new Map<string, bigint>();
  for (const unit of spec.resources) {
    for (const s of unit.resource?.storage ?? []) {
      const attr = (key: string) => s.attributes.find((a) => a.key === key)?.value;
      if (attr("persistent") !== "true") continue;
      const cls = attr("class") ?? "default";
      byClass.set(cls, (byClass.get(cls) ?? 0n) + quantityOrZero(s.quantity) * BigInt(unit.count));
    }
  }
  return byClass;
}
