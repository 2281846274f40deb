// JSON → protobuf bytes: the reverse of json.ts, for REST POST bodies and GET parameters.
//
// It accepts what gRPC-gateway's unmarshaler (gogo jsonpb) accepts: proto or lowerCamel field names; 64-bit
// integers as strings or numbers; bytes as standard or URL-safe base64; enums by name or number; RFC 3339
// timestamps; "1.5s" durations; Any as {"@type": url, ...fields}; LegacyDec fields as decimals ("0.025").
// Because query parameters arrive as text, every scalar is also accepted as a string ("true", "10").
//
// We encode from the descriptors rather than through chain-sdk's `fromJSON` because that one does not accept
// the "@type" form of Any or lowerCamel names, turns "false" into true (`Boolean("false")`), drops the
// nanoseconds of timestamps (it goes through `Date`), and converts LegacyDec text only in the few types it
// patches at the top level.
import { BinaryWriter } from "cosmjs-types/binary";
import { decToAtomics } from "./dec.js";
import { describe, type FieldDescriptor, fieldPath, type ScalarType, type ValueType } from "./descriptors.js";
import type { JsonObject, JsonValue } from "./json.js";
import { lookupType, typeNameOf } from "./registry.js";
import { writeDouble, writeFixed64, writeFloat } from "./wire.js";

/** Malformed input: a REST caller maps it to gRPC InvalidArgument. */
export class JsonParseError extends Error {
  override name = "JsonParseError";
}

/** Encodes gRPC-gateway JSON for a message of type `typeUrlOrName` into protobuf bytes. */
export function fromJson(typeUrlOrName: string, json: unknown): Uint8Array {
  const writer = new BinaryWriter();
  writeMessage(typeNameOf(typeUrlOrName), json, writer, "");
  return writer.finish();
}

/**
 * The JSON object that request parameters describe, as gRPC-gateway reads them: a name is a dotted path of
 * proto or lowerCamel field names ("pagination.limit"), names that match no field are ignored, a repeated
 * field collects every value and a singular one keeps the last. Values stay strings; `fromJson` parses them.
 */
export function paramsToJson(
  typeUrlOrName: string,
  params: Iterable<readonly [string, readonly string[]]>,
): JsonObject {
  const root: JsonObject = {};
  for (const [name, values] of params) {
    const chain = values.length > 0 ? fieldPath(typeNameOf(typeUrlOrName), name) : undefined;
    if (!chain) continue;
    const leaf = chain.pop()!;
    let target = root;
    for (const field of chain) {
      const next = (target[field.name] as JsonObject | undefined) ?? {};
      target[field.name] = next;
      target = next;
    }
    if (leaf.repeated) target[leaf.name] = [...((target[leaf.name] as JsonValue[]) ?? []), ...values];
    else target[leaf.name] = values[values.length - 1]!;
  }
  return root;
}

