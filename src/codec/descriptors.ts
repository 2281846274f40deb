// Field layouts of protobuf messages, recovered from chain-sdk's generated codecs by probing them.
//
// Why probing: neither chain-sdk (ts-proto, only `@bufbuild/protobuf/wire` at run time) nor cosmjs-types ship
// protobuf descriptors, and both encode 64-bit integers, timestamps and decimals in their own JS shapes. What
// they do ship is exact executable knowledge of every message: `fromPartial({})` lists the fields (in .proto
// declaration order) with their defaults, `encode` reveals field numbers and wire types, `decode` of crafted
// bytes reveals the exact scalar type (int32 vs uint32 vs sint32, …) and chain-sdk's LegacyDec patches,
// `toJSON` reveals proto field names and enum value names, and the nested `X.fromPartial` call that a message
// field makes reveals its type (we trace it). The result is a descriptor good enough to decode and encode the
// wire format ourselves, independently of which TS family produced the bytes.
//
// Limits (what the generated code does not reveal):
// - gogoproto options: `nullable=false` (an absent message field renders `null`, where Go would render the zero
//   message) and `customtype = math.Int` (an empty string stays "", where Go renders "0").
// - oneof membership of message-typed fields (scalar members are detected: their default is `undefined`);
//   known cases are listed in ONEOF_MESSAGE_FIELDS.
// - enum value names are recovered by matching chain-sdk's exported enum objects; an enum without one would
//   render numbers.
// - proto2 declared defaults (only descriptor.proto has them) are unknown: an absent field renders the zero.
import { BinaryReader } from "cosmjs-types/binary";
import { sdkEnums, sdkMessageTypes, sdkType } from "./registry.js";

export type ScalarType =
  | "string"
  | "bytes"
  | "bool"
  | "int32"
  | "uint32"
  | "sint32"
  | "fixed32"
  | "sfixed32"
  | "int64"
  | "uint64"
  | "sint64"
  | "fixed64"
  | "sfixed64"
  | "double"
  | "float"
  | "enum";

/** The type of one value: a scalar (with its enum table or LegacyDec flag) or a message. */
export type ValueType =
  | {
      readonly kind: "scalar";
      readonly scalar: ScalarType;
      /** Cosmos `LegacyDec` customtype: 18-decimal fixed point stored as an integer string. */
      readonly dec?: boolean;
      /** Enum value names by number (enums only). */
      readonly enumValues?: ReadonlyMap<number, string>;
    }
  | { readonly kind: "message"; readonly typeName: string };

export interface FieldDescriptor {
  readonly number: number;
  /** Proto field name (what gRPC-gateway prints, `OrigName: true`). */
  readonly name: string;
  /** lowerCamelCase name (ts-proto's property; also accepted in JSON input). */
  readonly jsonName: string;
  readonly type: ValueType;
  readonly repeated: boolean;
  /** Map fields: the key's scalar type (the value type is `type`). */
  readonly mapKey?: ScalarType;
  /** No default is rendered when absent: proto3 `optional` scalars and oneof members. */
  readonly optional: boolean;
}

export interface MessageDescriptor {
  readonly typeName: string;
  /** In declaration order, which is the order gRPC-gateway prints them in. */
  readonly fields: readonly FieldDescriptor[];
  readonly byNumber: ReadonlyMap<number, FieldDescriptor>;
  /** By proto name and by lowerCamel name. */
  readonly byName: ReadonlyMap<string, FieldDescriptor>;
}

/**
 * Message-typed oneof members, by proto name: gRPC-gateway omits unset ones instead of printing null, and
 * ts-proto's generated code does not tell them from ordinary message fields. These are the oneofs of message
 * types in the Cosmos SDK, CometBFT and ICS-23 protos that responses carry.
 */
const ONEOF_MESSAGE_FIELDS: Readonly<Record<string, readonly string[]>> = {
  "cosmos.tx.v1beta1.ModeInfo": ["single", "multi"],
  "cosmos.tx.signing.v1beta1.SignatureDescriptor.Data": ["single", "multi"],
  "tendermint.types.Evidence": ["duplicate_vote_evidence", "light_client_attack_evidence"],
  "cosmos.ics23.v1.CommitmentProof": ["exist", "nonexist", "batch", "compressed"],
  "cosmos.ics23.v1.BatchEntry": ["exist", "nonexist"],
  "cosmos.ics23.v1.CompressedBatchEntry": ["exist", "nonexist"],
};

