// Checks the probed descriptors of every message type chain-sdk ships against chain-sdk's own codecs: a sample
// message built from the descriptor (every field set) is encoded by us, decoded and re-encoded by chain-sdk, and
// what we render must agree with what chain-sdk decoded (its `toJSON`) field by field.
import assert from "node:assert/strict";
import { it, describe as suite } from "node:test";
import { decToAtomics } from "./dec.js";
import { describe, type ValueType } from "./descriptors.js";
import { type JsonObject, type JsonValue, toJson } from "./json.js";
import { fromJson } from "./json-parse.js";
import { sdkMessageTypes, sdkType } from "./registry.js";

const MAX_DEPTH = 3;
const WELL_KNOWN = ["google.protobuf.Any", "google.protobuf.Timestamp", "google.protobuf.Duration"];
/**
 * proto2 fields with a declared default (`cc_enable_arenas [default = true]` in descriptor.proto, reached from
 * these types): chain-sdk does not encode a value equal to it, and we do not know it. No Cosmos proto has one.
 */
const PROTO2_DEFAULTS = [
  "google.protobuf.FileOptions",
  "google.protobuf.FileDescriptorProto",
  "google.protobuf.FileDescriptorSet",
  "cosmos.reflection.v1.FileDescriptorsResponse",
];

function sampleScalar(type: ValueType & { kind: "scalar" }): JsonValue {
  if (type.dec) return "1.5";
  switch (type.scalar) {
    case "string":
      return "s";
    case "bytes":
      return "AQI=";
    case "bool":
      return true;
    case "int32":
    case "sint32":
    case "sfixed32":
      return -7;
    case "uint32":
    case "fixed32":
      return 7;
    case "int64":
    case "sint64":
    case "sfixed64":
      return "-7";
    case "uint64":
    case "fixed64":
      return "7";
    case "float":
    case "double":
      return 1.5;
    case "enum": {
      const names = [...(type.enumValues ?? new Map()).entries()].sort((a, b) => b[0] - a[0]);
      return names[0]?.[1] ?? 0;
    }
  }
}

function sampleValue(type: ValueType, depth: number): JsonValue | undefined {
  if (type.kind === "scalar") return sampleScalar(type);
  switch (type.typeName) {
    case "google.protobuf.Timestamp":
      return "2024-01-02T03:04:05.123Z";
    case "google.protobuf.Duration":
      return "1.5s";
    case "google.protobuf.Any":
      return { "@type": "/cosmos.base.v1beta1.Coin", denom: "uakt", amount: "1" };
  }
  return depth < MAX_DEPTH ? sampleMessage(type.typeName, depth + 1) : undefined;
}

function sampleMessage(typeName: string, depth: number): JsonObject {
  const out: JsonObject = {};
  for (const field of describe(typeName).fields) {
    const value = sampleValue(field.type, depth);
    if (value === undefined) continue;
    if (field.mapKey) out[field.name] = { [field.mapKey === "string" ? "k" : "3"]: value };
    else out[field.name] = field.repeated ? [value] : value;
  }
  return out;
}

/** Every field chain-sdk printed must match what we rendered. */
function agree(typeName: string, ours: JsonValue, theirs: unknown, path: string): void {
  assert.ok(ours && typeof ours === "object" && !Array.isArray(ours), `${path}: not an object`);
  const descriptor = describe(typeName);
  for (const [key, value] of Object.entries(theirs as Record<string, unknown>)) {
    const field = descriptor.byName.get(key);
    assert.ok(field, `${path}.${key}: no such field in our descriptor`);
    const mine: JsonValue | undefined = (ours as JsonObject)[field.name];
    if (field.mapKey) {
      for (const [k, v] of Object.entries(value as object))
        agreeValue(field.type, (mine as JsonObject)[k]!, v, `${path}.${key}.${k}`);
    } else if (field.repeated) {
      assert.equal((mine as JsonValue[]).length, (value as unknown[]).length, `${path}.${key}: length`);
      (value as unknown[]).forEach((v, i) => {
        agreeValue(field.type, (mine as JsonValue[])[i]!, v, `${path}.${key}[${i}]`);
      });
    } else {
      agreeValue(field.type, mine!, value, `${path}.${key}`);
    }
  }
}

