// The protobuf type registry: every message type, enum and service that the installed packages describe,
// looked up by full name or type URL.
//
// Source of truth: `@akashnetwork/chain-sdk`'s generated code (ts-proto, Long for 64-bit integers), which covers
// Cosmos SDK, IBC, Tendermint and Akash. Its public entry points only re-export part of it (no google.protobuf
// types, no service descriptors), so we load its CommonJS build, which keeps one module per .proto file
// (`dist/cjs/generated/protos/<proto path>.cjs`, services in `<file>_akash.cjs`) under stable paths.
// This reaches below the package's `exports` map; it is safe because the package is pinned (package.json) —
// re-check this loader when upgrading it.
//
// `cosmjs-types` (bigint for 64-bit integers) is the other family the app uses; `lookupType` also finds its
// codec for a type so that callers can decode into whichever family they work with.
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";

const require = createRequire(import.meta.url);

/** A protobuf writer as both families return it from `encode`. */
export interface WriterLike {
  finish(): Uint8Array;
}

/**
 * A ts-proto message codec as chain-sdk generates it (`MessageFns`). Message values are plain objects; 64-bit
 * integers are `Long`, Timestamps `Date`. Typed loosely on purpose: the registry serves every type.
 */
export interface SdkMessageType {
  readonly $type: string;
  encode(message: unknown, writer?: unknown): WriterLike;
  decode(input: Uint8Array, length?: number): Record<string, unknown>;
  fromPartial(object: unknown): Record<string, unknown>;
  fromJSON(object: unknown): Record<string, unknown>;
  toJSON(message: unknown): unknown;
}

/** A cosmjs-types (telescope) message codec: same shape with bigint 64-bit integers and a `typeUrl`. */
export interface CosmjsMessageType {
  readonly typeUrl: string;
  encode(message: unknown, writer?: unknown): WriterLike;
  decode(input: Uint8Array, length?: number): unknown;
  fromPartial(object: unknown): unknown;
  fromJSON(object: unknown): unknown;
  toJSON(message: unknown): unknown;
}

/** A ts-proto enum object: names to numbers and numbers back to names, plus `UNRECOGNIZED: -1`. */
export type SdkEnum = Readonly<Record<string, string | number>>;

/** A method of a chain-sdk service descriptor (`*_akash.ts`). */
export interface SdkServiceMethod {
  readonly name: string;
  readonly httpPath?: string;
  readonly httpMethod?: string;
  /** Present on streaming methods. */
  readonly kind?: string;
  readonly input: SdkMessageType;
  readonly output: SdkMessageType;
}

/** A chain-sdk service descriptor: `{ typeName: "cosmos.bank.v1beta1.Query", methods: {...} }`. */
export interface SdkService {
  readonly typeName: string;
  readonly methods: Readonly<Record<string, SdkServiceMethod>>;
}

export interface RegisteredType {
  /** Full protobuf name, e.g. `cosmos.bank.v1beta1.MsgSend`. */
  readonly typeName: string;
  /** `/` + full name, as in `google.protobuf.Any.type_url`. */
  readonly typeUrl: string;
  /** chain-sdk's codec (always present: the registry is built from chain-sdk). */
  readonly sdk: SdkMessageType;
  /** cosmjs-types' codec for the same type, if cosmjs-types has it. */
  readonly cosmjs: CosmjsMessageType | undefined;
}

interface SdkTree {
  readonly types: ReadonlyMap<string, SdkMessageType>;
  readonly enums: readonly SdkEnum[];
  readonly services: readonly SdkService[];
}

let sdkTree: SdkTree | undefined;