const cache = new Map<string, MessageDescriptor>();

/** The descriptor of a message type (by full name), probed once and cached. */
export function describe(typeName: string): MessageDescriptor {
  let d = cache.get(typeName);
  if (!d) {
    d = withTracing(() => probeMessage(typeName));
    cache.set(typeName, d);
  }
  return d;
}

/**
 * The chain of fields a dotted path of proto or lowerCamel names leads through (`pagination.limit` → the
 * `pagination` field, then `limit`), or undefined if a name matches no field or crosses a non-message field.
 */
export function fieldPath(typeName: string, dottedPath: string): FieldDescriptor[] | undefined {
  const chain: FieldDescriptor[] = [];
  let current = typeName;
  for (const name of dottedPath.split(".")) {
    const previous = chain[chain.length - 1];
    if (previous) {
      if (previous.type.kind !== "message" || previous.repeated) return undefined;
      current = previous.type.typeName;
    }
    const field = describe(current).byName.get(name);
    if (!field) return undefined;
    chain.push(field);
  }
  return chain;
}

// ---------------------------------------------------------------------------------------------------------
// Tracing nested types: while probing, every registered codec's `fromPartial` notes its type name when it is
// handed the sentinel. The generated code looks `X.fromPartial` up on the codec object at call time, so the
// temporary wrappers see the call. They are removed before `describe` returns.

const SENTINEL: Readonly<Record<string, never>> = Object.freeze({});
let traced: string[] | undefined;
let tracingDepth = 0;

function withTracing<T>(run: () => T): T {
  if (tracingDepth > 0) return run();
  const originals: Array<[Record<string, unknown>, unknown]> = [];
  for (const [name, codec] of sdkMessageTypes()) {
    const target = codec as unknown as Record<string, unknown>;
    const original = codec.fromPartial;
    originals.push([target, original]);
    target.fromPartial = function tracedFromPartial(this: unknown, object: unknown) {
      if (object === SENTINEL && traced) traced.push(name);
      return original.call(this, object);
    };
  }
  tracingDepth++;
  try {
    return run();
  } finally {
    tracingDepth--;
    for (const [target, original] of originals) target.fromPartial = original;
  }
}

