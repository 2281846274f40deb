// Manifest checks before anything runs (reference: akash-provider.md §4.4): the manifest must be well formed,
// and it must fit the deployment's on-chain groups exactly — same groups, every service on an existing
// resource unit with that unit's exact resources, the unit's count split among its services, and exactly the
// endpoints the unit declared (over- and under-use are both errors).
import type { GroupSpec } from "@akashnetwork/chain-sdk/private-types/akash.v1beta4";
import { quantity, serviceResources } from "../../client/resources.js";
import { isIngressExpose, type Manifest, type ManifestGroup, type ManifestService } from "./types.js";

/** The manifest is refused (HTTP 422 at the gateway). */
export class ManifestValidationError extends Error {
  override name = "ManifestValidationError";
}

const SERVICE_NAME = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const HOSTNAME =
  /^(?=.{1,253}$)([a-zA-Z0-9]([-a-zA-Z0-9]{0,61}[a-zA-Z0-9])?\.)*[a-zA-Z0-9]([-a-zA-Z0-9]{0,61}[a-zA-Z0-9])?$/;

function fail(message: string): never {
  throw new ManifestValidationError(message);
}

/** Structural checks that need nothing but the manifest. */
export function validateManifest(manifest: Manifest): void {
  if (manifest.length === 0) fail("manifest has no groups");
  const groupNames = new Set<string>();
  const hosts = new Set<string>();
  let globals = 0;
  for (const group of manifest) {
    if (!group.name) fail("group without a name");
    if (groupNames.has(group.name)) fail(`group ${group.name} appears twice`);
    groupNames.add(group.name);
    if (group.services.length === 0) fail(`group ${group.name} has no services`);
    const serviceNames = new Set<string>();
    for (const s of group.services) {
      const at = `group ${group.name} service ${s.name}`;
      if (!SERVICE_NAME.test(s.name) || s.name.length > 63) fail(`${at}: invalid service name`);
      if (serviceNames.has(s.name)) fail(`${at}: service appears twice`);
      serviceNames.add(s.name);
      if (!s.image) fail(`${at}: no image`);
      if (s.count < 1) fail(`${at}: count must be at least 1`);
      for (const e of s.env) {
        const name = e.split("=", 1)[0]!;
        if (!e.includes("=") || !ENV_NAME.test(name)) fail(`${at}: invalid environment variable "${e}"`);
      }
      for (const e of s.expose) {
        if (e.port < 1 || e.port > 65535) fail(`${at}: port ${e.port} is not a port (1–65535)`);
        if (e.externalPort > 65535) fail(`${at}: external port ${e.externalPort} is not a port (1–65535)`);
        if (!["TCP", "UDP"].includes(e.proto.toUpperCase())) fail(`${at}: unknown protocol ${e.proto}`);
        if (e.global) globals++;
        for (const h of e.hosts) {
          if (!HOSTNAME.test(h)) fail(`${at}: invalid hostname "${h}"`);
          if (hosts.has(h.toLowerCase())) fail(`${at}: hostname "${h}" is used twice`);
          hosts.add(h.toLowerCase());
        }
      }
      const storage = serviceResources(s.resources).storage;
      for (const p of s.params?.storage ?? []) {
        if (!storage.some((v) => v.name === p.name)) fail(`${at}: mounts unknown volume "${p.name}"`);
        if (!p.mount.startsWith("/")) fail(`${at}: mount path "${p.mount}" is not absolute`);
      }
    }
  }
  if (globals === 0) fail("manifest has no global services: at least one expose must be global");
}

/** Akash's endpoint kinds (akash.base.resources.v1beta4.Endpoint.Kind). */
const SHARED_HTTP = 0;
const RANDOM_PORT = 1;
const LEASED_IP = 2;

