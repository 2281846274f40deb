// The manifest as the provider holds it: chain-sdk's manifest v2beta3 types (the ones its SDL support builds),
// plus the few readings of them that every part of the provider needs.
import type { Resources } from "@akashnetwork/chain-sdk/private-types/akash.v1beta4";
import type {
  Group as ManifestGroup,
  Service as ManifestService,
  ServiceExpose,
} from "@akashnetwork/chain-sdk/private-types/provider.akash.v2beta3";

export type { ManifestGroup, ManifestService, ServiceExpose };
export type Manifest = ManifestGroup[];

/** A resource quantity (`{val}` holds the decimal digits as bytes, Go's math.Int). */
export function quantity(value: { val: Uint8Array } | undefined): bigint {
  if (!value || value.val.length === 0) return 0n;
  const text = new TextDecoder().decode(value.val);
  if (!/^\d+$/.test(text)) throw new Error(`"${text}" is not a resource quantity`);
  return BigInt(text);
}

export function quantityValue(n: bigint | number): { val: Uint8Array } {
  return { val: new TextEncoder().encode(BigInt(n).toString()) };
}

/** Port a global expose is reached on from outside: `as`, or the container port when `as` is 0. */
export function externalPort(expose: ServiceExpose): number {
  return expose.externalPort === 0 ? expose.port : expose.externalPort;
}

/** HTTP through the ingress: global TCP on external port 80 (Akash's ShouldBeIngress; reference §5.3). */
export function isIngressExpose(expose: ServiceExpose): boolean {
  return expose.global && expose.proto.toUpperCase() === "TCP" && externalPort(expose) === 80;
}

/** A global expose that is not HTTP: published on a host port and reported in `forwarded_ports`. */
export function isForwardedExpose(expose: ServiceExpose): boolean {
  return expose.global && !isIngressExpose(expose) && expose.ip === "";
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