function traceNested(run: () => void): string | undefined {
  traced = [];
  try {
    run();
    return traced[0];
  } catch {
    return traced[0];
  } finally {
    traced = undefined;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Probing one message type.

type Container = "singular" | "repeated" | "map";
type JsKind = "string" | "number" | "boolean" | "long" | "bytes" | "date" | "object" | "undefined" | "other";

interface LongLike {
  readonly __isLong__: true;
  add(n: number): LongLike;
  toString(): string;
}

function jsKind(v: unknown): JsKind {
  if (v === undefined || v === null) return "undefined";
  if (typeof v === "string") return "string";
  if (typeof v === "number") return "number";
  if (typeof v === "boolean") return "boolean";
  if (v instanceof Uint8Array) return "bytes";
  if (v instanceof Date) return "date";
  if (typeof v === "object" && (v as { __isLong__?: unknown }).__isLong__ === true) return "long";
  if (typeof v === "object") return "object";
  return "other";
}

/** A Long 1, made from a Long zero chain-sdk gives us (we do not depend on `long` directly). */
function longOne(): LongLike {
  const zero = sdkType("cosmos.base.query.v1beta1.PageRequest").fromPartial({}).offset as LongLike;
  return zero.add(1);
}

function probeMessage(typeName: string): MessageDescriptor {
  const codec = sdkType(typeName);
  const base = codec.fromPartial({});
  const oneofMessages = new Set(ONEOF_MESSAGE_FIELDS[typeName] ?? []);
  const fields: FieldDescriptor[] = [];
  for (const [key, dflt] of Object.entries(base)) {
    const container: Container = Array.isArray(dflt)
      ? "repeated"
      : jsKind(dflt) === "object"
        ? "map"
        : "singular";
    const field = new FieldProbe(typeName, key, container).run(dflt);
    fields.push(
      field.type.kind === "message" && oneofMessages.has(field.name) ? { ...field, optional: true } : field,
    );
  }
  const byNumber = new Map(fields.map((f) => [f.number, f]));
  const byName = new Map<string, FieldDescriptor>();
  for (const f of fields) {
    byName.set(f.jsonName, f);
    byName.set(f.name, f);
  }
  return { typeName, fields, byNumber, byName };
}

class FieldProbe {
  private readonly codec;
  /** Map fields: the wire type of the entry key (2 for string keys, 0 for integer keys). */
  private mapKeyWire = 2;

  constructor(
    private readonly typeName: string,
    private readonly key: string,
    private readonly container: Container,
  ) {
    this.codec = sdkType(typeName);
  }

  /** Places a probe value in the field as its container wants it. */
  private wrap(v: unknown): unknown {
    if (this.container === "repeated") return [v];
    if (this.container === "map") return { "1": v };
    return v;
  }

  /** Reads the probe value back out of a decoded or built message. */
  private read(message: Record<string, unknown>): unknown {
    const v = message[this.key];
    if (this.container === "repeated") return (v as unknown[] | undefined)?.[0];
    if (this.container === "map") return Object.values((v as Record<string, unknown>) ?? {})[0];
    return v;
  }

  private build(v: unknown): Record<string, unknown> {
    return this.codec.fromPartial({ [this.key]: this.wrap(v) });
  }

  private encode(v: unknown): Uint8Array {
    return this.codec.encode(this.build(v)).finish();
  }

  run(dflt: unknown): FieldDescriptor {
    const where = `${this.typeName}.${this.key}`;
    const nested = traceNested(() => this.build(SENTINEL));
    const kind = nested
      ? "object"
      : this.container === "singular" && dflt !== undefined
        ? jsKind(dflt)
        : undefined;
    const candidates = kind ? samplesOf(kind, dflt) : [this.roundTripSample()];
    // The first sample that encodes to something (proto2 fields do not encode their declared default).
    let sample: unknown;
    let encoded: WireField | undefined;
    for (const c of candidates) {
      try {
        encoded = this.encodedField(c);
      } catch {
        continue;
      }
      if (encoded) {
        sample = c;
        break;
      }
    }
    if (!encoded) throw new Error(`cannot probe field ${where}`);
    const { number, wireType } = encoded;
    const entry = this.container === "map" ? mapEntryLayout(encoded.payload) : undefined;
    if (entry) this.mapKeyWire = entry.keyWire;
    const name = this.protoName(sample);
    const optional =
      this.container === "singular" && dflt === undefined && !nested && jsKind(sample) !== "date";

    const sampleKind = kind ?? jsKind(sample);
    let type: ValueType;
    if (nested) type = { kind: "message", typeName: nested };
    else if (sampleKind === "date") type = { kind: "message", typeName: "google.protobuf.Timestamp" };
    else type = this.scalarType(sampleKind, number, entry ? entry.valueWire : wireType, sample, name);

    const field: FieldDescriptor = {
      number,
      name,
      jsonName: this.key,
      type,
      repeated: this.container !== "singular",
      optional,
    };
    if (this.container === "map") {
      if (!entry) throw new Error(`cannot probe map field ${where}`);
      // Cosmos maps have string or integer keys (no bool keys, which would also be varints).
      return { ...field, mapKey: entry.keyWire === 2 ? "string" : "int64" };
    }
    return field;
  }

  /** For fields whose default says nothing (undefined, [] or {}): the first sample that survives a round trip. */
  private roundTripSample(): unknown {
    const candidates: unknown[] = ["1", 1, true, longOne(), Uint8Array.of(0x31), new Date(1000), {}];
    for (const c of candidates) {
      try {
        const back = this.read(this.codec.decode(this.encode(c)));
        if (jsKind(back) === jsKind(c)) return c;
      } catch {
        // not this kind
      }
    }
    return undefined;
  }

  /**
   * The field that encoding the sample adds to the encoding of an empty message (which is not always empty:
   * ts-proto writes packed repeated fields even when they hold nothing).
   */
  private encodedField(sample: unknown): WireField | undefined {
    const empty = parseFields(this.codec.encode(this.codec.fromPartial({})).finish());
    return parseFields(this.encode(sample)).find(
      (f) => !empty.some((e) => e.number === f.number && equalBytes(e.payload, f.payload)),
    );
  }

  /** Proto field name: the one key `toJSON` prints for a message holding only the sample. */
  private protoName(sample: unknown): string {
    const json = this.codec.toJSON(this.build(sample)) as Record<string, unknown>;
    const keys = Object.keys(json);
    if (keys.length !== 1) throw new Error(`cannot find the proto name of ${this.typeName}.${this.key}`);
    return keys[0]!;
  }

  /** Decodes crafted bytes (our field number and wire type, a chosen payload) and reads the field back. */
  private decodeRaw(number: number, wireType: number, payload: Uint8Array): unknown {
    let field = concat(varint((number << 3) | wireType), payload);
    if (this.container === "map") {
      // A map entry: key "1" (string) or 1 (varint), then the value as field 2.
      const keyBytes =
        this.mapKeyWire === 2 ? concat(varint(10), lengthPrefixed(Uint8Array.of(0x31))) : varint(8, 1);
      const entry = concat(keyBytes, varint((2 << 3) | wireType), payload);
      field = concat(varint((number << 3) | 2), lengthPrefixed(entry));
    }
    return this.read(this.codec.decode(field));
  }

  private scalarType(
    kind: JsKind,
    number: number,
    wireType: number,
    sample: unknown,
    name: string,
  ): ValueType {
    const max64 = Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01);
    const ff4 = Uint8Array.of(0xff, 0xff, 0xff, 0xff);
    const ff8 = Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff);
    switch (kind) {
      case "string": {
        // chain-sdk's LegacyDec patch turns the stored integer "1" into "0.000000000000000001".
        const back = this.decodeRaw(number, 2, lengthPrefixed(Uint8Array.of(0x31)));
        return { kind: "scalar", scalar: "string", ...(back !== "1" ? { dec: true } : {}) };
      }
      case "bytes": {
        let back: unknown;
        try {
          back = this.decodeRaw(number, 2, lengthPrefixed(Uint8Array.of(0x31)));
        } catch {
          back = undefined;
        }
        const plain = back instanceof Uint8Array && back.length === 1 && back[0] === 0x31;
        return { kind: "scalar", scalar: "bytes", ...(plain ? {} : { dec: true }) };
      }
      case "boolean":
        return { kind: "scalar", scalar: "bool" };
      case "number": {
        if (wireType === 1) return { kind: "scalar", scalar: "double" };
        if (wireType === 5) {
          const v = this.decodeRaw(number, 5, ff4) as number;
          return { kind: "scalar", scalar: Number.isNaN(v) ? "float" : v < 0 ? "sfixed32" : "fixed32" };
        }
        if (typeof this.printed(sample, name) === "string") {
          return { kind: "scalar", scalar: "enum", enumValues: this.enumValues(name) };
        }
        const v = this.decodeRaw(number, 0, max64) as number;
        return { kind: "scalar", scalar: v === -1 ? "int32" : v > 0 ? "uint32" : "sint32" };
      }
      case "long": {
        if (wireType === 1) {
          const v = String(this.decodeRaw(number, 1, ff8));
          return { kind: "scalar", scalar: v.startsWith("-") ? "sfixed64" : "fixed64" };
        }
        const v = String(this.decodeRaw(number, 0, max64));
        return { kind: "scalar", scalar: v === "-1" ? "int64" : v.startsWith("-") ? "sint64" : "uint64" };
      }
      default:
        throw new Error(`cannot classify ${this.typeName}.${this.key} (${kind})`);
    }
  }

  /** What `toJSON` prints for the sample value (unwrapped from its container). */
  private printed(v: unknown, protoName: string): unknown {
    const json = this.codec.toJSON(this.build(v)) as Record<string, unknown>;
    const printed = json[protoName];
    return this.container === "singular" ? printed : Object.values((printed as object) ?? {})[0];
  }

  /** Enum names printed by `toJSON` for a value, memoised per field. */
  private readonly enumNames = new Map<number, unknown>();
  private enumName(v: number, protoName: string): unknown {
    if (!this.enumNames.has(v)) this.enumNames.set(v, this.printed(v, protoName));
    return this.enumNames.get(v);
  }

  /**
   * The enum's value names. `toJSON` omits the zero value, so we find the chain-sdk enum object whose names
   * agree with `toJSON` for every non-zero value and whose zero name `fromJSON` maps back to 0.
   */
  private enumValues(protoName: string): ReadonlyMap<number, string> {
    for (const e of sdkEnums()) {
      const values = Object.entries(e).filter(
        (kv): kv is [string, number] => typeof kv[1] === "number" && kv[1] >= 0,
      );
      if (values.length === 0) continue;
      const max = Math.max(...values.map(([, v]) => v));
      if (this.enumName(max + 1, protoName) !== "UNRECOGNIZED") continue;
      if (!values.every(([n, v]) => v === 0 || this.enumName(v, protoName) === n)) continue;
      const zero = values.find(([, v]) => v === 0);
      if (zero && !this.zeroNameMatches(protoName, zero[0])) continue;
      return new Map(values.map(([n, v]) => [v, n]));
    }
    // No enum object matches: keep what toJSON tells (non-zero values only).
    const names = new Map<number, string>();
    for (let v = 1; v < 64; v++) {
      const n = this.enumName(v, protoName);
      if (typeof n === "string" && n !== "UNRECOGNIZED") names.set(v, n);
    }
    return names;
  }

  private zeroNameMatches(protoName: string, zeroName: string): boolean {
    const value = this.container === "singular" ? zeroName : this.wrap(zeroName);
    const back = this.read(this.codec.fromJSON({ [protoName]: value }));
    return back === 0;
  }
}