function fail(path: string, message: string): never {
  throw new JsonParseError(path ? `${path}: ${message}` : message);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function writeMessage(typeName: string, json: unknown, writer: BinaryWriter, path: string): void {
  switch (typeName) {
    case "google.protobuf.Any":
      writeAny(json, writer, path);
      return;
    case "google.protobuf.Timestamp":
      writeSecondsNanos(writer, ...parseTimestamp(json, path));
      return;
    case "google.protobuf.Duration":
      writeSecondsNanos(writer, ...parseDuration(json, path));
      return;
  }
  if (!isObject(json)) fail(path, `expected an object for ${typeName}`);
  const descriptor = describe(typeName);
  const present: Array<[FieldDescriptor, unknown]> = [];
  for (const [key, value] of Object.entries(json)) {
    const field = descriptor.byName.get(key);
    if (!field) fail(path, `unknown field "${key}" in ${typeName}`);
    if (value !== null && value !== undefined) present.push([field, value]);
  }
  present.sort((a, b) => a[0].number - b[0].number);
  for (const [field, value] of present)
    writeField(field, value, writer, path ? `${path}.${field.name}` : field.name);
}

function writeField(field: FieldDescriptor, value: unknown, writer: BinaryWriter, path: string): void {
  if (field.mapKey) {
    if (!isObject(value)) fail(path, "expected an object (map)");
    const keyType: ValueType = { kind: "scalar", scalar: field.mapKey };
    for (const [k, v] of Object.entries(value)) {
      writer.uint32((field.number << 3) | 2).fork();
      writeValue(1, keyType, k, writer, true, path);
      writeValue(2, field.type, v, writer, true, `${path}.${k}`);
      writer.ldelim();
    }
  } else if (field.repeated) {
    const list = Array.isArray(value) ? value : [value];
    if (list.length === 0) return;
    if (field.type.kind === "scalar" && field.type.scalar !== "string" && field.type.scalar !== "bytes") {
      // Packed, as proto3 encodes repeated numbers.
      const type = field.type;
      writer.uint32((field.number << 3) | 2).fork();
      for (const [i, v] of list.entries())
        writeScalar(writer, type.scalar, parseScalar(type, v, `${path}[${i}]`));
      writer.ldelim();
    } else {
      for (const [i, v] of list.entries())
        writeValue(field.number, field.type, v, writer, true, `${path}[${i}]`);
    }
  } else {
    writeValue(field.number, field.type, value, writer, field.optional, path);
  }
}

/** Writes one value with its tag; scalars equal to their default are skipped unless `always`. */
function writeValue(
  number: number,
  type: ValueType,
  value: unknown,
  writer: BinaryWriter,
  always: boolean,
  path: string,
) {
  if (type.kind === "message") {
    writer.uint32((number << 3) | 2).fork();
    writeMessage(type.typeName, value, writer, path);
    writer.ldelim();
    return;
  }
  const parsed = parseScalar(type, value, path);
  if (!always && isDefault(parsed)) return;
  writer.uint32((number << 3) | wireTypeOf(type.scalar));
  writeScalar(writer, type.scalar, parsed);
}

type Scalar = string | number | bigint | boolean | Uint8Array;

function isDefault(v: Scalar): boolean {
  return v === "" || v === 0 || v === 0n || v === false || (v instanceof Uint8Array && v.length === 0);
}

function wireTypeOf(scalar: ScalarType): number {
  switch (scalar) {
    case "string":
    case "bytes":
      return 2;
    case "fixed64":
    case "sfixed64":
    case "double":
      return 1;
    case "fixed32":
    case "sfixed32":
    case "float":
      return 5;
    default:
      return 0;
  }
}

function writeScalar(writer: BinaryWriter, scalar: ScalarType, v: Scalar): void {
  switch (scalar) {
    case "string":
      writer.string(v as string);
      break;
    case "bytes":
      writer.bytes(v as Uint8Array);
      break;
    case "bool":
      writer.bool(v as boolean);
      break;
    case "enum":
    case "int32":
      writer.int32(v as number);
      break;
    case "uint32":
      writer.uint32(v as number);
      break;
    case "sint32":
      writer.sint32(v as number);
      break;
    case "fixed32":
      writer.fixed32(v as number);
      break;
    case "sfixed32":
      writer.sfixed32(v as number);
      break;
    case "float":
      writeFloat(writer, v as number);
      break;
    case "double":
      writeDouble(writer, v as number);
      break;
    case "int64":
      writer.int64(v as bigint);
      break;
    case "uint64":
      writer.uint64(v as bigint);
      break;
    case "sint64":
      writer.sint64(v as bigint);
      break;
    case "fixed64":
    case "sfixed64":
      writeFixed64(writer, v as bigint);
      break;
  }
}

const INT_RANGES: Partial<Record<ScalarType, readonly [bigint, bigint]>> = {
  int32: [-(2n ** 31n), 2n ** 31n - 1n],
  sint32: [-(2n ** 31n), 2n ** 31n - 1n],
  sfixed32: [-(2n ** 31n), 2n ** 31n - 1n],
  uint32: [0n, 2n ** 32n - 1n],
  fixed32: [0n, 2n ** 32n - 1n],
  int64: [-(2n ** 63n), 2n ** 63n - 1n],
  sint64: [-(2n ** 63n), 2n ** 63n - 1n],
  sfixed64: [-(2n ** 63n), 2n ** 63n - 1n],
  uint64: [0n, 2n ** 64n - 1n],
  fixed64: [0n, 2n ** 64n - 1n],
};

function parseScalar(type: ValueType & { kind: "scalar" }, v: unknown, path: string): Scalar {
  const scalar = type.scalar;
  switch (scalar) {
    case "string":
      if (typeof v !== "string") fail(path, "expected a string");
      return type.dec ? decimal(v, path) : v;
    case "bytes":
      if (typeof v !== "string") fail(path, "expected a base64 string");
      return type.dec ? new TextEncoder().encode(decimal(v, path)) : base64(v, path);
    case "bool":
      if (typeof v === "boolean") return v;
      if (v === "true" || v === "false") return v === "true";
      return fail(path, "expected a boolean");
    case "float":
    case "double": {
      const n = typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : Number.NaN;
      if (Number.isNaN(n) && v !== "NaN") fail(path, "expected a number");
      return n;
    }
    case "enum": {
      if (typeof v === "string" && !/^-?\d+$/.test(v)) {
        for (const [n, name] of type.enumValues ?? []) if (name === v) return n;
        return fail(path, `unknown enum value "${v}"`);
      }
      return Number(integer(v, "int32", path));
    }
    default: {
      const n = integer(v, scalar, path);
      return scalar.endsWith("64") ? n : Number(n);
    }
  }
}

function integer(v: unknown, scalar: ScalarType, path: string): bigint {
  let n: bigint;
  if (typeof v === "number" && Number.isInteger(v)) n = BigInt(v);
  else if (typeof v === "string" && /^-?\d+$/.test(v.trim())) n = BigInt(v.trim());
  else return fail(path, `expected an integer (${scalar})`);
  const range = INT_RANGES[scalar];
  if (range && (n < range[0] || n > range[1])) fail(path, `${v} is out of range for ${scalar}`);
  return n;
}

function decimal(v: string, path: string): string {
  try {
    return decToAtomics(v);
  } catch (e) {
    return fail(path, (e as Error).message);
  }
}

function base64(v: string, path: string): Uint8Array {
  // In a query string an unescaped "+" arrives as a space.
  const text = v.replace(/ /g, "+");
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(text)) fail(path, "invalid base64");
  return new Uint8Array(Buffer.from(text, "base64"));
}

