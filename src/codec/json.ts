// The one JSON encoder: renders protobuf messages exactly as Cosmos SDK's gRPC-gateway does (gogoproto jsonpb
// with `OrigName: true, EmitDefaults: true`; reference: cosmos-sdk server/api/server.go, gogo/protobuf
// jsonpb/jsonpb.go). REST, typed events and `--json` output all go through it.
//
// It works from a type name and protobuf bytes, so it does not matter which TS family (chain-sdk's ts-proto or
// cosmjs-types) produced a message. Field layouts come from descriptors.ts. What is printed:
// - proto field names, every field present: "" / 0 / false / [] / {} by default, null for an absent message or
//   bytes field (Go's nil);
// - 64-bit integers as decimal strings, 32-bit ones and floats as numbers (NaN and ±Infinity as strings);
// - bytes as standard base64; enums by value name (a number when the value has no name);
// - `google.protobuf.Any` as {"@type": url, ...fields of the packed message}, recursively;
// - Timestamp as RFC 3339 in UTC with 0, 3, 6 or 9 fractional digits; Duration as "1.5s";
// - Cosmos LegacyDec fields (`cosmos.Dec` customtype) with 18 decimals, "0.025000000000000000".
// Limits are those of the descriptors (see descriptors.ts), plus: an Any whose type is unknown renders as
// {"@type", "value": base64} where Go would fail the request.
import { BinaryReader } from "cosmjs-types/binary";
import { decFromAtomics } from "./dec.js";
import { describe, type FieldDescriptor, type ScalarType, type ValueType } from "./descriptors.js";
import { lookupType, typeNameOf, type WriterLike } from "./registry.js";
import { readDouble, readFixed64, readFloat } from "./wire.js";

export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

/** Renders the protobuf encoding of a message of type `typeUrlOrName` as gRPC-gateway JSON. */
export function toJson(typeUrlOrName: string, bytes: Uint8Array): JsonObject {
  return renderMessage(typeNameOf(typeUrlOrName), bytes) as JsonObject;
}

/** A codec of either family: chain-sdk's carry `$type`, cosmjs-types' carry `typeUrl`. */
export type AnyCodec<T> = { encode(message: T): WriterLike } & ({ $type: string } | { typeUrl: string });

/** Renders a message object through its own codec (chain-sdk or cosmjs-types). */
export function messageToJson<T>(codec: AnyCodec<T>, message: T): JsonObject {
  const name = "$type" in codec ? codec.$type : codec.typeUrl;
  return toJson(name, codec.encode(message).finish());
}

/** Renders an `Any` given as an object, as {"@type": url, ...fields}. */
export function anyToJson(any: { typeUrl: string; value: Uint8Array }): JsonObject {
  return renderAnyParts(any.typeUrl, any.value) as JsonObject;
}

/** An ABCI event attribute as typed events carry them. */
export interface EventAttributeJson {
  key: string;
  value: string;
}

/**
 * A typed event as the SDK's `EmitTypedEvent` builds it from a message: type = the full proto name, one
 * attribute per field (keys sorted) whose value is the field's JSON. reference: cosmos-sdk types/events.go
 * `TypedEventToEvent`. The caller adds `msg_index` and the `index` flags.
 */
export function typedEvent(
  typeUrlOrName: string,
  bytes: Uint8Array,
): { type: string; attributes: EventAttributeJson[] } {
  const type = typeNameOf(typeUrlOrName);
  const json = toJson(type, bytes);
  const keys = Object.keys(json).sort();
  return { type, attributes: keys.map((key) => ({ key, value: JSON.stringify(json[key]) })) };
}