function endpointKinds(service: ManifestService): number[] {
  const kinds: number[] = [];
  for (const e of service.expose) {
    if (!e.global) continue;
    kinds.push(isIngressExpose(e) ? SHARED_HTTP : RANDOM_PORT);
    if (e.ip) kinds.push(LEASED_IP);
  }
  return kinds;
}

function countKinds(kinds: number[]): string {
  const n = (k: number) => kinds.filter((x) => x === k).length;
  return `${n(SHARED_HTTP)} HTTP, ${n(RANDOM_PORT)} port, ${n(LEASED_IP)} IP`;
}

/** The manifest against every group of the deployment on chain. */
export function crossValidate(manifest: Manifest, specs: readonly GroupSpec[]): void {
  if (manifest.length !== specs.length) {
    fail(`manifest has ${manifest.length} groups, the deployment has ${specs.length}`);
  }
  for (const spec of specs) {
    const group = manifest.find((g) => g.name === spec.name);
    if (!group) fail(`manifest has no group "${spec.name}"`);
    crossValidateGroup(group, spec);
  }
}

export function crossValidateGroup(group: ManifestGroup, spec: GroupSpec): void {
  const at = `group ${group.name}`;
  for (const s of group.services) {
    const id = s.resources?.id;
    if (!spec.resources.some((u) => u.resource?.id === id)) {
      fail(`${at} service ${s.name}: resource unit ${id} is not in the deployment`);
    }
  }
  for (const unit of spec.resources) {
    const id = unit.resource?.id;
    const services = group.services.filter((s) => s.resources?.id === id);
    const want = serviceResources(unit.resource);
    for (const s of services) {
      const got = serviceResources(s.resources);
      const where = `${at} service ${s.name}`;
      if (got.cpuMillis !== want.cpuMillis)
        fail(`${where}: CPU ${got.cpuMillis}m differs from the lease's ${want.cpuMillis}m`);
      if (got.memoryBytes !== want.memoryBytes)
        fail(`${where}: memory ${got.memoryBytes} differs from the lease's ${want.memoryBytes}`);
      if (got.gpuUnits !== want.gpuUnits)
        fail(`${where}: GPU ${got.gpuUnits} differs from the lease's ${want.gpuUnits}`);
      const volumes = (v: typeof got.storage) =>
        v
          .map((x) => `${x.name}:${x.bytes}:${x.class}`)
          .sort()
          .join(",");
      if (volumes(got.storage) !== volumes(want.storage)) {
        fail(
          `${where}: storage [${volumes(got.storage)}] differs from the lease's [${volumes(want.storage)}]`,
        );
      }
    }
    const count = services.reduce((n, s) => n + s.count, 0);
    if (count !== unit.count) {
      fail(`${at}: resource unit ${id} runs ${count} replicas, the lease has ${unit.count}`);
    }
    const used = services.flatMap(endpointKinds).sort();
    const declared = (unit.resource?.endpoints ?? []).map((e) => e.kind as number).sort();
    if (used.join() !== declared.join()) {
      fail(
        `${at}: resource unit ${id} uses ${countKinds(used)} endpoints, the lease has ${countKinds(declared)}`,
      );
    }
  }
}

/** Total resources a group spec asks for (all replicas), for capacity and reservations. */
export function groupTotals(spec: GroupSpec): {
  cpuMillis: bigint;
  memoryBytes: bigint;
  storageBytes: bigint;
  gpuUnits: bigint;
} {
  let cpuMillis = 0n;
  let memoryBytes = 0n;
  let storageBytes = 0n;
  let gpuUnits = 0n;
  for (const unit of spec.resources) {
    const n = BigInt(unit.count);
    cpuMillis += quantity(unit.resource?.cpu?.units) * n;
    memoryBytes += quantity(unit.resource?.memory?.quantity) * n;
    gpuUnits += quantity(unit.resource?.gpu?.units) * n;
    for (const s of unit.resource?.storage ?? []) storageBytes += quantity(s.quantity) * n;
  }
  return { cpuMillis, memoryBytes, storageBytes, gpuUnits };
}