/** Loads chain-sdk's generated modules once (about 450 files, a few hundred milliseconds). */
function loadSdkTree(): SdkTree {
  if (sdkTree) return sdkTree;
  const root = join(dirname(require.resolve("@akashnetwork/chain-sdk")), "generated", "protos");
  const types = new Map<string, SdkMessageType>();
  const enums: SdkEnum[] = [];
  const services: SdkService[] = [];
  for (const file of listFiles(root, ".cjs")) {
    // The index.* files only re-export the per-file modules.
    if (relative(root, file).startsWith("index.")) continue;
    const mod = require(file) as Record<string, unknown>;
    for (const value of Object.values(mod)) {
      if (!value || typeof value !== "object") continue;
      const v = value as Record<string, unknown>;
      if (typeof v.$type === "string" && typeof v.decode === "function") {
        types.set(v.$type, value as SdkMessageType);
      } else if (typeof v.typeName === "string" && v.methods && typeof v.methods === "object") {
        services.push(value as SdkService);
      } else if (v.UNRECOGNIZED === -1) {
        enums.push(value as SdkEnum);
      }
    }
  }
  sdkTree = { types, enums, services };
  return sdkTree;
}

function listFiles(dir: string, suffix: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(path, suffix));
    else if (entry.name.endsWith(suffix)) out.push(path);
  }
  return out.sort();
}

let cosmjsIndex: Map<string, string> | undefined;

/**
 * cosmjs-types has no registry; each module declares `typeUrl: "/pkg.Name"` on its codecs. We index those
 * declarations by reading the sources (cheap) and require a module only when one of its types is asked for.
 */
function cosmjsModuleOf(typeUrl: string): string | undefined {
  if (!cosmjsIndex) {
    cosmjsIndex = new Map();
    const root = dirname(require.resolve("cosmjs-types/binary"));
    for (const file of listFiles(root, ".js")) {
      for (const m of readFileSync(file, "utf8").matchAll(/typeUrl: "(\/[\w.]+)"/g)) {
        cosmjsIndex.set(m[1]!, file);
      }
    }
  }
  return cosmjsIndex.get(typeUrl);
}

function cosmjsType(typeUrl: string): CosmjsMessageType | undefined {
  const file = cosmjsModuleOf(typeUrl);
  if (!file) return undefined;
  const mod = require(file) as Record<string, unknown>;
  for (const value of Object.values(mod)) {
    if (value && typeof value === "object" && (value as { typeUrl?: unknown }).typeUrl === typeUrl) {
      return value as CosmjsMessageType;
    }
  }
  return undefined;
}

/** Strips a leading `/` (type URLs) and any `type.googleapis.com/`-style prefix. */
export function typeNameOf(typeUrlOrName: string): string {
  const slash = typeUrlOrName.lastIndexOf("/");
  return slash >= 0 ? typeUrlOrName.slice(slash + 1) : typeUrlOrName;
}

const registered = new Map<string, RegisteredType>();

/** Looks a message type up by full name (`cosmos.bank.v1beta1.MsgSend`) or type URL (`/cosmos...MsgSend`). */
export function lookupType(typeUrlOrName: string): RegisteredType | undefined {
  const typeName = typeNameOf(typeUrlOrName);
  const cached = registered.get(typeName);
  if (cached) return cached;
  const sdk = loadSdkTree().types.get(typeName);
  if (!sdk) return undefined;
  const typeUrl = `/${typeName}`;
  let cosmjs: CosmjsMessageType | undefined | null = null;
  const entry: RegisteredType = {
    typeName,
    typeUrl,
    sdk,
    get cosmjs() {
      if (cosmjs === null) cosmjs = cosmjsType(typeUrl);
      return cosmjs;
    },
  };
  registered.set(typeName, entry);
  return entry;
}

/** chain-sdk's codec for a type, or a thrown error naming the type. */
export function sdkType(typeUrlOrName: string): SdkMessageType {
  const found = lookupType(typeUrlOrName);
  if (!found) throw new Error(`unknown protobuf type ${typeUrlOrName}`);
  return found.sdk;
}

/** Every chain-sdk message codec (for probing field layouts). */
export function sdkMessageTypes(): ReadonlyMap<string, SdkMessageType> {
  return loadSdkTree().types;
}

/** Every chain-sdk enum object. */
export function sdkEnums(): readonly SdkEnum[] {
  return loadSdkTree().enums;
}

/** Every chain-sdk service descriptor (queries, Msg services, and the provider's own services). */
export function sdkServices(): readonly SdkService[] {
  return loadSdkTree().services;
}