function renderMessage(typeName: string, bytes: Uint8Array): JsonValue {
  switch (typeName) {
    case "google.protobuf.Any":
      return renderAny(bytes);
    case "google.protobuf.Timestamp":
      return renderTimestamp(bytes);
    case "google.protobuf.Duration":
      return renderDuration(bytes);
  }
  const descriptor = describe(typeName);
  // Singular message fields may occur several times on the wire; protobuf merges them, which is what
  // decoding their concatenation does.
  const singular = new Map<FieldDescriptor, JsonValue>();
  const messageChunks = new Map<FieldDescriptor, Uint8Array[]>();
  const repeated = new Map<FieldDescriptor, JsonValue[]>();
  const maps = new Map<FieldDescriptor, JsonObject>();

  const reader = new BinaryReader(bytes);
  while (reader.pos < reader.len) {
    const [number, wireType] = reader.tag();
    const field = descriptor.byNumber.get(number);
    if (!field) {
      reader.skipType(wireType);
      continue;
    }
    if (field.mapKey) {
      const [key, value] = readMapEntry(field, reader.bytes());
      const map = maps.get(field) ?? {};
      map[key] = value;
      maps.set(field, map);
    } else if (field.repeated) {
      const list = repeated.get(field) ?? [];
      if (wireType === 2 && isPackable(field.type)) {
        const packed = new BinaryReader(reader.bytes());
        while (packed.pos < packed.len) list.push(readValue(packed, field.type));
      } else {
        list.push(readValue(reader, field.type));
      }
      repeated.set(field, list);
    } else if (field.type.kind === "message") {
      messageChunks.set(field, [...(messageChunks.get(field) ?? []), reader.bytes()]);
    } else {
      singular.set(field, readValue(reader, field.type));
    }
  }

  const out: JsonObject = {};
  for (const field of descriptor.fields) {
    if (field.mapKey) {
      out[field.name] = maps.get(field) ?? {};
    } else if (field.repeated) {
      out[field.name] = repeated.get(field) ?? [];
    } else if (field.type.kind === "message") {
      const chunks = messageChunks.get(field);
      if (chunks) out[field.name] = renderMessage(field.type.typeName, concat(chunks));
      else if (!field.optional) out[field.name] = null;
    } else if (singular.has(field)) {
      out[field.name] = singular.get(field)!;
    } else if (!field.optional) {
      out[field.name] = defaultScalar(field.type);
    }
  }
  return out;
}

function readMapEntry(field: FieldDescriptor, entry: Uint8Array): [string, JsonValue] {
  const reader = new BinaryReader(entry);
  let key = field.mapKey === "bool" ? "false" : field.mapKey === "string" ? "" : "0";
  let value: JsonValue | undefined;
  while (reader.pos < reader.len) {
    const [number, wireType] = reader.tag();
    if (number === 1) {
      key = String(
        field.mapKey === "string"
          ? reader.string()
          : field.mapKey === "bool"
            ? reader.bool()
            : reader.int64(),
      );
    } else if (number === 2) {
      value = readValue(reader, field.type);
    } else {
      reader.skipType(wireType);
    }
  }
  if (value === undefined) {
    value =
      field.type.kind === "message"
        ? renderMessage(field.type.typeName, new Uint8Array())
        : defaultScalar(field.type);
  }
  return [key, value];
}

function isPackable(type: ValueType): boolean {
  return type.kind === "scalar" && type.scalar !== "string" && type.scalar !== "bytes";
}

const utf8 = new TextDecoder();

function readValue(reader: BinaryReader, type: ValueType): JsonValue {
  if (type.kind === "message") return renderMessage(type.typeName, reader.bytes());
  switch (type.scalar) {
    case "string": {
      const s = utf8.decode(reader.bytes());
      return type.dec ? decFromAtomics(s) : s;
    }
    case "bytes": {
      const b = reader.bytes();
      return type.dec ? decFromAtomics(utf8.decode(b)) : Buffer.from(b).toString("base64");
    }
    case "enum": {
      const v = reader.int32();
      return type.enumValues?.get(v) ?? v;
    }
    default:
      return readNumeric(reader, type.scalar);
  }
}