/** Non-default sample values of a scalar kind, in order of preference. */
function samplesOf(kind: JsKind, dflt: unknown): unknown[] {
  switch (kind) {
    case "object":
      return [{}];
    case "string":
      return ["1", "2"];
    case "number":
      return [1, 2];
    case "boolean":
      return [true, false];
    case "long":
      return [(dflt as LongLike).add(1), (dflt as LongLike).add(2)];
    case "bytes":
      // "1": chain-sdk's LegacyDec patch parses Dec fields declared as bytes as decimal text.
      return [Uint8Array.of(0x31)];
    default:
      return [];
  }
}

interface WireField {
  readonly number: number;
  readonly wireType: number;
  /** The value's bytes as on the wire (length-delimited values include their length prefix). */
  readonly payload: Uint8Array;
}

function parseFields(bytes: Uint8Array): WireField[] {
  const reader = new BinaryReader(bytes);
  const out: WireField[] = [];
  while (reader.pos < reader.len) {
    const [number, wireType] = reader.tag();
    const start = reader.pos;
    reader.skipType(wireType);
    out.push({ number, wireType, payload: bytes.subarray(start, reader.pos) });
  }
  return out;
}

/** Wire types of a map entry's key (field 1) and value (field 2). */
function mapEntryLayout(payload: Uint8Array): { keyWire: number; valueWire: number } {
  const reader = new BinaryReader(payload);
  const entry = parseFields(reader.bytes());
  return {
    keyWire: entry.find((f) => f.number === 1)?.wireType ?? -1,
    valueWire: entry.find((f) => f.number === 2)?.wireType ?? -1,
  };
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function varint(...values: number[]): Uint8Array {
  const out: number[] = [];
  for (let v of values) {
    while (v > 0x7f) {
      out.push((v & 0x7f) | 0x80);
      v >>>= 7;
    }
    out.push(v);
  }
  return Uint8Array.from(out);
}

function lengthPrefixed(payload: Uint8Array): Uint8Array {
  return concat(varint(payload.length), payload);
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let pos = 0;
  for (const p of parts) {
    out.set(p, pos);
    pos += p.length;
  }
  return out;
}