// ---------------------------------------------------------------------------------------------------------
// Well-known types.

function writeAny(json: unknown, writer: BinaryWriter, path: string): void {
  if (!isObject(json)) fail(path, "expected an object for google.protobuf.Any");
  let typeUrl: string;
  let value: Uint8Array;
  if (typeof json["@type"] === "string") {
    const { "@type": url, ...fields } = json;
    typeUrl = url as string;
    const typeName = typeNameOf(typeUrl);
    if (typeName === "google.protobuf.Timestamp" || typeName === "google.protobuf.Duration") {
      value = fromJson(typeName, fields.value);
    } else {
      if (!lookupType(typeName)) fail(path, `unknown type "${typeUrl}" in Any`);
      const inner = new BinaryWriter();
      writeMessage(typeName, fields, inner, path);
      value = inner.finish();
    }
  } else {
    // The {type_url, value} form that ts-proto's toJSON prints.
    const url = json.type_url ?? json.typeUrl ?? "";
    if (typeof url !== "string") fail(path, "expected a string type URL");
    typeUrl = url;
    value = typeof json.value === "string" ? base64(json.value, `${path}.value`) : new Uint8Array();
  }
  if (typeUrl !== "") writer.uint32(10).string(typeUrl);
  if (value.length > 0) writer.uint32(18).bytes(value);
}

function writeSecondsNanos(writer: BinaryWriter, seconds: bigint, nanos: number): void {
  if (seconds !== 0n) writer.uint32(8).int64(seconds);
  if (nanos !== 0) writer.uint32(16).int32(nanos);
}

function parseTimestamp(v: unknown, path: string): [bigint, number] {
  const m =
    typeof v === "string"
      ? /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?([Zz]|([+-])(\d{2}):(\d{2}))$/.exec(
          v,
        )
      : null;
  if (!m) return fail(path, "expected an RFC 3339 timestamp");
  const date = new Date(0);
  date.setUTCFullYear(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  date.setUTCHours(Number(m[4]), Number(m[5]), Number(m[6]), 0);
  const offset = m[9] ? (m[9] === "-" ? -1 : 1) * (Number(m[10]) * 3600 + Number(m[11]) * 60) : 0;
  const seconds = BigInt(Math.floor(date.getTime() / 1000) - offset);
  return [seconds, Number((m[7] ?? "").padEnd(9, "0"))];
}

function parseDuration(v: unknown, path: string): [bigint, number] {
  const m = typeof v === "string" ? /^(-)?(\d+)(?:\.(\d{1,9}))?s$/.exec(v) : null;
  if (!m) return fail(path, 'expected a duration like "1.5s"');
  const sign = m[1] ? -1 : 1;
  return [BigInt(sign) * BigInt(m[2]!), sign * Number((m[3] ?? "").padEnd(9, "0"))];
}