function agreeValue(type: ValueType, ours: JsonValue, theirs: unknown, path: string): void {
  if (type.kind === "message") {
    switch (type.typeName) {
      case "google.protobuf.Any":
        assert.equal((ours as JsonObject)["@type"], (theirs as { type_url: string }).type_url, path);
        return;
      case "google.protobuf.Duration":
        assert.equal(ours, "1.500s", path);
        assert.deepEqual(theirs, { seconds: "1", nanos: 500_000_000 }, path);
        return;
      case "google.protobuf.Timestamp":
        assert.equal(ours, theirs, path);
        return;
    }
    agree(type.typeName, ours, theirs, path);
    return;
  }
  if (type.dec) {
    // chain-sdk decodes Dec fields to trimmed decimals (bytes ones to the decimal's text).
    const text =
      type.scalar === "bytes" ? Buffer.from(theirs as string, "base64").toString() : (theirs as string);
    assert.equal(decToAtomics(ours as string), decToAtomics(text), path);
    return;
  }
  assert.deepEqual(ours, theirs, path);
}

suite("descriptors probed from chain-sdk", () => {
  it("agree with chain-sdk's codecs for every message type", () => {
    const failures: string[] = [];
    for (const typeName of sdkMessageTypes().keys()) {
      // Rendered specially (json.ts), not from their fields.
      if (WELL_KNOWN.includes(typeName) || PROTO2_DEFAULTS.includes(typeName)) continue;
      try {
        const sdk = sdkType(typeName);
        const bytes = fromJson(typeName, sampleMessage(typeName, 0));
        const decoded = sdk.decode(bytes);
        const reencoded = sdk.encode(decoded).finish();
        const ours = toJson(typeName, bytes);
        assert.deepEqual(toJson(typeName, reencoded), ours, "re-encoded by chain-sdk");
        agree(typeName, ours, sdk.toJSON(decoded), typeName);
      } catch (e) {
        failures.push(`${typeName}: ${(e as Error).message.split("\n")[0]}`);
      }
    }
    assert.deepEqual(failures, []);
  });

  it("record field numbers, proto names and exact scalar types", () => {
    const fields = describe("cosmos.staking.v1beta1.Validator").fields;
    assert.deepEqual(
      fields.map((f) => [
        f.number,
        f.name,
        f.type.kind === "scalar" ? f.type.scalar : f.type.typeName,
        f.repeated,
      ]),
      [
        [1, "operator_address", "string", false],
        [2, "consensus_pubkey", "google.protobuf.Any", false],
        [3, "jailed", "bool", false],
        [4, "status", "enum", false],
        [5, "tokens", "string", false],
        [6, "delegator_shares", "string", false],
        [7, "description", "cosmos.staking.v1beta1.Description", false],
        [8, "unbonding_height", "int64", false],
        [9, "unbonding_time", "google.protobuf.Timestamp", false],
        [10, "commission", "cosmos.staking.v1beta1.Commission", false],
        [11, "min_self_delegation", "string", false],
        [12, "unbonding_on_hold_ref_count", "int64", false],
        [13, "unbonding_ids", "uint64", true],
      ],
    );
    const shares = fields[5]!.type;
    assert.ok(shares.kind === "scalar" && shares.dec, "delegator_shares is a LegacyDec");
    assert.ok(
      fields[4]!.type.kind === "scalar" && !fields[4]!.type.dec,
      "tokens (math.Int) is a plain string",
    );
  });

  it("find LegacyDec fields declared as bytes", () => {
    const quorum = describe("cosmos.gov.v1beta1.TallyParams").byName.get("quorum")!.type;
    assert.ok(quorum.kind === "scalar" && quorum.scalar === "bytes" && quorum.dec);
  });

  it("mark scalar oneof members and proto3 optionals as optional", () => {
    const key = describe("tendermint.crypto.PublicKey");
    assert.deepEqual(
      key.fields.map((f) => [f.name, f.optional]),
      [
        ["ed25519", true],
        ["secp256k1", true],
      ],
    );
  });
});
