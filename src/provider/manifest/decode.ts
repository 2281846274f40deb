// The manifest JSON a tenant PUTs (reference: akash-provider.md §1.11) decoded into chain-sdk's manifest
// types, and its version hash. Like Akash's provider, the hash is computed from the *decoded* manifest
// re-encoded canonically (§1.12, §4.4), never from the raw bytes: chain-sdk's `generateManifestVersion`
// does the encoding, the same function the tenant's tools used to put the hash on chain.
import { generateManifestVersion } from "@akashnetwork/chain-sdk";
import { Group } from "@akashnetwork/chain-sdk/private-types/provider.akash.v2beta3";
import type { Manifest } from "./types.js";

/** The manifest cannot be decoded (HTTP 422 at the gateway). */
export class ManifestDecodeError extends Error {
  override name = "ManifestDecodeError";
}

type Json = Record<string, unknown>;

function fail(path: string, what: string): never {
  throw new ManifestDecodeError(`${path}: ${what}`);
}

function object(v: unknown, path: string): Json {
  if (typeof v !== "object" || v === null || Array.isArray(v)) fail(path, "expected an object");
  return v as Json;
}

/** A list where Go accepts `null` (a nil slice) as empty. */
function list(v: unknown, path: string): unknown[] {
  if (v === null || v === undefined) return [];
  if (!Array.isArray(v)) fail(path, "expected an array");
  return v;
}

function str(v: unknown, path: string): string {
  if (v === undefined || v === null) return "";
  if (typeof v !== "string") fail(path, "expected a string");
  return v;
}

function int(v: unknown, path: string): number {
  if (v === undefined || v === null) return 0;
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0)
    fail(path, "expected a non-negative integer");
  return v;
}

function bool(v: unknown, path: string): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v !== "boolean") fail(path, "expected a boolean");
  return v;
}

function strings(v: unknown, path: string): string[] {
  return list(v, path).map((s, i) => str(s, `${path}[${i}]`));
}

/** `{"val": "<decimal>"}` → the bytes chain-sdk keeps. */
function resourceValue(v: unknown, path: string): { val: Uint8Array } {
  if (v === undefined || v === null) return { val: new TextEncoder().encode("0") };
  const val = object(v, path).val;
  if (typeof val !== "string" || !/^\d+$/.test(val)) fail(`${path}.val`, "expected a decimal string");
  return { val: new TextEncoder().encode(val) };
}

function attributes(v: unknown, path: string): { key: string; value: string }[] {
  return list(v, path).map((a, i) => {
    const o = object(a, `${path}[${i}]`);
    return { key: str(o.key, `${path}[${i}].key`), value: str(o.value, `${path}[${i}].value`) };
  });
}

function resources(v: unknown, path: string) {
  const r = object(v, path);
  const cpu = r.cpu === undefined || r.cpu === null ? {} : object(r.cpu, `${path}.cpu`);
  const memory = r.memory === undefined || r.memory === null ? {} : object(r.memory, `${path}.memory`);
  const gpu = r.gpu === undefined || r.gpu === null ? {} : object(r.gpu, `${path}.gpu`);
  return {
    id: int(r.id, `${path}.id`),
    cpu: {
      units: resourceValue(cpu.units, `${path}.cpu.units`),
      attributes: attributes(cpu.attributes, `${path}.cpu.attributes`),
    },
    memory: {
      quantity: resourceValue(memory.size, `${path}.memory.size`),
      attributes: attributes(memory.attributes, `${path}.memory.attributes`),
    },
    storage: list(r.storage, `${path}.storage`).map((s, i) => {
      const o = object(s, `${path}.storage[${i}]`);
      return {
        name: str(o.name, `${path}.storage[${i}].name`),
        quantity: resourceValue(o.size, `${path}.storage[${i}].size`),
        attributes: attributes(o.attributes, `${path}.storage[${i}].attributes`),
      };
    }),
    gpu: {
      units: resourceValue(gpu.units, `${path}.gpu.units`),
      attributes: attributes(gpu.attributes, `${path}.gpu.attributes`),
    },
    endpoints: list(r.endpoints, `${path}.endpoints`).map((e, i) => {
      const o = object(e, `${path}.endpoints[${i}]`);
      return {
        kind: int(o.kind, `${path}.endpoints[${i}].kind`),
        sequenceNumber: int(o.sequence_number, `${path}.endpoints[${i}].sequence_number`),
      };
    }),
  };
}