function readNumeric(reader: BinaryReader, scalar: ScalarType): JsonValue {
  switch (scalar) {
    case "bool":
      return reader.bool();
    case "int32":
      return reader.int32();
    case "uint32":
      return reader.uint32();
    case "sint32":
      return reader.sint32();
    case "fixed32":
      return reader.fixed32();
    case "sfixed32":
      return reader.sfixed32();
    case "int64":
      return reader.int64().toString();
    case "uint64":
      return reader.uint64().toString();
    case "sint64":
      return reader.sint64().toString();
    case "fixed64":
      return readFixed64(reader, false).toString();
    case "sfixed64":
      return readFixed64(reader, true).toString();
    case "float":
      return jsonFloat(readFloat(reader));
    case "double":
      return jsonFloat(readDouble(reader));
    default:
      throw new Error(`not a numeric type: ${scalar}`);
  }
}

/** jsonpb prints non-finite floats as strings. */
function jsonFloat(v: number): JsonValue {
  if (Number.isNaN(v)) return "NaN";
  if (v === Number.POSITIVE_INFINITY) return "Infinity";
  if (v === Number.NEGATIVE_INFINITY) return "-Infinity";
  return v;
}

function defaultScalar(type: ValueType): JsonValue {
  if (type.kind === "message") return null;
  if (type.dec) return decFromAtomics("");
  switch (type.scalar) {
    case "string":
      return "";
    case "bytes":
      // Go holds an absent bytes field as a nil slice, which encoding/json prints as null.
      return null;
    case "bool":
      return false;
    case "enum":
      return type.enumValues?.get(0) ?? 0;
    case "int64":
    case "uint64":
    case "sint64":
    case "fixed64":
    case "sfixed64":
      return "0";
    default:
      return 0;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Well-known types.

function renderAny(bytes: Uint8Array): JsonValue {
  const reader = new BinaryReader(bytes);
  let typeUrl = "";
  let value: Uint8Array = new Uint8Array();
  while (reader.pos < reader.len) {
    const [number, wireType] = reader.tag();
    if (number === 1) typeUrl = reader.string();
    else if (number === 2) value = reader.bytes();
    else reader.skipType(wireType);
  }
  return renderAnyParts(typeUrl, value);
}

function renderAnyParts(typeUrl: string, value: Uint8Array): JsonValue {
  const typeName = typeNameOf(typeUrl);
  if (WELL_KNOWN.has(typeName)) return { "@type": typeUrl, value: renderMessage(typeName, value) };
  if (!lookupType(typeName)) return { "@type": typeUrl, value: Buffer.from(value).toString("base64") };
  return { "@type": typeUrl, ...(renderMessage(typeName, value) as JsonObject) };
}

/** Types whose JSON is not an object: inside an Any they go under "value". */
const WELL_KNOWN = new Set(["google.protobuf.Timestamp", "google.protobuf.Duration"]);

function readSecondsNanos(bytes: Uint8Array): [bigint, number] {
  const reader = new BinaryReader(bytes);
  let seconds = 0n;
  let nanos = 0;
  while (reader.pos < reader.len) {
    const [number, wireType] = reader.tag();
    if (number === 1) seconds = reader.int64();
    else if (number === 2) nanos = reader.int32();
    else reader.skipType(wireType);
  }
  return [seconds, nanos];
}

/** Drops trailing zero groups the way jsonpb does: 9, 6, 3 or 0 fractional digits. */
function trimNanos(text: string): string {
  return text
    .replace(/000$/, "")
    .replace(/000$/, "")
    .replace(/\.000$/, "");
}

function renderTimestamp(bytes: Uint8Array): JsonValue {
  const [seconds, nanos] = readSecondsNanos(bytes);
  const date = new Date(Number(seconds) * 1000).toISOString().slice(0, 19);
  return `${trimNanos(`${date}.${String(nanos).padStart(9, "0")}`)}Z`;
}

function renderDuration(bytes: Uint8Array): JsonValue {
  const [seconds, nanos] = readSecondsNanos(bytes);
  const sign = seconds < 0n || nanos < 0 ? "-" : "";
  const abs = (seconds < 0n ? -seconds : seconds).toString();
  return `${sign}${trimNanos(`${abs}.${String(Math.abs(nanos)).padStart(9, "0")}`)}s`;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  return Uint8Array.from(Buffer.concat(parts));
}
