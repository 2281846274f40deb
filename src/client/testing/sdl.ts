// One placement group of one HTTP service, built by chain-sdk from an SDL the options vary: what the client's
// screening and pricing tests reason about.
import type { GroupSpec } from "@akashnetwork/chain-sdk/private-types/akash.v1beta4";
import { buildSdl } from "../sdl.js";

export interface WebGroupOptions {
  readonly cpu?: number;
  readonly memory?: string;
  /** The storage list (default one 128 MiB ephemeral volume). */
  readonly storage?: string;
  readonly count?: number;
  /** The service's `params` (a persistent volume's mount). */
  readonly params?: string;
  readonly attributes?: string;
  readonly signedBy?: string;
  /** The group's maximum price per block, and its denom (default 1,000 uakt). */
  readonly price?: number;
  readonly denom?: string;
}

export async function webGroup(opts: WebGroupOptions = {}): Promise<GroupSpec> {
  const sdl = await buildSdl(`
version: "2.0"
services:
  web:
    image: decloud/busybox:latest${opts.params ? `\n    params: ${opts.params}` : ""}
    expose:
      - port: 80
        to:
          - global: true
profiles:
  compute:
    web:
      resources:
        cpu: {units: ${opts.cpu ?? 0.1}}
        memory: {size: ${opts.memory ?? "64Mi"}}
        storage: ${opts.storage ?? "[{size: 128Mi}]"}
  placement:
    dc:
      attributes: ${opts.attributes ?? "{region: local}"}${opts.signedBy ? `\n      signedBy: ${opts.signedBy}` : ""}
      pricing:
        web: {denom: ${opts.denom ?? "uakt"}, amount: ${opts.price ?? 1000}}
deployment:
  web:
    dc:
      profile: web
      count: ${opts.count ?? 1}
`);
  return sdl.groupSpecs[0]!;
}
