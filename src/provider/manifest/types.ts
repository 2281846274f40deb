// The manifest as the provider holds it: chain-sdk's manifest v2beta3 types (the ones its SDL support builds),
// plus the few readings of them that every part of the provider needs.
import type {
  Group as ManifestGroup,
  Service as ManifestService,
  ServiceExpose,
} from "@akashnetwork/chain-sdk/private-types/provider.akash.v2beta3";

export type { ManifestGroup, ManifestService, ServiceExpose };
export type Manifest = ManifestGroup[];

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