function expose(v: unknown, path: string) {
  const e = object(v, path);
  const h =
    e.httpOptions === undefined || e.httpOptions === null ? {} : object(e.httpOptions, `${path}.httpOptions`);
  return {
    port: int(e.port, `${path}.port`),
    externalPort: int(e.externalPort, `${path}.externalPort`),
    proto: str(e.proto, `${path}.proto`),
    service: str(e.service, `${path}.service`),
    global: bool(e.global, `${path}.global`),
    hosts: strings(e.hosts, `${path}.hosts`),
    httpOptions: {
      maxBodySize: int(h.maxBodySize, `${path}.httpOptions.maxBodySize`),
      readTimeout: int(h.readTimeout, `${path}.httpOptions.readTimeout`),
      sendTimeout: int(h.sendTimeout, `${path}.httpOptions.sendTimeout`),
      nextTries: int(h.nextTries, `${path}.httpOptions.nextTries`),
      nextTimeout: int(h.nextTimeout, `${path}.httpOptions.nextTimeout`),
      nextCases: strings(h.nextCases, `${path}.httpOptions.nextCases`),
    },
    ip: str(e.ip, `${path}.ip`),
    endpointSequenceNumber: int(e.endpointSequenceNumber, `${path}.endpointSequenceNumber`),
  };
}

function credentials(v: unknown, path: string) {
  if (v === undefined || v === null) return undefined;
  const c = object(v, path);
  return {
    host: str(c.host, `${path}.host`),
    email: str(c.email, `${path}.email`),
    username: str(c.username, `${path}.username`),
    password: str(c.password, `${path}.password`),
  };
}

function params(v: unknown, path: string) {
  if (v === undefined || v === null) return undefined;
  const p = object(v, path);
  const permissions =
    p.permissions === undefined || p.permissions === null
      ? undefined
      : { read: strings(object(p.permissions, `${path}.permissions`).read, `${path}.permissions.read`) };
  return {
    storage: list(p.storage, `${path}.storage`).map((s, i) => {
      const o = object(s, `${path}.storage[${i}]`);
      return {
        name: str(o.name, `${path}.storage[${i}].name`),
        mount: str(o.mount, `${path}.storage[${i}].mount`),
        readOnly: bool(o.readOnly, `${path}.storage[${i}].readOnly`),
      };
    }),
    credentials: undefined,
    ...(permissions ? { permissions } : {}),
  };
}

/** Decodes a manifest from its JSON text (or already-parsed JSON). Throws ManifestDecodeError. */
export function decodeManifest(body: string | unknown): Manifest {
  let json: unknown = body;
  if (typeof body === "string") {
    try {
      json = JSON.parse(body);
    } catch (e) {
      throw new ManifestDecodeError(`manifest is not JSON: ${(e as Error).message}`);
    }
  }
  return list(json, "manifest").map((g, gi) => {
    const group = object(g, `manifest[${gi}]`);
    return Group.fromPartial({
      name: str(group.name, `manifest[${gi}].name`),
      services: list(group.services, `manifest[${gi}].services`).map((s, si) => {
        const path = `manifest[${gi}].services[${si}]`;
        const o = object(s, path);
        return {
          name: str(o.name, `${path}.name`),
          image: str(o.image, `${path}.image`),
          command: strings(o.command, `${path}.command`),
          args: strings(o.args, `${path}.args`),
          env: strings(o.env, `${path}.env`),
          resources: resources(o.resources, `${path}.resources`),
          count: int(o.count, `${path}.count`),
          expose: list(o.expose, `${path}.expose`).map((e, ei) => expose(e, `${path}.expose[${ei}]`)),
          params: params(o.params, `${path}.params`),
          credentials: credentials(o.credentials, `${path}.credentials`),
        };
      }),
    });
  });
}

/** The manifest's version: SHA-256 of its canonical JSON (reference §1.12). */
export function manifestVersion(manifest: Manifest): Promise<Uint8Array> {
  return generateManifestVersion(manifest);
}
