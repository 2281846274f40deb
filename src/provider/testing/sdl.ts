// Test helpers: an SDL turned into manifest, group specs and version hash with chain-sdk, as a tenant's
// tools do (reference: akash-provider.md §1.9–1.12).
import { generateManifest, generateManifestVersion, manifestToSortedJSON } from "@akashnetwork/chain-sdk";
import type { GroupSpec } from "@akashnetwork/chain-sdk/private-types/akash.v1beta4";
import { parse } from "yaml";
import type { Manifest } from "../manifest/types.js";

export interface BuiltSdl {
  readonly groups: Manifest;
  readonly groupSpecs: GroupSpec[];
  /** The JSON body a tenant PUTs to the provider. */
  readonly json: string;
  readonly version: Uint8Array;
}

export async function buildSdl(yaml: string): Promise<BuiltSdl> {
  const result = generateManifest(parse(yaml));
  if (!result.ok) throw new Error(`invalid SDL: ${JSON.stringify(result.value)}`);
  const { groups, groupSpecs } = result.value;
  return {
    groups,
    groupSpecs,
    json: manifestToSortedJSON(groups),
    version: await generateManifestVersion(groups),
  };
}

/** A one-service SDL serving HTTP with BusyBox httpd, with knobs the tests turn. */
export function webSdl(opts: {
  image: string;
  env?: string[];
  count?: number;
  cpu?: number;
  memory?: string;
  region?: string;
  price?: number;
  /** The expose's `accept` hosts (custom hostnames). */
  accept?: string[];
}): string {
  return `
version: "2.0"
services:
  web:
    image: ${opts.image}
    command: ["sh", "-c"]
    args: ["echo started; mkdir -p /www && echo hello from decloud > /www/index.html && exec httpd -f -p 80 -h /www"]
    env: ${JSON.stringify(opts.env ?? ["GREETING=hello"])}
    expose:
      - port: 80
        as: 80${opts.accept ? `\n        accept: ${JSON.stringify(opts.accept)}` : ""}
        to:
          - global: true
profiles:
  compute:
    web:
      resources:
        cpu: {units: ${opts.cpu ?? 0.1}}
        memory: {size: ${opts.memory ?? "64Mi"}}
        storage: [{size: 100Mi}]
  placement:
    dc:
      attributes: {region: ${opts.region ?? "local"}}
      pricing:
        web: {denom: uakt, amount: ${opts.price ?? 1000}}
deployment:
  web:
    dc: {profile: web, count: ${opts.count ?? 1}}
`;
}
